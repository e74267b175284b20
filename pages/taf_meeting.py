"""One TAF meeting, written up part by part (each part saves on its own), then finalised: date
and place, who was invited, the views, progress on each action, the updated plan, the star
re-scored for this review, the lead professional, the next review date and the minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

from eha.documents import DocumentKind
from eha.errors import ValidationFailed
from eha.family import Saved
from eha.plan import PlanAction
from eha.star_readings import SavedReading
from eha.taf import ActionProgress, Attendance, Participant, suggested_next_review
from pages import _addresses, _documents, _forms, _ui
from pages import _taf_shared as _taf
from star import CompletedBy, OccasionKind

wb = _ui.workbook()
actor = _ui.current_actor()
opened = _taf.open_taf()
taf = opened.taf
today = wb.today()
ids = {"assessment": taf.assessment_id}
saved_meeting = taf.meeting(_ui.param("meeting") or "")
if saved_meeting is None:
    st.error("This TAF meeting could not be found for this assessment.")
    st.page_link(_addresses.TAF.path, label="Back to the Team Around the Family", query_params=ids)
    st.stop()
meeting = saved_meeting.meeting
number = saved_meeting.number
meeting_id = saved_meeting.meeting_id
disabled = meeting.finalised or not taf.editable
pin = _forms.Pin(meeting_id, saved_meeting.version, "this meeting")
v = pin.version  # widgets are keyed by it: a reload shows the latest

_taf.heading(taf, f"TAF meeting {number}")
if meeting.finalised and meeting.finalised_at is not None:
    st.success(
        f"Finalised {_ui.at_time(meeting.finalised_at)} by {_ui.literal(meeting.finalised_by or '')}: "
        "this record can be read but no longer changed.",
        icon=":material/lock:",
    )
    _documents.panel(opened, DocumentKind.TAF, actor=actor, item_id=meeting_id)
else:
    st.caption("Each part saves on its own. When every part is written up, finalise the meeting at the bottom.")
    st.caption(f"Saved {_ui.at_time(saved_meeting.saved.saved_at)}")
pin.stale_notice()


def save_part(form: str, call: Callable[[int], Saved]) -> None:
    pin.save(form, call)


def review_reading_of(number: int) -> SavedReading | None:
    """The star reading re-scored for this meeting's review, if there is one."""
    return next(
        (
            r
            for r in opened.star_readings
            if r.reading.occasion.kind is OccasionKind.REVIEW and r.reading.occasion.review_number == number
        ),
        None,
    )


def star_links(reading: SavedReading) -> None:
    missing = len(reading.reading.missing_areas())
    st.markdown(f"Re-scored with the family: {10 - missing} of 10 areas scored.")
    st.page_link(
        _addresses.STAR.path,
        label=f"Open the review {number} reading",
        icon=":material/star:",
        query_params={**ids, "reading": reading.reading.id},
    )
    st.page_link(_addresses.STAR_CHART.path, label="See the star chart", icon=":material/radar:", query_params=ids)


def record_as_read() -> None:
    """A meeting that can no longer be changed here (finalised, or read by an LCSS reviewer):
    the record as text, shown exactly (st.text), with no form; a page of disabled widgets cost
    as much to draw as one to type in."""
    st.header("1. Date and place")
    _ui.summary([("Date of the meeting", f"{meeting.held_on:%d/%m/%Y}"), ("Where and how it was held", meeting.where)])
    st.header("2. Who was invited")
    if meeting.participants:
        st.text("\n".join(f"{p.name} · {p.agency} · {p.role} · {p.attendance.label}" for p in meeting.participants))
    else:
        st.caption("No one recorded.")
    st.header("3. Views, what is working well and the worries")
    _ui.summary(
        [
            ("The family's view at this meeting", meeting.family_view),
            ("The child's view at this meeting", meeting.child_view),
            ("What is working well", meeting.working_well),
            ("What are we worried about", meeting.worries),
        ]
    )
    st.header("4. Progress on the plan")
    if not meeting.progress:
        st.caption("The plan had no open actions when this meeting started.")
    for n, review in enumerate(meeting.progress, start=1):
        action = review.action
        by = f"{action.by_when:%d %b %Y}" if action.by_when else "no date"
        comment = f"\nComment: {review.comment}" if review.comment else ""
        st.text(f"Action {n}: {action.action}\nWho: {action.who} · by {by}\nProgress: {review.progress.label}{comment}")
    st.header("5. The updated action plan")
    if not meeting.updated_plan:
        st.caption("Nothing in the plan yet.")
    for n, action in enumerate(meeting.updated_plan, start=1):
        by = f"{action.by_when:%d %b %Y}" if action.by_when else "no date"
        st.text(f"{n}. {action.action}\n   Who: {action.who} · by {by} · {action.status.value}")
    st.header(f"6. Family Star Plus for review {number}")
    reading = review_reading_of(number)
    if reading is not None:
        star_links(reading)
    else:
        st.caption("The star was not re-scored for this review.")
    st.header("7. Lead professional")
    _taf.lead_history(taf)
    st.header("8. Next review")
    if meeting.closing:
        st.text("This meeting agreed to close the TAF (no next review).")
    _ui.summary(
        [
            ("Next review date", f"{meeting.next_review_on:%d/%m/%Y}" if meeting.next_review_on else ""),
            ("Why it is more than 12 weeks away", meeting.next_review_reason),
        ]
    )
    st.header("9. Minutes")
    _ui.summary([("Minutes", meeting.minutes)])
    st.page_link(
        _addresses.TAF.path, label="Back to the Team Around the Family", icon=":material/arrow_back:", query_params=ids
    )


if disabled:
    record_as_read()
    st.stop()

# -- 1. date and place ---------------------------------------------------------------------------
st.header("1. Date and place")
DETAILS = "details"
with st.form(f"form:{DETAILS}"):
    labels = {"held_on": "Date of the meeting", "where": "Where and how it was held"}
    _ui.error_summary(DETAILS, labels)
    held_on = st.date_input(
        labels["held_on"],
        value=meeting.held_on,
        format="DD/MM/YYYY",
        **_ui.date_limits(
            meeting.held_on, earliest=today - timedelta(days=3 * 365), latest=today + timedelta(days=365)
        ),
        key=f"{DETAILS}:held_on:{v}",
        disabled=disabled,
    )
    _ui.field_error(DETAILS, "held_on")
    where = st.text_input(labels["where"], value=meeting.where, key=f"{DETAILS}:where:{v}", disabled=disabled)
    _ui.field_error(DETAILS, "where")
    details_saved = st.form_submit_button("Save date and place", type="primary", disabled=disabled)
_ui.saved_note(DETAILS)
if details_saved:
    save_part(
        DETAILS,
        lambda ver: wb.taf.save_meeting_details(
            meeting_id=meeting_id,
            expected_version=ver,
            held_on=held_on if isinstance(held_on, date) else None,
            where=where or "",
            actor=actor,
        ),
    )

# -- 2. who was invited ----------------------------------------------------------------------------
st.header("2. Who was invited")
st.caption("The minutes go to everyone who attended or sent apologies.")
ATTENDANCE = list(Attendance)
PERSON_LABELS = {"name": "Name", "agency": "Agency", "role": "Role", "attendance": "Attended?"}


def person_form(person: Participant | None) -> None:
    slot = st.session_state.get("adding:participant", 0)
    form = f"person-{person.id}" if person else f"new-person-{slot}"
    shown = person or Participant()
    with st.form(f"form:{form}"):
        _ui.error_summary(form, PERSON_LABELS)
        cols = st.columns(3)
        name = cols[0].text_input(PERSON_LABELS["name"], value=shown.name, key=f"{form}:name:{v}", disabled=disabled)
        agency = cols[1].text_input(
            PERSON_LABELS["agency"], value=shown.agency, key=f"{form}:agency:{v}", disabled=disabled
        )
        role = cols[2].text_input(PERSON_LABELS["role"], value=shown.role, key=f"{form}:role:{v}", disabled=disabled)
        _ui.field_error(form, "name")
        attendance = st.radio(
            PERSON_LABELS["attendance"],
            ATTENDANCE,
            index=ATTENDANCE.index(shown.attendance),
            format_func=lambda a: a.label,
            horizontal=True,
            key=f"{form}:attendance:{v}",
            disabled=disabled,
        )
        buttons = st.columns([1, 1, 3])
        add = buttons[0].form_submit_button("Save" if person else "Add person", type="primary", disabled=disabled)
        remove = person is not None and buttons[1].form_submit_button("Remove", disabled=disabled)
    _ui.saved_note(form)
    if add:
        candidate = Participant(
            id=shown.id,
            name=name or "",
            agency=agency or "",
            role=role or "",
            attendance=attendance or shown.attendance,
        )
        if person is None and name:
            st.session_state["adding:participant"] = slot + 1
        save_part(
            form,
            lambda ver: wb.taf.save_participant(
                meeting_id=meeting_id, expected_version=ver, participant=candidate, actor=actor
            ),
        )
    if remove and person is not None:
        save_part(
            form,
            lambda ver: wb.taf.remove_participant(
                meeting_id=meeting_id, expected_version=ver, participant_id=person.id, actor=actor
            ),
        )


for existing in meeting.participants:
    person_form(existing)
if not disabled:
    with st.expander("Add someone who was invited", icon=":material/person_add:", expanded=not meeting.participants):
        person_form(None)

# -- 3. views -------------------------------------------------------------------------------------
st.header("3. Views, what is working well and the worries")
VIEWS = "views"
VIEW_LABELS = {
    "family_view": "The family's view at this meeting",
    "child_view": "The child's view at this meeting",
    "working_well": "What is working well",
    "worries": "What are we worried about",
}
with st.form(f"form:{VIEWS}"):
    _ui.error_summary(VIEWS, VIEW_LABELS)
    typed: dict[str, str] = {}
    for field, label in VIEW_LABELS.items():
        typed[field] = (
            st.text_area(label, value=getattr(meeting, field), key=f"{VIEWS}:{field}:{v}", disabled=disabled) or ""
        )
        _ui.field_error(VIEWS, field)
    views_saved = st.form_submit_button("Save the views", type="primary", disabled=disabled)
_ui.saved_note(VIEWS)
if views_saved:
    save_part(
        VIEWS,
        lambda ver: wb.taf.save_meeting_views(meeting_id=meeting_id, expected_version=ver, actor=actor, **typed),
    )

# -- 4. progress on each action --------------------------------------------------------------------
st.header("4. Progress on the plan")
PROGRESS = "progress"
PROGRESS_STATES = list(ActionProgress)
if not meeting.progress:
    st.caption("The plan had no open actions when this meeting started.")
else:
    with st.form(f"form:{PROGRESS}"):
        _ui.error_summary(PROGRESS, {r.action.id: f"Comment on “{r.action.action[:60]}”" for r in meeting.progress})
        chosen: dict[str, tuple[ActionProgress, str]] = {}
        for n, review in enumerate(meeting.progress, start=1):
            a = review.action
            st.markdown(f"**Action {n}**")
            by = f"{a.by_when:%d %b %Y}" if a.by_when else "no date"
            st.text(f"{a.action}\nWho: {a.who} · by {by}")
            state = st.selectbox(
                f"Progress on action {n}",
                PROGRESS_STATES,
                index=PROGRESS_STATES.index(review.progress),
                format_func=lambda s: s.label,
                key=f"{PROGRESS}:{a.id}:state:{v}",
                disabled=disabled,
            )
            comment = st.text_input(
                f"Comment on action {n}", value=review.comment, key=f"{PROGRESS}:{a.id}:comment:{v}", disabled=disabled
            )
            _ui.field_error(PROGRESS, a.id)
            chosen[a.id] = (state or review.progress, comment or "")
        progress_saved = st.form_submit_button("Save progress", type="primary", disabled=disabled)
    _ui.saved_note(PROGRESS)
    if progress_saved:
        save_part(
            PROGRESS,
            lambda ver: wb.taf.save_action_progress(
                meeting_id=meeting_id, expected_version=ver, progress=chosen, actor=actor
            ),
        )

# -- 5. the updated plan ------------------------------------------------------------------------------
st.header("5. The updated action plan")
st.caption("Actions still in progress or not started are carried forward; add what this meeting agreed.")
plan = meeting.updated_plan
if plan:
    for n, a in enumerate(plan, start=1):
        by = f"{a.by_when:%d %b %Y}" if a.by_when else "no date"
        st.text(f"{n}. {a.action}\n   Who: {a.who} · by {by} · {a.status.value}")
else:
    st.caption("Nothing in the plan yet.")
outcomes = {o.id: o.text for o in taf.plan.outcomes}
outcome_ids = list(outcomes)
ACTION_LABELS = {"action": "Action", "who": "Who will do it", "by_when": "By when", "outcome_id": "Outcome it serves"}


def new_action_row(action: PlanAction) -> None:
    form = f"action-{action.id}"
    cols = st.columns([5, 1])
    cols[0].text(f"New: {action.action}")
    if cols[1].button("Remove", key=f"remove:{form}", disabled=disabled):
        save_part(
            form,
            lambda ver: wb.taf.remove_meeting_action(
                meeting_id=meeting_id, expected_version=ver, action_id=action.id, actor=actor
            ),
        )


for added in meeting.new_actions:
    new_action_row(added)
if not disabled and outcome_ids:
    slot = st.session_state.get("adding:taf-action", 0)
    form = f"new-action-{slot}"
    with st.expander("Add an action", icon=":material/add:"), st.form(f"form:{form}"):
        _ui.error_summary(form, ACTION_LABELS)
        what = st.text_area(ACTION_LABELS["action"], key=f"{form}:action", height=80)
        _ui.field_error(form, "action")
        who = st.text_input(ACTION_LABELS["who"], key=f"{form}:who")
        _ui.field_error(form, "who")
        by_when = st.date_input(
            ACTION_LABELS["by_when"],
            value=None,
            format="DD/MM/YYYY",
            key=f"{form}:by_when",
            **_ui.date_limits(None, earliest=taf.started_on or today, latest=today + timedelta(days=3 * 365)),
        )
        _ui.field_error(form, "by_when")
        serves = st.selectbox(
            ACTION_LABELS["outcome_id"],
            outcome_ids,
            index=None,
            format_func=lambda oid: outcomes.get(oid, oid),
            placeholder="Choose the outcome",
            key=f"{form}:outcome_id",
        )
        _ui.field_error(form, "outcome_id")
        add_action = st.form_submit_button("Add action", type="primary")
    _ui.saved_note(form)
    if add_action:
        candidate = PlanAction(
            action=what or "",
            who=who or "",
            by_when=by_when if isinstance(by_when, date) else None,
            outcome_id=serves or "",
        )

        def after_add(saved: Saved) -> None:
            st.session_state["adding:taf-action"] = slot + 1
            _ui.mark_saved(f"new-action-{slot + 1}", saved.saved_at)

        pin.save(
            form,
            lambda ver: wb.taf.save_meeting_action(
                meeting_id=meeting_id, expected_version=ver, action=candidate, actor=actor
            ),
            after_add,
        )

# -- 6. the star -------------------------------------------------------------------------------------
st.header(f"6. Family Star Plus for review {number}")
review_reading = review_reading_of(number)
if review_reading is not None:
    star_links(review_reading)
elif meeting.finalised:
    st.caption("The star was not re-scored for this review.")
elif not disabled and st.button(f"Score the star with the family for review {number}", icon=":material/star:"):
    try:
        started = wb.star.start(
            assessment_id=taf.assessment_id,
            taken_on=meeting.held_on,
            occasion=OccasionKind.REVIEW,
            review_number=number,
            completed_by=CompletedBy.TOGETHER,
            actor=actor,
        )
    except ValidationFailed as exc:
        st.error(_ui.literal(" ".join(exc.errors.values())))
    else:
        st.switch_page(_addresses.STAR.path, query_params={**ids, "reading": started.reading.id})

# -- 7. lead professional ----------------------------------------------------------------------------
st.header("7. Lead professional")
_taf.lead_history(taf)
if not disabled:
    with st.expander("Agree a new lead professional at this meeting", icon=":material/person_add:"):
        _taf.lead_form(taf, from_on=meeting.held_on, meeting_number=number, disabled=disabled)

# -- 8. next review --------------------------------------------------------------------------------
st.header("8. Next review")
NEXT = "next-review"
NEXT_LABELS = {"next_review_on": "Next review date", "next_review_reason": "Why it is more than 12 weeks away"}
with st.form(f"form:{NEXT}"):
    _ui.error_summary(NEXT, NEXT_LABELS)
    closing = st.checkbox(
        "This meeting agreed to close the TAF (no next review)",
        value=meeting.closing,
        key=f"{NEXT}:closing:{v}",
        disabled=disabled,
    )
    suggested = suggested_next_review(meeting.held_on)
    next_shown = meeting.next_review_on or (None if meeting.closing else suggested)
    next_on = st.date_input(
        NEXT_LABELS["next_review_on"] + f" (suggested: 6 weeks on, {suggested:%d/%m/%Y})",
        value=next_shown,
        format="DD/MM/YYYY",
        **_ui.date_limits(
            next_shown, earliest=min(today, meeting.held_on), latest=meeting.held_on + timedelta(days=365)
        ),
        key=f"{NEXT}:next_review_on:{v}",
        disabled=disabled,
    )
    _ui.field_error(NEXT, "next_review_on")
    reason = st.text_input(
        NEXT_LABELS["next_review_reason"] + " (only if so)",
        value=meeting.next_review_reason,
        key=f"{NEXT}:reason:{v}",
        disabled=disabled,
    )
    _ui.field_error(NEXT, "next_review_reason")
    next_saved = st.form_submit_button("Save the next review", type="primary", disabled=disabled)
_ui.saved_note(NEXT)
if next_saved:
    save_part(
        NEXT,
        lambda ver: wb.taf.save_next_review(
            meeting_id=meeting_id,
            expected_version=ver,
            next_review_on=None if closing or not isinstance(next_on, date) else next_on,
            reason=reason or "",
            closing=bool(closing),
            actor=actor,
        ),
    )

# -- 9. minutes ------------------------------------------------------------------------------------
st.header("9. Minutes")
MINUTES = "minutes"
with st.form(f"form:{MINUTES}"):
    _ui.error_summary(MINUTES, {"minutes": "Minutes"})
    minutes = st.text_area(
        "Minutes",
        value=meeting.minutes,
        key=f"{MINUTES}:minutes:{v}",
        height=200,
        disabled=disabled,
        help="Short and family-friendly: the family reads them too.",
    )
    _ui.field_error(MINUTES, "minutes")
    minutes_saved = st.form_submit_button("Save the minutes", type="primary", disabled=disabled)
_ui.saved_note(MINUTES)
if minutes_saved:
    save_part(
        MINUTES,
        lambda ver: wb.taf.save_minutes(
            meeting_id=meeting_id, expected_version=ver, minutes=minutes or "", actor=actor
        ),
    )

# -- finalise --------------------------------------------------------------------------------------
if not disabled:
    st.divider()
    FINALISE = "finalise"
    _ui.error_summary(FINALISE, {"": "The meeting", **NEXT_LABELS})
    st.caption(f"Finalising locks this record and the review {number} star reading: score the star first.")
    if st.button("Finalise the meeting record", type="primary", icon=":material/lock:"):
        save_part(
            FINALISE,
            lambda ver: wb.taf.finalise_meeting(meeting_id=meeting_id, expected_version=ver, actor=actor),
        )
st.page_link(
    _addresses.TAF.path, label="Back to the Team Around the Family", icon=":material/arrow_back:", query_params=ids
)
