"""What the TAF decides, on its own: agreeing a lead professional, starting a meeting, each part
of the meeting's record, finalising it and closing the TAF. Every refusal is a ValidationFailed
keyed by the field a screen shows it beside; every decision is told `today` and the time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from eha.errors import ValidationFailed
from eha.family import AssessmentStatus, Saved
from eha.plan import ActionStatus, DesiredOutcome, Plan, PlanAction
from eha.taf import (
    ActionProgress,
    Attendance,
    ClosureReason,
    LeadHistory,
    LeadProfessional,
    LeadTerm,
    Participant,
    SavedMeeting,
    TafMeeting,
    TafOverview,
    agree_lead,
    close,
    finalise,
    start_meeting,
    with_details,
    with_new_action,
    with_next_review,
    with_participant,
    with_progress,
    with_views,
)
from eha.text import LONG_MAX
from tests.support.hostile import HOSTILE, LONG

TODAY = date(2026, 11, 22)
AT = datetime(2026, 11, 22, 14, 2, tzinfo=UTC)
STARTED = date(2026, 9, 1)
COMPLETED = date(2026, 10, 1)
OUTCOME = DesiredOutcome(id="o1", text="Sam goes to school every day")
PLAN = Plan(
    outcomes=(OUTCOME,),
    actions=(
        PlanAction(id="a1", action="Walk to school", who="Mum", by_when=TODAY, outcome_id="o1"),
        PlanAction(
            id="a2", action="Bedtime", who="Dad", by_when=TODAY, outcome_id="o1", status=ActionStatus.IN_PROGRESS
        ),
    ),
)
JO = LeadProfessional(name="Jo", agency="School", role="SENCo")
NO_LEAD = LeadHistory()
TOO_LONG = "x" * (LONG_MAX + 1)


def lead_from(from_on: date, lead: LeadProfessional = JO) -> LeadHistory:
    return LeadHistory(terms=(LeadTerm(lead=lead, from_on=from_on, recorded_at=AT, recorded_by="sam"),))


def written_up(held_on: date = TODAY - timedelta(days=7), **changes: object) -> TafMeeting:
    """A meeting with every part there, ready to finalise."""
    meeting = TafMeeting(
        held_on=held_on,
        where="School",
        participants=(Participant(name="Mum", attendance=Attendance.ATTENDED),),
        family_view="Better mornings",
        child_view="Likes the walk",
        progress=(),
        new_actions=(PlanAction(id="n1", action="Homework club", who="Sam", by_when=TODAY, outcome_id="o1"),),
        next_review_on=held_on + timedelta(days=42),
        minutes="Short and kind",
    )
    return meeting.model_copy(update=changes)


def saved(number: int, meeting: TafMeeting) -> SavedMeeting:
    return SavedMeeting(meeting_id=f"m{number}", number=number, meeting=meeting, version=1, saved=Saved(1, AT, "sam"))


def overview(
    *meetings: TafMeeting, status: AssessmentStatus = AssessmentStatus.TAF_ACTIVE, completed_on: date | None = COMPLETED
) -> TafOverview:
    return TafOverview(
        assessment_id="a",
        family_id="f",
        reference="FAM-1",
        status=status,
        started_on=STARTED,
        completed_on=completed_on,
        review_date=None,
        plan=PLAN,
        lead=LeadHistory(),
        lead_version=0,
        meetings=tuple(saved(n, m) for n, m in enumerate(meetings, start=1)),
        closure=None,
    )


def finalised(meeting: TafMeeting) -> TafMeeting:
    return meeting.model_copy(update={"finalised_at": AT, "finalised_by": "sam"})


def refused(decision, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        decision(*args, **kwargs)
    return caught.value.errors


# -- agreeing the lead professional ------------------------------------------------------------


def agree(history: LeadHistory = NO_LEAD, lead: LeadProfessional = JO, **overrides: object) -> LeadHistory:
    fields: dict[str, object] = {
        "from_on": TODAY,
        "meeting_number": None,
        "meeting_numbers": (),
        "started_on": STARTED,
        "is_practitioner": lambda username: username == "jo",
        "today": TODAY,
        "recorded_at": AT,
        "recorded_by": "sam",
    }
    return agree_lead(history, lead, **{**fields, **overrides})


def test_a_new_lead_professional_is_added_after_the_ones_before():
    first = lead_from(STARTED)
    history = agree(
        first,
        LeadProfessional(name="Ali", agency="Health", role="HV", username="jo"),
        meeting_number=2,
        meeting_numbers=(1, 2),
    )
    assert history.terms[0] == first.terms[0]
    term = history.terms[1]
    assert (term.lead.name, term.from_on, term.agreed_at_meeting) == ("Ali", TODAY, 2)
    assert (term.recorded_at, term.recorded_by) == (AT, "sam")


def test_a_lead_professional_is_refused_for_a_meeting_that_does_not_exist_or_an_unknown_username():
    assert refused(agree, meeting_number=3, meeting_numbers=(1, 2)) == {
        "": "There is no TAF meeting 3 for this assessment."
    }
    assert refused(agree, lead=JO.model_copy(update={"username": "nobody"})) == {
        "username": "There is no practitioner account with that username. "
        "Leave it empty if they do not use the workbook."
    }


def test_a_username_already_refused_for_its_form_is_not_looked_up():
    asked: list[str] = []

    def is_practitioner(username: str) -> bool:
        asked.append(username)
        return False

    errors = refused(agree, lead=JO.model_copy(update={"username": " jo "}), is_practitioner=is_practitioner)
    assert errors == {"username": "The workbook username cannot start or end with a space."}
    assert asked == []


def test_a_lead_professional_needs_the_date_they_took_over_and_the_rules_of_check_lead():
    assert refused(agree, from_on=None) == {"from_on": "Enter the date they became the lead professional."}
    assert set(refused(agree, LeadHistory(), LeadProfessional(), from_on=STARTED - timedelta(days=1))) == {
        "name",
        "agency",
        "role",
        "from_on",
    }
    assert refused(agree, lead_from(STARTED)) == {"name": "They are already the lead professional."}


# -- starting a meeting ------------------------------------------------------------------------


def test_the_first_meeting_starts_from_the_plan_with_each_actions_last_status():
    meeting = start_meeting(overview(status=AssessmentStatus.COMPLETED), held_on=TODAY, where=HOSTILE, today=TODAY)
    assert (meeting.held_on, meeting.where) == (TODAY, HOSTILE)
    assert [(r.action.id, r.progress) for r in meeting.progress] == [
        ("a1", ActionProgress.NOT_STARTED),
        ("a2", ActionProgress.IN_PROGRESS),
    ]
    assert not meeting.finalised


def test_a_later_meeting_starts_from_the_last_finalised_meetings_plan():
    before = finalised(written_up())
    meeting = start_meeting(overview(before), held_on=TODAY, where="Home", today=TODAY)
    assert [r.action.id for r in meeting.progress] == ["n1"]


@pytest.mark.parametrize("status", [AssessmentStatus.DRAFT, AssessmentStatus.CLOSED])
def test_no_meeting_before_the_assessment_is_completed_or_after_the_taf_closed(status: AssessmentStatus):
    assert refused(start_meeting, overview(status=status), held_on=TODAY, where="", today=TODAY) == {
        "": "TAF meetings are recorded once the assessment is completed."
    }


def test_no_new_meeting_while_the_last_one_is_not_finalised():
    assert refused(start_meeting, overview(written_up()), held_on=TODAY, where="", today=TODAY) == {
        "": "TAF meeting 1 is not finalised yet: finalise it before recording the next one."
    }


def test_a_meeting_date_is_checked_against_today_the_start_and_the_meeting_before():
    after_one = overview(finalised(written_up(TODAY - timedelta(days=3))))
    assert refused(start_meeting, after_one, held_on=None, where="", today=TODAY) == {
        "held_on": "Enter the date of the meeting."
    }
    assert (
        "today or in the past"
        in refused(start_meeting, after_one, held_on=TODAY + timedelta(days=1), where="", today=TODAY)["held_on"]
    )
    assert (
        "before the previous TAF meeting"
        in refused(start_meeting, after_one, held_on=TODAY - timedelta(days=4), where="", today=TODAY)["held_on"]
    )
    first = overview(status=AssessmentStatus.COMPLETED)
    assert (
        "before the assessment started"
        in refused(start_meeting, first, held_on=STARTED - timedelta(days=1), where="", today=TODAY)["held_on"]
    )
    both = refused(start_meeting, first, held_on=None, where=TOO_LONG, today=TODAY)
    assert set(both) == {"held_on", "where"}


# -- the parts of a meeting's record -----------------------------------------------------------


def test_the_details_change_the_date_and_place_under_the_same_date_rules():
    meeting = written_up()
    changed = with_details(
        meeting,
        held_on=TODAY,
        where=HOSTILE,
        started_on=STARTED,
        previous_held_on=TODAY - timedelta(days=1),
        today=TODAY,
    )
    assert (changed.held_on, changed.where, changed.minutes) == (TODAY, HOSTILE, meeting.minutes)
    errors = refused(
        with_details,
        meeting,
        held_on=TODAY - timedelta(days=2),
        where="",
        started_on=STARTED,
        previous_held_on=TODAY - timedelta(days=1),
        today=TODAY,
    )
    assert set(errors) == {"held_on"} and "before the previous TAF meeting" in errors["held_on"]


def test_a_participant_is_added_then_changed_in_place():
    meeting = written_up()
    gp = Participant(name="Dr Khan", agency="Surgery", attendance=Attendance.APOLOGIES)
    added = with_participant(meeting, gp)
    assert [p.name for p in added.participants] == ["Mum", "Dr Khan"]
    changed = with_participant(added, gp.model_copy(update={"attendance": Attendance.ATTENDED}))
    assert [(p.name, p.attendance) for p in changed.participants] == [
        ("Mum", Attendance.ATTENDED),
        ("Dr Khan", Attendance.ATTENDED),
    ]
    assert set(refused(with_participant, meeting, Participant(name=""))) == {"name"}


def test_views_and_minutes_are_kept_as_typed_and_refused_when_too_long():
    changed = with_views(written_up(), family_view=HOSTILE, worries="")
    assert (changed.family_view, changed.worries, changed.child_view) == (HOSTILE, "", "Likes the walk")
    assert set(refused(with_views, written_up(), minutes=TOO_LONG)) == {"minutes"}


def test_progress_is_recorded_for_the_actions_named_and_the_others_keep_theirs():
    meeting = start_meeting(overview(status=AssessmentStatus.COMPLETED), held_on=TODAY, where="", today=TODAY)
    changed = with_progress(meeting, {"a1": (ActionProgress.DONE, HOSTILE)})
    assert [(r.action.id, r.progress, r.comment) for r in changed.progress] == [
        ("a1", ActionProgress.DONE, HOSTILE),
        ("a2", ActionProgress.IN_PROGRESS, ""),
    ]
    assert set(refused(with_progress, meeting, {"a2": (ActionProgress.DONE, TOO_LONG)})) == {"a2"}
    assert refused(with_progress, meeting, {"gone": (ActionProgress.DONE, "")}) == {
        "": "One of these actions is no longer in the plan: reload the meeting."
    }


def test_a_new_action_must_serve_one_of_the_plans_outcomes():
    meeting = written_up()
    action = PlanAction(id="n2", action="Cooking together", who="Dad", by_when=TODAY, outcome_id="o1")
    assert [a.id for a in with_new_action(meeting, action, plan=PLAN, started_on=STARTED).new_actions] == ["n1", "n2"]
    stray = action.model_copy(update={"outcome_id": "nowhere"})
    assert set(refused(with_new_action, meeting, stray, plan=PLAN, started_on=STARTED)) == {"outcome_id"}


def test_the_next_review_or_agreeing_to_close():
    meeting = written_up(TODAY)
    later = with_next_review(
        meeting, next_review_on=TODAY + timedelta(days=100), reason="Summer", closing=False, today=TODAY
    )
    assert (later.next_review_on, later.next_review_reason, later.closing) == (
        TODAY + timedelta(days=100),
        "Summer",
        False,
    )
    closing = with_next_review(meeting, next_review_on=None, reason="", closing=True, today=TODAY)
    assert (closing.next_review_on, closing.closing) == (None, True)
    assert set(
        refused(
            with_next_review, meeting, next_review_on=TODAY + timedelta(days=100), reason="", closing=False, today=TODAY
        )
    ) == {"next_review_reason"}
    assert set(
        refused(
            with_next_review, meeting, next_review_on=TODAY + timedelta(days=7), reason="", closing=True, today=TODAY
        )
    ) == {"next_review_on"}


# -- finalising --------------------------------------------------------------------------------


def test_a_complete_meeting_is_finalised_by_whoever_finalised_it_and_when():
    meeting = written_up()
    done = finalise(meeting, lead=lead_from(STARTED), today=TODAY, at=AT, by="sam")
    assert (done.finalised, done.finalised_at, done.finalised_by) == (True, AT, "sam")
    assert done.model_copy(update={"finalised_at": None, "finalised_by": None}) == meeting


def test_finalising_lists_everything_missing_under_one_message():
    errors = refused(finalise, written_up(minutes="", child_view=""), lead=LeadHistory(), today=TODAY, at=AT, by="s")
    assert errors == {
        "": "Still needed before the meeting can be finalised: the child's view; "
        "the lead professional agreed at or before this meeting; the minutes."
    }


def test_finalising_checks_the_next_review_date_again_as_it_stands_today():
    meeting = written_up(TODAY - timedelta(days=50))  # its review, 42 days on, is now in the past
    errors = refused(finalise, meeting, lead=lead_from(STARTED), today=TODAY, at=AT, by="s")
    assert errors == {"next_review_on": "The next review date must be today or later."}
    both = refused(
        finalise, meeting.model_copy(update={"minutes": ""}), lead=lead_from(STARTED), today=TODAY, at=AT, by="s"
    )
    assert set(both) == {"", "next_review_on"}


# -- closing the TAF ---------------------------------------------------------------------------


def closing(taf: TafOverview | None = None, **overrides: object):
    fields: dict[str, object] = {
        "reason": ClosureReason.OUTCOMES_ACHIEVED,
        "family_comments": "It helped us.",
        "evaluation": "Outcomes met.",
        "closed_on": TODAY,
        "now": AT,
        "closed_by": "sam",
        "today": TODAY,
    }
    return close(taf or overview(finalised(written_up())), **{**fields, **overrides})


def test_closing_records_why_when_and_by_whom():
    closure = closing(family_comments=HOSTILE, evaluation=LONG)
    assert closure.reason is ClosureReason.OUTCOMES_ACHIEVED
    assert (closure.family_comments, closure.evaluation) == (HOSTILE, LONG)
    assert (closure.closed_on, closure.closed_at, closure.closed_by) == (TODAY, AT, "sam")
    assert (closure.reason_other, closure.new_area, closure.new_area_consent) == ("", "", None)


def test_the_other_reason_is_kept_only_when_the_reason_is_other():
    assert closing(reason=ClosureReason.OTHER, reason_other=HOSTILE).reason_other == HOSTILE
    assert closing(reason=ClosureReason.CONSENT_WITHDRAWN, reason_other="left over from the form").reason_other == ""


def test_the_new_area_and_its_consent_are_kept_only_for_a_family_that_moved():
    moved = closing(reason=ClosureReason.MOVED_AREA, new_area="Swindon", new_area_consent=False)
    assert (moved.new_area, moved.new_area_consent) == ("Swindon", False)
    stayed = closing(reason=ClosureReason.ADULT_SERVICES, new_area="Swindon", new_area_consent=True)
    assert (stayed.new_area, stayed.new_area_consent) == ("", None)


@pytest.mark.parametrize("status", [AssessmentStatus.DRAFT, AssessmentStatus.CLOSED])
def test_only_a_completed_assessments_taf_is_closed(status: AssessmentStatus):
    assert refused(closing, overview(status=status)) == {"": "Only a completed assessment's TAF can be closed."}


def test_no_closing_while_a_meeting_is_not_finalised():
    taf = overview(finalised(written_up(TODAY - timedelta(days=9))), written_up())
    assert refused(closing, taf) == {"": "TAF meeting 2 is not finalised yet: finalise it first."}


def test_the_closure_date_is_not_before_the_last_meeting_or_else_the_completion():
    after_meeting = overview(finalised(written_up(TODAY - timedelta(days=3))))
    assert refused(closing, after_meeting, closed_on=TODAY - timedelta(days=4)) == {
        "closed_on": "The closure date cannot be before the last TAF meeting (19 November 2026)."
    }
    assert closing(after_meeting, closed_on=TODAY - timedelta(days=3)).closed_on == TODAY - timedelta(days=3)
    no_meeting = overview(status=AssessmentStatus.COMPLETED)
    assert refused(closing, no_meeting, closed_on=COMPLETED - timedelta(days=1)) == {
        "closed_on": "The closure date cannot be before the date the assessment was completed (01 October 2026)."
    }
    assert closing(no_meeting, closed_on=COMPLETED).closed_on == COMPLETED
    undated = overview(status=AssessmentStatus.COMPLETED, completed_on=None)
    assert closing(undated, closed_on=STARTED).closed_on == STARTED


def test_closing_refuses_each_missing_or_wrong_answer_beside_its_field():
    assert refused(closing, reason=None) == {"reason": "Choose why the TAF is closing."}
    assert set(refused(closing, reason=ClosureReason.OTHER)) == {"reason_other"}
    assert set(refused(closing, reason=ClosureReason.MOVED_AREA)) == {"new_area", "new_area_consent"}
    assert set(refused(closing, family_comments="", evaluation="")) == {"family_comments", "evaluation"}
    assert refused(closing, closed_on=None) == {"closed_on": "Enter the date the TAF closed."}
    assert refused(closing, closed_on=TODAY + timedelta(days=1)) == {
        "closed_on": "The closure date must be today or in the past."
    }
    # A family that disengaged may have left no comments.
    assert closing(reason=ClosureReason.DISENGAGED, family_comments="").family_comments == ""
