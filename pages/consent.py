"""The consent page: asked at the start of the assessment, confirmed at the end, withdrawable."""

from __future__ import annotations

from datetime import date

import streamlit as st

from eha.assessment import Section
from eha.consent import NO_CONSENT_OPTIONS, CarerConsent, ConsentAnswers, ConsentMethod, ConsentRecord
from pages import _forms, _progress, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
a = _progress.open_from_url()
section = a.consent
pin = _forms.Pin(f"{a.assessment_id}:{Section.CONSENT.value}", section.version)
consent = section.data
current = consent.current
today = wb.today()
g = _forms.generation()
disabled = not a.editable
carers = a.background.data.carers
names = {c.id: c.name for c in carers}

_progress.heading(a, "Consent")
st.caption(
    "Ask for consent at the start, so other agencies can be contacted during the assessment, and "
    "confirm it with the family at the end. Consent must be informed and is never taken from silence. "
    "Do not seek consent where doing so would increase the risk to anyone: contact the MASH instead."
)
pin.stale_notice()

problems = a.gaps(Section.CONSENT)
if problems:
    st.info(
        "Still needed before the assessment can be completed:\n" + "\n".join(f"- {_ui.literal(p)}" for p in problems)
    )
if current is not None and (not current.council_storage or not current.share_with_professionals):
    st.warning(NO_CONSENT_OPTIONS, icon=":material/info:")

st.header("What the family are agreeing to")
shown = current.wording if current is not None else wb.assessments.consent_wording
if current is not None:
    st.caption(f"The wording the family were shown (version {_ui.literal(shown.version)}), kept with their consent:")
with st.container(border=True):
    st.text(shown.text)
wording_changed = current is not None and current.wording.version != wb.assessments.consent_wording.version
if wording_changed:
    st.info(
        f"The consent wording has changed since the family agreed (now version "
        f"{_ui.literal(wb.assessments.consent_wording.version)}). Their consent stands as given; if things have "
        "changed significantly, seek consent again with the new wording and tick 'Consent sought afresh' below."
    )

LABELS = {
    "carers": "Who gave consent",
    "named_recipients": "The professionals and agencies it may be shared with",
    "must_not_see": "Anyone who must not see it",
    "signed_consent_held_by": "Signed consent held by (establishment)",
    "confirmed_on": "Date confirmed with the family",
    "": "Consent",
}
FORM = "consent"
base = current or ConsentAnswers()
withdrawn = current is not None and current.withdrawn
st.header("Consent given")
with st.form(f"form:{FORM}"):
    _ui.error_summary(FORM, LABELS)
    st.markdown("**Who gave consent, how and when.** The main carer's consent is essential; ideally both parents'.")
    given = []
    for carer in carers:
        earlier = next((c for c in base.carers if c.carer_id == carer.id), None)
        suffix = " (main carer)" if carer.main_carer else ""
        ticked = st.checkbox(
            f"{_ui.label_text(carer.name)}{suffix} gave consent",
            value=earlier is not None and not withdrawn,
            key=f"{FORM}:given:{carer.id}:{g}",
            disabled=disabled,
        )
        cols = st.columns(2)
        method = cols[0].radio(
            f"How {_ui.label_text(carer.name)} gave consent",
            list(ConsentMethod),
            index=list(ConsentMethod).index(earlier.method) if earlier else 0,
            format_func=lambda m: m.value.capitalize(),
            horizontal=True,
            key=f"{FORM}:method:{carer.id}:{g}",
            disabled=disabled,
        )
        on = cols[1].date_input(
            f"When {_ui.label_text(carer.name)} gave consent",
            value=earlier.given_on if earlier else today,
            format="DD/MM/YYYY",
            **_ui.date_limits(earlier.given_on if earlier else today, latest=today),
            key=f"{FORM}:given_on:{carer.id}:{g}",
            disabled=disabled,
        )
        _ui.field_error(FORM, f"given_on:{carer.id}")
        given.append((carer.id, bool(ticked), method, on))
    _ui.field_error(FORM, "carers")
    st.markdown("**What the consent covers**")
    share = st.checkbox(
        "Sharing with the professionals and agencies named below",
        value=base.share_with_professionals,
        key=f"{FORM}:share:{g}",
        disabled=disabled,
    )
    recipients = _progress.text_box(
        FORM, "named_recipients", LABELS["named_recipients"], base.named_recipients, disabled=disabled, height=80
    )
    storage = st.checkbox(
        "The council storing the assessment on its electronic system",
        value=base.council_storage,
        key=f"{FORM}:storage:{g}",
        disabled=disabled,
    )
    ons = st.checkbox(
        "The family opt out of the Office for National Statistics evaluation",
        value=base.ons_opt_out,
        key=f"{FORM}:ons:{g}",
        disabled=disabled,
    )
    must_not = _progress.text_box(
        FORM, "must_not_see", LABELS["must_not_see"], base.must_not_see, disabled=disabled, height=80
    )
    held_by = st.text_input(
        LABELS["signed_consent_held_by"],
        value=base.signed_consent_held_by,
        help="If your agency holds the signed form but cannot send it, name the establishment.",
        key=f"{FORM}:held_by:{g}",
        disabled=disabled,
    )
    _ui.field_error(FORM, "signed_consent_held_by")
    st.markdown("**At the end of the assessment**")
    confirmed = st.checkbox(
        "Consent confirmed with the family at the end of the assessment",
        value=base.confirmed_on is not None,
        key=f"{FORM}:confirmed:{g}",
        disabled=disabled,
    )
    confirmed_on = st.date_input(
        LABELS["confirmed_on"],
        value=base.confirmed_on or today,
        format="DD/MM/YYYY",
        **_ui.date_limits(base.confirmed_on or today, latest=today),
        key=f"{FORM}:confirmed_on:{g}",
        disabled=disabled,
    )
    _ui.field_error(FORM, "confirmed_on")
    fresh = False
    if current is not None:
        fresh = st.checkbox(
            "Consent sought afresh (after a withdrawal, a significant change or new wording): keep the "
            "earlier record and use the current wording",
            value=withdrawn,
            key=f"{FORM}:fresh:{g}",
            disabled=disabled,
        )
    submitted = st.form_submit_button("Save consent", type="primary", disabled=disabled)
_ui.saved_note(FORM)
if submitted and any(ticked and not isinstance(on, date) for _, ticked, _, on in given):
    _ui.set_errors(FORM, {"carers": "Enter the date each parent or carer gave consent."})
    st.rerun()
if submitted:
    answers = ConsentAnswers(
        carers=tuple(
            CarerConsent(carer_id=cid, method=m or ConsentMethod.WRITTEN, given_on=on)
            for cid, ticked, m, on in given
            if ticked
        ),
        share_with_professionals=bool(share),
        named_recipients=recipients,
        council_storage=bool(storage),
        ons_opt_out=bool(ons),
        must_not_see=must_not,
        signed_consent_held_by=held_by or "",
        confirmed_on=confirmed_on if confirmed and not isinstance(confirmed_on, tuple) else None,
    )
    pin.save(
        FORM,
        lambda v: wb.assessments.save_consent(
            assessment_id=a.assessment_id, expected_version=v, answers=answers, fresh=bool(fresh), actor=actor
        ),
    )

# -- withdrawal ------------------------------------------------------------------------------
st.header("Withdrawal of consent")
WITHDRAW = "withdraw"
if current is None:
    st.caption("Consent can be withdrawn at any time once it has been given.")
elif current.withdrawal is not None:
    w = current.withdrawal
    st.error(
        f"Withdrawn on {w.withdrawn_on:%d %B %Y} by {_ui.literal(w.withdrawn_by)} "
        f"(recorded {_ui.at_time(w.recorded_at)} by {_ui.literal(w.recorded_by)}). What it now stops:"
    )
    st.text(w.stops)
else:
    with st.form(f"form:{WITHDRAW}"):
        _ui.error_summary(
            WITHDRAW,
            {"withdrawn_on": "Date withdrawn", "withdrawn_by": "Who withdrew it", "stops": "What it now stops"},
        )
        withdrawn_on = st.date_input(
            "Date withdrawn",
            value=None,
            format="DD/MM/YYYY",
            key=f"{WITHDRAW}:on:{g}",
            disabled=disabled,
            **_ui.date_limits(None, latest=today),
        )
        _ui.field_error(WITHDRAW, "withdrawn_on")
        withdrawn_by = st.text_input("Who withdrew it", key=f"{WITHDRAW}:by:{g}", disabled=disabled)
        _ui.field_error(WITHDRAW, "withdrawn_by")
        stops = _progress.text_box(
            WITHDRAW,
            "stops",
            "What it now stops",
            "",
            disabled=disabled,
            height=80,
            hint="For example: sharing with the school; the council keeping the record; the whole assessment.",
        )
        withdraw = st.form_submit_button("Record the withdrawal", disabled=disabled)
    if withdraw:
        pin.save(
            WITHDRAW,
            lambda v: wb.assessments.withdraw_consent(
                assessment_id=a.assessment_id,
                expected_version=v,
                withdrawn_on=withdrawn_on if not isinstance(withdrawn_on, tuple) else None,
                withdrawn_by=withdrawn_by or "",
                stops=stops,
                actor=actor,
            ),
        )
_ui.saved_note(WITHDRAW)


def earlier_record(record: ConsentRecord) -> None:
    who = ", ".join(
        f"{names.get(c.carer_id, 'a carer no longer listed')} ({c.method.value}, {c.given_on:%d/%m/%Y})"
        for c in record.carers
    )
    st.text(
        f"Recorded {_ui.at_time(record.recorded_at)} by {record.recorded_by}; wording version {record.wording.version}"
    )
    st.text(f"Given by: {who or 'nobody recorded'}")
    if record.withdrawal is not None:
        w = record.withdrawal
        st.text(f"Withdrawn {w.withdrawn_on:%d/%m/%Y} by {w.withdrawn_by}: {w.stops}")


if consent.earlier:
    with st.expander(f"Earlier consent records ({len(consent.earlier)})"):
        for old in reversed(consent.earlier):
            with st.container(border=True):
                earlier_record(old)
