"""The contact log: visits, calls, messages and meetings with a family between TAF meetings.

The rules are in `eha.contacts`; this service checks access, stores each contact with who
recorded it, marks a removal (who, when, why) rather than deleting the row, and audits both.
A contact belongs to the family, so a closed assessment does not stop one being recorded:
support, and the record of it, go on after a TAF closes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from eha.actor import Actor, Role
from eha.audit import AuditAction
from eha.contacts import (
    Contact,
    ContactKind,
    RecordedContact,
    Removal,
    check_contact,
    check_removal,
    cleaned,
    newest_first,
)
from eha.errors import NotFound, ValidationFailed, raise_if
from eha.text import is_text
from storage.core import WorkbookCore, record_label
from storage.models import FamilyContactRow, FamilyRow

ALREADY_REMOVED = "This contact has already been removed."


def recorded(row: FamilyContactRow) -> RecordedContact:
    """A stored contact as the screens, the export and the PDF see it."""
    removal = None
    if row.removed_at is not None:
        removal = Removal(
            removed_at=row.removed_at,
            removed_by=row.removed_by or "",
            removed_by_name=row.removed_by_name or "",
            reason=row.removed_reason or "",
        )
    return RecordedContact(
        id=row.id,
        contact=Contact(
            contact_on=row.contact_on,
            kind=ContactKind(row.kind),
            kind_other=row.kind_other,
            who=row.who,
            note=row.note,
        ),
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        recorded_by_name=row.recorded_by_name,
        removal=removal,
    )


def contact_records(family: FamilyRow) -> tuple[RecordedContact, ...]:
    """Every contact of a family, removed ones too, newest first (one query, with the family
    already open in the caller's unit): what the family's page and the export carry."""
    return newest_first(recorded(row) for row in family.contacts)


def contact_rows(contacts: Iterable[RecordedContact]) -> list[FamilyContactRow]:
    """Rows for contacts read from an exported record (checked by eha.record_rules first)."""
    rows = []
    for item in contacts:
        c, r = item.contact, item.removal
        rows.append(
            FamilyContactRow(
                id=item.id,
                contact_on=c.contact_on,
                kind=c.kind.value,
                kind_other=c.kind_other,
                who=c.who,
                note=c.note,
                recorded_at=item.recorded_at,
                recorded_by=item.recorded_by,
                recorded_by_name=item.recorded_by_name,
                removed_at=r.removed_at if r else None,
                removed_by=r.removed_by if r else None,
                removed_by_name=r.removed_by_name if r else None,
                removed_reason=r.reason if r else None,
            )
        )
    return rows


class ContactLog:
    """A family's contact log: `workbook.contacts`."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    def record(self, *, family_id: str, contact: Contact, actor: Actor) -> RecordedContact:
        """Add a contact to the family's log, recorded by the acting person; returns it.

        Raises ValidationFailed (field -> message: a date in the future, who or the note
        missing or too long, "other" without saying what) or AccessDenied (outside the
        person's scope; an LCSS reviewer is told they may read but not change the record).
        """
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor, write=True)
            contact = cleaned(contact)
            raise_if(check_contact(contact, today=self._core.today()))
            row = FamilyContactRow(
                id=str(uuid.uuid4()),
                family_id=family.id,
                contact_on=contact.contact_on,
                kind=contact.kind.value,
                kind_other=contact.kind_other,
                who=contact.who,
                note=contact.note,
                recorded_at=self._core.now(),
                recorded_by=actor.username,
                recorded_by_name=actor.display_name,
            )
            session.add(row)
            self._core.audit(
                session,
                actor,
                action=AuditAction.CREATED,
                record=f"family:{family.id}/contact:{row.id}",
                family_id=family.id,
                details={"contact_id": row.id, "contact": contact.model_dump(mode="json")},
            )
            return recorded(row)

    def entries(self, *, family_id: str, actor: Actor) -> tuple[RecordedContact, ...]:
        """The family's contacts, newest first, removed ones included and marked (one audited
        view). The family's page has them already, from `families.get`. Raises AccessDenied
        outside the person's scope."""
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor)
            found = contact_records(family)
            self._core.audit(
                session,
                actor,
                action=AuditAction.VIEWED,
                record=f"family:{family.id}/contacts",
                family_id=family.id,
                details={"found": len(found)},
            )
            return found

    def remove(self, *, contact_id: str, reason: str, actor: Actor) -> RecordedContact:
        """Mark a contact recorded by mistake as removed, with why; it stays in the record
        with who removed it and when. Returns it as it now stands.

        Raises ValidationFailed ("reason" missing or too long; "" when it was removed
        already), AccessDenied (outside the person's scope, an unknown id, or an LCSS reviewer)
        or NotFound (an unknown id, to the system operator only).
        """
        with self._core.unit() as session:
            row = self._contact_for(session, contact_id, actor)
            raise_if(check_removal(reason))
            if row.removed_at is not None:
                raise ValidationFailed({"": ALREADY_REMOVED})
            before = recorded(row)
            row.removed_at = self._core.now()
            row.removed_by = actor.username
            row.removed_by_name = actor.display_name
            row.removed_reason = reason
            self._core.audit(
                session,
                actor,
                action=AuditAction.CHANGED,
                record=f"family:{row.family_id}/contact:{row.id}",
                family_id=row.family_id,
                details={
                    "contact_id": row.id,
                    "removed": before.contact.model_dump(mode="json"),
                    "reason": reason,
                },
            )
            return recorded(row)

    def _contact_for(self, session: Session, contact_id: str, actor: Actor) -> FamilyContactRow:
        """The contact, locked for the change, if this person may change its family; an
        unknown id is refused like someone else's, so ids cannot be probed."""
        row = (
            session.scalars(
                select(FamilyContactRow).where(FamilyContactRow.id == contact_id).with_for_update()
            ).one_or_none()
            if is_text(contact_id)
            else None
        )
        if row is None:
            self._core.require(actor.role is Role.SYSTEM, actor, record=record_label("contact", contact_id))
            raise NotFound("There is no contact with that id.")
        self._core.family_for(session, row.family_id, actor, write=True)
        return row
