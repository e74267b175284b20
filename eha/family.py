"""Families and their assessments as the screens and the command line see them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from eha.contacts import RecordedContact

# No vowels or look-alikes (0/O, 1/I): a reference can't spell a word or be misread on a call.
_REFERENCE_LETTERS = "BCDFGHJKMNPQRSTVWXZ23456789"


def new_reference(token: int | None = None) -> str:
    """A family reference such as 'EH-7KQ2MX': opaque, carries nothing personal."""
    n = secrets.randbits(64) if token is None else token
    chars = []
    for _ in range(6):
        n, r = divmod(n, len(_REFERENCE_LETTERS))
        chars.append(_REFERENCE_LETTERS[r])
    return "EH-" + "".join(chars)


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"
    TAF_ACTIVE = "taf_active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "completed": "Completed", "taf_active": "TAF active", "closed": "Closed"}[self.value]


# "Only one active EHA per family": an assessment is active (in progress) until it is closed.
ACTIVE = (AssessmentStatus.DRAFT.value, AssessmentStatus.COMPLETED.value, AssessmentStatus.TAF_ACTIVE.value)


class SectionStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"


@dataclass(frozen=True)
class Saved:
    """What a save tells the screen: the new version to edit against, and when."""

    version: int
    saved_at: datetime
    saved_by: str


@dataclass(frozen=True)
class AssessmentSummary:
    assessment_id: str
    status: AssessmentStatus
    started_on: date | None
    updated_at: datetime


@dataclass(frozen=True)
class FamilySummary:
    family_id: str
    reference: str
    locality: str
    children: tuple[str, ...]
    carers: tuple[str, ...]
    assessments: tuple[AssessmentSummary, ...] = field(default=())
    # The contact log, newest first: carried by the one read of the family's page (lists of
    # families leave it empty).
    contacts: tuple[RecordedContact, ...] = field(default=())

    @property
    def latest_assessment(self) -> AssessmentSummary | None:
        return self.assessments[-1] if self.assessments else None


# The one rule of what may change: nothing of a closed assessment, by anyone (the screens draw it
# read-only, and every write in storage refuses it with this message).
CLOSED_MESSAGE = "This assessment is closed and can no longer be changed."


def may_change(status: AssessmentStatus, *, read_only: bool = False) -> bool:
    """Whether an opened record may be changed: never once its assessment is closed, and never
    by someone who opened it only to read it (an LCSS reviewer)."""
    return status is not AssessmentStatus.CLOSED and not read_only
