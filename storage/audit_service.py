"""Reading and checking the audit trail.

Entries are written by every service through `WorkbookCore._audit`; this mixin only reads
them. Admins read the whole trail; an LCSS reviewer reads the entries about their
locality's families and their own actions; practitioners do not read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, or_, select

from eha.actor import Actor, Role, may_read_audit
from eha.audit import AuditAction, AuditEntry, AuditLine, ChainBreak, verify_chain
from storage.core import LONDON, WorkbookCore
from storage.models import AuditChainHeadRow, AuditEntryRow, FamilyRow


def _entry(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        actor_role=row.actor_role,
        action=row.action,
        family_id=row.family_id,
        record=row.record,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


class AuditTrail(WorkbookCore):
    def _audit_scope(self, actor: Actor) -> ColumnElement[bool]:
        """SQL condition on `audit_log`: the entries this person may read."""
        if actor.role in (Role.ADMIN, Role.SYSTEM):
            return AuditEntryRow.seq.is_not(None)
        families = select(FamilyRow.id).where(FamilyRow.locality == (actor.locality or ""))
        return or_(AuditEntryRow.family_id.in_(families), AuditEntryRow.actor == actor.username)

    def audit_trail(
        self,
        *,
        actor: Actor,
        record: str = "",
        person: str = "",
        since: date | None = None,
        until: date | None = None,
        limit: int = 500,
    ) -> list[AuditLine]:
        """The newest entries first, filtered by record (a family reference, or part of a
        record name), person (username) and days (inclusive, UK time). Reading the trail is
        itself audited. Raises AccessDenied for practitioners."""
        with self._unit() as session:
            self._require(may_read_audit(actor), actor, record="audit")
            stmt = (
                select(AuditEntryRow, FamilyRow.reference)
                .outerjoin(FamilyRow, FamilyRow.id == AuditEntryRow.family_id)
                .where(self._audit_scope(actor))
                .order_by(AuditEntryRow.seq.desc())
                .limit(limit)
            )
            wanted = record.strip()
            if wanted:
                stmt = stmt.where(
                    or_(
                        FamilyRow.reference == wanted.upper(),
                        AuditEntryRow.family_id == wanted,
                        AuditEntryRow.record.contains(wanted, autoescape=True),
                    )
                )
            if person.strip():
                stmt = stmt.where(AuditEntryRow.actor == person.strip().lower())
            if since is not None:
                stmt = stmt.where(AuditEntryRow.at >= _london_midnight(since))
            if until is not None:
                stmt = stmt.where(AuditEntryRow.at < _london_midnight(until + timedelta(days=1)))
            lines = [AuditLine(_entry(row), reference) for row, reference in session.execute(stmt)]
            self._audit(
                session,
                actor,
                action=AuditAction.VIEWED,
                record="audit",
                details={
                    "record": wanted,
                    "person": person.strip(),
                    "since": since,
                    "until": until,
                    "shown": len(lines),
                },
            )
            return lines

    def verify_audit_trail(self, *, actor: Actor) -> tuple[int, ChainBreak | None]:
        """(entries checked, the first broken entry or None). Raises AccessDenied for
        anyone but admins and the command line."""
        with self._unit(read_only=True) as session:  # however long it reads, writers carry on
            self._require(actor.role in (Role.ADMIN, Role.SYSTEM), actor, record="audit")
            head = session.get(AuditChainHeadRow, 1)
            rows = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq).execution_options(yield_per=1000))
            count = 0

            def entries() -> Iterator[AuditEntry]:
                nonlocal count
                for row in rows:
                    count += 1
                    yield _entry(row)

            broken = verify_chain(
                entries(),
                head=(head.last_seq, head.last_hash) if head is not None else None,
            )
            return count, broken
