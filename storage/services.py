"""The service layer: what the pages and the command line call.

Every method that reads or writes case data takes the acting person (`actor`) and checks it
in `WorkbookCore.family_for` (one family) or filters with `WorkbookCore.in_scope` (lists), the one place where
who-may-see-what is enforced; every read, change, export and import writes one audit entry in
the same transaction. Methods raise the errors of `eha.errors`: ValidationFailed (field ->
message), StaleRecord, NotFound (system operator only), AccessDenied, DuplicateFamily,
ImportRefused. Each call is one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from eha import background as bg
from eha.accounts import SignInPolicy
from eha.actor import Actor, Role, TeamRole, may_see_case_data, may_write_case_content
from eha.attachments import DEFAULT_LIMIT_BYTES
from eha.audit import AuditAction
from eha.background import Carer, Child, FamilyBackground
from eha.config import MashContact, load_consent_wording, load_mash
from eha.consent import Consent, ConsentWording
from eha.errors import AlreadyImported, DuplicateFamily, ImportRefused, ValidationFailed, raise_if
from eha.family import AssessmentStatus, AssessmentSummary, FamilySummary, new_reference
from eha.localities import Locality
from eha.paging import PER_PAGE, Page
from eha.recipients import Directory, load_directory
from eha.record import AssessmentRecord, FamilyRecord, SectionRecord, as_imported
from eha.record_rules import check_record
from eha.taf import LEAD_KEY, LeadHistory
from eha.text import SHORT_MAX, fold, text_problem
from storage.accounts_service import Accounts
from storage.assessment_service import AssessmentSections, exported_extras, reindex, restore_extras
from storage.audit_service import AuditTrail
from storage.contacts_service import ContactLog, contact_records, contact_rows
from storage.core import WorkbookCore, utcnow
from storage.documents_service import Documents
from storage.models import (
    AssessmentRow,
    AttachmentRow,
    FamilyContactRow,
    FamilyRow,
    FamilyTeamRow,
    PersonIndexRow,
    SectionRow,
    SharingDecisionRow,
    StarReadingRow,
    TafMeetingRow,
)
from storage.name_index import families_named
from storage.paging import paged
from storage.sharing_service import SharingRecord, restore_sharing, sharing_records
from storage.star_service import StarReadings, star_reading_records, star_reading_rows
from storage.taf_service import TafReviews, note_lead, restore_taf_meetings, taf_meeting_records

BACKGROUND = "background"
CONSENT = "consent"
# Families written in one transaction by `Families.import_records`: large enough that commits
# cost little, small enough that a batch's rows and its write lock are held briefly.
IMPORT_BATCH = 200


@dataclass
class ImportTally:
    """What a bulk import did: families imported, and those skipped because the family is
    already in this database or one of its children is already recorded."""

    imported: int = 0
    already_here: int = 0
    same_child: int = 0

    def add(self, other: ImportTally) -> None:
        self.imported += other.imported
        self.already_here += other.already_here
        self.same_child += other.same_child


def parse_search_date(text: str) -> date | None:
    """Dates as people type them: 14/03/2019, 14-03-2019 or 2019-03-14."""
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _family_summary(
    family_id: str,
    reference: str,
    locality: str,
    people: list[tuple[str, str]],
    assessments: list[AssessmentSummary],
) -> FamilySummary:
    """A family as lists show it: `people` as (kind, name) in the index's order, `assessments`
    oldest first."""
    return FamilySummary(
        family_id=family_id,
        reference=reference,
        locality=locality,
        children=tuple(name for kind, name in people if kind == "child"),
        carers=tuple(name for kind, name in people if kind == "carer"),
        assessments=tuple(assessments),
    )


class Families:
    """Finding, creating, exporting and importing families, and their team: `workbook.families`."""

    def __init__(self, core: WorkbookCore, *, upload_limit: int) -> None:
        self._core = core
        self.upload_limit = upload_limit

    # -- finding families ------------------------------------------------------------------

    def search(self, *, query: str, actor: Actor, page: int = 1, per_page: int = PER_PAGE) -> Page[FamilySummary]:
        """By a person's name (every word typed begins a word of one person's name, case and
        accents folded: "zoe now" finds Zoë Nowak), a date of birth, or a family reference;
        only among the families this person may see; the most recently changed first, a page at a time (a
        page past the last is the last). Raises AccessDenied for a role without case data,
        ValidationFailed (query) for a search that is not valid text or too long, and
        ValidationFailed (per_page) outside 1..200."""
        text = query.strip()
        with self._core.unit() as session:
            self._core.require(may_see_case_data(actor), actor, record="families")
            problem = text_problem(text, label="what you searched for", limit=SHORT_MAX)
            if problem:
                raise ValidationFailed({"query": problem})
            stmt = select(FamilyRow).where(self._core.in_scope(actor))
            if text:
                born = parse_search_date(text)
                # A date of birth, else a name: every word begins a word of one person's name.
                people = (
                    select(PersonIndexRow.family_id).where(PersonIndexRow.date_of_birth == born)
                    if born
                    else families_named(text)
                )
                stmt = stmt.where((FamilyRow.reference == text.upper()) | FamilyRow.id.in_(people))
            found = self._page(
                session, stmt.order_by(FamilyRow.updated_at.desc(), FamilyRow.id), page=page, per_page=per_page
            )
            # Who looked for whom is part of the trail, but the words typed (often a child's
            # name) only as their keyed hash, with the result count: one entry per page read.
            shown = {"found": found.total, "page": found.page}
            self._core.audit(
                session,
                actor,
                action=AuditAction.SEARCHED,
                record="families",
                details={"query": self._core.search_words(text), **shown} if text else shown,
            )
            return found

    def all(self, *, actor: Actor, page: int = 1, per_page: int = PER_PAGE) -> Page[FamilySummary]:
        """Every family this person may see, by reference, a page at a time (a page past the
        last is the last). Raises AccessDenied for a role without case data, ValidationFailed
        (per_page) outside 1..200."""
        with self._core.unit() as session:
            self._core.require(may_see_case_data(actor), actor, record="families")
            stmt = select(FamilyRow).where(self._core.in_scope(actor)).order_by(FamilyRow.reference)
            found = self._page(session, stmt, page=page, per_page=per_page)
            self._core.audit(
                session,
                actor,
                action=AuditAction.SEARCHED,
                record="families",
                details={"found": found.total, "page": found.page},
            )
            return found

    def _page(self, session: Session, stmt: Select[FamilyRow], *, page: int, per_page: int) -> Page[FamilySummary]:
        """One page of families with what each summary shows: a COUNT, the page's families, and
        one statement each for their people and their assessments, however many rows. Columns,
        not mapped objects: a list shows a few fields of each row, and building the objects
        (and their identity map) cost several times the query itself."""
        limited, total, shown = paged(session, stmt, page=page, per_page=per_page)
        families = session.execute(limited.with_only_columns(FamilyRow.id, FamilyRow.reference, FamilyRow.locality))
        page_rows = families.all()
        ids = [family_id for family_id, _, _ in page_rows]
        people: dict[str, list[tuple[str, str]]] = {family_id: [] for family_id in ids}
        for family_id, kind, name in session.execute(
            select(PersonIndexRow.family_id, PersonIndexRow.kind, PersonIndexRow.name)
            .where(PersonIndexRow.family_id.in_(ids))
            .order_by(PersonIndexRow.id)
        ):
            people[family_id].append((kind, name))
        assessments: dict[str, list[AssessmentSummary]] = {family_id: [] for family_id in ids}
        for family_id, assessment_id, status, started_on, updated_at in session.execute(
            select(
                AssessmentRow.family_id,
                AssessmentRow.id,
                AssessmentRow.status,
                AssessmentRow.started_on,
                AssessmentRow.updated_at,
            )
            .where(AssessmentRow.family_id.in_(ids))
            .order_by(AssessmentRow.created_at)
        ):
            assessments[family_id].append(
                AssessmentSummary(
                    assessment_id=assessment_id,
                    status=AssessmentStatus(status),
                    started_on=started_on,
                    updated_at=updated_at,
                )
            )
        summaries = tuple(
            _family_summary(family_id, reference, locality, people[family_id], assessments[family_id])
            for family_id, reference, locality in page_rows
        )
        return Page(summaries, total=total, page=shown, per_page=per_page)

    def get(self, *, family_id: str, actor: Actor) -> FamilySummary:
        """One family, with its contact log: what the family's page draws, in one audited view.
        Raises AccessDenied outside the person's scope (or for an unknown id)."""
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor)
            self._core.audit(
                session, actor, action=AuditAction.VIEWED, record=f"family:{family.id}", family_id=family.id
            )
            return replace(self._summary(family), contacts=contact_records(family))

    @staticmethod
    def _summary(family: FamilyRow) -> FamilySummary:
        return _family_summary(
            family.id,
            family.reference,
            family.locality,
            [(p.kind, p.name) for p in sorted(family.people, key=lambda p: p.id)],
            [
                AssessmentSummary(
                    assessment_id=a.id,
                    status=AssessmentStatus(a.status),
                    started_on=a.started_on,
                    updated_at=a.updated_at,
                )
                for a in family.assessments
            ],
        )

    def _duplicate_child(self, session: Session, child: Child) -> FamilyRow | None:
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

    def create(self, *, locality: str, address: str, main_carer: Carer, child: Child, actor: Actor) -> tuple[str, str]:
        """A new family with a draft assessment; returns (family_id, assessment_id).

        Raises DuplicateFamily when a child with this name and date of birth exists already,
        ValidationFailed for bad input, AccessDenied for anyone but a practitioner (or the
        system operator). The creator becomes the family's author, which is what lets a
        practitioner see it afterwards.
        """
        if not may_write_case_content(actor):
            with self._core.unit():
                self._core.require_writer(actor, record="families")
        today = self._core.today()
        errors: dict[str, str] = {}
        if not any(loc.key == locality for loc in self._core.localities):
            errors["locality"] = "Choose the family's LCSS locality."
        errors.update({f"child.{k}": v for k, v in bg.check_member(child, today=today).items()})
        errors.update({f"carer.{k}": v for k, v in bg.check_member(main_carer, today=today).items()})
        errors.update(bg.check_details(address=address, reason=""))
        raise_if(errors)
        background = FamilyBackground(
            address=address,
            carers=(main_carer.model_copy(update={"main_carer": True}),),
            children=(child,),
        )
        with self._core.unit() as session:
            existing = self._duplicate_child(session, child)
            if existing is not None:
                raise DuplicateFamily(existing.id, existing.reference)
            now = self._core.now()
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
            reindex(family, background)
            session.flush()
            self._core.add_to_team(session, family.id, actor.username, TeamRole.AUTHOR, actor, now)
            self._core.audit(
                session,
                actor,
                action=AuditAction.CREATED,
                record=f"family:{family.id}",
                family_id=family.id,
                details={"reference": family.reference, "locality": locality, "assessment": assessment.id},
            )
            return family.id, assessment.id

    # -- the team around the family -----------------------------------------------------------

    def add_to_team(self, *, family_id: str, username: str, team_role: TeamRole, actor: Actor) -> None:
        """Add a practitioner to a family's team (lead professional, TAF member), so they can
        see it. Raises AccessDenied if the acting person cannot see the family."""
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor, write=True)
            problem = text_problem(username, label="the username", limit=SHORT_MAX, required=True)
            if problem:
                raise ValidationFailed({"username": problem})
            now = self._core.now()
            if self._core.add_to_team(session, family.id, username, team_role, actor, now):
                self._core.audit(
                    session,
                    actor,
                    action=AuditAction.TEAM_CHANGED,
                    record=f"family:{family.id}",
                    family_id=family.id,
                    details={"added": username, "team_role": team_role.value},
                )

    def team(self, *, family_id: str, actor: Actor) -> list[tuple[str, TeamRole]]:
        """(username, role in the team) of everyone on the family's team."""
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor)
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

    # -- export and import -----------------------------------------------------------------

    def export(self, *, family_id: str, actor: Actor) -> FamilyRecord:
        """The whole family record for `eha export`. Raises AccessDenied outside scope."""
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor)
            self._core.audit(
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
                        taf_meetings=taf_meeting_records(a),
                        **exported_extras(a),
                    )
                    for a in family.assessments
                ),
                contacts=contact_records(family),
                sharing=sharing_records(session, family.id),
            )

    def of_assessment(self, *, assessment_id: str, actor: Actor) -> str:
        """The family an assessment belongs to. Raises AccessDenied outside scope."""
        with self._core.unit() as session:
            return self._core.assessment_for(session, assessment_id, actor).family_id

    def import_record(self, *, record: FamilyRecord, actor: Actor, author: str | None = None) -> str:
        """Load an exported family into this database, through the rules the screens apply.

        The person importing becomes the author of the family and of its assessments (and joins
        its team as author); each assessment's "imported" note keeps the file's authors. The
        system operator may name a practitioner account as `author` instead. A lead
        professional the record names by a practitioner account of this workbook joins the
        team as lead, as agreeing them on the TAF page does. Practitioners and the system
        operator import; LCSS reviewers (who do not write case content) and administrators (no
        case data) are refused. Everything is checked before anything is written, in one
        transaction.

        Raises AccessDenied (anyone who may not write case content), ImportRefused (one line
        saying where in the file; AlreadyImported when the family's id or reference is taken) or
        DuplicateFamily (a child with the same name and date of birth is already recorded).
        """
        self._may_import(actor)
        if author is not None and actor.role is not Role.SYSTEM:
            raise ImportRefused("Only the system operator may import a record on someone else's behalf.")
        background = self._checked(record)
        try:
            with self._core.unit() as session:
                new_author = actor.username if author is None else author
                if author is not None and not self._core.practitioner_exists(session, author):
                    raise ImportRefused(f"There is no practitioner account {author!r} to be the record's author.")
                return self._store(session, record, background, author=new_author, actor=actor)
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

    def import_records(
        self,
        *,
        records: Iterable[FamilyRecord],
        actor: Actor,
        author: str | None = None,
        file_authors: bool = False,
        batch_size: int = IMPORT_BATCH,
    ) -> ImportTally:
        """Many family records, each imported as `import_record` imports one, for loads too
        large for a transaction each (`eha demo --families 20000`).

        Every record goes through the same checks (`_checked`: its locality and
        `eha.record_rules.check_record`, before the write lock is taken) and the same write
        (`_store`: ids and reference not taken, no child already recorded, the rows, the team,
        one audit entry); only the transaction is shared: `batch_size` records are written in
        one, so a load pays one commit per batch instead of one per family. `records` may be a
        generator; at most one batch is held at a time.

        A record whose family is already here (AlreadyImported) or one of whose children is
        already recorded (DuplicateFamily), in the database or earlier in the same load, is
        skipped and counted, not fatal. Should another writer take an id while a batch is
        written, that batch is written again one record per transaction. With `file_authors`
        (system operator only), each record's own author (its `created_by`, a practitioner
        account here) stays its author; otherwise `author` is as for `import_record`.

        Raises AccessDenied and ImportRefused as `import_record` does (a record the checks
        refuse stops the load there, naming the family's reference; the batches before it
        stay written).
        """
        self._may_import(actor)
        if (author is not None or file_authors) and actor.role is not Role.SYSTEM:
            raise ImportRefused("Only the system operator may import a record on someone else's behalf.")
        tally = ImportTally()
        batch: list[tuple[FamilyRecord, FamilyBackground | None]] = []
        for record in records:
            try:
                batch.append((record, self._checked(record)))
            except ImportRefused as refused:
                raise ImportRefused(f"{record.reference}: {refused}") from None
            if len(batch) >= batch_size:
                self._store_batch(batch, actor, author=author, file_authors=file_authors, tally=tally)
                batch = []
        if batch:
            self._store_batch(batch, actor, author=author, file_authors=file_authors, tally=tally)
        return tally

    def _store_batch(
        self,
        batch: list[tuple[FamilyRecord, FamilyBackground | None]],
        actor: Actor,
        *,
        author: str | None,
        file_authors: bool,
        tally: ImportTally,
    ) -> None:
        """One batch of checked records in one transaction; skips counted in `tally`."""
        counted = ImportTally()
        try:
            with self._core.unit() as session, session.no_autoflush:
                # Nothing is flushed until the batch is staged: the checks' queries see the
                # database, and what this batch holds already is checked here.
                practitioners: dict[str, bool] = {}
                audits: list[tuple[AuditAction, str, str | None, dict[str, Any]]] = []
                families: set[str] = set()
                children: set[tuple[str, date]] = set()
                for record, background in batch:
                    new_author = record.created_by if file_authors else author or actor.username
                    if (file_authors or author is not None) and not practitioners.setdefault(
                        new_author, self._core.practitioner_exists(session, new_author)
                    ):
                        raise ImportRefused(
                            f"{record.reference}: there is no practitioner account {new_author!r} to be its author."
                        )
                    keys = (
                        {(fold(c.name), c.date_of_birth) for c in background.children if c.date_of_birth}
                        if background
                        else set()
                    )
                    if record.id in families or record.reference in families:
                        counted.already_here += 1
                        continue
                    if keys & children:
                        counted.same_child += 1
                        continue
                    try:
                        self._store(session, record, background, author=new_author, actor=actor, audits=audits)
                        counted.imported += 1
                        families |= {record.id, record.reference}
                        children |= keys
                    except AlreadyImported:
                        counted.already_here += 1
                    except DuplicateFamily:
                        counted.same_child += 1
                session.flush()
                self._core.audit_many(session, actor, audits)
        except IntegrityError:
            # Someone else wrote one of these ids meanwhile: one record per transaction sorts
            # out which (each then succeeds, is skipped, or is refused alone).
            counted = ImportTally()
            for record, _ in batch:
                try:
                    name = record.created_by if file_authors else author
                    self.import_record(record=record, actor=actor, author=name)
                    counted.imported += 1
                except AlreadyImported:
                    counted.already_here += 1
                except DuplicateFamily:
                    counted.same_child += 1
        tally.add(counted)

    def _checked(self, record: FamilyRecord) -> FamilyBackground | None:
        """The checks of every import, before any transaction: the locality is one of this
        workbook's and every piece obeys the screens' rules (`check_record`). Returns the
        latest family background, which the duplicate check and the search index read.
        Raises ImportRefused."""
        if all(loc.key != record.locality for loc in self._core.localities):
            names = ", ".join(loc.key for loc in self._core.localities)
            raise ImportRefused(f"the record: the family's locality is not one of this workbook's ({names}).")
        check_record(record, today=self._core.today(), upload_limit=self.upload_limit)
        latest = next((a.sections[BACKGROUND] for a in reversed(record.assessments) if BACKGROUND in a.sections), None)
        return FamilyBackground.model_validate(latest.data) if latest is not None else None

    def _store(
        self,
        session: Session,
        record: FamilyRecord,
        background: FamilyBackground | None,
        *,
        author: str,
        actor: Actor,
        audits: list[tuple[AuditAction, str, str | None, dict[str, Any]]] | None = None,
    ) -> str:
        """The one place a family record is written (`import_record`, `import_records`): refuses
        a record whose ids are taken or whose child is already recorded before adding anything,
        then the family, its assessments and their parts, the search index, the record of
        sharing, the team (author, and leads with an account here) and one audit entry.
        Raises AlreadyImported, ImportRefused, DuplicateFamily."""
        self._refuse_collisions(session, record)
        for child in background.children if background else ():
            existing = self._duplicate_child(session, child)
            if existing is not None:
                raise DuplicateFamily(existing.id, existing.reference)
        now = self._core.now()
        stored = as_imported(record, author=author, by=actor.username, at=now)
        family = FamilyRow(
            id=stored.id,
            reference=stored.reference,
            locality=stored.locality,
            created_at=stored.created_at,
            created_by=stored.created_by,
            updated_at=stored.updated_at,
            updated_by=stored.updated_by,
        )
        leads: list[str] = []
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
                # A consent document of the single-record shape is stored as the history
                # of decisions it reads as (eha.consent.from_single_record), as migrated.
                data = Consent.model_validate(s.data).model_dump(mode="json") if key == CONSENT else s.data
                row.sections.append(SectionRow(key=key, data=data, updated_at=s.updated_at, updated_by=s.updated_by))
                if key == LEAD_KEY:
                    leads += [t.lead.username for t in LeadHistory.model_validate(s.data).terms if t.lead.username]
            row.star_readings.extend(star_reading_rows(a))
            restore_extras(row, a, upload_limit=self.upload_limit)
            restore_taf_meetings(row, a)
            note_lead(row)  # My families filters by lead in SQL (storage.taf_service)
            family.assessments.append(row)
        family.contacts.extend(contact_rows(stored.contacts))
        # The family is new in this transaction, so nobody else can have put anyone in its team.
        team = [(author, TeamRole.AUTHOR)]
        for username in dict.fromkeys(leads):
            if username != author and self._core.practitioner_exists(session, username):
                team.append((username, TeamRole.LEAD))
        session.add(family)
        if background is not None:
            reindex(family, background)
        session.add_all(
            FamilyTeamRow(family_id=family.id, username=u, team_role=r.value, added_at=now, added_by=actor.username)
            for u, r in team
        )
        restore_sharing(session, family.id, stored.sharing)
        details: dict[str, Any] = {"reference": family.reference, "author": author, "file_author": record.created_by}
        if len(team) > 1:
            details["leads"] = [u for u, _ in team[1:]]
        entry = (AuditAction.IMPORTED, f"family:{family.id}", family.id, details)
        if audits is None:
            session.flush()
            self._core.audit(session, actor, action=entry[0], record=entry[1], family_id=entry[2], details=details)
        else:
            audits.append(entry)  # written with the batch's (`WorkbookCore.audit_many`)
        return family.id

    def _may_import(self, actor: Actor) -> None:
        """Those who write case content import (practitioners and the system operator); anyone
        else is refused, audited, as any other change would be. Raises AccessDenied."""
        if not may_write_case_content(actor):
            with self._core.unit():
                self._core.require_writer(actor, record="families:import")

    @staticmethod
    def _refuse_collisions(session: Session, record: FamilyRecord) -> None:
        """Refuse a record whose family, reference or any part's id is already in the database."""
        if session.get(FamilyRow, record.id) is not None:
            raise AlreadyImported(f"The family {record.reference} is already in this database.")
        if session.scalar(select(FamilyRow.id).where(FamilyRow.reference == record.reference)) is not None:
            raise AlreadyImported(f"Another family already uses the reference {record.reference}.")
        parts: list[
            tuple[
                str,
                str,
                type[
                    AssessmentRow
                    | StarReadingRow
                    | TafMeetingRow
                    | AttachmentRow
                    | FamilyContactRow
                    | SharingDecisionRow
                ],
            ]
        ] = [(f"contact {i}", c.id, FamilyContactRow) for i, c in enumerate(record.contacts, start=1)]
        parts += [
            (f"the record of sharing, entry {i}", e.id, SharingDecisionRow) for i, e in enumerate(record.sharing, 1)
        ]
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
        for table in (
            AssessmentRow,
            StarReadingRow,
            TafMeetingRow,
            AttachmentRow,
            FamilyContactRow,
            SharingDecisionRow,
        ):
            ids = [part_id for _, part_id, kind in parts if kind is table]
            taken = set(session.scalars(select(table.id).where(table.id.in_(ids)))) if ids else set()
            for where, part_id, kind in parts:
                if kind is table and part_id in taken:
                    raise ImportRefused(f"{where}: a record with this id is already in this database.")


def _stamps(now: datetime, actor: Actor) -> dict[str, Any]:
    return {"created_at": now, "created_by": actor.username, "updated_at": now, "updated_by": actor.username}


def _section_row(key: str, data: FamilyBackground, now: datetime, actor: Actor) -> SectionRow:
    return SectionRow(key=key, data=data.model_dump(mode="json"), updated_at=now, updated_by=actor.username)


class Workbook:
    """What the pages and the command line call: one service per area of the practice, each
    given the core (`storage.core.WorkbookCore`: the transaction, the access check, the write
    path, the audit trail) and what else it needs, by name.

    `workbook.families` finding, creating, exporting and importing families, their team
    `workbook.assessments` opening an assessment; sections 1 to 6, consent, completing it
    `workbook.star` Family Star Plus readings
    `workbook.taf` TAF meetings, the lead professional, closing the TAF, My families
    `workbook.sharing` the record of information-sharing decisions
    `workbook.documents` the PDFs: making one for LCSS, a professional, the family or oneself
    `workbook.contacts` the contact log: visits, calls, messages and meetings outside the TAF
    `workbook.accounts` accounts and signing in
    `workbook.audit` the audit trail: reading it, verifying and anchoring its chain
    """

    def __init__(
        self,
        engine: Engine,
        *,
        localities: tuple[Locality, ...],
        clock: Callable[[], datetime] = utcnow,
        sign_in: SignInPolicy | None = None,
        audit_key: bytes | None = None,
        mash: MashContact | None = None,
        consent_wording: ConsentWording | None = None,
        directory: Directory | None = None,
        upload_limit: int = DEFAULT_LIMIT_BYTES,
    ) -> None:
        core = WorkbookCore(engine, localities=localities, clock=clock, audit_key=audit_key)
        self._core = core
        self.localities = localities
        # The local agencies and services consent and sharing decisions pick from.
        self.directory = directory or load_directory()
        self.families = Families(core, upload_limit=upload_limit)
        self.assessments = AssessmentSections(
            core,
            mash=mash or load_mash(),
            consent_wording=consent_wording or load_consent_wording(),
            directory=self.directory,
            upload_limit=upload_limit,
        )
        self.star = StarReadings(core)
        self.taf = TafReviews(core)
        self.sharing = SharingRecord(core, directory=self.directory)
        self.documents = Documents(core, sharing=self.sharing, directory=self.directory)
        self.contacts = ContactLog(core)
        self.accounts = Accounts(core, policy=sign_in or SignInPolicy())
        self.audit = AuditTrail(core)

    def today(self) -> date:
        """Today in England, by the workbook's clock."""
        return self._core.today()

    def now(self) -> datetime:
        """The workbook's clock (UTC)."""
        return self._core.now()
