"""Closing the TAF: why, the family's final comments on their experience, the practitioner's
evaluation, an optional final star reading and the closure date. A closed record is read-only."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from eha.documents import DocumentKind
from eha.errors import ValidationFailed
from eha.taf import CLOSURE_LABELS, ClosureReason
from pages import _addresses, _documents, _ui
from pages import _taf_shared as _taf
from star import CompletedBy, OccasionKind

wb = _ui.workbook()
actor = _ui.current_actor()
opened = _taf.open_taf()
taf = opened.taf
today = wb.today()
ids = {"assessment": taf.assessment_id}

_taf.heading(taf, "Closing the TAF")

if taf.closure is not None:
    c = taf.closure
    st.markdown(f"**Closed on {c.closed_on:%d %B %Y}** by {_ui.literal(c.closed_by)}")
    st.markdown(f"**Reason:** {_ui.literal(c.reason.label)}")
    if c.reason_other:
        st.text(c.reason_other)
    if c.new_area:
        answer = "consented" if c.new_area_consent else "did not consent"
        st.text(f"Moved to: {c.new_area}. The family {answer} to share their record with the new area.")
    st.subheader("The family's final comments")
    st.text(c.family_comments or "None given")
    st.subheader("Evaluation")
    st.text(c.evaluation)
    _documents.panel(opened, DocumentKind.CLOSURE, actor=actor)
    st.page_link(_addresses.FAMILY.path, label="Back to the family", query_params={"family": taf.family_id})
    st.stop()

if not taf.may_meet:
    st.info("Only a completed assessment's TAF can be closed.")
    st.stop()
if not taf.editable:
    st.caption("The TAF has not been closed.")
    st.stop()
if taf.open_meeting is not None:
    st.warning(f"TAF meeting {taf.open_meeting.number} is not finalised yet: finalise it before closing the TAF.")

# The final star is optional, and has to be scored before closing: a closed record is read-only.
st.subheader("A final Family Star Plus reading (optional)")
readings = opened.star_readings
closure_reading = next((r for r in readings if r.reading.occasion.kind is OccasionKind.CLOSURE), None)
if closure_reading is not None:
    st.page_link(
        _addresses.STAR.path,
        label="Open the closure reading",
        icon=":material/star:",
        query_params={**ids, "reading": closure_reading.reading.id},
    )
elif st.button("Score a final star with the family", icon=":material/star:"):
    try:
        started = wb.star.start(
            assessment_id=taf.assessment_id,
            taken_on=today,
            occasion=OccasionKind.CLOSURE,
            completed_by=CompletedBy.TOGETHER,
            actor=actor,
        )
    except ValidationFailed as exc:
        st.error(_ui.literal(" ".join(exc.errors.values())))
    else:
        st.switch_page(_addresses.STAR.path, query_params={**ids, "reading": started.reading.id})

FORM = "close"
LABELS = {
    "": "Closing",
    "reason": "Why is the TAF closing?",
    "reason_other": "The reason, in a few words",
    "new_area": "The area the family moved to",
    "new_area_consent": "Did the family consent to share their record with the new area?",
    "family_comments": "The family's final comments on their experience",
    "evaluation": "Your evaluation",
    "closed_on": "Closure date",
}
REASONS = list(ClosureReason)
CONSENT = {"Yes": True, "No": False}
with st.form(f"form:{FORM}"):
    _ui.error_summary(FORM, LABELS)
    reason = st.radio(
        LABELS["reason"], REASONS, index=None, format_func=CLOSURE_LABELS.__getitem__, key=f"{FORM}:reason"
    )
    _ui.field_error(FORM, "reason")
    st.caption("Stepping up to Child in Need or Child Protection ends the TAF: the social worker leads from here.")
    reason_other = st.text_input(LABELS["reason_other"] + " (if Other)", key=f"{FORM}:reason_other")
    _ui.field_error(FORM, "reason_other")
    new_area = st.text_input(LABELS["new_area"] + " (if they moved)", key=f"{FORM}:new_area")
    _ui.field_error(FORM, "new_area")
    consent = st.radio(LABELS["new_area_consent"], list(CONSENT), index=None, horizontal=True, key=f"{FORM}:consent")
    _ui.field_error(FORM, "new_area_consent")
    family_comments = st.text_area(LABELS["family_comments"], key=f"{FORM}:family_comments", height=140)
    _ui.field_error(FORM, "family_comments")
    evaluation = st.text_area(LABELS["evaluation"], key=f"{FORM}:evaluation", height=140)
    _ui.field_error(FORM, "evaluation")
    closed_on = st.date_input(
        LABELS["closed_on"],
        value=today,
        format="DD/MM/YYYY",
        key=f"{FORM}:closed_on",
        **_ui.date_limits(today, earliest=today - timedelta(days=3 * 365), latest=today + timedelta(days=365)),
    )
    _ui.field_error(FORM, "closed_on")
    st.caption("Once closed, the record can be read but no longer changed.")
    close = st.form_submit_button("Close the TAF", type="primary")
if close:
    try:
        wb.taf.close(
            assessment_id=taf.assessment_id,
            reason=reason,
            reason_other=reason_other or "",
            new_area=new_area or "",
            new_area_consent=CONSENT.get(consent) if consent else None,
            family_comments=family_comments or "",
            evaluation=evaluation or "",
            closed_on=closed_on if isinstance(closed_on, date) else None,
            actor=actor,
        )
    except ValidationFailed as exc:
        _ui.set_errors(FORM, exc.errors)
    else:
        _ui.set_errors(FORM, {})
    st.rerun()
