"""The service layer: what the pages and the command line call.

Every method that reads or writes case data takes the acting person (`actor`) and checks it
in `_family_for` (one family) or filters with `_in_scope` (lists), the one place where
who-may-see-what is enforced; every read, change, export and import writes one audit entry in
the same transaction. Methods raise the errors of `eha.errors`: ValidationFailed (field ->
message), StaleRecord, NotFound (system operator only), AccessDenied, DuplicateFamily,
ImportRefused. Each call is one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from eha import background as bg
from eha.actor import Actor, Role, TeamRole, may_see_case_data, may_write_case_content
from eha.audit import AuditAction, field_diff
from eha.background import Carer, Child, FamilyBackground, Member, SignificantAdult
from eha.errors import AlreadyImported, DuplicateFamily, ImportRefused, StaleRecord, ValidationFailed
from eha.family import (
    AssessmentStatus,
    AssessmentSummary,
    AssessmentView,
    FamilySummary,
    Saved,
    new_reference,
)
from eha.record import AssessmentRecord, FamilyRecord, SectionRecord, as_imported
from eha.record_rules import check_record
from eha.text import SHORT_MAX, fold, text_problem
from storage.accounts_service import Accounts
from storage.assessment_service import AssessmentSections
from storage.audit_service import AuditTrail
from storage.core import WorkbookCore
from storage.models import (
    AssessmentRow,
    AttachmentRow,
    FamilyRow,
    FamilyTeamRow,
    PersonIndexRow,
    SectionRow,
    StarReadingRow,
    TafMeetingRow,
)
from storage.sharing_service import SharingRecord
from storage.star_service import StarReadings, star_reading_records, star_reading_rows
from storage.taf_service import TafReviews, _practitioner_exists

BACKGROUND = "background"


def parse_search_date(text: str) -> date | None:
    """Dates as people type them: 14/03/2019, 14-03-2019 or 2019-03-14."""
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


class Workbook(TafReviews, StarReadings, AssessmentSections, SharingRecord, AuditTrail, Accounts, WorkbookCore):
    """Families and the family background. Other areas of the practice add mixins of their own."""

    # -- finding families ------------------------------------------------------------------

    def search_families(self, *, query: str, actor: Actor, limit: int = 50) -> list[FamilySummary]:
        """By a child's or carer's name, a date of birth, or a family reference; only among the
        families this person may see. Raises AccessDenied for a role without case data, and
        ValidationFailed (query) for a search that is not valid text or too long."""
        text = query.strip()
        with self._unit() as session:
            self._require(may_see_case_data(actor), actor, record="families")
            problem = text_problem(text, label="what you searched for", limit=SHORT_MAX)
            if problem:
                raise ValidationFailed({"query": problem})
            stmt = select(FamilyRow).where(self._in_scope(actor)).order_by(FamilyRow.updated_at.desc()).limit(limit)
            if text:
                born = parse_search_date(text)
                people = select(PersonIndexRow.family_id)
                if born:
                    people = people.where(PersonIndexRow.date_of_birth == born)
                else:
                    people = people.where(PersonIndexRow.name_key.contains(fold(text), autoescape=True))
                stmt = stmt.where((FamilyRow.reference == text.upper()) | FamilyRow.id.in_(people))
            found = [self._summary(f) for f in session.scalars(stmt)]
            # Who looked for whom is part of the trail, but the words typed (often a child's
            # name) only as their keyed hash, with the result count.
            self._audit(
                session,
                actor,
                action=AuditAction.SEARCHED,
                record="families",
                details={"query": self._search_words(text), "found": len(found)} if text else {"found": len(found)},
            )
            return found

    def list_families(self, *, actor: Actor) -> list[FamilySummary]:
        """Every family this person may see. Raises AccessDenied for a role without case data."""
        with self._unit() as session:
            self._require(may_see_case_data(actor), actor, record="families")
            rows = session.scalars(select(FamilyRow).where(self._in_scope(actor)).order_by(FamilyRow.reference))
            found = [self._summary(f) for f in rows]
            self._audit(session, actor, action=AuditAction.SEARCHED, record="families", details={"found": len(found)})
            return found

    def family(self, *, family_id: str, actor: Actor) -> FamilySummary:
        """One family. Raises AccessDenied outside the person's scope (or for an unknown id)."""
        with self._unit() as session:
            family = self._family_for(session, family_id, actor)
            self._audit(session, actor, action=AuditAction.VIEWED, record=f"family:{family.id}", family_id=family.id)
            return self._summary(family)

    @staticmethod
    def _summary(family: FamilyRow) -> FamilySummary:
        people = sorted(family.people, key=lambda p: p.id)
        return FamilySummary(
            family_id=family.id,
            reference=family.reference,
            locality=family.locality,
            children=tuple(p.name for p in people if p.kind == "child"),
            carers=tuple(p.name for p in people if p.kind == "carer"),
            assessments=tuple(
                AssessmentSummary(
                    assessment_id=a.id,
                    status=AssessmentStatus(a.status),
                    started_on=a.started_on,
                    updated_at=a.updated_at,
                )
                for a in family.assessments
            ),
        )

    def find_duplicate_child(self, session: Session, child: Child) -> FamilyRow | None:
        if child.date_of_birth is None:
            return None
        if session.get_bind().dialect.name == "postgresql":
            # The same child recorded twice at once: the second waits here until the first
            # commits, then finds it. (On SQLite the unit holds the write lock already.)
            key = f"child:{fold(child.name)}:{child.date_of_birth.isoformat()}"
            session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))
        match = select(PersonIndexRow).where(
            PersonIndexRow.kind == "child",
            PersonIndexRow.name_key == fold(child.name),
            PersonIndexRow.date_of_birth == child.date_of_birth,
        )
        person = session.scalars(match).first()
        return person.family if person else None

    # -- creating a family -----------------------------------------------------------------

    def create_family(
        self, *, locality: str, address: str, main_carer: Carer, child: Child, actor: Actor
    ) -> tuple[str, str]:
        """A new family with a draft assessment; returns (family_id, assessment_id).

        Raises DuplicateFamily when a child with this name and date of birth exists already,
        ValidationFailed for bad input, AccessDenied for anyone but a practitioner (or the
        system operator). The creator becomes the family's author, which is what lets a
        practitioner see it afterwards.
        """
        if not may_write_case_content(actor):
            with self._unit():
                self._require_writer(actor, record="families")
        today = self.today()
        errors: dict[str, str] = {}
        if not any(loc.key == locality for loc in self.localities):
            errors["locality"] = "Choose the family's LCSS locality."
        errors.update({f"child.{k}": v for k, v in bg.check_member(child, today=today).items()})
        errors.update({f"carer.{k}": v for k, v in bg.check_member(main_carer, today=today).items()})
        errors.update(bg.check_details(address=address, reason=""))
        if errors:
            raise ValidationFailed(errors)
        background = FamilyBackground(
            address=address,
            carers=(main_carer.model_copy(update={"main_carer": True}),),
            children=(child,),
        )
        with self._unit() as session:
            existing = self.find_duplicate_child(session, child)
            if existing is not None:
                raise DuplicateFamily(existing.id, existing.reference)
            now = self._clock()
            family = FamilyRow(
                id=str(uuid.uuid4()),
                reference=self._unused_reference(session),
                locality=locality,
                **_stamps(now, actor),
            )
            assessment = AssessmentRow(
                id=str(uuid.uuid4()),
                status=AssessmentStatus.DRAFT.value,
                started_on=today,
                **_stamps(now, actor),
            )
            family.assessments.append(assessment)
            assessment.sections.append(_section_row(BACKGROUND, background, now, actor))
            session.add(family)
            _reindex(family, background)
            session.flush()
            self._add_to_team(session, family.id, actor.username, TeamRole.AUTHOR, actor, now)
            self._audit(
                session,
                actor,
                action=AuditAction.CREATED,
                record=f"family:{family.id}",
                family_id=family.id,
                details={"reference": family.reference, "locality": locality, "assessment": assessment.id},
            )
            return family.id, assessment.id

    # -- the team around the family -----------------------------------------------------------

    def add_team_member(self, *, family_id: str, username: str, team_role: TeamRole, actor: Actor) -> None:
        """Add a practitioner to a family's team (lead professional, TAF member), so they can
        see it. Raises AccessDenied if the acting person cannot see the family."""
        with self._unit() as session:
            family = self._family_for(session, family_id, actor, write=True)
            problem = text_problem(username, label="the username", limit=SHORT_MAX, required=True)
            if problem:
                raise ValidationFailed({"username": problem})
            now = self._clock()
            if self._add_to_team(session, family.id, username, team_role, actor, now):
                self._audit(
                    session,
                    actor,
                    action=AuditAction.TEAM_CHANGED,
                    record=f"family:{family.id}",
                    family_id=family.id,
                    details={"added": username, "team_role": team_role.value},
                )

    def team(self, *, family_id: str, actor: Actor) -> list[tuple[str, TeamRole]]:
        """(username, role in the team) of everyone on the family's team."""
        with self._unit() as session:
            family = self._family_for(session, family_id, actor)
            rows = session.scalars(
                select(FamilyTeamRow).where(FamilyTeamRow.family_id == family.id).order_by(FamilyTeamRow.id)
            )
            return [(r.username, TeamRole(r.team_role)) for r in rows]

    @staticmethod
    def _unused_reference(session: Session) -> str:
        while True:
            reference = new_reference()
            if session.scalar(select(FamilyRow.id).where(FamilyRow.reference == reference)) is None:
                return reference

    # -- the background section ------------------------------------------------------------

    def open_assessment(self, *, assessment_id: str, actor: Actor) -> AssessmentView:
        """The assessment and its background section. Raises AccessDenied outside scope."""
        with self._unit() as session:
            assessment = self._assessment_for(session, assessment_id, actor)
            family = assessment.family
            section = self._section(assessment, BACKGROUND)
            self._audit(
                session,
                actor,
                action=AuditAction.VIEWED,
                record=f"assessment:{assessment.id}/{BACKGROUND}",
                family_id=family.id,
            )
            return AssessmentView(
                assessment_id=assessment.id,
                family_id=family.id,
                reference=family.reference,
                locality=family.locality,
                status=AssessmentStatus(assessment.status),
                started_on=assessment.started_on,
                background=FamilyBackground.model_validate(section.data) if section else FamilyBackground(),
                background_version=section.version if section else 0,
                background_saved=(Saved(section.version, section.updated_at, section.updated_by) if section else None),
                read_only=not may_write_case_content(actor),
            )

    def save_member(self, *, assessment_id: str, expected_version: int, member: Member, actor: Actor) -> Saved:
        """Add or change one person in the family background."""
        today = self.today()
        return self._change_background(
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda b: bg.with_member(b, member, today=today),
        )

    def remove_member(self, *, assessment_id: str, expected_version: int, member_id: str, actor: Actor) -> Saved:
        return self._change_background(
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda b: bg.without_member(b, member_id),
        )

    def save_details(
        self, *, assessment_id: str, expected_version: int, address: str, reason: str, actor: Actor
    ) -> Saved:
        """The family's main address and the reason for the assessment."""
        return self._change_background(
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda b: bg.with_details(b, address=address, reason=reason),
        )

    def _change_background(
        self,
        *,
        assessment_id: str,
        expected_version: int,
        actor: Actor,
        change: Callable[[FamilyBackground], FamilyBackground],
    ) -> Saved:
        with self._unit() as session:
            assessment = self._assessment_for(session, assessment_id, actor, write=True)
            if assessment.status == AssessmentStatus.CLOSED.value:
                raise ValidationFailed({"": "This assessment is closed and can no longer be changed."})
            now = self._clock()
            section = self._section(assessment, BACKGROUND)
            if section is None:
                section = _section_row(BACKGROUND, FamilyBackground(), now, actor)
                section.version = 0
                assessment.sections.append(section)
            elif section.version != expected_version:
                raise StaleRecord("The family background")
            before = section.data
            updated = change(FamilyBackground.model_validate(before))
            section.data = updated.model_dump(mode="json")
            section.updated_at, section.updated_by = now, actor.username
            assessment.updated_at, assessment.updated_by = now, actor.username
            _reindex(assessment.family, updated)
            # Last, once everything is changed: the audit's write flushes, one version step.
            self._audit(
                session,
                actor,
                action=AuditAction.CHANGED,
                record=f"assessment:{assessment.id}/{BACKGROUND}",
                family_id=assessment.family_id,
                details={"changes": field_diff(before, section.data)},
            )
            session.flush()
            return Saved(section.version, now, actor.username)

    # -- export and import -----------------------------------------------------------------

    def export_family(self, *, family_id: str, actor: Actor) -> FamilyRecord:
        """The whole family record for `eha export`. Raises AccessDenied outside scope."""
        with self._unit() as session:
            family = self._family_for(session, family_id, actor)
            self._audit(
                session,
                actor,
                action=AuditAction.EXPORTED,
                record=f"family:{family.id}",
                family_id=family.id,
                details={"reference": family.reference, "format": "json"},
            )
            return FamilyRecord(
                id=family.id,
                reference=family.reference,
                locality=family.locality,
                created_at=family.created_at,
                created_by=family.created_by,
                updated_at=family.updated_at,
                updated_by=family.updated_by,
                assessments=tuple(
                    AssessmentRecord(
                        id=a.id,
                        status=AssessmentStatus(a.status),
                        started_on=a.started_on,
                        created_at=a.created_at,
                        created_by=a.created_by,
                        updated_at=a.updated_at,
                        updated_by=a.updated_by,
                        sections={
                            s.key: SectionRecord(data=s.data, updated_at=s.updated_at, updated_by=s.updated_by)
                            for s in sorted(a.sections, key=lambda s: s.key)
                        },
                        star_readings=star_reading_records(a),
                        taf_meetings=self._meeting_records(a),
                        **self._assessment_extras(a),
                    )
                    for a in family.assessments
                ),
            )

    def family_of_assessment(self, *, assessment_id: str, actor: Actor) -> str:
        """The family an assessment belongs to. Raises AccessDenied outside scope."""
        with self._unit() as session:
            return self._assessment_for(session, assessment_id, actor).family_id

    def import_family(self, *, record: FamilyRecord, actor: Actor, author: str | None = None) -> str:
        """Load an exported family into this database, through the rules the screens apply.

        The person importing becomes the author of the family and of its assessments (and joins
        its team as author); each assessment's "imported" note keeps the file's authors. The
        system operator may name a practitioner account as `author` instead. Practitioners and
        the system operator import; LCSS reviewers (who do not write case content) and
        administrators (no case data) are refused. Everything is checked before anything is
        written, in one transaction.

        Raises AccessDenied (anyone who may not write case content), ImportRefused (one line
        saying where in the file; AlreadyImported when the family's id or reference is taken) or
        DuplicateFamily (a child with the same name and date of birth is already recorded).
        """
        self._may_import(actor)
        if author is not None and actor.role is not Role.SYSTEM:
            raise ImportRefused("Only the system operator may import a record on someone else's behalf.")
        if all(loc.key != record.locality for loc in self.localities):
            names = ", ".join(loc.key for loc in self.localities)
            raise ImportRefused(f"the record: the family's locality is not one of this workbook's ({names}).")
        check_record(record, today=self.today(), upload_limit=self.upload_limit)
        latest = next((a.sections[BACKGROUND] for a in reversed(record.assessments) if BACKGROUND in a.sections), None)
        background = FamilyBackground.model_validate(latest.data) if latest is not None else None
        try:
            with self._unit() as session:
                new_author = actor.username if author is None else author
                if author is not None and not _practitioner_exists(session, author):
                    raise ImportRefused(f"There is no practitioner account {author!r} to be the record's author.")
                self._refuse_collisions(session, record)
                for child in background.children if background else ():
                    existing = self.find_duplicate_child(session, child)
                    if existing is not None:
                        raise DuplicateFamily(existing.id, existing.reference)
                now = self._clock()
                stored = as_imported(record, author=new_author, by=actor.username, at=now)
                family = FamilyRow(
                    id=stored.id,
                    reference=stored.reference,
                    locality=stored.locality,
                    created_at=stored.created_at,
                    created_by=stored.created_by,
                    updated_at=stored.updated_at,
                    updated_by=stored.updated_by,
                )
                for a in stored.assessments:
                    row = AssessmentRow(
                        id=a.id,
                        status=a.status.value,
                        started_on=a.started_on,
                        created_at=a.created_at,
                        created_by=a.created_by,
                        updated_at=a.updated_at,
                        updated_by=a.updated_by,
                    )
                    for key, s in a.sections.items():
                        row.sections.append(
                            SectionRow(key=key, data=s.data, updated_at=s.updated_at, updated_by=s.updated_by)
                        )
                    row.star_readings.extend(star_reading_rows(a))
                    self._restore_extras(row, a)
                    self._restore_meetings(row, a)
                    family.assessments.append(row)
                session.add(family)
                if background is not None:
                    _reindex(family, background)
                session.flush()
                self._add_to_team(session, family.id, new_author, TeamRole.AUTHOR, actor, now)
                self._audit(
                    session,
                    actor,
                    action=AuditAction.IMPORTED,
                    record=f"family:{family.id}",
                    family_id=family.id,
                    details={"reference": family.reference, "author": new_author, "file_author": record.created_by},
                )
                return family.id
        except IntegrityError:
            # Checked above; this is someone else writing the same ids between the check and now.
            raise ImportRefused(
                "the record: an id or the reference in it was taken by another record just now; nothing was imported."
            ) from None
        except DataError:
            # Every value is checked above; should one still not fit the database, say so in a line.
            raise ImportRefused(
                "the record: a value in it cannot be stored by this database; nothing was imported."
            ) from None

    def _may_import(self, actor: Actor) -> None:
        """Those who write case content import (practitioners and the system operator); anyone
        else is refused, audited, as any other change would be. Raises AccessDenied."""
        if not may_write_case_content(actor):
            with self._unit():
                self._require_writer(actor, record="families:import")

    @staticmethod
    def _refuse_collisions(session: Session, record: FamilyRecord) -> None:
        """Refuse a record whose family, reference or any part's id is already in the database."""
        if session.get(FamilyRow, record.id) is not None:
            raise AlreadyImported(f"The family {record.reference} is already in this database.")
        if session.scalar(select(FamilyRow.id).where(FamilyRow.reference == record.reference)) is not None:
            raise AlreadyImported(f"Another family already uses the reference {record.reference}.")
        parts: list[tuple[str, str, type[AssessmentRow | StarReadingRow | TafMeetingRow | AttachmentRow]]] = []
        for n, a in enumerate(record.assessments, start=1):
            parts.append((f"assessment {n}", a.id, AssessmentRow))
            parts += [
                (f"assessment {n}, star reading {i}", str(r.reading["id"]), StarReadingRow)
                for i, r in enumerate(a.star_readings, start=1)
            ]
            parts += [(f"assessment {n}, TAF meeting {m.number}", m.id, TafMeetingRow) for m in a.taf_meetings]
            parts += [
                (f"assessment {n}, attachment {i}", f.id, AttachmentRow) for i, f in enumerate(a.attachments, start=1)
            ]
        for table in (AssessmentRow, StarReadingRow, TafMeetingRow, AttachmentRow):
            ids = [part_id for _, part_id, kind in parts if kind is table]
            taken = set(session.scalars(select(table.id).where(table.id.in_(ids)))) if ids else set()
            for where, part_id, kind in parts:
                if kind is table and part_id in taken:
                    raise ImportRefused(f"{where}: a record with this id is already in this database.")


def _stamps(now: datetime, actor: Actor) -> dict[str, Any]:
    return {"created_at": now, "created_by": actor.username, "updated_at": now, "updated_by": actor.username}


def _section_row(key: str, data: FamilyBackground, now: datetime, actor: Actor) -> SectionRow:
    return SectionRow(key=key, data=data.model_dump(mode="json"), updated_at=now, updated_by=actor.username)


def _reindex(family: FamilyRow, background: FamilyBackground) -> None:
    """Keep the search index in step with the latest background, in the same transaction."""
    family.people.clear()
    people: list[Carer | Child | SignificantAdult] = [*background.carers, *background.children, *background.adults]
    for member in people:
        born = member.date_of_birth if isinstance(member, Carer | Child) else None
        family.people.append(
            PersonIndexRow(
                member_id=member.id,
                kind=member.kind,
                name=member.name,
                name_key=fold(member.name),
                date_of_birth=born,
            )
        )
