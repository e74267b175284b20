"""Team Around the Family for one assessment: the lead professional and their history, the
meetings (and recording the next one), the next review date, and closing the TAF."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from eha.errors import ValidationFailed
from eha.family import AssessmentStatus
from pages import _addresses, _ui
from pages import _taf_shared as _taf

wb = _ui.workbook()
actor = _ui.current_actor()
opened = _taf.open_taf()
taf = opened.taf
today = wb.today()
ids = {"assessment": taf.assessment_id}

_taf.heading(taf, "Team Around the Family")
if taf.status is AssessmentStatus.DRAFT:
    st.info(
        "TAF meetings are recorded once the assessment is completed. You can agree the lead professional now.",
        icon=":material/info:",
    )
    st.page_link(_addresses.CHECK_ANSWERS.path, label="Check your answers and complete", query_params=ids)

next_review = taf.next_review
if next_review is not None:
    st.markdown(f"**Next review:** {next_review:%d %B %Y}")
    _taf.due_marker(next_review, today)

# -- the lead professional ----------------------------------------------------------------------
st.header("Lead professional")
_taf.lead_history(taf)
if taf.editable:
    with st.expander(
        "Change the lead professional" if taf.lead.terms else "Agree the lead professional",
        icon=":material/person_add:",
        expanded=not taf.lead.terms,
    ):
        _taf.lead_form(taf, from_on=today, meeting_number=None, disabled=not taf.editable)

# -- meetings ------------------------------------------------------------------------------------
st.header("TAF meetings")
if not taf.meetings:
    st.caption("No meetings recorded yet.")
for saved in reversed(taf.meetings):
    m = saved.meeting
    with st.container(border=True):
        info, link = st.columns([4, 1], vertical_alignment="center")
        state = "Finalised" if m.finalised else "Being written up"
        info.markdown(f"**TAF meeting {saved.number}** · {m.held_on:%d %B %Y} · {state}")
        if m.next_review_on:
            info.caption(f"Next review set for {m.next_review_on:%d %B %Y}")
        elif m.closing:
            info.caption("Agreed to close the TAF")
        with link:
            st.page_link(
                _addresses.TAF_MEETING.path,
                label="Open",
                icon=":material/arrow_forward:",
                query_params={**ids, "meeting": saved.meeting_id},
            )

START = "taf-start"
START_LABELS = {"held_on": "Date of the meeting", "where": "Where and how it was held"}
if taf.editable and taf.may_meet and taf.open_meeting is None:
    number = len(taf.meetings) + 1
    st.subheader(f"Record TAF meeting {number}")
    with st.form(f"form:{START}"):
        _ui.error_summary(START, START_LABELS)
        held_on = st.date_input(
            START_LABELS["held_on"],
            value=today,
            format="DD/MM/YYYY",
            key=f"{START}:held_on",
            **_ui.date_limits(today, earliest=today - timedelta(days=3 * 365), latest=today + timedelta(days=365)),
        )
        _ui.field_error(START, "held_on")
        where = st.text_input(START_LABELS["where"], placeholder="At school, at home, online…", key=f"{START}:where")
        _ui.field_error(START, "where")
        start = st.form_submit_button(f"Record TAF meeting {number}", type="primary")
    if start:
        try:
            saved_meeting = wb.taf.start_meeting(
                assessment_id=taf.assessment_id,
                held_on=held_on if isinstance(held_on, date) else None,
                where=where or "",
                actor=actor,
            )
        except ValidationFailed as exc:
            _ui.set_errors(START, exc.errors)
            st.rerun()
        _ui.set_errors(START, {})
        st.switch_page(_addresses.TAF_MEETING.path, query_params={**ids, "meeting": saved_meeting.meeting_id})
elif taf.open_meeting is not None:
    st.info(f"TAF meeting {taf.open_meeting.number} is being written up: finalise it before recording the next one.")

# -- closure ---------------------------------------------------------------------------------------
st.header("Closing the TAF")
if taf.closure is not None:
    c = taf.closure
    st.markdown(f"**Closed on {c.closed_on:%d %B %Y}** · {_ui.literal(c.reason.label)}")
    st.page_link(
        _addresses.TAF_CLOSE.path, label="See the closure record", icon=":material/task_alt:", query_params=ids
    )
elif taf.editable and taf.may_meet:
    st.page_link(_addresses.TAF_CLOSE.path, label="Close the TAF", icon=":material/task_alt:", query_params=ids)
