"""The whole Early Help Assessment as one record: its sections, their status, and what still
stands between it and completion.

Plain data and rules only: storage opens an `Assessment`, the screens draw it, and
`reasons_not_to_complete` is the one place that decides whether it may be completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import BaseModel

from eha import background as bg
from eha import consent as consent_rules
from eha.attachments import ChildWork
from eha.background import FamilyBackground
from eha.consent import Consent
from eha.family import AssessmentStatus, Saved, SectionStatus, may_change
from eha.plan import Plan, plan_gaps
from eha.sharing import RecordedSharing
from eha.star_readings import SavedReading
from eha.taf import TafOverview
from eha.text import SHORT_MAX, text_problem
from eha.threshold import ThresholdLevel, ThresholdOfNeed, threshold_gaps
from eha.views import (
    CarersViews,
    ChildViews,
    ProfessionalViews,
    carers_gaps,
    child_gaps,
    children_needing_a_view,
    professional_gaps,
)

REVIEW_WITHIN_DAYS = 42  # "set a review date within 6 weeks" of completing the EHA


class Section(StrEnum):
    """The six sections and the consent page; the value is the key of the section document."""

    BACKGROUND = "background"
    CARERS = "carers_views"
    STAR = "star"
    CHILDREN = "child_views"
    PROFESSIONALS = "professional_views"
    PLAN = "plan"
    CONSENT = "consent"

    @property
    def heading(self) -> str:
        return SECTION_TITLES[self]


SECTION_TITLES: dict[Section, str] = {
    Section.BACKGROUND: "1. Family background",
    Section.CARERS: "2. Parents' and carers' views",
    Section.STAR: "3. Outcome Star",
    Section.CHILDREN: "4. Child's view",
    Section.PROFESSIONALS: "5. Professional views",
    Section.PLAN: "6. Summary, plan and next steps",
    Section.CONSENT: "Consent",
}
THRESHOLD_KEY = "threshold"  # section 1's second document: level, start checks, same-day concerns

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Opened(Generic[M]):
    """One section document and the version to save against (0: not saved yet)."""

    data: M
    version: int
    saved: Saved | None


@dataclass(frozen=True)
class Missing:
    """One thing standing between the assessment and completion; `section` links to the fix."""

    section: Section | None
    text: str


@dataclass(frozen=True)
class Assessment:
    assessment_id: str
    family_id: str
    reference: str
    locality: str
    status: AssessmentStatus
    started_on: date | None
    led_by: str
    completed_at: datetime | None
    completed_by: str | None
    review_date: date | None
    background: Opened[FamilyBackground]
    threshold: Opened[ThresholdOfNeed]
    carers: Opened[CarersViews]
    children: Opened[ChildViews]
    professionals: Opened[ProfessionalViews]
    plan: Opened[Plan]
    consent: Opened[Consent]
    child_work: tuple[ChildWork, ...]
    star_status: SectionStatus
    # The Family Star Plus readings (oldest first) and the Team Around the Family: one opening
    # of an assessment carries everything its screens show.
    star_readings: tuple[SavedReading, ...]
    taf: TafOverview
    # The family's record of sharing, newest first, read with the assessment (one "viewed" entry).
    sharing: tuple[RecordedSharing, ...] = ()
    # Opened for someone who may read it but not change it (an LCSS reviewer): every screen
    # draws it read-only, and the service refuses a change anyway.
    read_only: bool = False
    # Why the review is later than 6 weeks after completion ("" when it is not).
    review_date_reason: str = ""

    @property
    def review(self) -> str:
        """The review date as Check your answers and the PDF say it."""
        return review_text(self.review_date, self.review_date_reason)

    @property
    def editable(self) -> bool:
        return may_change(self.status, read_only=self.read_only)

    @property
    def last_saved(self) -> Saved | None:
        saves = [
            o.saved
            for o in (
                self.background,
                self.threshold,
                self.carers,
                self.children,
                self.professionals,
                self.plan,
                self.consent,
            )
            if o.saved is not None
        ]
        return max(saves, key=lambda s: s.saved_at, default=None)

    def work_of(self, child_id: str) -> tuple[ChildWork, ...]:
        return tuple(w for w in self.child_work if w.child_id == child_id)

    def gaps(self, section: Section) -> list[str]:
        """What this section still needs, in plain words."""
        b = self.background.data
        if section is Section.BACKGROUND:
            return [*bg.missing(b), *threshold_gaps(self.threshold.data, self.started_on)]
        if section is Section.CARERS:
            return carers_gaps(self.carers.data, b)
        if section is Section.CHILDREN:
            return child_gaps(self.children.data, b)
        if section is Section.PROFESSIONALS:
            return professional_gaps(self.professionals.data, b)
        if section is Section.PLAN:
            return plan_gaps(self.plan.data)
        if section is Section.CONSENT:
            return consent_rules.problems(self.consent.data, b)
        return []

    def status_of(self, section: Section) -> SectionStatus:
        if section is Section.STAR:
            return self.star_status
        gaps = self.gaps(section)
        started = {
            Section.BACKGROUND: True,  # begun when the family was created
            Section.CARERS: bool(self.carers.data.views),
            Section.CHILDREN: bool(self.children.data.views) or not children_needing_a_view(self.background.data),
            Section.PROFESSIONALS: bool(self.professionals.data.views) or not self.background.data.professionals,
            Section.PLAN: self.plan.data != Plan(),
            Section.CONSENT: bool(self.consent.data.decisions),
        }[section]
        if not started:
            return SectionStatus.NOT_STARTED
        return SectionStatus.IN_PROGRESS if gaps else SectionStatus.COMPLETE

    def reasons_not_to_complete(
        self, *, review_date: date | None, today: date, review_date_reason: str = ""
    ) -> list[Missing]:
        """Everything that stops the assessment being completed now; empty when it may be."""
        reasons: list[Missing] = []
        if self.status is not AssessmentStatus.DRAFT:
            reasons.append(Missing(None, f"The assessment is already {self.status.label.lower()}."))
        threshold = self.threshold.data
        if threshold.stopped:
            since = threshold.stopped_since
            when = f" on {since.at:%d %B %Y}" if since else ""
            reasons.append(
                Missing(
                    Section.BACKGROUND,
                    f"A same working day concern was recorded{when}: the early-help route is stopped. "
                    "Contact the MASH today; the assessment cannot be completed while the concern stands.",
                )
            )
        if threshold.level is ThresholdLevel.CRITICAL:
            reasons.append(
                Missing(
                    Section.BACKGROUND,
                    "The threshold of need is level 4 (critical): this is for children's social care, "
                    "not early help. Contact the MASH.",
                )
            )
        for section in Section:
            if section in (Section.STAR, Section.CONSENT):
                continue
            reasons.extend(Missing(section, f"{section.heading}: {gap}") for gap in self.gaps(section))
        reasons.extend(Missing(Section.CONSENT, f"Consent: {p}") for p in self.gaps(Section.CONSENT))
        review = check_review_date(review_date, review_date_reason, today=today)
        reasons.extend(Missing(None, m) for m in review.values())
        return reasons


REVIEW_REASON_LABEL = "Why the review is later than 6 weeks, as agreed with the family"


def check_review_date(review_date: date | None, reason: str = "", *, today: date) -> dict[str, str]:
    """The guidance says the review *should* be within 6 weeks: a later date, planned with the
    family, is allowed with the reason recorded (as a TAF's next review after 12 weeks is)."""
    if review_date is None:
        return {"review_date": f"Set a review date with the family, within 6 weeks ({REVIEW_WITHIN_DAYS} days)."}
    if review_date < today:
        return {"review_date": "The review date must be today or later."}
    return review_reason_problems(review_date, reason, completed_on=today)


def review_reason_problems(review_date: date | None, reason: str, *, completed_on: date) -> dict[str, str]:
    """The reason's own rules, and that a review later than 6 weeks after `completed_on` has
    one (an imported record is checked with these, against the day it was completed)."""
    problem = text_problem(reason, label="the reason", limit=SHORT_MAX)
    if problem:
        return {"review_date_reason": problem}
    latest = completed_on + timedelta(days=REVIEW_WITHIN_DAYS)
    if review_date is not None and review_date > latest and not reason.strip():
        return {
            "review_date_reason": (
                f"The review date is more than 6 weeks after completing (after {latest:%d %B %Y}): "
                "say why, as agreed with the family, or choose an earlier date."
            )
        }
    return {}


def kept_review_reason(review_date: date | None, reason: str, *, completed_on: date) -> str:
    """The reason as it is stored: only a review later than 6 weeks has one (the field asks
    for it only then), so a reason left over from a later date is not kept with an earlier one."""
    latest = completed_on + timedelta(days=REVIEW_WITHIN_DAYS)
    return reason.strip() if review_date is not None and review_date > latest else ""


def review_text(review_date: date | None, reason: str) -> str:
    """The review date in words, with why it is later than 6 weeks when it is (the worker's
    text, as typed: a screen draws it literally, a PDF escapes it)."""
    if review_date is None:
        return "not set"
    when = f"{review_date:%d %B %Y}"
    return f"{when} (later than 6 weeks: {reason.strip()})" if reason.strip() else when
