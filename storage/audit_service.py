"""Reading and checking the audit trail.

Entries are written by every service through `WorkbookCore.audit`; this service only reads
them. Admins read the whole trail; an LCSS reviewer reads the entries about their
locality's families and their own actions; practitioners do not read it. The values in an
entry (a change's before and after, a decision's recipient...) are shown only to a reader who
may see that family's record: everyone else reads what changed, who and when, with the values
hidden (eha.audit.hide_values). Checking the chain needs the audit key, so only the holder of
the key (this process) does it, for admins and the command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from eha.actor import Actor, Role, may_read_audit, may_see_case_data
from eha.audit import (
    GENESIS_HASH,
    Anchor,
    AuditAction,
    AuditEntry,
    AuditLine,
    ChainBreak,
    line_for,
    verify_chain,
)
from eha.errors import DomainError, raise_if
from eha.paging import PER_PAGE, Page
from eha.text import SHORT_MAX, text_problem
from storage.core import LONDON, WorkbookCore
from storage.models import AuditChainHeadRow, AuditEntryRow, FamilyRow
from storage.paging import paged


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


class AuditTrailBroken(DomainError):
    """The chain does not add up, so no anchor is taken of it (that would vouch for it)."""

    def __init__(self, broken: ChainBreak) -> None:
        super().__init__(f"The audit trail is broken at entry {broken.seq}: {broken.reason}. No anchor was taken.")
        self.broken = broken


class AuditTrail:
    """The audit trail: reading it (scoped to who asks), verifying and anchoring its chain:
    `workbook.audit`."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    def _audit_scope(self, actor: Actor) -> ColumnElement[bool]:
        """SQL condition on `audit_log`: the entries this person may read."""
        if actor.role in (Role.ADMIN, Role.SYSTEM):
            return AuditEntryRow.seq.is_not(None)
        families = select(FamilyRow.id).where(FamilyRow.locality == (actor.locality or ""))
        return or_(AuditEntryRow.family_id.in_(families), AuditEntryRow.actor == actor.username)

    def trail(
        self,
        *,
        actor: Actor,
        record: str = "",
        person: str = "",
        since: date | None = None,
        until: date | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Page[AuditLine]:
        """The newest entries first, filtered by record (a family reference, or part of a
        record name), person (username) and days (inclusive, UK time), a page at a time (a
        page past the last is the last). Reading the trail is itself audited, one entry per
        page read. Raises AccessDenied for practitioners, ValidationFailed (record, person)
        for a filter that is not valid text or too long, (per_page) outside 1..200."""
        with self._core.unit() as session:
            self._core.require(may_read_audit(actor), actor, record="audit")
            errors = {
                field: problem
                for field, value, label in (("record", record, "the record"), ("person", person, "the person"))
                if (problem := text_problem(value, label=label, limit=SHORT_MAX))
            }
            raise_if(errors)
            stmt = (
                select(AuditEntryRow, FamilyRow.reference)
                .outerjoin(FamilyRow, FamilyRow.id == AuditEntryRow.family_id)
                .where(self._audit_scope(actor))
                .order_by(AuditEntryRow.seq.desc())
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
            limited, total, shown = paged(session, stmt, page=page, per_page=per_page)
            found = [(_entry(row), reference) for row, reference in session.execute(limited)]
            visible = self._families_with_values(session, actor, {e.family_id for e, _ in found if e.family_id})
            lines = Page(
                tuple(
                    line_for(entry, reference, may_see_values=entry.family_id in visible) for entry, reference in found
                ),
                total=total,
                page=shown,
                per_page=per_page,
            )
            # What was typed into the filters may be a name: kept, like any search, as a keyed hash.
            self._core.audit(
                session,
                actor,
                action=AuditAction.VIEWED,
                record="audit",
                details={
                    "record": self._core.search_words(wanted) if wanted else "",
                    "person": self._core.search_words(person) if person.strip() else "",
                    "since": since,
                    "until": until,
                    "shown": len(lines),
                    "total": total,
                    "page": shown,
                },
            )
            return lines

    def _families_with_values(self, session: Session, actor: Actor, family_ids: set[str]) -> set[str]:
        """Of these families, those whose record this person may see (the same rule as
        `family_for`): only their entries are shown with their values."""
        if not family_ids or not may_see_case_data(actor):
            return set()
        rows = session.scalars(select(FamilyRow.id).where(FamilyRow.id.in_(family_ids), self._core.in_scope(actor)))
        return set(rows)

    def searches_for(self, *, words: str, actor: Actor, limit: int = 500) -> list[AuditLine]:
        """The entries, newest first, of searches (and audit filters) for these words, matched
        through their keyed hash: what an investigator holding the audit key can ask. The
        lookup is itself audited, its words hashed too. Raises AccessDenied for anyone but the
        command line's operator."""
        with self._core.unit() as session:
            self._core.require(actor.role is Role.SYSTEM, actor, record="audit:searches")
            digest = self._core.search_words(words)
            stmt = (
                select(AuditEntryRow, FamilyRow.reference)
                .outerjoin(FamilyRow, FamilyRow.id == AuditEntryRow.family_id)
                .where(AuditEntryRow.details.contains(f'"{digest}"', autoescape=True))
                .order_by(AuditEntryRow.seq.desc())
                .limit(limit)
            )
            lines = [AuditLine(_entry(row), reference) for row, reference in session.execute(stmt)]
            self._core.audit(
                session,
                actor,
                action=AuditAction.SEARCHED,
                record="audit:searches",
                details={"query": digest, "found": len(lines)},
            )
            return lines

    def verify(self, *, actor: Actor, anchors: Iterable[Anchor] = ()) -> tuple[int, ChainBreak | None]:
        """(entries checked, the first broken entry or None): every hash is checked under the
        audit key, and every anchor must name an entry still in the trail with its hash.
        Raises AccessDenied for anyone but admins and the command line."""
        with self._core.unit(read_only=True) as session:  # however long it reads, writers carry on
            self._core.require(actor.role in (Role.ADMIN, Role.SYSTEM), actor, record="audit")
            count, _last, broken = self._check_chain(session, tuple(anchors))
            return count, broken

    def anchor(self, *, actor: Actor) -> Anchor:
        """The last entry of the trail (number and hash) with the time now, once the whole
        chain has been checked: what an operator saves outside the database on a schedule.
        Raises AuditTrailBroken if the chain does not add up, AccessDenied for anyone but
        admins and the command line."""
        with self._core.unit() as session:
            self._core.require(actor.role in (Role.ADMIN, Role.SYSTEM), actor, record="audit")
            count, last, broken = self._check_chain(session, ())
            if broken is not None:
                raise AuditTrailBroken(broken)
            return Anchor(seq=count, hash=last, at=self._core.now())

    def _check_chain(self, session: Session, anchors: tuple[Anchor, ...]) -> tuple[int, str, ChainBreak | None]:
        """(entries read, the last one's hash, the first break or None)."""
        head = session.get(AuditChainHeadRow, 1)
        rows = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq).execution_options(yield_per=1000))
        count, last = 0, GENESIS_HASH

        def entries() -> Iterator[AuditEntry]:
            nonlocal count, last
            for row in rows:
                count += 1
                last = row.hash
                yield _entry(row)

        broken = verify_chain(
            entries(),
            key=self._core.audit_key,
            head=(head.last_seq, head.last_hash) if head is not None else None,
            anchors=anchors,
        )
        return count, last, broken
