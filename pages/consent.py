"""The consent page: each person's decisions over time, the position as it stands at the top,
a form to record one person's decision, and the whole history below, newest first."""

from __future__ import annotations

from datetime import date

import streamlit as st

from eha.assessment import Section
from eha.background import Carer, Child
from eha.consent import (
    NO_CONSENT_OPTIONS,
    ConsentDecision,
    ConsentKind,
    ConsentMethod,
    DecisionAnswers,
    current_position,
    describe,
    old_enough_to_be_asked,
)
from eha.recipients import Recipient, recipients_for
from pages import _forms, _progress, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
a = _progress.open_from_url()
section = a.consent
pin = _forms.Pin(f"{a.assessment_id}:{Section.CONSENT.value}", section.version)
consent = section.data
background = a.background.data
today = wb.today()
g = _forms.generation()
disabled = not a.editable
people: dict[str, Carer | Child] = {c.id: c for c in background.carers}
people.update({c.id: c for c in background.children})

_progress.heading(a, "Consent")
st.caption(
    "Ask for consent at the start, so other agencies can be contacted during the assessment, and "
    "confirm it with the family at the end. Consent must be informed and is never taken from silence. "
    "Do not seek consent where doing so would increase the risk to anyone: contact the MASH instead."
)
pin.stale_notice()

# -- the position as it stands -------------------------------------------------------------------
st.header("Consent as it stands")
positions = current_position(consent, background, today=today)
for position in positions:
    hint = " · old enough to be asked for their own consent, if they understand" if position.suggested else ""
    st.markdown(f"- {_ui.literal(position.line)}{hint}")
if not positions:
    st.caption("Add the parents and carers in section 1 first.")
problems = a.gaps(Section.CONSENT)
if problems:
    st.info(
        "Still needed before the assessment can be completed:\n" + "\n".join(f"- {_ui.literal(p)}" for p in problems)
    )
main = background.main_carer()
main_decision = consent.latest(main.id) if main is not None else None
if main_decision is not None and (
    not main_decision.kind.agrees or not main_decision.council_storage or not main_decision.share_with_professionals
):
    st.warning(NO_CONSENT_OPTIONS, icon=":material/info:")

# -- confirming at the end -----------------------------------------------------------------------
CONFIRM = "confirm"
if main is not None and main_decision is not None and main_decision.kind.agrees:
    confirmation = consent.confirmation_of(main_decision)
    if confirmation is None and not a.editable:
        st.caption("Not yet confirmed with the family at the end of the assessment.")
    elif confirmation is not None:
        st.caption(
            f"Consent confirmed with the family at the end of the assessment on {confirmation.confirmed_on:%d %B %Y}."
        )
    else:
        with st.form(f"form:{CONFIRM}"):
            _ui.error_summary(CONFIRM, {"confirmed_on": "Date confirmed with the family", "": "Confirming"})
            confirmed_on = st.date_input(
                "Date confirmed with the family",
                value=today,
                format="DD/MM/YYYY",
                **_ui.date_limits(today, latest=today),
                key=f"{CONFIRM}:on:{g}",
                disabled=disabled,
            )
            _ui.field_error(CONFIRM, "confirmed_on")
            confirm = st.form_submit_button(
                f"Consent of {_ui.label_text(main.name)} confirmed at the end of the assessment", disabled=disabled
            )
        if confirm:
            chosen = confirmed_on if isinstance(confirmed_on, date) else None
            decision_id = main_decision.id
            pin.save(
                CONFIRM,
                lambda v: wb.assessments.confirm_consent(
                    assessment_id=a.assessment_id,
                    expected_version=v,
                    decision_id=decision_id,
                    confirmed_on=chosen,
                    actor=actor,
                ),
            )
        _ui.saved_note(CONFIRM)

# -- the wording ---------------------------------------------------------------------------------
st.header("What the family are agreeing to")
wording = wb.assessments.consent_wording
st.caption(f"The wording shown now (version {_ui.literal(wording.version)}); each decision keeps the wording it saw.")
with st.container(border=True):
    st.text(wording.text)


# -- recording a decision ------------------------------------------------------------------------
def empty_form() -> None:
    """After a decision is recorded the form starts empty for the next person's: nothing of one
    person's decision is carried into another's unseen (a refused form keeps what was typed).
    New widget keys, as the browser would send the old widgets' values back."""
    st.session_state[_forms.GENERATION] = _forms.generation() + 1


def decision_form() -> None:
    """One person's decision; drawn only for someone who may change the record."""
    st.header("Record a decision")
    FORM = "consent"
    LABELS = {
        "person_id": "Whose decision",
        "kind": "Their decision",
        "method": "How",
        "decided_on": "When",
        "recipients": "The professionals and agencies it may be shared with",
        "excluded": "Not to be shared with (limited consent)",
        "must_not_see": "Anyone who must not see the record",
        "must_not_see_text": "Anyone else who must not see it, in words",
        "signed_consent_held_by": "Signed consent held by (establishment)",
        "explained": "What was explained (for a withdrawal: what it now stops)",
        "understanding": "The child's understanding",
        "": "The decision",
    }
    st.caption(
        "Consent sought afresh is a new decision: record it here. Nothing recorded before is changed. "
        "The main carer's consent is essential; ideally both parents'. A child with enough understanding "
        "gives or refuses their own consent alongside the parent's."
    )

    def person_label(person_id: str) -> str:
        # A selectbox draws its options as plain text: names go as typed.
        p = people[person_id]
        if isinstance(p, Child):
            age = p.age_on(today)
            return p.name + (f" (child, {age})" if age is not None else " (child)")
        return p.name + (" (main carer)" if p.main_carer else " (parent or carer)")

    person_id = st.selectbox(
        LABELS["person_id"],
        list(people),
        format_func=person_label,
        key=f"{FORM}:person:{g}",
        disabled=disabled or not people,
    )
    _ui.field_error(FORM, "person_id")
    chosen_person = people.get(person_id) if person_id else None
    is_child = isinstance(chosen_person, Child)
    if isinstance(chosen_person, Child) and not old_enough_to_be_asked(chosen_person, today=today):
        st.caption(
            "Younger children's views are sought whatever their age; record their own consent only if you judge "
            "they understand what it means."
        )
    options = {f"{r.kind.value}:{r.key}": r for r in recipients_for(background, wb.directory)}

    def recipient_label(key: str) -> str:
        return options[key].label  # plain text in a multiselect

    def picked(keys: list[str]) -> tuple[Recipient, ...]:
        return tuple(options[k] for k in keys if k in options)

    with st.form(f"form:{FORM}"):
        _ui.error_summary(FORM, LABELS)
        kind = st.radio(
            LABELS["kind"],
            list(ConsentKind),
            format_func=lambda k: k.label,
            horizontal=True,
            key=f"{FORM}:kind:{g}",
            disabled=disabled,
        )
        _ui.field_error(FORM, "kind")
        cols = st.columns(2)
        method = cols[0].radio(
            LABELS["method"],
            list(ConsentMethod),
            index=None,
            format_func=lambda m: "In writing" if m is ConsentMethod.WRITTEN else "Verbally",
            horizontal=True,
            key=f"{FORM}:method:{g}",
            disabled=disabled,
            help="Leave empty for someone who could not be contacted.",
        )
        with cols[0]:
            _ui.field_error(FORM, "method")
        decided_on = cols[1].date_input(
            LABELS["decided_on"],
            value=today,
            format="DD/MM/YYYY",
            **_ui.date_limits(today, latest=today),
            key=f"{FORM}:decided_on:{g}",
            disabled=disabled,
        )
        with cols[1]:
            _ui.field_error(FORM, "decided_on")
        st.markdown("**What it covers** (for consent given or limited)")
        share = st.checkbox(
            "Sharing with the professionals and agencies chosen below", key=f"{FORM}:share:{g}", disabled=disabled
        )
        chosen_recipients = st.multiselect(
            LABELS["recipients"],
            list(options),
            format_func=recipient_label,
            key=f"{FORM}:recipients:{g}",
            disabled=disabled,
            help="A service covers the agencies it contains. Add a professional to section 1 to choose them here.",
        )
        _ui.field_error(FORM, "recipients")
        storage = st.checkbox(
            "The council storing the assessment on its electronic system", key=f"{FORM}:storage:{g}", disabled=disabled
        )
        ons = st.checkbox(
            "Opts out of the Office for National Statistics evaluation", key=f"{FORM}:ons:{g}", disabled=disabled
        )
        chosen_excluded = st.multiselect(
            LABELS["excluded"],
            list(options),
            format_func=recipient_label,
            key=f"{FORM}:excluded:{g}",
            disabled=disabled,
        )
        _ui.field_error(FORM, "excluded")
        chosen_must_not = st.multiselect(
            LABELS["must_not_see"],
            list(options),
            format_func=recipient_label,
            key=f"{FORM}:must_not_see:{g}",
            disabled=disabled,
        )
        _ui.field_error(FORM, "must_not_see")
        must_not_text = _progress.text_box(
            FORM, "must_not_see_text", LABELS["must_not_see_text"], "", disabled=disabled, height=68
        )
        held_by = st.text_input(
            LABELS["signed_consent_held_by"],
            help="If your agency holds the signed form but cannot send it, name the establishment.",
            key=f"{FORM}:held_by:{g}",
            disabled=disabled,
        )
        _ui.field_error(FORM, "signed_consent_held_by")
        explained = _progress.text_box(
            FORM,
            "explained",
            LABELS["explained"],
            "",
            disabled=disabled,
            height=80,
            hint="Needed for a refusal, a withdrawal, and when they could not be contacted (how you tried).",
        )
        understanding = ""
        if is_child:
            understanding = _progress.text_box(
                FORM,
                "understanding",
                LABELS["understanding"] + " (required for a child)",
                "",
                disabled=disabled,
                height=80,
                hint="In a sentence or two: what they understood of what they were deciding.",
            )
        submitted = st.form_submit_button("Record the decision", type="primary", disabled=disabled or not people)
    _ui.saved_note(FORM)
    if submitted and person_id:
        answers = DecisionAnswers(
            person_id=person_id,
            kind=kind or ConsentKind.GIVEN,
            method=method,
            decided_on=decided_on if isinstance(decided_on, date) else None,
            share_with_professionals=bool(share),
            recipients=picked(chosen_recipients),
            council_storage=bool(storage),
            ons_opt_out=bool(ons),
            excluded=picked(chosen_excluded),
            must_not_see=picked(chosen_must_not),
            must_not_see_text=must_not_text,
            signed_consent_held_by=held_by or "",
            explained=explained,
            understanding=understanding,
        )
        pin.save(
            FORM,
            lambda v: wb.assessments.record_consent_decision(
                assessment_id=a.assessment_id, expected_version=v, decision=answers, actor=actor
            ),
            on_success=lambda _: empty_form(),
        )


if a.editable:
    decision_form()

# -- the history ---------------------------------------------------------------------------------
st.header("The history of decisions")
if not consent.decisions:
    st.caption("No decision recorded yet.")


def history_entry(d: ConsentDecision, number: int) -> None:
    person = people.get(d.person_id)
    name = person.name if person is not None else "someone no longer in the family background"
    error = consent.error_of(d)
    prefix = "ENTERED IN ERROR · " if error is not None else ""
    st.markdown(f"**{prefix}{_ui.literal(name)}: {_ui.literal(describe(d))}**")
    lines = [
        f"Recorded {_ui.at_time(d.recorded_at)} by {d.recorded_by}; wording version {d.wording.version}",
    ]
    if d.kind.agrees:
        lines.append(
            f"Sharing: {'yes' if d.share_with_professionals else 'no'} · council storing it: "
            f"{'yes' if d.council_storage else 'no'} · ONS evaluation: "
            + ("opted out" if d.ons_opt_out else "taking part")
        )
    if d.recipients:
        lines.append("May be shared with: " + "; ".join(r.label for r in d.recipients))
    if d.recipients_text.strip():
        lines.append(f"May be shared with (in words): {d.recipients_text}")
    if d.excluded:
        lines.append("Not to be shared with: " + "; ".join(r.label for r in d.excluded))
    if d.must_not_see:
        lines.append("Must not see it: " + "; ".join(r.label for r in d.must_not_see))
    if d.must_not_see_text.strip():
        lines.append(f"Must not see it (in words): {d.must_not_see_text}")
    if d.signed_consent_held_by.strip():
        lines.append(f"Signed consent held by: {d.signed_consent_held_by}")
    if d.explained.strip():
        lines.append(f"Explained: {d.explained}")
    if d.understanding.strip():
        lines.append(f"Their understanding: {d.understanding}")
    confirmation = consent.confirmation_of(d)
    if confirmation is not None:
        lines.append(f"Confirmed with the family at the end on {confirmation.confirmed_on:%d/%m/%Y}")
    if error is not None:
        lines.append(f"Entered in error ({_ui.at_time(error.recorded_at)}, {error.recorded_by}): {error.reason}")
    st.text("\n".join(lines))
    if error is None and not disabled:
        form = f"in-error-{number}"
        with st.expander("This decision was entered in error"):
            with st.form(f"form:{form}"):
                _ui.error_summary(form, {"reason": "Why it was entered in error", "": "Marking it"})
                reason = _progress.text_box(
                    form, "reason", "Why it was entered in error", "", disabled=disabled, height=68
                )
                mark = st.form_submit_button("Mark as entered in error (it stays in the history)")
            if mark:
                decision_id = d.id
                pin.save(
                    form,
                    lambda v: wb.assessments.mark_consent_decision_in_error(
                        assessment_id=a.assessment_id,
                        expected_version=v,
                        decision_id=decision_id,
                        reason=reason,
                        actor=actor,
                    ),
                )
            _ui.saved_note(form)


newest_first = sorted(
    enumerate(consent.decisions, start=1), key=lambda nd: (nd[1].decided_on, nd[1].recorded_at, nd[0]), reverse=True
)
for number, decision in newest_first:
    with st.container(border=True):
        history_entry(decision, number)
