"""The contact log: visits, calls, messages and meetings with a family between TAF meetings.

A contact belongs to the family, not to one assessment: support goes on between assessments
and after a TAF has closed (a follow-up call, the family phoning back), so a closed assessment
does not stop a contact being recorded. Recording one needs write access like any change of
case content (an LCSS reviewer reads the log and does not add to it).

A contact is never edited. One recorded by mistake (the wrong family, the wrong day) is
removed with a reason: it stays in the record marked removed, with who removed it, when and
why, so the log the family's page, the export and the PDF give never loses an entry without a
trace (a missed visit that later disappeared would change the story the log tells).

The rules return field -> message, as the screens draw them beside their fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict

from eha.text import NAME_MAX, SHORT_MAX, text_problem

# A short note of what happened, about a paragraph: the log says that the family was seen and
# what was agreed; a longer account belongs in the assessment or the TAF minutes.
NOTE_MAX: Final = 2_000
WHO_MAX: Final = SHORT_MAX  # several people ("Maryam (mum), Ayaan, the school nurse")
REASON_MAX: Final = SHORT_MAX

_STRICT = ConfigDict(extra="forbid", frozen=True)


class ContactKind(StrEnum):
    VISIT = "visit"
    PHONE_CALL = "phone_call"
    MESSAGE = "message"
    MEETING = "meeting"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "visit": "Visit",
            "phone_call": "Phone call",
            "message": "Message (text, email or letter)",
            "meeting": "Meeting outside the TAF",
            "other": "Other",
        }[self.value]


class Contact(BaseModel):
    """One contact with the family, as the worker typed it."""

    model_config = _STRICT
    contact_on: date
    kind: ContactKind
    kind_other: str = ""  # what kind of contact, when it is "other"
    who: str  # who was involved
    note: str


class Removal(BaseModel):
    """Why a contact recorded by mistake was removed, by whom and when."""

    model_config = _STRICT
    removed_at: datetime
    removed_by: str
    removed_by_name: str
    reason: str


class RecordedContact(BaseModel):
    """A contact as the log keeps it: what was typed, who recorded it and when, and its
    removal if it was removed. Exported with the family record as it is."""

    model_config = _STRICT
    id: str
    contact: Contact
    recorded_at: datetime
    recorded_by: str
    recorded_by_name: str
    removal: Removal | None = None

    @property
    def removed(self) -> bool:
        return self.removal is not None

    @property
    def kind_label(self) -> str:
        """The kind of contact in words ("Phone call"; "Other: a letter from the school")."""
        c = self.contact
        if c.kind is ContactKind.OTHER and c.kind_other.strip():
            return f"{c.kind.label}: {c.kind_other}"
        return c.kind.label


def check_contact(contact: Contact, *, today: date) -> dict[str, str]:
    """Problems with a contact before it is recorded, field -> message; empty if none."""
    errors: dict[str, str] = {}
    if contact.contact_on > today:
        errors["contact_on"] = "The date of the contact must be today or in the past."
    problem = text_problem(contact.kind_other, label="what kind of contact it was", limit=NAME_MAX)
    if problem:
        errors["kind_other"] = problem
    elif contact.kind is ContactKind.OTHER and not contact.kind_other.strip():
        errors["kind_other"] = "Say what kind of contact it was."
    problem = text_problem(contact.who, label="who was involved", limit=WHO_MAX, required=True)
    if problem:
        errors["who"] = problem
    problem = text_problem(contact.note, label="a short note of the contact", limit=NOTE_MAX, required=True)
    if problem:
        errors["note"] = problem
    return errors


def check_removal(reason: str) -> dict[str, str]:
    """A removal needs its reason, field -> message; empty if none."""
    problem = text_problem(reason, label="why this contact is being removed", limit=REASON_MAX, required=True)
    return {"reason": problem} if problem else {}


def newest_first(contacts: Iterable[RecordedContact]) -> tuple[RecordedContact, ...]:
    """The log's order: the latest contact first; on the same day, the last recorded first."""
    return tuple(sorted(contacts, key=lambda c: (c.contact.contact_on, c.recorded_at, c.id), reverse=True))


def cleaned(contact: Contact) -> Contact:
    """The contact as it is kept: "what kind" only for a contact of another kind."""
    if contact.kind is ContactKind.OTHER:
        return contact
    return contact.model_copy(update={"kind_other": ""})
