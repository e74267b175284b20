"""A family's record of sharing: every decision to share information, or not to, with the
questions of the information sharing guidance (Appendix 1) that led to it, and information
received from other agencies. Who decided may be another professional, named by the person
recording it. The recipient is picked from the family's professionals and the local
directory (or typed as someone else), and whether the family's consent covers them is shown
as soon as they are picked, worked out from the consent record rather than asked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from eha.errors import ValidationFailed
from eha.sharing import (
    QUESTION_TEXT,
    Answer,
    ConsentAtTheTime,
    Decider,
    Direction,
    LawfulBasis,
    Outcome,
    Questions,
    RecordedSharing,
    SharingDecision,
    Told,
    next_question,
    walk,
)
from pages import _addresses, _sharing_parts, _ui

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
def told_line(who: str, told: Told | None, reason: str) -> str:
    if told is None:
        return f"{who} told: not recorded"
    return f"{who}: {told.label.lower()}" + (f": {reason}" if reason.strip() else "")


def show(item: RecordedSharing) -> None:
    d = item.decision
    received = d.direction is Direction.IN
    with st.container(border=True):
        st.markdown(f"**{d.decided_on.strftime('%d %b %Y')} · {d.direction.label} · {item.outcome.label}**")
        lines = [
            f"What: {d.information}",
            (f"From: {d.other_party}" if received else f"With: {d.other_party}"),
            f"Why: {d.purpose}",
        ]
        if d.document:
            lines.append(f"Sent from the workbook: {d.document}")
        lines += [
            "Lawful basis: "
            + (d.lawful_basis.label if d.lawful_basis else ("not given" if received else "none (not shared)"))
            + (f": {d.lawful_basis_other}" if d.lawful_basis_other else ""),
        ]
        if d.consent is not None:
            lines.append(f"Consent at the time: {d.consent.line}")
        if not received and item.outcome is Outcome.SHARE:
            lines += [
                told_line("Parent", d.parent_told, d.parent_not_told_reason),
                told_line("Child", d.child_told, d.child_not_told_reason),
            ]
        lines.append(f"{item.attribution}, {_ui.at_time(item.recorded_at)}")
        lines += [
            f"{text} {getattr(d.questions, name).label}"
            for name, text in QUESTION_TEXT.items()
            if getattr(d.questions, name) is not None
        ]
        # st.text draws plain text: names such as *Jo* stay as typed.
        st.text("\n".join(lines))


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
direction = st.radio(
    "Which way is the information going?",
    list(Direction),
    format_func=lambda d: d.label,
    horizontal=True,
    key=f"sharing:{generation}:direction",
)
received = direction is Direction.IN

# -- with whom (or from whom): picked outside the form, so coverage shows as soon as it is ----
way = (direction or Direction.OUT).value
party_label = "Received from" if received else "Shared with"
_picked_key, picked = _sharing_parts.pick_recipient(
    record.recipients, label=party_label, key=f"sharing:{generation}:{way}"
)
_ui.field_error(FORM, "received_from" if received else "recipient")
_ui.field_error(FORM, "received_from_agency" if received else "recipient_agency")
coverage: ConsentAtTheTime | None = None
if picked is not None and not received:
    coverage = record.coverage_of(picked)
    # The message names people as typed: drawn literally.
    if coverage.covered:
        st.success(_ui.literal(coverage.line), icon=":material/check_circle:")
    else:
        st.warning(_ui.literal(coverage.line), icon=":material/block:")
    st.caption(
        "Worked out from the family's consent record; it is recorded with the decision. "
        "Sharing without consent stays possible on another lawful basis, with the reasons."
    )

answers: dict[str, Answer | None] = {}
if received:
    st.markdown(
        "**1. Information received is recorded, not decided:** the questions were the sender's to answer. "
        "Record what came in, from whom and why it was sent."
    )
else:
    st.markdown("**1. Decide: answer the questions in turn.**")
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
        if name == "consent":
            _ui.field_error(FORM, "consent")
            if chosen is Answer.YES and coverage is not None and not coverage.covered:
                st.error("The family's consent does not cover this recipient (above): answer No or Not sure.")
        if chosen is None:
            break
questions = Questions(**answers)
outcome = Outcome.RECEIVED if received else walk(questions)
if outcome is Outcome.SHARE:
    st.success("You can share. Share only what is needed, fact distinguished from opinion, securely.")
elif outcome is Outcome.DO_NOT_SHARE:
    st.warning("Do not share. Record the decision and your reasons.")
elif outcome is Outcome.SEEK_ADVICE:
    st.info("Seek advice (your safeguarding lead, LCSS or the MASH), then record what was decided and why.")

decided_by_other = False
if not received:
    decided_by_other = (
        st.radio(
            "Who made the decision?",
            ["me", "other"],
            format_func=lambda w: (
                f"I did ({_ui.label_text(actor.display_name)})" if w == "me" else "Another professional"
            ),
            horizontal=True,
            key=f"sharing:{generation}:who",
        )
        == "other"
    )

labels = {
    "questions": "The questions",
    "decided_on": "Date received" if received else "Date of the decision",
    "decided_by_name": "Who decided: their name",
    "decided_by_role": "Their role",
    "decided_by_agency": "Their agency",
    "information": "What information was received" if received else "What information",
    "recipient": "Shared with",
    "recipient_agency": "Their agency",
    "received_from": "Received from",
    "received_from_agency": "Their agency (sender)",
    "purpose": "Why it was sent to us" if received else "Why",
    "lawful_basis": "Lawful basis",
    "lawful_basis_other": "Which lawful basis",
    "consent": QUESTION_TEXT["consent"],
    "parent_told": "Was the parent told it was shared?",
    "parent_not_told_reason": "Why the parent was not told",
    "child_told": "Was the child told it was shared?",
    "child_not_told_reason": "Why the child was not told",
}
st.markdown("**2. Record it.**")
with st.form(f"form:{FORM}:{generation}"):
    _ui.error_summary(FORM, labels)
    _ui.field_error(FORM, "questions")
    decided_on = st.date_input(
        labels["decided_on"], value=today, format="DD/MM/YYYY", **_ui.date_limits(today, latest=today)
    )
    _ui.field_error(FORM, "decided_on")
    decider_name = decider_role = decider_agency = ""
    if decided_by_other:
        d1, d2, d3 = st.columns(3)
        decider_name = d1.text_input(labels["decided_by_name"], key=f"sharing:{generation}:decider_name")
        decider_role = d2.text_input(
            labels["decided_by_role"],
            help="For example, designated safeguarding lead.",
            key=f"sharing:{generation}:decider_role",
        )
        decider_agency = d3.text_input(labels["decided_by_agency"], key=f"sharing:{generation}:decider_agency")
        for name in ("decided_by_name", "decided_by_role", "decided_by_agency"):
            _ui.field_error(FORM, name)
    information = st.text_area(labels["information"], help="Only what is necessary and proportionate.")
    _ui.field_error(FORM, "information")
    purpose = st.text_area(
        labels["purpose"],
        help="What the sender said it was for."
        if received
        else "The purpose of sharing, or the reason for not sharing.",
    )
    _ui.field_error(FORM, "purpose")
    basis = st.selectbox(
        labels["lawful_basis"] + (" the sender gave (if they said)" if received else " (if sharing)"),
        list(LawfulBasis),
        format_func=lambda b: b.label,
        index=None,
        placeholder="Choose the lawful basis",
    )
    _ui.field_error(FORM, "lawful_basis")
    basis_other = st.text_input(labels["lawful_basis_other"] + " (if other)")
    _ui.field_error(FORM, "lawful_basis_other")
    told = _sharing_parts.WhoWasTold(None, "", None, "")
    if not received:
        st.caption("If sharing:")
        told = _sharing_parts.who_was_told(
            form=FORM,
            key=f"sharing:{generation}",
            labels=labels,
            parent_hint=" (if not told; if they could not be contacted, what was tried)",
        )
    submitted = st.form_submit_button(
        "Record the information received" if received else "Record the decision", type="primary"
    )

if submitted:
    try:
        wb.sharing.record_decision(
            family_id=record.family_id,
            decision=SharingDecision(
                decided_on=decided_on if isinstance(decided_on, date) else today,
                direction=direction or Direction.OUT,
                decided_by=(
                    Decider(name=decider_name or "", role=decider_role or "", agency=decider_agency or "")
                    if decided_by_other
                    else None
                ),
                information=information or "",
                recipient=None if received else picked,
                received_from=picked if received else None,
                purpose=purpose or "",
                questions=questions,
                lawful_basis=basis,
                lawful_basis_other=basis_other or "",
                parent_told=told.parent_told,
                parent_not_told_reason=told.parent_not_told_reason,
                child_told=told.child_told,
                child_not_told_reason=told.child_not_told_reason,
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
