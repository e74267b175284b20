"""Part of section 1: the Threshold of Need, the date the assessment started, and the
"same working day" concerns that stop the early-help route and send the worker to the MASH.

The checklist is kept with a log: every time concerns are ticked (or, after talking to the
MASH, cleared) the log records what, when and by whom, so a stop is never silently undone.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from eha.errors import ValidationFailed, raise_if
from eha.text import LONG_MAX, text_problem

_STRICT = ConfigDict(extra="forbid", frozen=True)


class ThresholdLevel(IntEnum):
    UNIVERSAL = 1
    VULNERABLE = 2
    COMPLEX = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return f"Level {self.value} ({self.name.lower()})"

    @property
    def guidance(self) -> str:
        return GUIDANCE[self]

    @property
    def is_early_help(self) -> bool:
        """Level 4 is children's social care, not early help."""
        return self is not ThresholdLevel.CRITICAL


# In our own words, after the Threshold of Need in the Oxfordshire EHA guidance (section 1.4).
GUIDANCE: dict[ThresholdLevel, str] = {
    ThresholdLevel.UNIVERSAL: (
        "The family's needs are met by the family and by the services every child uses: school or "
        "nursery, the GP, the health visitor, leisure services. No extra help is needed."
    ),
    ThresholdLevel.VULNERABLE: (
        "The child needs some extra help because of their own development, the family's "
        "circumstances or what is happening around them. Without it they may not reach their "
        "potential. Early help, often from one or two services."
    ),
    ThresholdLevel.COMPLEX: (
        "The needs are wider or deeper: the child's health, well-being, social or educational "
        "development is being held back and they are at risk of being excluded. Several services "
        "need to work together, usually through a Team Around the Family."
    ),
    ThresholdLevel.CRITICAL: (
        "The needs are complex and long-lasting, and the child is at risk of significant harm or "
        "of being removed from home. This is for children's social care, not early help: contact "
        "the MASH rather than continuing this assessment."
    ),
}


class SameDayConcern(StrEnum):
    """Known concerns that need the MASH the same working day; the EHA is not the route."""

    ABUSE = "abuse"
    SEVERE_NEGLECT = "severe_neglect"
    FRIGHTENED_TO_GO_HOME = "frightened_to_go_home"
    IMMEDIATE_RISK = "immediate_risk"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return SAME_DAY_LABELS[self]


SAME_DAY_LABELS: dict[SameDayConcern, str] = {
    SameDayConcern.ABUSE: "An allegation or concern that the child has been sexually or physically abused",
    SameDayConcern.SEVERE_NEGLECT: "A concern that the child is suffering severe neglect or another severe health risk",
    SameDayConcern.FRIGHTENED_TO_GO_HOME: "The child is frightened to return home",
    SameDayConcern.IMMEDIATE_RISK: (
        "The child is living in, or will be returned to, a situation that may put them at immediate risk"
    ),
    SameDayConcern.ABANDONED: "The child has been abandoned or the parent is absent",
}


class MashEvent(BaseModel):
    """One change to the same-day checklist: the route stopped (concerns ticked) or resumed."""

    model_config = _STRICT
    kind: Literal["stopped", "resumed"]
    concerns: tuple[SameDayConcern, ...]
    note: str = ""
    at: datetime
    by: str


class ThresholdOfNeed(BaseModel):
    """Section document "threshold"."""

    model_config = _STRICT
    level: ThresholdLevel | None = None
    same_day_concerns: tuple[SameDayConcern, ...] = ()
    mash_log: tuple[MashEvent, ...] = ()

    @property
    def stopped(self) -> bool:
        """Any same-day concern ticked: the early-help route stops until the MASH has advised."""
        return bool(self.same_day_concerns)

    @property
    def stopped_since(self) -> MashEvent | None:
        if not self.stopped:
            return None
        return next((e for e in reversed(self.mash_log) if e.kind == "stopped"), None)


def check_started_on(started_on: date | None, *, today: date) -> dict[str, str]:
    if started_on is None:
        return {"started_on": "Enter the date the assessment started."}
    if started_on > today:
        return {"started_on": "The date the assessment started must be today or in the past."}
    return {}


def with_level(threshold: ThresholdOfNeed, level: ThresholdLevel | None) -> ThresholdOfNeed:
    return threshold.model_copy(update={"level": level})


def check_mash_note(note: str) -> dict[str, str]:
    problem = text_problem(note, label="what the MASH advised", limit=LONG_MAX)
    return {"note": problem} if problem else {}


def with_same_day_concerns(
    threshold: ThresholdOfNeed,
    concerns: tuple[SameDayConcern, ...],
    *,
    note: str,
    at: datetime,
    by: str,
) -> ThresholdOfNeed:
    """Tick or clear same-day concerns, logging each change.

    Clearing every concern after a stop needs a note of what the MASH advised: a stop is a
    safeguarding decision, so it is never undone without saying why.
    """
    raise_if(check_mash_note(note))
    ordered = tuple(c for c in SameDayConcern if c in set(concerns))
    if ordered == threshold.same_day_concerns:
        return threshold
    if ordered:
        event = MashEvent(kind="stopped", concerns=ordered, note=note, at=at, by=by)
    else:
        if not note.strip():
            raise ValidationFailed(
                {
                    "note": "Say what the MASH advised before clearing the concerns: the early-help route "
                    "was stopped because of them."
                }
            )
        event = MashEvent(kind="resumed", concerns=threshold.same_day_concerns, note=note, at=at, by=by)
    return threshold.model_copy(update={"same_day_concerns": ordered, "mash_log": (*threshold.mash_log, event)})


def threshold_gaps(threshold: ThresholdOfNeed, started_on: date | None) -> list[str]:
    gaps = []
    if threshold.level is None:
        gaps.append("the threshold of need level")
    if started_on is None:
        gaps.append("the date the assessment started")
    return gaps
