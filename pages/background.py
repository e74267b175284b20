"""EHA section 1: family background and the reason for the assessment."""

from __future__ import annotations

import streamlit as st

from eha import background as rules
from eha.assessment import THRESHOLD_KEY, Section
from eha.threshold import SameDayConcern, ThresholdLevel
from pages import _forms, _members, _progress, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
a = _progress.open_from_url()
today = wb.today()
background = a.background.data
editable = a.editable
pin = _forms.Pin(f"{a.assessment_id}:{Section.BACKGROUND.value}", a.background.version)

_progress.heading(a, "1. Family background and reason for assessment")
if a.background.saved:
    st.caption(f"Last saved {_ui.at_time(a.background.saved.saved_at)} by {_ui.literal(a.background.saved.saved_by)}")
pin.stale_notice()

# -- same working day concerns: first, because they decide whether this is early help at all --
threshold = a.threshold
threshold_pin = _forms.Pin(f"{a.assessment_id}:{THRESHOLD_KEY}", threshold.version)
threshold_pin.stale_notice()
SAME_DAY = "same-day"
st.header("Same working day concerns")
st.caption(
    "If any of these is known, the MASH must be contacted the same working day and this assessment is "
    "not the route. Ticking one stops the assessment and records when and by whom."
)
with st.form(f"form:{SAME_DAY}"):
    _ui.error_summary(SAME_DAY, {"note": "What the MASH advised"})
    ticked = [
        concern
        for concern in SameDayConcern
        if st.checkbox(
            concern.label,
            value=concern in threshold.data.same_day_concerns,
            key=f"{SAME_DAY}:{concern.value}:{_forms.generation()}",
            disabled=not editable,
        )
    ]
    note = _progress.text_box(
        SAME_DAY,
        "note",
        "What the MASH advised (needed to clear the concerns)",
        "",
        disabled=not editable,
        height=80,
    )
    save_checks = st.form_submit_button("Save the checks", type="primary", disabled=not editable)
_ui.saved_note(SAME_DAY)
for event in threshold.data.mash_log:
    what = "Stopped: " if event.kind == "stopped" else "Resumed after MASH advice: "
    st.caption(
        f"{what}{_ui.at_time(event.at)} by {_ui.literal(event.by)} · " + "; ".join(c.label for c in event.concerns)
    )
if save_checks:
    threshold_pin.save(
        SAME_DAY,
        lambda v: wb.assessments.record_same_day_concerns(
            assessment_id=a.assessment_id, expected_version=v, concerns=tuple(ticked), note=note, actor=actor
        ),
    )

st.header("Threshold of need and start date")
LEVEL = "level"
levels = list(ThresholdLevel)
with st.form(f"form:{LEVEL}"):
    _ui.error_summary(LEVEL, {"level": "Threshold of need", "started_on": "Date the assessment started"})
    level = st.radio(
        "Threshold of need",
        levels,
        index=levels.index(threshold.data.level) if threshold.data.level else None,
        format_func=lambda lv: lv.label,
        captions=[lv.guidance for lv in levels],
        key=f"{LEVEL}:level:{_forms.generation()}",
        disabled=not editable,
    )
    _ui.field_error(LEVEL, "level")
    started_on = st.date_input(
        "Date the assessment started",
        value=a.started_on,
        format="DD/MM/YYYY",
        **_ui.date_limits(a.started_on, latest=today),
        key=f"{LEVEL}:started_on:{_forms.generation()}",
        disabled=not editable,
    )
    _ui.field_error(LEVEL, "started_on")
    save_level = st.form_submit_button("Save level and date", type="primary", disabled=not editable)
_ui.saved_note(LEVEL)
if threshold.data.level is None:
    st.info("Still to do: choose the threshold of need level.")
if threshold.data.level is ThresholdLevel.CRITICAL:
    st.warning(
        "Level 4 (critical) is for children's social care, not early help: contact the MASH. "
        "The assessment cannot be completed at this level.",
        icon=":material/warning:",
    )
if save_level:
    threshold_pin.save(
        LEVEL,
        lambda v: wb.assessments.save_threshold(
            assessment_id=a.assessment_id,
            expected_version=v,
            level=level,
            started_on=started_on if not isinstance(started_on, tuple) else None,
            actor=actor,
        ),
    )

st.header("The family")
gaps = rules.missing(background)
if gaps:
    st.info("Still to do before this section is complete:\n" + "\n".join(f"- {_ui.literal(g)}" for g in gaps))
else:
    st.success("This section has everything it needs.", icon=":material/task_alt:")

DETAILS = "details"
st.header("The family's address and the reason for the assessment")
generation = _forms.generation()
with st.form(f"form:{DETAILS}"):
    _ui.error_summary(DETAILS, {"address": "Family's main address", "reason": "Reason for the assessment"})
    address = st.text_area(
        "Family's main address",
        value=background.address,
        height=100,
        key=f"details:address:{generation}",
        disabled=not editable,
    )
    _ui.field_error(DETAILS, "address")
    reason = st.text_area(
        "Reason for the assessment",
        value=background.reason,
        height=200,
        help="What is the concern, in the family's words as well as yours? What has already been tried?",
        key=f"details:reason:{generation}",
        disabled=not editable,
    )
    _ui.field_error(DETAILS, "reason")
    save_details = st.form_submit_button("Save", type="primary", disabled=not editable)
_ui.saved_note(DETAILS)
if save_details:
    pin.save(
        DETAILS,
        lambda v: wb.assessments.save_details(
            assessment_id=a.assessment_id, expected_version=v, address=address or "", reason=reason or "", actor=actor
        ),
    )

GROUPS = (
    ("carer", "Parents and carers", background.carers),
    ("child", "Children", background.children),
    ("adult", "Other significant adults", background.adults),
    ("professional", "Professionals involved", background.professionals),
)
for kind, heading, members in GROUPS:
    _members.group(a=a, pin=pin, kind=kind, heading=heading, members=list(members), today=today)
