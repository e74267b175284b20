"""Team Around the Family: the meetings that review the plan after an assessment is completed,
the lead professional (and who held the role when), and closing the TAF.

Plain data and rules. Every check returns field -> message (empty when all is well) and is told
`today`, so the dates a practitioner types can be checked without a clock or a database. The
decisions built on them (agree_lead, start_meeting, the meeting's `with_*`, finalise, close)
return the changed record or raise ValidationFailed with those messages.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from eha.errors import ValidationFailed, raise_if
from eha.family import AssessmentStatus, Saved, may_change
from eha.paging import Page
from eha.plan import ActionStatus, Plan, PlanAction, check_action
from eha.text import LONG_MAX, NAME_MAX, SHORT_MAX, fold, id_problem, text_problem
from eha.views import with_entry

_STRICT = ConfigDict(extra="forbid", frozen=True)

LEAD_KEY = "lead_professional"  # section document: the lead professional's history
CLOSURE_KEY = "closure"  # section document: why and when the TAF closed
SUGGESTED_REVIEW_DAYS = 42  # "set a review date within 6 weeks"; each review suggests the same
REASON_NEEDED_AFTER_DAYS = 84  # a gap of more than 12 weeks between reviews has to be explained
DUE_SOON_DAYS = 7


def _new_id() -> str:
    return str(uuid.uuid4())


# -- the lead professional ---------------------------------------------------------------------


class LeadProfessional(BaseModel):
    """The single point of contact for the family and for every practitioner in the TAF."""

    model_config = _STRICT
    name: str = ""
    agency: str = ""
    role: str = ""
    # The workbook account, when they have one: they join the family's team so they can see it.
    username: str = ""

    def same_person(self, other: LeadProfessional) -> bool:
        return (self.name.strip().casefold(), self.agency.strip().casefold(), self.username) == (
            other.name.strip().casefold(),
            other.agency.strip().casefold(),
            other.username,
        )


def lead_key(lead: LeadProfessional) -> str:
    """Who a lead professional is, for finding the families they lead: their workbook account
    when they have one, else their name and agency folded (as `same_person` compares them)."""
    if lead.username:
        return f"user:{lead.username}"
    return f"name:{fold(lead.name)}|{fold(lead.agency)}"


class LeadTerm(BaseModel):
    """One person's time as lead professional: from `from_on` until the next term begins."""

    model_config = _STRICT
    id: str = Field(default_factory=_new_id)
    lead: LeadProfessional
    from_on: date
    # The TAF meeting that agreed it; None when agreed before the first meeting.
    agreed_at_meeting: int | None = None
    recorded_at: datetime
    recorded_by: str


class LeadHistory(BaseModel):
    """Section document "lead_professional": every term, oldest first. Never rewritten."""

    model_config = _STRICT
    terms: tuple[LeadTerm, ...] = ()

    @property
    def current(self) -> LeadTerm | None:
        return self.terms[-1] if self.terms else None


def check_lead(
    lead: LeadProfessional, *, from_on: date | None, history: LeadHistory, started_on: date | None, today: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, label, limit, required in (
        ("name", "the lead professional's name", NAME_MAX, True),
        ("agency", "their agency", NAME_MAX, True),
        ("role", "their role", NAME_MAX, True),
        ("username", "their workbook username", 64, False),
    ):
        problem = text_problem(getattr(lead, field), label=label, limit=limit, required=required)
        if problem:
            errors[field] = problem
    if lead.username and lead.username != lead.username.strip():
        errors["username"] = "The workbook username cannot start or end with a space."
    current = history.current
    if from_on is None:
        errors["from_on"] = "Enter the date they became the lead professional."
    elif from_on > today:
        errors["from_on"] = "The date they became the lead professional must be today or in the past."
    elif started_on is not None and from_on < started_on:
        errors["from_on"] = f"The date cannot be before the assessment started ({started_on:%d %B %Y})."
    elif current is not None and from_on < current.from_on:
        errors["from_on"] = (
            f"The date cannot be before the current lead professional took over ({current.from_on:%d %B %Y})."
        )
    if current is not None and current.lead.same_person(lead) and "name" not in errors:
        errors["name"] = "They are already the lead professional."
    return errors


def agree_lead(
    history: LeadHistory,
    lead: LeadProfessional,
    *,
    from_on: date | None,
    meeting_number: int | None,
    meeting_numbers: Collection[int],
    started_on: date | None,
    is_practitioner: Callable[[str], bool],
    today: date,
    recorded_at: datetime,
    recorded_by: str,
) -> LeadHistory:
    """The history with a new lead professional from `from_on`, agreed before the first meeting
    or at meeting `meeting_number` (one of `meeting_numbers`); the earlier terms are kept. A
    workbook username must be an active practitioner's account (`is_practitioner`).

    Raises ValidationFailed (name, agency, role, username, from_on; "" for a meeting that does
    not exist).
    """
    errors = check_lead(lead, from_on=from_on, history=history, started_on=started_on, today=today)
    if meeting_number is not None and meeting_number not in meeting_numbers:
        errors[""] = f"There is no TAF meeting {meeting_number} for this assessment."
    if lead.username and "username" not in errors and not is_practitioner(lead.username):
        errors["username"] = (
            "There is no practitioner account with that username. Leave it empty if they do not use the workbook."
        )
    if errors or from_on is None:
        raise ValidationFailed(errors)
    term = LeadTerm(
        lead=lead,
        from_on=from_on,
        agreed_at_meeting=meeting_number,
        recorded_at=recorded_at,
        recorded_by=recorded_by,
    )
    return LeadHistory(terms=(*history.terms, term))


# -- a TAF meeting -----------------------------------------------------------------------------


class Attendance(StrEnum):
    ATTENDED = "attended"
    APOLOGIES = "apologies"
    INVITED = "invited"

    @property
    def label(self) -> str:
        return {"attended": "Attended", "apologies": "Sent apologies", "invited": "Invited, did not attend"}[self.value]


class Participant(BaseModel):
    """Someone invited to the meeting: the minutes go to everyone who attended or sent apologies."""

    model_config = _STRICT
    id: str = Field(default_factory=_new_id)
    name: str = ""
    agency: str = ""
    role: str = ""
    attendance: Attendance = Attendance.ATTENDED


class ActionProgress(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in progress"
    NOT_STARTED = "not started"
    NO_LONGER_NEEDED = "no longer needed"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def open(self) -> bool:
        """Still to do: carried forward into the updated plan."""
        return self in (ActionProgress.IN_PROGRESS, ActionProgress.NOT_STARTED)


class ActionReview(BaseModel):
    """An action of the plan as the meeting found it, and the progress the meeting agreed."""

    model_config = _STRICT
    action: PlanAction
    progress: ActionProgress
    comment: str = ""


class TafMeeting(BaseModel):
    """One TAF meeting, saved part by part and then finalised (after which it is not changed)."""

    model_config = _STRICT
    held_on: date
    where: str = ""
    participants: tuple[Participant, ...] = ()
    family_view: str = ""
    child_view: str = ""
    working_well: str = ""
    worries: str = ""
    progress: tuple[ActionReview, ...] = ()
    new_actions: tuple[PlanAction, ...] = ()
    next_review_on: date | None = None
    next_review_reason: str = ""
    # The meeting agreed to close the TAF: no next review is set.
    closing: bool = False
    minutes: str = ""
    finalised_at: datetime | None = None
    finalised_by: str | None = None

    @property
    def finalised(self) -> bool:
        return self.finalised_at is not None

    @property
    def updated_plan(self) -> tuple[PlanAction, ...]:
        return carry_forward(self.progress, self.new_actions)

    def participant(self, participant_id: str) -> Participant | None:
        return next((p for p in self.participants if p.id == participant_id), None)


def progress_from(actions: tuple[PlanAction, ...]) -> tuple[ActionReview, ...]:
    """What a new meeting starts from: every action of the current plan, at its last status."""
    return tuple(ActionReview(action=a, progress=ActionProgress(a.status.value)) for a in actions)


def carry_forward(progress: tuple[ActionReview, ...], new_actions: tuple[PlanAction, ...]) -> tuple[PlanAction, ...]:
    """The updated plan: actions still open (with the progress agreed), then the new ones.

    Done and no-longer-needed actions stay in the meeting's record of progress but leave the
    plan, so the next meeting reviews only what is still being worked on.
    """
    carried = tuple(
        r.action.model_copy(update={"status": ActionStatus(r.progress.value)}) for r in progress if r.progress.open
    )
    return (*carried, *new_actions)


def check_held_on(
    held_on: date | None, *, started_on: date | None, previous_held_on: date | None, today: date
) -> dict[str, str]:
    """A meeting is recorded once it has happened, after the assessment began and not before
    the meeting before it."""
    if held_on is None:
        return {"held_on": "Enter the date of the meeting."}
    if held_on > today:
        return {"held_on": "The meeting date must be today or in the past: record a meeting once it has happened."}
    if started_on is not None and held_on < started_on:
        return {"held_on": f"The meeting cannot be before the assessment started ({started_on:%d %B %Y})."}
    if previous_held_on is not None and held_on < previous_held_on:
        return {"held_on": f"The meeting cannot be before the previous TAF meeting ({previous_held_on:%d %B %Y})."}
    return {}


def _checked_details(
    held_on: date | None, where: str, *, started_on: date | None, previous_held_on: date | None, today: date
) -> date:
    errors = check_held_on(held_on, started_on=started_on, previous_held_on=previous_held_on, today=today)
    errors.update(check_views(where=where))
    if errors or held_on is None:
        raise ValidationFailed(errors)
    return held_on


def start_meeting(overview: TafOverview, *, held_on: date | None, where: str, today: date) -> TafMeeting:
    """The next TAF meeting, starting from the current plan: every action, for the meeting to
    say how it is going.

    Raises ValidationFailed (held_on, where; "" when the assessment is not completed, is closed,
    or the previous meeting is not finalised yet).
    """
    if not overview.may_meet:
        raise ValidationFailed({"": "TAF meetings are recorded once the assessment is completed."})
    if overview.open_meeting is not None:
        raise ValidationFailed(
            {
                "": f"TAF meeting {overview.open_meeting.number} is not finalised yet: "
                "finalise it before recording the next one."
            }
        )
    previous = overview.meetings[-1].meeting.held_on if overview.meetings else None
    day = _checked_details(held_on, where, started_on=overview.started_on, previous_held_on=previous, today=today)
    return TafMeeting(held_on=day, where=where, progress=progress_from(overview.current_plan))


def with_details(
    meeting: TafMeeting,
    *,
    held_on: date | None,
    where: str,
    started_on: date | None,
    previous_held_on: date | None,
    today: date,
) -> TafMeeting:
    """The date and where/how the meeting was held. Raises ValidationFailed (held_on, where)."""
    day = _checked_details(held_on, where, started_on=started_on, previous_held_on=previous_held_on, today=today)
    return meeting.model_copy(update={"held_on": day, "where": where})


def with_participant(meeting: TafMeeting, participant: Participant) -> TafMeeting:
    """Add or change someone invited. Raises ValidationFailed (see check_participant)."""
    raise_if(check_participant(participant))
    people = with_entry(meeting.participants, participant, lambda p: p.id == participant.id)
    return meeting.model_copy(update={"participants": people})


def with_views(meeting: TafMeeting, **texts: str) -> TafMeeting:
    """The family's and the child's view, what is working well, the worries (or the minutes).
    Raises ValidationFailed (the field of each text too long or not storable)."""
    raise_if(check_views(**texts))
    return meeting.model_copy(update=texts)


def with_progress(meeting: TafMeeting, progress: Mapping[str, tuple[ActionProgress, str]]) -> TafMeeting:
    """Progress on the plan's actions: action id -> (progress, comment). Actions not named keep
    what they had. Raises ValidationFailed (`<action id>` for a comment too long, "" for an
    action that is not in this meeting's plan)."""
    known = {r.action.id for r in meeting.progress}
    if any(action_id not in known for action_id in progress):
        raise ValidationFailed({"": "One of these actions is no longer in the plan: reload the meeting."})
    errors: dict[str, str] = {}
    reviews = []
    for review in meeting.progress:
        if review.action.id not in progress:
            reviews.append(review)
            continue
        state, comment = progress[review.action.id]
        problem = check_views(comment=comment).get("comment")
        if problem:
            errors[review.action.id] = problem
        reviews.append(ActionReview(action=review.action, progress=ActionProgress(state), comment=comment))
    raise_if(errors)
    return meeting.model_copy(update={"progress": tuple(reviews)})


def with_new_action(meeting: TafMeeting, action: PlanAction, *, plan: Plan, started_on: date | None) -> TafMeeting:
    """Add or change an action agreed at this meeting, serving one of the plan's outcomes.
    Raises ValidationFailed (see eha.plan.check_action)."""
    raise_if(check_action(action, plan, started_on=started_on))
    actions = with_entry(meeting.new_actions, action, lambda x: x.id == action.id)
    return meeting.model_copy(update={"new_actions": actions})


def suggested_next_review(held_on: date) -> date:
    return held_on + timedelta(days=SUGGESTED_REVIEW_DAYS)


def check_next_review(
    next_review_on: date | None, reason: str, *, held_on: date, closing: bool, today: date
) -> dict[str, str]:
    """Six weeks on is the norm; more than 12 weeks needs a reason. None is allowed while the
    meeting is part-done (finalising asks for it) or when the meeting agreed to close."""
    problem = text_problem(reason, label="the reason", limit=SHORT_MAX)
    if problem:
        return {"next_review_reason": problem}
    if next_review_on is None:
        return {}
    if closing:
        return {"next_review_on": "The meeting agreed to close the TAF: leave the next review date empty."}
    if next_review_on < today:
        return {"next_review_on": "The next review date must be today or later."}
    if next_review_on <= held_on:
        return {"next_review_on": "The next review must be after this meeting."}
    if next_review_on > held_on + timedelta(days=REASON_NEEDED_AFTER_DAYS) and not reason.strip():
        return {
            "next_review_reason": "The next review is more than 12 weeks after this meeting: say why it is not sooner."
        }
    return {}


def with_next_review(
    meeting: TafMeeting, *, next_review_on: date | None, reason: str, closing: bool, today: date
) -> TafMeeting:
    """The next review date, or that the meeting agreed to close the TAF.
    Raises ValidationFailed (next_review_on, next_review_reason)."""
    raise_if(check_next_review(next_review_on, reason, held_on=meeting.held_on, closing=closing, today=today))
    return meeting.model_copy(
        update={"next_review_on": next_review_on, "next_review_reason": reason, "closing": closing}
    )


def check_participant(participant: Participant) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, label, required in (("name", "their name", True), ("agency", "their agency", False)):
        problem = text_problem(getattr(participant, field), label=label, limit=NAME_MAX, required=required)
        if problem:
            errors[field] = problem
    problem = text_problem(participant.role, label="their role", limit=NAME_MAX)
    if problem:
        errors["role"] = problem
    problem = id_problem(participant.id)
    if problem:
        errors["id"] = problem
    return errors


def check_views(**texts: str) -> dict[str, str]:
    labels = {
        "family_view": "the family's view",
        "child_view": "the child's view",
        "working_well": "what is working well",
        "worries": "the worries",
        "where": "where and how the meeting was held",
        "minutes": "the minutes",
        "comment": "the comment",
    }
    errors = {}
    for field, value in texts.items():
        problem = text_problem(value, label=labels.get(field, field), limit=LONG_MAX)
        if problem:
            errors[field] = problem
    return errors


def finalise_gaps(meeting: TafMeeting, *, lead: LeadHistory) -> list[str]:
    """What the meeting record still needs before it can be finalised, in plain words."""
    gaps = []
    if not meeting.where.strip():
        gaps.append("where and how the meeting was held")
    if not any(p.attendance is Attendance.ATTENDED for p in meeting.participants):
        gaps.append("who attended")
    if not meeting.family_view.strip():
        gaps.append("the family's view")
    if not meeting.child_view.strip():
        gaps.append("the child's view")
    if not meeting.updated_plan and not meeting.closing:
        gaps.append("at least one action in the updated plan (or agree to close the TAF)")
    current = lead.current
    if current is None or current.from_on > meeting.held_on:
        gaps.append("the lead professional agreed at or before this meeting")
    if meeting.next_review_on is None and not meeting.closing:
        gaps.append("the next review date (or agree to close the TAF)")
    if not meeting.minutes.strip():
        gaps.append("the minutes")
    return gaps


def finalise(meeting: TafMeeting, *, lead: LeadHistory, today: date, at: datetime, by: str) -> TafMeeting:
    """The meeting finalised (no more changes). Refused, listing what is missing under "",
    until every part is there; the dates are checked again as they stand `today`.
    Raises ValidationFailed ("", next_review_on, next_review_reason)."""
    gaps = finalise_gaps(meeting, lead=lead)
    missing = {"": f"Still needed before the meeting can be finalised: {'; '.join(gaps)}."} if gaps else {}
    dates = check_next_review(
        meeting.next_review_on,
        meeting.next_review_reason,
        held_on=meeting.held_on,
        closing=meeting.closing,
        today=today,
    )
    raise_if({**missing, **dates})
    return meeting.model_copy(update={"finalised_at": at, "finalised_by": by})


# -- where a family's reviews stand ------------------------------------------------------------


class ReviewDue(StrEnum):
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    LATER = "later"
    NONE = "none"


def review_due(next_review_on: date | None, *, today: date) -> ReviewDue:
    if next_review_on is None:
        return ReviewDue.NONE
    if next_review_on < today:
        return ReviewDue.OVERDUE
    if next_review_on <= today + timedelta(days=DUE_SOON_DAYS):
        return ReviewDue.THIS_WEEK
    return ReviewDue.LATER


def next_review_of(*, review_date: date | None, meetings: tuple[TafMeeting, ...]) -> date | None:
    """When the family's next TAF review is due: the date the last finalised meeting set (or
    the one set when the assessment was completed). A meeting being written up is the review
    happening, so nothing is due while one is open."""
    if meetings and not meetings[-1].finalised:
        return None
    if meetings:
        return meetings[-1].next_review_on
    return review_date


@dataclass(frozen=True)
class CaseloadEntry:
    """One line of a practitioner's "My families"."""

    family_id: str
    reference: str
    children: tuple[str, ...]
    assessment_id: str | None
    status_label: str
    lead: str | None
    last_review: date | None
    next_review: date | None
    due: ReviewDue


@dataclass(frozen=True)
class Caseload(Page[CaseloadEntry]):
    """A page of My families, with how many of the whole caseload (as filtered) are overdue,
    due this week, later, or have no review due."""

    due: Mapping[ReviewDue, int] = dataclasses.field(default_factory=dict, hash=False)
    # The lead professionals of the whole caseload (before the lead filter), to choose from.
    leads: tuple[LeadChoice, ...] = dataclasses.field(default=(), hash=False)


@dataclass(frozen=True)
class LeadChoice:
    """A lead professional My families can be filtered by. `token` stands for them in the
    page's address: a keyed hash, never their name."""

    token: str
    name: str
    agency: str


# -- closing the TAF ---------------------------------------------------------------------------


class ClosureReason(StrEnum):
    OUTCOMES_ACHIEVED = "outcomes_achieved"
    MOVED_AREA = "moved_area"
    ADULT_SERVICES = "adult_services"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION = "child_protection"
    DISENGAGED = "disengaged"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CLOSURE_LABELS[self]


CLOSURE_LABELS = {
    ClosureReason.OUTCOMES_ACHIEVED: "Desired outcomes achieved",
    ClosureReason.MOVED_AREA: "Family moved to another area",
    ClosureReason.ADULT_SERVICES: "Transition to adult services",
    ClosureReason.CONSENT_WITHDRAWN: "Consent withdrawn",
    ClosureReason.CHILD_IN_NEED: "Stepped up to statutory services: Child in Need",
    ClosureReason.CHILD_PROTECTION: "Stepped up to statutory services: Child Protection",
    ClosureReason.DISENGAGED: "Family disengaged",
    ClosureReason.OTHER: "Other",
}


class TafClosure(BaseModel):
    """Section document "closure": why and when the TAF closed, the family's last word on it."""

    model_config = _STRICT
    reason: ClosureReason
    reason_other: str = ""
    new_area: str = ""
    # Moved to another area: whether the family agreed to share the record with the new area.
    new_area_consent: bool | None = None
    family_comments: str = ""
    evaluation: str = ""
    closed_on: date
    closed_at: datetime
    closed_by: str


def check_closure(
    *,
    reason: ClosureReason | None,
    reason_other: str,
    new_area: str,
    new_area_consent: bool | None,
    family_comments: str,
    evaluation: str,
    closed_on: date | None,
    earliest: tuple[date, str] | None,
    today: date,
) -> dict[str, str]:
    """`earliest`: (date, what it is), the last TAF meeting or the completed assessment, which
    the TAF cannot close before."""
    errors: dict[str, str] = {}
    if reason is None:
        errors["reason"] = "Choose why the TAF is closing."
    elif reason is ClosureReason.OTHER:
        problem = text_problem(reason_other, label="the reason for closing", limit=SHORT_MAX, required=True)
        if problem:
            errors["reason_other"] = problem
    if reason is ClosureReason.MOVED_AREA:
        problem = text_problem(new_area, label="the area the family moved to", limit=NAME_MAX, required=True)
        if problem:
            errors["new_area"] = problem
        if new_area_consent is None:
            errors["new_area_consent"] = "Record whether the family consented to share their record with the new area."
    for field, value, label, required in (
        ("reason_other", reason_other, "the reason for closing", False),
        ("new_area", new_area, "the area the family moved to", False),
        ("family_comments", family_comments, "the family's final comments", reason is not ClosureReason.DISENGAGED),
        ("evaluation", evaluation, "your evaluation", True),
    ):
        if field in errors:
            continue
        problem = text_problem(value, label=label, limit=LONG_MAX, required=required)
        if problem:
            errors[field] = problem
    if closed_on is None:
        errors["closed_on"] = "Enter the date the TAF closed."
    elif closed_on > today:
        errors["closed_on"] = "The closure date must be today or in the past."
    elif earliest is not None and closed_on < earliest[0]:
        errors["closed_on"] = f"The closure date cannot be before {earliest[1]} ({earliest[0]:%d %B %Y})."
    return errors


def close(
    overview: TafOverview,
    *,
    reason: ClosureReason | None,
    reason_other: str = "",
    new_area: str = "",
    new_area_consent: bool | None = None,
    family_comments: str,
    evaluation: str,
    closed_on: date | None,
    now: datetime,
    closed_by: str,
    today: date,
) -> TafClosure:
    """Close the TAF of a completed assessment once every meeting is finalised, on or after the
    last meeting (or, before any meeting, the day the assessment was completed). The other
    reason is kept only for "Other", the new area and its consent only for a family that moved.

    Raises ValidationFailed (reason, reason_other, new_area, new_area_consent, family_comments,
    evaluation, closed_on; "" while a meeting is not finalised or the assessment is not
    completed).
    """
    if not overview.may_meet:
        raise ValidationFailed({"": "Only a completed assessment's TAF can be closed."})
    if overview.open_meeting is not None:
        raise ValidationFailed(
            {"": f"TAF meeting {overview.open_meeting.number} is not finalised yet: finalise it first."}
        )
    earliest: tuple[date, str] | None = None
    if overview.meetings:
        earliest = (overview.meetings[-1].meeting.held_on, "the last TAF meeting")
    elif overview.completed_on is not None:
        earliest = (overview.completed_on, "the date the assessment was completed")
    errors = check_closure(
        reason=reason,
        reason_other=reason_other,
        new_area=new_area,
        new_area_consent=new_area_consent,
        family_comments=family_comments,
        evaluation=evaluation,
        closed_on=closed_on,
        earliest=earliest,
        today=today,
    )
    if errors or reason is None or closed_on is None:
        raise ValidationFailed(errors)
    moved = reason is ClosureReason.MOVED_AREA
    return TafClosure(
        reason=reason,
        reason_other=reason_other if reason is ClosureReason.OTHER else "",
        new_area=new_area if moved else "",
        new_area_consent=new_area_consent if moved else None,
        family_comments=family_comments,
        evaluation=evaluation,
        closed_on=closed_on,
        closed_at=now,
        closed_by=closed_by,
    )


# -- what the screens get back -----------------------------------------------------------------


@dataclass(frozen=True)
class SavedMeeting:
    """A meeting as stored: its number, the record, and the version to save against."""

    meeting_id: str
    number: int
    meeting: TafMeeting
    version: int
    saved: Saved


@dataclass(frozen=True)
class TafOverview:
    """An assessment's TAF: the plan it started from, its meetings, lead professionals, closure."""

    assessment_id: str
    family_id: str
    reference: str
    status: AssessmentStatus
    started_on: date | None
    completed_on: date | None
    review_date: date | None
    plan: Plan
    lead: LeadHistory
    lead_version: int
    meetings: tuple[SavedMeeting, ...]
    closure: TafClosure | None
    # Opened for someone who may read it but not change it (an LCSS reviewer): every screen
    # draws it read-only, and the service refuses a change anyway.
    read_only: bool = False

    @property
    def editable(self) -> bool:
        return may_change(self.status, read_only=self.read_only)

    @property
    def may_meet(self) -> bool:
        """Meetings are recorded once the assessment is completed, until the TAF closes."""
        return self.status in (AssessmentStatus.COMPLETED, AssessmentStatus.TAF_ACTIVE)

    @property
    def open_meeting(self) -> SavedMeeting | None:
        last = self.meetings[-1] if self.meetings else None
        return last if last is not None and not last.meeting.finalised else None

    @property
    def current_plan(self) -> tuple[PlanAction, ...]:
        """The actions being worked on: the last finalised meeting's plan, else the EHA's."""
        finalised = [m for m in self.meetings if m.meeting.finalised]
        return finalised[-1].meeting.updated_plan if finalised else self.plan.actions

    @property
    def next_review(self) -> date | None:
        if not self.may_meet:
            return None
        return next_review_of(review_date=self.review_date, meetings=tuple(m.meeting for m in self.meetings))

    def meeting(self, meeting_id: str) -> SavedMeeting | None:
        return next((m for m in self.meetings if m.meeting_id == meeting_id), None)
