"""The service layer's core: one transaction per call, the one place access is decided, the
one write path of every versioned record, and the audit trail every service writes to.

Each area of the practice (families, the assessment's sections, the star, TAF reviews,
sharing, accounts, the audit trail) is a service of its own, given this core in its
constructor; `storage.services.Workbook` builds them and names them (`workbook.taf.close`).

Who may see a family:
- a practitioner: the families they authored, lead, or sit on the TAF of (`family_team`);
- an LCSS reviewer: every family of their locality;
- an admin: none (accounts and localities only); the command line's system operator: all.
Who may change what they see (`write=True`): practitioners and the system operator; an LCSS
reviewer reads and gives feedback, and is refused every change with a message saying so.
A record outside someone's scope and a record that does not exist get the same answer
(AccessDenied), so ids cannot be probed, and the refusal is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Engine, false, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from eha.actor import READ_ONLY_MESSAGE, Actor, Role, TeamRole, may_see_case_data, may_write_case_content
from eha.assessment import Opened
from eha.audit import AuditAction, canonical, entry_hash, field_diff, search_hash
from eha.errors import AccessDenied, NotFound, StaleRecord, ValidationFailed
from eha.family import CLOSED_MESSAGE, AssessmentStatus, Saved, may_change
from eha.localities import Locality
from eha.text import is_text
from storage.db import transaction
from storage.models import (
    AccountRow,
    AssessmentRow,
    AuditChainHeadRow,
    AuditEntryRow,
    FamilyRow,
    FamilyTeamRow,
    SectionRow,
    StarReadingRow,
    TafMeetingRow,
)

D = TypeVar("D")  # the document a versioned record holds (a section's model, a reading, a meeting)
R = TypeVar("R")  # what saving it returns to the caller
M = TypeVar("M", bound=BaseModel)
P = TypeVar("P", StarReadingRow, TafMeetingRow)  # the records kept under an assessment

LONDON = ZoneInfo("Europe/London")
# The key of a workbook built without one (tests that never check the chain): random for each
# process, so nothing it writes can be forged with a published key, nor verified once the
# process has ended. The app and the `eha` command always pass the configured EHA_AUDIT_KEY.
_PROCESS_AUDIT_KEY = secrets.token_bytes(32)


def utcnow() -> datetime:
    return datetime.now(UTC)


# What the trail and the messages call each kind of record kept under an assessment.
_PARTS: dict[type[Any], tuple[str, str]] = {
    StarReadingRow: ("star_reading", "Family Star Plus reading"),
    TafMeetingRow: ("taf_meeting", "TAF meeting"),
}


class _Refused(AccessDenied):
    """AccessDenied that still has to be written to the audit trail.

    The refusing transaction rolls back, so `WorkbookCore.unit` records the refusal in a
    transaction of its own once the first has ended.
    """

    def __init__(self, actor: Actor, *, record: str, family_id: str | None, message: str | None = None) -> None:
        super().__init__(*([message] if message else []))
        self.actor = actor
        self.record = record
        self.family_id = family_id
        self.recorded = False


def record_label(kind: str, requested: str) -> str:
    """The record a person asked for, safe to store: ids come from URLs and may be anything."""
    printable = "".join(ch for ch in requested if ch.isprintable())[:80]
    return f"{kind}:{printable}"


class Versioned(ABC, Generic[D, R]):
    """One versioned record opened for a change inside a unit: a section document of an
    assessment (`SectionDocument`), a Family Star Plus reading or a TAF meeting. It says how
    its document is read and written, what the stale notice and the audit trail call it, and
    whether something other than a closed assessment stops it changing now. The one write path
    (`WorkbookCore.save`) does the rest."""

    def __init__(self, assessment: AssessmentRow, *, what: str, record: str) -> None:
        self.assessment = assessment
        self.what = what  # "The plan", "TAF meeting 2": how a stale notice names it
        self.record = record  # how the audit trail names it

    @property
    @abstractmethod
    def version(self) -> int:
        """The version it was saved at (0: never saved)."""

    @abstractmethod
    def current(self) -> D:
        """Its document as it stands."""

    @abstractmethod
    def put(self, updated: D, *, now: datetime, by: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Write the document (stamped with when and by whom); returns what it held before and
        after, for the audit trail's diff."""

    @abstractmethod
    def result(self) -> R:
        """What the caller is given once it is saved."""

    def refusal(self) -> str | None:
        """Why it may not change now besides a closed assessment (a finalised meeting, a locked
        reading), or None."""
        return None


class SectionDocument(Versioned[M, Saved]):
    """One section document of an assessment (`sections`, keyed by the section): written on its
    first save, over the last one after that."""

    def __init__(
        self,
        assessment: AssessmentRow,
        key: str,
        model: type[M],
        *,
        what: str,
        then: Callable[[M], None] | None = None,
    ) -> None:
        super().__init__(assessment, what=what, record=f"assessment:{assessment.id}/{key}")
        self.key = key
        self.model = model
        self.row = WorkbookCore.section(assessment, key)
        self.then = then  # what else changes with it (the background keeps the people index)

    @property
    def version(self) -> int:
        return self.row.version if self.row is not None else 0

    def current(self) -> M:
        return self.model() if self.row is None else self.model.model_validate(self.row.data)

    def put(self, updated: M, *, now: datetime, by: str) -> tuple[dict[str, Any], dict[str, Any]]:
        data = updated.model_dump(mode="json")
        before: dict[str, Any] = self.row.data if self.row is not None else {}
        if self.row is None:
            self.row = SectionRow(key=self.key, data=data, updated_at=now, updated_by=by)
            self.assessment.sections.append(self.row)
        else:
            self.row.data, self.row.updated_at, self.row.updated_by = data, now, by
        if self.then is not None:
            self.then(updated)
        return before, data

    def result(self) -> Saved:
        assert self.row is not None  # written by `put`
        return Saved(self.row.version, self.row.updated_at, self.row.updated_by)


def opened(assessment: AssessmentRow, key: str, model: type[M]) -> Opened[M]:
    """One section document as a screen opens it: the document, its version and who saved it."""
    row = WorkbookCore.section(assessment, key)
    if row is None:
        return Opened(model(), 0, None)
    return Opened(model.model_validate(row.data), row.version, Saved(row.version, row.updated_at, row.updated_by))


def document(assessment: AssessmentRow, key: str, model: type[M]) -> M:
    """One section document as it stands (empty if never saved)."""
    return opened(assessment, key, model).data


class WorkbookCore:
    def __init__(
        self,
        engine: Engine,
        *,
        localities: tuple[Locality, ...],
        clock: Callable[[], datetime] = utcnow,
        audit_key: bytes | None = None,
    ) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._engine_for_turns = engine
        self._clock = clock
        self._audit_key = audit_key or _PROCESS_AUDIT_KEY
        self.localities = localities

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def unit(self, *, read_only: bool = False) -> Iterator[Session]:
        """One transaction. On SQLite it waits its turn among this process's units and then
        holds the write lock throughout (storage.db), so what it read stays true while it
        writes, and its audit entry never fails for having waited. A `read_only` unit (one
        that writes nothing, not even an audit entry) waits for nobody."""
        try:
            with transaction(self._sessions, self._engine_for_turns, read_only=read_only) as session:
                yield session
        except StaleDataError as exc:
            # Lost the race between reading the version and writing: same answer as a stale form.
            raise StaleRecord() from exc
        except _Refused as refused:
            if not refused.recorded:
                refused.recorded = True
                with transaction(self._sessions, self._engine_for_turns) as session:
                    self.audit(
                        session,
                        refused.actor,
                        action=AuditAction.ACCESS_REFUSED,
                        record=refused.record,
                        family_id=refused.family_id,
                    )
            raise

    @property
    def audit_key(self) -> bytes:
        """The key every audit entry's hash is made with (for verifying the chain)."""
        return self._audit_key

    def today(self) -> date:
        return self._clock().astimezone(LONDON).date()

    def now(self) -> datetime:
        return self._clock()

    # -- who may see what -------------------------------------------------------------------

    def in_scope(self, actor: Actor) -> ColumnElement[bool]:
        """SQL condition on `families`: the families this person may see. Every list and
        search filters with it, so nothing outside someone's scope leaves the database."""
        if actor.role is Role.SYSTEM:
            return true()
        if actor.role is Role.PRACTITIONER:
            team = select(FamilyTeamRow.family_id).where(FamilyTeamRow.username == actor.username)
            return FamilyRow.id.in_(team)
        if actor.role is Role.LCSS and actor.locality:
            return FamilyRow.locality == actor.locality
        return false()

    def family_for(self, session: Session, family_id: str, actor: Actor, *, write: bool = False) -> FamilyRow:
        """The family, if this person may see it (and, with `write`, change it). Raises
        AccessDenied (audited) otherwise, and also when there is no such family, so that ids
        cannot be probed; only the system operator is told NotFound. Every service method that
        changes case content asks with `write=True`."""
        # An id that is not valid text cannot be in the database: it is an unknown id.
        family = session.get(FamilyRow, family_id) if is_text(family_id) else None
        if actor.role is Role.SYSTEM:
            if family is None:
                raise NotFound("There is no family with that reference.")
            return family
        allowed = (
            family is not None
            and may_see_case_data(actor)
            and session.scalar(select(FamilyRow.id).where(FamilyRow.id == family_id, self.in_scope(actor))) is not None
        )
        if family is None or not allowed:
            raise _Refused(
                actor,
                record=record_label("family", family_id),
                family_id=family.id if family is not None else None,
            )
        if write:
            self.require_writer(actor, record=record_label("family", family_id), family_id=family.id)
        return family

    def assessment_for(
        self, session: Session, assessment_id: str, actor: Actor, *, write: bool = False
    ) -> AssessmentRow:
        """The assessment, if this person may see (with `write`, change) its family; otherwise
        as `family_for`."""
        assessment = session.get(AssessmentRow, assessment_id) if is_text(assessment_id) else None
        if assessment is None:
            if actor.role is Role.SYSTEM:
                raise NotFound("There is no assessment with that id.")
            raise _Refused(actor, record=record_label("assessment", assessment_id), family_id=None)
        try:
            self.family_for(session, assessment.family_id, actor, write=write)
        except _Refused as refused:
            refused.record = record_label("assessment", assessment_id)
            raise
        return assessment

    def may_change(self, assessment: AssessmentRow) -> None:
        """Refuse any change to a closed assessment: the one rule and message (eha.family)."""
        if not may_change(AssessmentStatus(assessment.status)):
            raise ValidationFailed({"": CLOSED_MESSAGE})

    def part_for(self, session: Session, kind: type[P], part_id: str, actor: Actor, *, write: bool = False) -> P:
        """A record kept under an assessment (a Family Star Plus reading, a TAF meeting), if this
        person may see (with `write`, change) its family; otherwise as `family_for`: an unknown
        id is refused like someone else's record, so ids cannot be probed, and only the system
        operator is told NotFound."""
        record, label = _PARTS[kind]
        assessment_id = (
            session.scalar(select(kind.assessment_id).where(kind.id == part_id)) if is_text(part_id) else None
        )
        missing = f"There is no {label} with that id."
        if assessment_id is None:
            self.require(actor.role is Role.SYSTEM, actor, record=record_label(record, part_id))
            raise NotFound(missing)
        self.assessment_for(session, assessment_id, actor, write=write)
        row = session.get(kind, part_id)
        if row is None:  # removed with its assessment between the two statements
            raise NotFound(missing)
        return row

    def require(self, allowed: bool, actor: Actor, *, record: str) -> None:
        """Refuse (and audit) an action this person's role does not allow."""
        if not allowed:
            raise _Refused(actor, record=record, family_id=None)

    def require_writer(self, actor: Actor, *, record: str, family_id: str | None = None) -> None:
        """Refuse (and audit) a change of case content by someone who may at most read it. An
        LCSS reviewer is told why; anyone without case data gets the usual refusal."""
        if not may_write_case_content(actor):
            message = READ_ONLY_MESSAGE if may_see_case_data(actor) else None
            raise _Refused(actor, record=record, family_id=family_id, message=message)

    # -- the one write path -----------------------------------------------------------------

    def save(
        self,
        *,
        actor: Actor,
        expected_version: int | None,
        open: Callable[[Session], Versioned[D, R]],
        change: Callable[[D, AssessmentRow, datetime], D],
        details: Callable[[D], Mapping[str, Any]] | None = None,
        then: Callable[[Session, AssessmentRow, datetime], None] | None = None,
    ) -> R:
        """Change one versioned record, in one transaction: open it (`open` reaches it through
        `assessment_for(..., write=True)`, the access check), refuse a closed assessment and
        whatever else the record refuses, check the version it was opened at
        (`expected_version`; None only where a change is safe whatever came between), apply
        the pure `change`, write, and audit it with its before and after (and `details`); `then`
        is what else the change brings with it, audited on its own (a lead joining the team).

        Raises AccessDenied, ValidationFailed ("" for a record that may not change now, and
        whatever `change` raises), StaleRecord (saved by someone else since)."""
        with self.unit() as session:
            record = open(session)
            assessment = record.assessment
            self.may_change(assessment)
            refusal = record.refusal()
            if refusal is not None:
                raise ValidationFailed({"": refusal})
            if expected_version is not None and record.version != expected_version:
                raise StaleRecord(record.what)
            now = self._clock()
            updated = change(record.current(), assessment, now)
            before, after = record.put(updated, now=now, by=actor.username)
            assessment.updated_at, assessment.updated_by = now, actor.username
            # The record's own write, once everything is changed (one version step), and before
            # the audit entry: two people saving a record's first version at the same moment
            # meet here, on PostgreSQL as a unique violation once the first has committed.
            try:
                session.flush()
            except IntegrityError as exc:
                raise StaleRecord(record.what) from exc
            self.audit(
                session,
                actor,
                action=AuditAction.CHANGED,
                record=record.record,
                family_id=assessment.family_id,
                details={**(details(updated) if details else {}), "changes": field_diff(before, after)},
            )
            if then is not None:
                then(session, assessment, now)
            session.flush()
            return record.result()

    # -- the audit trail ---------------------------------------------------------------------

    def audit(
        self,
        session: Session,
        actor: Actor,
        *,
        action: AuditAction,
        record: str,
        family_id: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        """Append one entry to the audit trail, in the caller's transaction, its hash keyed
        with the audit key.

        `details` keep values (before/after of a change): readers who may not see the family
        are shown them hidden (eha.audit.hide_values), but only for an entry with a
        `family_id`, so case data goes only in an entry that names its family. Search words
        never go in clear: pass them through `_search_words`.

        The chain head is updated first: that takes the write lock (PostgreSQL locks the row,
        SQLite the database) before the previous hash is read, so two writers queue rather
        than both chaining onto the same entry. Nothing in the application updates or
        deletes an entry once written. Raises nothing of its own; database errors propagate
        and roll back the change being recorded with it.
        """
        self.audit_many(session, actor, [(action, record, family_id, details or {})])

    def audit_many(
        self, session: Session, actor: Actor, entries: Sequence[tuple[AuditAction, str, str | None, Mapping[str, Any]]]
    ) -> None:
        """Append entries (action, record, family_id, details) to the trail, chained in order, with
        two statements on the chain head for them all: `audit` appends one this way, a bulk
        import one per family. What `audit` says of details, locking and errors holds here."""
        if not entries:
            return
        head = AuditChainHeadRow
        plain = {"synchronize_session": False}
        count = len(entries)
        session.execute(
            update(head).where(head.id == 1).values(last_seq=head.last_seq + count).execution_options(**plain)
        )
        last_seq, prev_hash = session.execute(select(head.last_seq, head.last_hash).where(head.id == 1)).one()
        for seq, (action, record, family_id, details) in enumerate(entries, start=last_seq - count + 1):
            fields: dict[str, Any] = {
                "seq": seq,
                "at": self._clock(),
                "actor": actor.username,
                "actor_role": actor.role.value,
                "action": action.value,
                "family_id": family_id,
                "record": record,
                "details": canonical(details or {}),
                "prev_hash": prev_hash,
            }
            prev_hash = entry_hash(key=self._audit_key, **fields)
            session.add(AuditEntryRow(**fields, hash=prev_hash))
        session.flush()
        session.execute(update(head).where(head.id == 1).values(last_hash=prev_hash).execution_options(**plain))

    def lead_token(self, key: str) -> str:
        """A lead professional (`eha.taf.lead_key`) as a page's address names them: a keyed
        hash under a key of its own derived from the audit key, so the address names nobody
        and a name cannot be guessed from it."""
        own_key = hmac.new(self._audit_key, b"my families: lead professional", hashlib.sha256).digest()
        return hmac.new(own_key, key.encode("utf-8"), hashlib.sha256).hexdigest()[:24]

    def search_words(self, words: str) -> str:
        """What the trail keeps of words someone searched for: their keyed hash."""
        return search_hash(self._audit_key, words)

    @staticmethod
    def add_to_team(
        session: Session, family_id: str, username: str, team_role: TeamRole, actor: Actor, now: datetime
    ) -> bool:
        """True if added; False if they already had that role in the team."""
        exists = session.scalar(
            select(FamilyTeamRow.id).where(
                FamilyTeamRow.family_id == family_id,
                FamilyTeamRow.username == username,
                FamilyTeamRow.team_role == team_role.value,
            )
        )
        if exists is not None:
            return False
        try:
            with session.begin_nested():
                session.add(
                    FamilyTeamRow(
                        family_id=family_id,
                        username=username,
                        team_role=team_role.value,
                        added_at=now,
                        added_by=actor.username,
                    )
                )
        except IntegrityError:
            return False  # added by someone else at the same moment (PostgreSQL)
        return True

    @staticmethod
    def practitioner_exists(session: Session, username: str) -> bool:
        """Whether `username` is an enabled practitioner's account (one who may lead or author)."""
        row = session.get(AccountRow, username)
        return row is not None and row.role == Role.PRACTITIONER.value and not row.disabled

    def locality(self, key: str) -> Locality:
        for locality in self.localities:
            if locality.key == key:
                return locality
        raise ValidationFailed({"locality": "Choose the family's LCSS locality."})

    @staticmethod
    def section(assessment: AssessmentRow, key: str) -> SectionRow | None:
        return next((s for s in assessment.sections if s.key == key), None)
