"""A family's record of sharing: every decision to share information, or not to, with the
questions of the information sharing guidance (Appendix 1) that led to it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from eha.errors import ValidationFailed
from eha.sharing import (
    QUESTION_TEXT,
    Answer,
    ConsentStatus,
    LawfulBasis,
    Outcome,
    Questions,
    RecordedSharing,
    SharingDecision,
    next_question,
    walk,
)
from pages import _addresses, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
family_id = _ui.required_param("family")
record = _ui.guarded(lambda: wb.sharing.history(family_id=family_id, actor=actor))
today = wb.today()

with st.sidebar:
    st.page_link(
        _addresses.FAMILY.path,
        label=f"Family {_ui.label_text(record.reference)}",
        icon=":material/home:",
        query_params={"family": record.family_id},
    )

st.caption(f"Family {_ui.label_text(record.reference)}")
st.title("Record of sharing")
st.caption(
    "Keep a record of every decision and the reason for it, whether it is to share information or not: "
    "if you share, what, with whom and why."
)


# -- the record --------------------------------------------------------------------------------
def show(item: RecordedSharing) -> None:
    d = item.decision
    with st.container(border=True):
        st.markdown(f"**{d.decided_on.strftime('%d %b %Y')} · {item.outcome.label}**")
        st.text(
            "\n".join(
                [
                    f"What: {d.information}",
                    f"With: {', '.join(x for x in (d.recipient, d.recipient_agency) if x)}",
                    f"Why: {d.purpose}",
                    "Lawful basis: "
                    + (d.lawful_basis.label if d.lawful_basis else "none (not shared)")
                    + (f": {d.lawful_basis_other}" if d.lawful_basis_other else ""),
                    f"Consent at the time: {d.consent.label}"
                    + (f" (covering {', '.join(d.consent_covers)})" if d.consent_covers else ""),
                    "Family told: " + ("yes" if d.family_told else f"no: {d.family_not_told_reason}"),
                    f"Decided by: {item.decided_by_name} ({item.decided_by}), recorded {_ui.at_time(item.recorded_at)}",
                ]
                + [
                    f"{text} {getattr(d.questions, name).label}"
                    for name, text in QUESTION_TEXT.items()
                    if getattr(d.questions, name) is not None
                ]
            )
        )


def decisions() -> None:
    st.header(f"Decisions ({len(record.decisions)})")
    if not record.decisions:
        st.info("No decisions recorded yet.")
    for item in record.decisions:
        show(item)


# An LCSS reviewer reads the record; only those who write case content record decisions.
if not _ui.may_write(actor):
    _ui.read_only_notice(True)
    decisions()
    st.stop()

# -- deciding: the questions are asked one at a time, each answer leading to the next --------
FORM = "sharing"
generation = st.session_state.get("sharing:generation", 0)
st.header("Record a decision")
st.markdown("**1. Decide: answer the questions in turn.**")
answers: dict[str, Answer | None] = {}
for name, text in QUESTION_TEXT.items():
    if next_question(Questions(**answers)) != name:
        break
    chosen = st.radio(
        text,
        list(Answer),
        format_func=lambda a: a.label,
        index=None,
        horizontal=True,
        key=f"sharing:{generation}:{name}",
    )
    answers[name] = chosen
    if chosen is None:
        break
questions = Questions(**answers)
outcome = walk(questions)
if outcome is Outcome.SHARE:
    st.success("You can share. Share only what is needed, fact distinguished from opinion, securely.")
elif outcome is Outcome.DO_NOT_SHARE:
    st.warning("Do not share. Record the decision and your reasons.")
elif outcome is Outcome.SEEK_ADVICE:
    st.info("Seek advice (your safeguarding lead, LCSS or the MASH), then record what was decided and why.")

labels = {
    "questions": "The questions",
    "decided_on": "Date of the decision",
    "information": "What information",
    "recipient": "Shared with: the person",
    "recipient_agency": "Their agency",
    "purpose": "Why",
    "lawful_basis": "Lawful basis",
    "lawful_basis_other": "Which lawful basis",
    "consent": "Consent at this moment",
    "consent_covers": "Whom the consent covers",
    "family_not_told_reason": "Why the family was not told",
}
st.markdown("**2. Record it.**")
with st.form(f"form:{FORM}:{generation}"):
    _ui.error_summary(FORM, labels)
    _ui.field_error(FORM, "questions")
    decided_on = st.date_input(
        labels["decided_on"], value=today, format="DD/MM/YYYY", **_ui.date_limits(today, latest=today)
    )
    _ui.field_error(FORM, "decided_on")
    information = st.text_area(labels["information"], help="Only what is necessary and proportionate.")
    _ui.field_error(FORM, "information")
    left, right = st.columns(2)
    recipient = left.text_input(labels["recipient"])
    _ui.field_error(FORM, "recipient")
    agency = right.text_input(labels["recipient_agency"])
    _ui.field_error(FORM, "recipient_agency")
    purpose = st.text_area(labels["purpose"], help="The purpose of sharing, or the reason for not sharing.")
    _ui.field_error(FORM, "purpose")
    basis = st.selectbox(
        labels["lawful_basis"] + " (if sharing)",
        list(LawfulBasis),
        format_func=lambda b: b.label,
        index=None,
        placeholder="Choose the lawful basis",
    )
    _ui.field_error(FORM, "lawful_basis")
    basis_other = st.text_input(labels["lawful_basis_other"] + " (if other)")
    _ui.field_error(FORM, "lawful_basis_other")
    consent = st.radio(labels["consent"], list(ConsentStatus), format_func=lambda c: c.label, horizontal=True, index=3)
    _ui.field_error(FORM, "consent")
    covers = st.text_area(
        labels["consent_covers"] + " (one person or agency a line)",
        help="As the family agreed on the consent page: the people or agencies they agreed may be told.",
    )
    _ui.field_error(FORM, "consent_covers")
    told = st.radio("Was the family told it was shared?", ["Yes", "No"], horizontal=True)
    not_told = st.text_area(labels["family_not_told_reason"] + " (if not told)")
    _ui.field_error(FORM, "family_not_told_reason")
    submitted = st.form_submit_button("Record the decision", type="primary")

if submitted:
    try:
        wb.sharing.record_decision(
            family_id=record.family_id,
            decision=SharingDecision(
                decided_on=decided_on if isinstance(decided_on, date) else today,
                information=information or "",
                recipient=recipient or "",
                recipient_agency=agency or "",
                purpose=purpose or "",
                questions=questions,
                lawful_basis=basis,
                lawful_basis_other=basis_other or "",
                consent=consent or ConsentStatus.NOT_SOUGHT,
                consent_covers=tuple(line.strip() for line in (covers or "").splitlines() if line.strip()),
                family_told=told == "Yes",
                family_not_told_reason=not_told or "",
            ),
            actor=actor,
        )
    except ValidationFailed as exc:
        _ui.set_errors(FORM, exc.errors)
    else:
        _ui.mark_saved(FORM, datetime.now(UTC))
        st.session_state["sharing:generation"] = generation + 1
    st.rerun()
_ui.saved_note(FORM)


decisions()
