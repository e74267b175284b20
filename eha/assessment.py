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
from eha.star_readings import SavedReading
from eha.taf import TafOverview
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
    # Opened for someone who may read it but not change it (an LCSS reviewer): every screen
    # draws it read-only, and the service refuses a change anyway.
    read_only: bool = False

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

    def reasons_not_to_complete(self, *, review_date: date | None, today: date) -> list[Missing]:
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
        reasons.extend(Missing(None, m) for m in check_review_date(review_date, today=today).values())
        return reasons


def check_review_date(review_date: date | None, *, today: date) -> dict[str, str]:
    if review_date is None:
        return {"review_date": f"Set a review date with the family, within 6 weeks ({REVIEW_WITHIN_DAYS} days)."}
    if review_date < today:
        return {"review_date": "The review date must be today or later."}
    latest = today + timedelta(days=REVIEW_WITHIN_DAYS)
    if review_date > latest:
        return {"review_date": f"The review date must be within 6 weeks of completing, by {latest:%d %B %Y}."}
    return {}
