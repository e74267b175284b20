"""The service layer's core: one transaction per call, the one place access is decided, and
the audit trail every service writes to.

Areas of the practice (families, sections, the star, reviews) are mixins over `WorkbookCore`;
`storage.services.Workbook` puts them together.

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

import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Engine, false, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from eha.accounts import SignInPolicy
from eha.actor import READ_ONLY_MESSAGE, Actor, Role, TeamRole, may_see_case_data, may_write_case_content
from eha.audit import AuditAction, canonical, entry_hash, search_hash
from eha.errors import AccessDenied, NotFound, StaleRecord, ValidationFailed
from eha.localities import Locality
from eha.text import is_text
from storage.db import transaction
from storage.models import (
    AssessmentRow,
    AuditChainHeadRow,
    AuditEntryRow,
    FamilyRow,
    FamilyTeamRow,
    SectionRow,
)

LONDON = ZoneInfo("Europe/London")
# The key of a workbook built without one (tests that never check the chain): random for each
# process, so nothing it writes can be forged with a published key, nor verified once the
# process has ended. The app and the `eha` command always pass the configured EHA_AUDIT_KEY.
_PROCESS_AUDIT_KEY = secrets.token_bytes(32)


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Refused(AccessDenied):
    """AccessDenied that still has to be written to the audit trail.

    The refusing transaction rolls back, so `WorkbookCore._unit` records the refusal in a
    transaction of its own once the first has ended.
    """

    def __init__(self, actor: Actor, *, record: str, family_id: str | None, message: str | None = None) -> None:
        super().__init__(*([message] if message else []))
        self.actor = actor
        self.record = record
        self.family_id = family_id
        self.recorded = False


def _record_label(kind: str, requested: str) -> str:
    """The record a person asked for, safe to store: ids come from URLs and may be anything."""
    printable = "".join(ch for ch in requested if ch.isprintable())[:80]
    return f"{kind}:{printable}"


class WorkbookCore:
    def __init__(
        self,
        engine: Engine,
        *,
        localities: tuple[Locality, ...],
        clock: Callable[[], datetime] = utcnow,
        sign_in: SignInPolicy | None = None,
        audit_key: bytes | None = None,
    ) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._engine_for_turns = engine
        self._clock = clock
        self._audit_key = audit_key or _PROCESS_AUDIT_KEY
        self.localities = localities
        self.sign_in_policy = sign_in or SignInPolicy()

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _unit(self, *, read_only: bool = False) -> Iterator[Session]:
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
                    self._audit(
                        session,
                        refused.actor,
                        action=AuditAction.ACCESS_REFUSED,
                        record=refused.record,
                        family_id=refused.family_id,
                    )
            raise

    def today(self) -> date:
        return self._clock().astimezone(LONDON).date()

    def now(self) -> datetime:
        return self._clock()

    # -- who may see what -------------------------------------------------------------------

    def _in_scope(self, actor: Actor) -> ColumnElement[bool]:
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

    def _family_for(self, session: Session, family_id: str, actor: Actor, *, write: bool = False) -> FamilyRow:
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
            and session.scalar(select(FamilyRow.id).where(FamilyRow.id == family_id, self._in_scope(actor))) is not None
        )
        if family is None or not allowed:
            raise _Refused(
                actor,
                record=_record_label("family", family_id),
                family_id=family.id if family is not None else None,
            )
        if write:
            self._require_writer(actor, record=_record_label("family", family_id), family_id=family.id)
        return family

    def _assessment_for(
        self, session: Session, assessment_id: str, actor: Actor, *, write: bool = False
    ) -> AssessmentRow:
        """The assessment, if this person may see (with `write`, change) its family; otherwise
        as `_family_for`."""
        assessment = session.get(AssessmentRow, assessment_id) if is_text(assessment_id) else None
        if assessment is None:
            if actor.role is Role.SYSTEM:
                raise NotFound("There is no assessment with that id.")
            raise _Refused(actor, record=_record_label("assessment", assessment_id), family_id=None)
        try:
            self._family_for(session, assessment.family_id, actor, write=write)
        except _Refused as refused:
            refused.record = _record_label("assessment", assessment_id)
            raise
        return assessment

    def _require(self, allowed: bool, actor: Actor, *, record: str) -> None:
        """Refuse (and audit) an action this person's role does not allow."""
        if not allowed:
            raise _Refused(actor, record=record, family_id=None)

    def _require_writer(self, actor: Actor, *, record: str, family_id: str | None = None) -> None:
        """Refuse (and audit) a change of case content by someone who may at most read it. An
        LCSS reviewer is told why; anyone without case data gets the usual refusal."""
        if not may_write_case_content(actor):
            message = READ_ONLY_MESSAGE if may_see_case_data(actor) else None
            raise _Refused(actor, record=record, family_id=family_id, message=message)

    # -- the audit trail ---------------------------------------------------------------------

    def _audit(
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
        head = AuditChainHeadRow
        plain = {"synchronize_session": False}
        session.execute(update(head).where(head.id == 1).values(last_seq=head.last_seq + 1).execution_options(**plain))
        seq, prev_hash = session.execute(select(head.last_seq, head.last_hash).where(head.id == 1)).one()
        at = self._clock()
        text = canonical(details or {})
        role = actor.role.value
        digest = entry_hash(
            key=self._audit_key,
            seq=seq,
            at=at,
            actor=actor.username,
            actor_role=role,
            action=action.value,
            family_id=family_id,
            record=record,
            details=text,
            prev_hash=prev_hash,
        )
        session.add(
            AuditEntryRow(
                seq=seq,
                at=at,
                actor=actor.username,
                actor_role=role,
                action=action.value,
                family_id=family_id,
                record=record,
                details=text,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        session.flush()
        session.execute(update(head).where(head.id == 1).values(last_hash=digest).execution_options(**plain))

    def _search_words(self, words: str) -> str:
        """What the trail keeps of words someone searched for: their keyed hash."""
        return search_hash(self._audit_key, words)

    @staticmethod
    def _add_to_team(
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

    def _locality(self, key: str) -> Locality:
        for locality in self.localities:
            if locality.key == key:
                return locality
        raise ValidationFailed({"locality": "Choose the family's LCSS locality."})

    @staticmethod
    def _section(assessment: AssessmentRow, key: str) -> SectionRow | None:
        return next((s for s in assessment.sections if s.key == key), None)
