"""The TAF rules on their own: carrying the plan forward, when a review is due, the dates a
meeting may have, what finalising needs, and closing."""

from datetime import UTC, date, datetime, timedelta

import pytest

from eha.plan import ActionStatus, PlanAction
from eha.taf import (
    ActionProgress,
    ActionReview,
    Attendance,
    ClosureReason,
    LeadHistory,
    LeadProfessional,
    LeadTerm,
    Participant,
    ReviewDue,
    TafMeeting,
    carry_forward,
    check_closure,
    check_held_on,
    check_lead,
    check_next_review,
    finalise_gaps,
    next_review_of,
    progress_from,
    review_due,
    suggested_next_review,
)

TODAY = date(2026, 11, 22)
AT = datetime(2026, 11, 22, 10, tzinfo=UTC)


def action(name: str, status: ActionStatus = ActionStatus.NOT_STARTED) -> PlanAction:
    return PlanAction(action=name, who="Mum", by_when=TODAY, outcome_id="o1", status=status)


def test_open_actions_are_carried_forward_with_their_progress_then_the_new_ones():
    a, b, c, d = action("a"), action("b"), action("c"), action("d")
    new = action("new")
    progress = (
        ActionReview(action=a, progress=ActionProgress.DONE),
        ActionReview(action=b, progress=ActionProgress.IN_PROGRESS, comment="half"),
        ActionReview(action=c, progress=ActionProgress.NO_LONGER_NEEDED),
        ActionReview(action=d, progress=ActionProgress.NOT_STARTED),
    )
    plan = carry_forward(progress, (new,))
    assert [(x.action, x.status) for x in plan] == [
        ("b", ActionStatus.IN_PROGRESS),
        ("d", ActionStatus.NOT_STARTED),
        ("new", ActionStatus.NOT_STARTED),
    ]
    assert [x.id for x in plan] == [b.id, d.id, new.id]


def test_a_new_meeting_starts_from_each_actions_last_status():
    reviews = progress_from((action("a", ActionStatus.DONE), action("b", ActionStatus.IN_PROGRESS)))
    assert [r.progress for r in reviews] == [ActionProgress.DONE, ActionProgress.IN_PROGRESS]


@pytest.mark.parametrize(
    ("next_review", "due"),
    [
        (None, ReviewDue.NONE),
        (TODAY - timedelta(days=1), ReviewDue.OVERDUE),
        (TODAY, ReviewDue.THIS_WEEK),
        (TODAY + timedelta(days=7), ReviewDue.THIS_WEEK),
        (TODAY + timedelta(days=8), ReviewDue.LATER),
    ],
)
def test_when_a_review_is_due(next_review, due):
    assert review_due(next_review, today=TODAY) is due


def test_the_next_review_is_the_last_finalised_meetings_and_nothing_while_one_is_open():
    done = TafMeeting(held_on=TODAY, next_review_on=TODAY + timedelta(days=42), finalised_at=AT, finalised_by="sam")
    open_ = TafMeeting(held_on=TODAY)
    assert next_review_of(review_date=TODAY, meetings=()) == TODAY
    assert next_review_of(review_date=TODAY, meetings=(done,)) == TODAY + timedelta(days=42)
    assert next_review_of(review_date=TODAY, meetings=(done, open_)) is None


def test_meeting_dates():
    started = TODAY - timedelta(days=30)
    assert check_held_on(TODAY, started_on=started, previous_held_on=TODAY, today=TODAY) == {}
    assert "Enter" in check_held_on(None, started_on=started, previous_held_on=None, today=TODAY)["held_on"]
    assert (
        "past"
        in check_held_on(TODAY + timedelta(days=1), started_on=None, previous_held_on=None, today=TODAY)["held_on"]
    )
    before_start = check_held_on(started - timedelta(days=1), started_on=started, previous_held_on=None, today=TODAY)
    assert "before the assessment started" in before_start["held_on"]
    before_last = check_held_on(TODAY - timedelta(days=2), started_on=started, previous_held_on=TODAY, today=TODAY)
    assert "before the previous TAF meeting" in before_last["held_on"]


def test_next_review_rules():
    held = TODAY
    assert suggested_next_review(held) == held + timedelta(days=42)
    ok = check_next_review(held + timedelta(days=84), "", held_on=held, closing=False, today=TODAY)
    assert ok == {}
    far = check_next_review(held + timedelta(days=85), "", held_on=held, closing=False, today=TODAY)
    assert "more than 12 weeks" in far["next_review_reason"]
    assert check_next_review(held + timedelta(days=85), "Holidays", held_on=held, closing=False, today=TODAY) == {}
    past = check_next_review(
        TODAY - timedelta(days=1), "", held_on=held - timedelta(days=10), closing=False, today=TODAY
    )
    assert past == {"next_review_on": "The next review date must be today or later."}
    same_day = check_next_review(held, "", held_on=held, closing=False, today=TODAY)
    assert same_day == {"next_review_on": "The next review must be after this meeting."}
    assert (
        "leave the next review date empty"
        in check_next_review(held + timedelta(days=7), "", held_on=held, closing=True, today=TODAY)["next_review_on"]
    )
    assert check_next_review(None, "", held_on=held, closing=False, today=TODAY) == {}


def lead_history(from_on: date = TODAY - timedelta(days=5)) -> LeadHistory:
    term = LeadTerm(
        lead=LeadProfessional(name="Jo", agency="School", role="SENCo"),
        from_on=from_on,
        recorded_at=AT,
        recorded_by="s",
    )
    return LeadHistory(terms=(term,))


def test_finalising_needs_every_part_and_a_lead_agreed_at_or_before_the_meeting():
    empty = TafMeeting(held_on=TODAY)
    gaps = finalise_gaps(empty, lead=LeadHistory())
    assert gaps == [
        "where and how the meeting was held",
        "who attended",
        "the family's view",
        "the child's view",
        "at least one action in the updated plan (or agree to close the TAF)",
        "the lead professional agreed at or before this meeting",
        "the next review date (or agree to close the TAF)",
        "the minutes",
    ]
    full = TafMeeting(
        held_on=TODAY,
        where="School",
        participants=(Participant(name="Mum", attendance=Attendance.ATTENDED),),
        family_view="ok",
        child_view="ok",
        closing=True,
        minutes="short",
    )
    assert finalise_gaps(full, lead=lead_history()) == []
    # A lead agreed only after the meeting was not the meeting's lead.
    assert finalise_gaps(full, lead=lead_history(TODAY + timedelta(days=1))) == [
        "the lead professional agreed at or before this meeting"
    ]
    only_apologies = full.model_copy(
        update={"participants": (Participant(name="GP", attendance=Attendance.APOLOGIES),)}
    )
    assert finalise_gaps(only_apologies, lead=lead_history()) == ["who attended"]


def test_lead_rules():
    lead = LeadProfessional(name="Jo", agency="School", role="SENCo")
    assert check_lead(lead, from_on=TODAY, history=LeadHistory(), started_on=None, today=TODAY) == {}
    blank = check_lead(LeadProfessional(), from_on=None, history=LeadHistory(), started_on=None, today=TODAY)
    assert set(blank) == {"name", "agency", "role", "from_on"}
    again = check_lead(lead, from_on=TODAY, history=lead_history(), started_on=None, today=TODAY)
    assert again == {"name": "They are already the lead professional."}


def closure_errors(**overrides):
    fields = {
        "reason": ClosureReason.OUTCOMES_ACHIEVED,
        "reason_other": "",
        "new_area": "",
        "new_area_consent": None,
        "family_comments": "Thanks",
        "evaluation": "Went well",
        "closed_on": TODAY,
        "earliest": (TODAY - timedelta(days=3), "the last TAF meeting"),
        "today": TODAY,
    }
    return check_closure(**{**fields, **overrides})


def test_closure_rules():
    assert closure_errors() == {}
    assert set(closure_errors(reason=None)) == {"reason"}
    assert set(closure_errors(reason=ClosureReason.OTHER)) == {"reason_other"}
    assert set(closure_errors(reason=ClosureReason.MOVED_AREA)) == {"new_area", "new_area_consent"}
    assert closure_errors(reason=ClosureReason.MOVED_AREA, new_area="Swindon", new_area_consent=False) == {}
    # A family that disengaged may have left no comments; everyone else is asked.
    assert closure_errors(reason=ClosureReason.DISENGAGED, family_comments="") == {}
    assert set(closure_errors(family_comments="")) == {"family_comments"}
    assert "before the last TAF meeting" in closure_errors(closed_on=TODAY - timedelta(days=4))["closed_on"]
    assert "past" in closure_errors(closed_on=TODAY + timedelta(days=1))["closed_on"]
    assert ClosureReason.CHILD_PROTECTION.label == "Stepped up to statutory services: Child Protection"
