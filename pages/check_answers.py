"""Check your answers: every section on one page, what is still missing, and completing the EHA."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from eha.assessment import REVIEW_REASON_LABEL, REVIEW_WITHIN_DAYS, Assessment, Section, check_review_date
from eha.consent import NO_CONSENT_OPTIONS, current_decisions, current_position
from eha.documents import DocumentKind
from eha.errors import ConsentWithdrawn, NotReadyToComplete, ValidationFailed
from eha.family import AssessmentStatus
from eha.sharing import Direction
from eha.views import child_view_text
from pages import _addresses, _documents, _progress, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
a = _progress.open_from_url()
today = wb.today()
localities = {loc.key: loc for loc in wb.localities}
locality = localities.get(a.locality)

_progress.heading(a, "Check your answers")
st.markdown(f"**LCSS locality:** {_ui.literal(locality.name if locality else a.locality)}")
if locality is not None:
    st.caption(f"Completed assessments go to {_ui.literal(locality.address)} · {_ui.literal(locality.email)}")
if a.status is not AssessmentStatus.DRAFT and a.completed_at is not None:
    st.success(
        f"Completed {_ui.at_time(a.completed_at)} by {_ui.literal(a.completed_by or '')}. "
        f"Review date: {_ui.literal(a.review)}.",
        icon=":material/task_alt:",
    )


def change_link(section: Section) -> None:
    st.page_link(
        _addresses.SECTIONS[section].path,
        label=f"Change {section.heading}",
        icon=":material/edit:",
        query_params={"assessment": a.assessment_id},
    )


def block(label: str, value: str) -> None:
    """A label and the family's or worker's text, shown exactly as typed."""
    st.markdown(f"**{_ui.literal(label)}**")
    st.text(value.strip() or "Not given")


def summary(section: Section, a: Assessment) -> None:
    b = a.background.data
    names = {m.id: m.name for m in b.members()}
    if section is Section.BACKGROUND:
        t = a.threshold.data
        block("Threshold of need", t.level.label if t.level else "")
        block("Date the assessment started", f"{a.started_on:%d %B %Y}" if a.started_on else "")
        block("Same working day concerns", "; ".join(c.label for c in t.same_day_concerns) or "None")
        block("Address", b.address)
        block("Parents and carers", "\n".join(c.name + (" (main carer)" if c.main_carer else "") for c in b.carers))
        block("Children", "\n".join(c.name for c in b.children))
        block("Professionals involved", "\n".join(f"{p.name}, {p.role}, {p.agency}" for p in b.professionals))
        block("Reason for the assessment", b.reason)
    elif section is Section.CARERS:
        for carer in b.carers:
            view = a.carers.data.for_carer(carer.id)
            block(carer.name, (view.own_words or view.not_given_reason) if view else "")
    elif section is Section.STAR:
        st.text("The Outcome Star reading is recorded on its own page.")
    elif section is Section.CHILDREN:
        for child in b.children:
            if not child.born:
                continue
            block(child.name, child_view_text(a.children.data.for_child(child.id)))
            works = a.work_of(child.id)
            if works:
                st.caption(f"{len(works)} piece(s) of the child's own work attached")
    elif section is Section.PROFESSIONALS:
        for professional in b.professionals:
            pv = a.professionals.data.for_professional(professional.id)
            text = ""
            if pv is not None:
                receivers = ", ".join(
                    r for r in [*(names.get(r, r) for r in pv.may_receive), pv.may_receive_others] if r
                )
                text = f"{pv.view or pv.not_given_reason}\n(may receive it: {receivers or 'nobody named'})"
            block(professional.name, text)
    elif section is Section.PLAN:
        plan = a.plan.data
        block("Summary and analysis", plan.analysis)
        block("How will we know we've been successful?", "\n".join(f"• {o.text}" for o in plan.outcomes))
        lines = []
        for action in plan.actions:
            outcome = plan.outcome(action.outcome_id)
            by = f"{action.by_when:%d/%m/%Y}" if action.by_when else "no date"
            lines.append(
                f"• {action.action} — {action.who}, by {by} ({action.status.value}); "
                f"for: {outcome.text if outcome else 'no outcome'}"
            )
        block("Action plan", "\n".join(lines))
    elif section is Section.CONSENT:
        consent = a.consent.data
        positions = current_position(consent, a.background.data)
        block("Consent as it stands", "\n".join(p.line for p in positions if p.decision is not None))
        main = a.background.data.main_carer()
        decision = consent.latest(main.id) if main is not None else None
        if decision is None or not decision.kind.agrees:
            return
        covers = [
            "Sharing with the professionals and agencies named: "
            + ("yes" if decision.share_with_professionals else "no"),
            f"The council storing it: {'yes' if decision.council_storage else 'no'}",
            f"ONS evaluation: {'opted out' if decision.ons_opt_out else 'taking part'}",
        ]
        block("The main carer's consent covers", "\n".join(covers))
        named = [r.label for r in decision.recipients]
        if decision.recipients_text.strip():
            named.append(decision.recipients_text)
        block("It may be shared with", "\n".join(named))
        against = [
            r.label for d in current_decisions(consent, a.background.data) for r in (*d.excluded, *d.must_not_see)
        ]
        against += [d.must_not_see_text for d in current_decisions(consent, a.background.data) if d.must_not_see_text]
        if against:
            block("Must not see it", "\n".join(against))
        if decision.signed_consent_held_by.strip():
            block("Signed consent held by", decision.signed_consent_held_by)
        confirmation = consent.confirmation_of(decision)
        block("Confirmed at the end", f"{confirmation.confirmed_on:%d %B %Y}" if confirmation else "")


for section in Section:
    with st.container(border=True):
        st.subheader(f"{section.heading} · {a.status_of(section).value}")
        summary(section, a)
        change_link(section)

# -- the family's record of sharing, read with the assessment -----------------------------------
with st.container(border=True):
    st.subheader(f"Record of sharing · {len(a.sharing)} recorded")
    if not a.sharing:
        st.text("No decisions to share information, or not to, are recorded for this family.")
    else:
        # Plain text: the names of recipients and deciders are shown as typed.
        st.text(
            "\n".join(
                f"{item.decision.decided_on:%d/%m/%Y} · {item.decision.direction.label} · {item.outcome.label} · "
                f"{'from' if item.decision.direction is Direction.IN else 'with'} {item.decision.other_party} · "
                f"{item.attribution}"
                for item in a.sharing
            )
        )
    st.page_link(
        _addresses.SHARING.path,
        label="See the record of sharing",
        icon=":material/share:",
        query_params={"family": a.family_id},
    )

# -- the PDFs: the whole assessment (for LCSS once completed) and the family's copy ---------------
st.header("PDFs")
_documents.panel(a, DocumentKind.FULL, actor=actor)
_documents.panel(a, DocumentKind.FAMILY, actor=actor)

# -- what is missing, and completing ---------------------------------------------------------
st.header("Complete the assessment")
FORM = "complete"
review_default = a.review_date or None
completable = a.editable and a.status is AssessmentStatus.DRAFT
with st.form(f"form:{FORM}"):
    _ui.error_summary(
        FORM, {"review_date": "Review date", "review_date_reason": REVIEW_REASON_LABEL, "": "The assessment"}
    )
    latest = today + timedelta(days=REVIEW_WITHIN_DAYS)
    review_date = st.date_input(
        f"Review date, agreed with the family (within 6 weeks: by {latest:%d/%m/%Y})",
        value=review_default,
        format="DD/MM/YYYY",
        # A completed assessment shows its stored review date, which is in the past once due.
        # Later than 6 weeks is allowed with a reason; a year ahead is as far as the picker goes.
        **_ui.date_limits(review_default, earliest=today, latest=today + timedelta(days=365)),
        key=f"{FORM}:review_date",
        disabled=not completable,
    )
    _ui.field_error(FORM, "review_date")
    review_reason = st.text_area(
        f"{REVIEW_REASON_LABEL} (only if it is)",
        value=a.review_date_reason,
        key=f"{FORM}:review_date_reason",
        disabled=not completable,
    )
    _ui.field_error(FORM, "review_date_reason")
    complete = st.form_submit_button("Complete the assessment", type="primary", disabled=not completable)

chosen = review_date if isinstance(review_date, date) else None
reason = review_reason or ""
missing = a.reasons_not_to_complete(review_date=chosen, review_date_reason=reason, today=today)
if a.status is AssessmentStatus.DRAFT and missing:
    st.subheader("Still missing")
    for item in missing:
        cols = st.columns([4, 1])
        cols[0].markdown(f"- {_ui.literal(item.text)}")
        if item.section is not None:
            cols[1].page_link(
                _addresses.SECTIONS[item.section].path, label="Go there", query_params={"assessment": a.assessment_id}
            )
    if a.gaps(Section.CONSENT):
        st.info(NO_CONSENT_OPTIONS, icon=":material/info:")

refused = st.session_state.get(f"refused:{a.assessment_id}")
if refused:
    st.error(
        "The assessment has not been completed, because:\n\n" + "\n".join(f"- {_ui.literal(r)}" for r in refused),
        icon=":material/error:",
    )

if complete:
    st.session_state.pop(f"refused:{a.assessment_id}", None)
    # The review date's problems are shown next to its fields as well as in the list.
    _ui.set_errors(FORM, check_review_date(chosen, reason, today=today))
    try:
        saved = wb.assessments.complete(
            assessment_id=a.assessment_id, review_date=chosen, review_date_reason=reason, actor=actor
        )
    except NotReadyToComplete as exc:
        st.session_state[f"refused:{a.assessment_id}"] = list(exc.reasons)
    except (ConsentWithdrawn, ValidationFailed) as exc:
        st.session_state[f"refused:{a.assessment_id}"] = [str(exc)]
    else:
        _ui.mark_saved(FORM, saved.saved_at)
    st.rerun()
_ui.saved_note(FORM)
