"""The whole Early Help Assessment: sections 2 to 6, the threshold and same-day checks of
section 1, the consent page, the child's own work, starting and completing an assessment.

Every method is keyword-only and takes the acting person. Each section is a JSON document in
`sections` validated by its model in eha/, and every change to one goes through the one write
path, `WorkbookCore.save` (the access check, the closed-assessment rule, the version it was
opened at, the audit entry). Errors are those of `eha.errors`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from eha import background as bg
from eha import consent as consent_rules
from eha import plan as plan_rules
from eha import threshold as threshold_rules
from eha import views as view_rules
from eha.actor import Actor, may_write_case_content
from eha.assessment import THRESHOLD_KEY, Assessment, Section, kept_review_reason
from eha.attachments import ChildWork, accept_upload, clean_filename, decode, encode
from eha.audit import AuditAction
from eha.background import Carer, Child, FamilyBackground, Member, SignificantAdult
from eha.config import MashContact
from eha.consent import Consent, ConsentKind, ConsentWording, DecisionAnswers
from eha.errors import (
    ActiveAssessmentExists,
    ConsentWithdrawn,
    ImportRefused,
    NotFound,
    NotReadyToComplete,
    ValidationFailed,
    raise_if,
)
from eha.family import ACTIVE, AssessmentStatus, Saved, SectionStatus
from eha.plan import DesiredOutcome, Plan, PlanAction
from eha.recipients import Directory
from eha.record import AssessmentRecord, AttachmentRecord
from eha.sharing import RecordedSharing
from eha.star_readings import SavedReading
from eha.text import fold
from eha.threshold import SameDayConcern, ThresholdLevel, ThresholdOfNeed
from eha.views import CarersViews, CarerView, ChildView, ChildViews, ProfessionalView, ProfessionalViews
from star import OccasionKind
from storage.core import SectionDocument, WorkbookCore, document, opened
from storage.models import AssessmentRow, AttachmentRow, FamilyRow, PersonIndexRow, SectionRow
from storage.name_index import words_of
from storage.sharing_service import decisions_of
from storage.star_service import readings_of
from storage.taf_service import overview_of

M = TypeVar("M", bound=BaseModel)
WHAT = {
    Section.BACKGROUND.value: "The family background",
    THRESHOLD_KEY: "The threshold of need",
    Section.CARERS.value: "The parents' and carers' views",
    Section.CHILDREN.value: "The children's views",
    Section.PROFESSIONALS.value: "The professional views",
    Section.PLAN.value: "The plan",
    Section.CONSENT.value: "The consent record",
}


class AssessmentSections:
    """The assessment's sections (1 to 6 and the consent page), the child's own work, starting
    and completing an assessment: `workbook.assessments`."""

    def __init__(
        self,
        core: WorkbookCore,
        *,
        mash: MashContact,
        consent_wording: ConsentWording,
        directory: Directory,
        upload_limit: int,
    ) -> None:
        self._core = core
        self.mash = mash
        self.consent_wording = consent_wording
        self.directory = directory  # the local agencies and services consent names
        self.upload_limit = upload_limit

    # -- reading -----------------------------------------------------------------------------

    def open(self, *, assessment_id: str, actor: Actor) -> Assessment:
        """Every section of one assessment, with the versions to save against: the one read
        model of an opened assessment. Writes one "viewed" entry to the audit trail."""
        with self._core.unit() as session:
            a = self._core.assessment_for(session, assessment_id, actor)
            self._core.audit(
                session, actor, action=AuditAction.VIEWED, record=f"assessment:{a.id}", family_id=a.family_id
            )
            return assemble(a, read_only=not may_write_case_content(actor), sharing=decisions_of(session, a.family_id))

    # -- one change to one section -----------------------------------------------------------

    def _change(
        self,
        key: str,
        model: type[M],
        change: Callable[[M, AssessmentRow, datetime], M],
        *,
        assessment_id: str,
        expected_version: int,
        actor: Actor,
        then: Callable[[AssessmentRow, M], None] | None = None,
    ) -> Saved:
        """One section's change, through the one write path (`WorkbookCore.save`)."""

        def section(session: Session) -> SectionDocument[M]:
            a = self._core.assessment_for(session, assessment_id, actor, write=True)
            after = (lambda updated: then(a, updated)) if then is not None else None
            return SectionDocument(a, key, model, what=WHAT.get(key, "This section"), then=after)

        return self._core.save(actor=actor, expected_version=expected_version, open=section, change=change)

    # -- section 1: the family background --------------------------------------------------

    def save_member(self, *, assessment_id: str, expected_version: int, member: Member, actor: Actor) -> Saved:
        """Add or change one person in the family background."""
        today = self._core.today()
        return self._change_background(
            lambda b: bg.with_member(b, member, today=today),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def remove_member(self, *, assessment_id: str, expected_version: int, member_id: str, actor: Actor) -> Saved:
        return self._change_background(
            lambda b: bg.without_member(b, member_id),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def save_details(
        self, *, assessment_id: str, expected_version: int, address: str, reason: str, actor: Actor
    ) -> Saved:
        """The family's main address and the reason for the assessment."""
        return self._change_background(
            lambda b: bg.with_details(b, address=address, reason=reason),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def _change_background(
        self,
        change: Callable[[FamilyBackground], FamilyBackground],
        *,
        assessment_id: str,
        expected_version: int,
        actor: Actor,
    ) -> Saved:
        return self._change(
            Section.BACKGROUND.value,
            FamilyBackground,
            lambda b, _a, _now: change(b),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
            # The people index (the search) follows the background it is built from.
            then=lambda a, updated: reindex(a.family, updated),
        )

    # -- section 1: threshold, start date, same-day concerns ---------------------------------

    def save_threshold(
        self,
        *,
        assessment_id: str,
        expected_version: int,
        level: ThresholdLevel | None,
        started_on: date | None,
        actor: Actor,
    ) -> Saved:
        """The threshold of need level and the date the assessment started."""
        errors = threshold_rules.check_started_on(started_on, today=self._core.today())
        raise_if(errors)

        def change(t: ThresholdOfNeed, a: AssessmentRow, _now: datetime) -> ThresholdOfNeed:
            a.started_on = started_on
            return threshold_rules.with_level(t, level)

        return self._change(
            THRESHOLD_KEY,
            ThresholdOfNeed,
            change,
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def record_same_day_concerns(
        self,
        *,
        assessment_id: str,
        expected_version: int,
        concerns: tuple[SameDayConcern, ...],
        note: str,
        actor: Actor,
    ) -> Saved:
        """Ticking any stops the early-help route (logged with when and by whom); clearing them
        needs a note of what the MASH advised."""
        return self._change(
            THRESHOLD_KEY,
            ThresholdOfNeed,
            lambda t, _a, now: threshold_rules.with_same_day_concerns(
                t, concerns, note=note, at=now, by=actor.username
            ),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    # -- sections 2, 4, 5: views ------------------------------------------------------------

    def save_carer_view(self, *, assessment_id: str, expected_version: int, view: CarerView, actor: Actor) -> Saved:
        def change(v: CarersViews, a: AssessmentRow, _now: datetime) -> CarersViews:
            raise_if(view_rules.check_carer_view(view, document(a, Section.BACKGROUND.value, FamilyBackground)))
            return CarersViews(views=view_rules.with_entry(v.views, view, lambda e: e.carer_id == view.carer_id))

        return self._change(
            Section.CARERS.value,
            CarersViews,
            change,
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def save_child_view(self, *, assessment_id: str, expected_version: int, view: ChildView, actor: Actor) -> Saved:
        today = self._core.today()

        def change(v: ChildViews, a: AssessmentRow, _now: datetime) -> ChildViews:
            background = document(a, Section.BACKGROUND.value, FamilyBackground)
            kept = view_rules.replacing_note(v.for_child(view.child_id), view)
            raise_if(view_rules.check_child_view(kept, background, today=today))
            return ChildViews(views=view_rules.with_entry(v.views, kept, lambda e: e.child_id == view.child_id))

        return self._change(
            Section.CHILDREN.value,
            ChildViews,
            change,
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def save_professional_view(
        self, *, assessment_id: str, expected_version: int, view: ProfessionalView, actor: Actor
    ) -> Saved:
        """Who may receive the view is the family's choice, and only within their consent."""

        def change(v: ProfessionalViews, a: AssessmentRow, _now: datetime) -> ProfessionalViews:
            background = document(a, Section.BACKGROUND.value, FamilyBackground)
            refusal = consent_rules.sharing_refusal(document(a, Section.CONSENT.value, Consent), background)
            raise_if(view_rules.check_professional_view(view, background, sharing_refused=refusal))
            same = view.professional_id
            return ProfessionalViews(views=view_rules.with_entry(v.views, view, lambda e: e.professional_id == same))

        return self._change(
            Section.PROFESSIONALS.value,
            ProfessionalViews,
            change,
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    # -- the child's own work ----------------------------------------------------------------

    def add_child_work(
        self, *, assessment_id: str, child_id: str, filename: str, content: bytes, actor: Actor
    ) -> ChildWork:
        """Attach a drawing or photo (PNG, JPEG) or a PDF, checked by its content and size: a
        picture is decoded in full and kept re-encoded, without its metadata (a photo's GPS
        location); a PDF must open and carry no scripts or embedded files.
        Raises ValidationFailed ("file")."""
        upload = accept_upload(content, limit=self.upload_limit)
        with self._core.unit() as session:
            a = self._core.assessment_for(session, assessment_id, actor, write=True)
            self._core.may_change(a)
            background = document(a, Section.BACKGROUND.value, FamilyBackground)
            if all(c.id != child_id for c in background.children):
                raise ValidationFailed({"file": "This child is no longer in the family background."})
            now = self._core.now()
            row = AttachmentRow(
                id=str(uuid.uuid4()),
                child_id=child_id,
                filename=clean_filename(filename),
                media_type=upload.media_type,
                size=len(upload.content),
                data=upload.content,
                uploaded_at=now,
                uploaded_by=actor.username,
            )
            a.attachments.append(row)
            a.updated_at, a.updated_by = now, actor.username
            session.flush()
            self._core.audit(
                session,
                actor,
                action=AuditAction.UPLOADED,
                record=f"assessment:{a.id}/attachment:{row.id}",
                family_id=a.family_id,
                details={"child_id": child_id, "media_type": row.media_type, "size": row.size},
            )
            return _child_work(row)

    def child_work_file(self, *, assessment_id: str, attachment_id: str, actor: Actor) -> tuple[ChildWork, bytes]:
        with self._core.unit() as session:
            a = self._core.assessment_for(session, assessment_id, actor)
            row = next((r for r in a.attachments if r.id == attachment_id), None)
            if row is None:
                raise NotFound("There is no such piece of work in this assessment.")
            self._core.audit(
                session,
                actor,
                action=AuditAction.VIEWED,
                record=f"assessment:{a.id}/attachment:{row.id}",
                family_id=a.family_id,
            )
            return _child_work(row), row.data

    def remove_child_work(self, *, assessment_id: str, attachment_id: str, actor: Actor) -> None:
        with self._core.unit() as session:
            a = self._core.assessment_for(session, assessment_id, actor, write=True)
            self._core.may_change(a)
            row = next((r for r in a.attachments if r.id == attachment_id), None)
            if row is None:
                raise NotFound("There is no such piece of work in this assessment.")
            a.attachments.remove(row)
            a.updated_at, a.updated_by = self._core.now(), actor.username
            self._core.audit(
                session,
                actor,
                action=AuditAction.CHANGED,
                record=f"assessment:{a.id}/attachment:{row.id}",
                family_id=a.family_id,
                details={"removed": {"filename": row.filename, "size": row.size}},
            )

    # -- section 6: summary, plan and next steps ---------------------------------------------

    def _change_plan(
        self, change: Callable[[Plan, AssessmentRow], Plan], *, assessment_id: str, expected_version: int, actor: Actor
    ) -> Saved:
        return self._change(
            Section.PLAN.value,
            Plan,
            lambda p, a, _now: change(p, a),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def save_analysis(self, *, assessment_id: str, expected_version: int, analysis: str, actor: Actor) -> Saved:
        return self._change_plan(
            lambda p, _a: plan_rules.with_analysis(p, analysis),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def save_outcome(
        self, *, assessment_id: str, expected_version: int, outcome: DesiredOutcome, actor: Actor
    ) -> Saved:
        """Add or change a desired outcome ("How will we know we've been successful?")."""
        return self._change_plan(
            lambda p, _a: plan_rules.with_outcome(p, outcome),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def remove_outcome(self, *, assessment_id: str, expected_version: int, outcome_id: str, actor: Actor) -> Saved:
        return self._change_plan(
            lambda p, _a: plan_rules.without_outcome(p, outcome_id),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def save_action(self, *, assessment_id: str, expected_version: int, action: PlanAction, actor: Actor) -> Saved:
        return self._change_plan(
            lambda p, a: plan_rules.with_action(p, action, started_on=a.started_on),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def remove_action(self, *, assessment_id: str, expected_version: int, action_id: str, actor: Actor) -> Saved:
        return self._change_plan(
            lambda p, _a: plan_rules.without_action(p, action_id),
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    # -- consent -----------------------------------------------------------------------------

    def record_consent_decision(
        self, *, assessment_id: str, expected_version: int, decision: DecisionAnswers, actor: Actor
    ) -> Saved:
        """Add one person's consent decision (given, refused, limited, withdrawn, could not be
        contacted), with the wording shown now copied into it. Nothing recorded before changes.
        Raises ValidationFailed (field -> message, `eha.consent.check_decision`)."""
        today = self._core.today()

        def change(c: Consent, a: AssessmentRow, now: datetime) -> Consent:
            return consent_rules.record_decision(
                c,
                decision,
                background=document(a, Section.BACKGROUND.value, FamilyBackground),
                directory=self.directory,
                today=today,
                wording=self.consent_wording,
                at=now,
                by=actor.username,
            )

        return self._change(
            Section.CONSENT.value,
            Consent,
            change,
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def confirm_consent(
        self, *, assessment_id: str, expected_version: int, decision_id: str, confirmed_on: date | None, actor: Actor
    ) -> Saved:
        """Record that a decision to give consent was confirmed with the family at the end of the
        assessment. Raises ValidationFailed ("confirmed_on", or "" for a decision that cannot be)."""
        today = self._core.today()

        def change(c: Consent, _a: AssessmentRow, now: datetime) -> Consent:
            return consent_rules.confirm(c, decision_id, confirmed_on, today=today, at=now, by=actor.username)

        return self._change(
            Section.CONSENT.value,
            Consent,
            change,
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    def mark_consent_decision_in_error(
        self, *, assessment_id: str, expected_version: int, decision_id: str, reason: str, actor: Actor
    ) -> Saved:
        """Mark a decision recorded by mistake: it stays in the history and no longer counts.
        Raises ValidationFailed ("reason", or "")."""

        def change(c: Consent, _a: AssessmentRow, now: datetime) -> Consent:
            return consent_rules.mark_in_error(c, decision_id, reason, at=now, by=actor.username)

        return self._change(
            Section.CONSENT.value,
            Consent,
            change,
            assessment_id=assessment_id,
            expected_version=expected_version,
            actor=actor,
        )

    # -- starting and completing -------------------------------------------------------------

    def start(self, *, family_id: str, actor: Actor) -> str:
        """A new draft assessment, its family background copied from the latest one.

        Raises ActiveAssessmentExists (carrying the active one) while the family has an
        assessment that is a draft, completed or has an active TAF.
        """
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor, write=True)
            active = [a for a in family.assessments if a.status in ACTIVE]
            if active:
                current = active[-1]
                raise ActiveAssessmentExists(
                    assessment_id=current.id,
                    status=AssessmentStatus(current.status).label,
                    started_on=f"{current.started_on:%d %B %Y}" if current.started_on else "on an unknown date",
                    led_by=current.created_by,
                )
            now = self._core.now()
            # The family's latest assessment is the one created last (lists, My families and the
            # record all order by created_at): never let a new one share an older one's instant,
            # as it could under a clock that has not moved (or was set back).
            earlier = [a.created_at for a in family.assessments]
            created = max([now, *(t + timedelta(microseconds=1) for t in earlier)])
            new = AssessmentRow(
                id=str(uuid.uuid4()),
                status=AssessmentStatus.DRAFT.value,
                started_on=self._core.today(),
                created_at=created,
                created_by=actor.username,
                updated_at=now,
                updated_by=actor.username,
            )
            latest = next(
                (WorkbookCore.section(a, Section.BACKGROUND.value) for a in reversed(family.assessments)), None
            )
            background = dict(latest.data) if latest is not None else FamilyBackground().model_dump(mode="json")
            new.sections.append(
                SectionRow(key="background", data=background, updated_at=now, updated_by=actor.username)
            )
            family.assessments.append(new)
            family.updated_at, family.updated_by = now, actor.username
            session.flush()
            self._core.audit(
                session, actor, action=AuditAction.CREATED, record=f"assessment:{new.id}", family_id=family.id
            )
            return new.id

    def complete(
        self, *, assessment_id: str, review_date: date | None, actor: Actor, review_date_reason: str = ""
    ) -> Saved:
        """Draft -> Completed, with the review date, and why it is later than 6 weeks when it
        is. Refused, listing every reason, while anything is missing (NotReadyToComplete), or
        when consent has been withdrawn."""
        today = self._core.today()
        with self._core.unit() as session:
            row = self._core.assessment_for(session, assessment_id, actor, write=True)
            self._core.may_change(row)
            assessment = assemble(row)
            main = assessment.background.data.main_carer()
            latest = assessment.consent.data.latest(main.id) if main is not None else None
            if main is not None and latest is not None and latest.kind is ConsentKind.WITHDRAWN:
                raise ConsentWithdrawn(consent_rules.withdrawn_message(main.name, latest))
            reasons = assessment.reasons_not_to_complete(
                review_date=review_date, review_date_reason=review_date_reason, today=today
            )
            if reasons:
                raise NotReadyToComplete(tuple(r.text for r in reasons))
            now = self._core.now()
            row.status = AssessmentStatus.COMPLETED.value
            row.completed_at, row.completed_by, row.review_date = now, actor.username, review_date
            row.review_date_reason = kept_review_reason(review_date, review_date_reason, completed_on=today)
            row.updated_at, row.updated_by = now, actor.username
            self._core.audit(
                session,
                actor,
                action=AuditAction.CHANGED,
                record=f"assessment:{row.id}",
                family_id=row.family_id,
                details={
                    "status": {"before": "draft", "after": "completed"},
                    "review_date": str(review_date),
                    "review_date_reason": row.review_date_reason,
                },
            )
            session.flush()
            return Saved(row.version, now, actor.username)


# -- export and import of what this area adds -------------------------------------------------


def exported_extras(a: AssessmentRow) -> dict[str, Any]:
    """The completion and the attached files of one assessment, for its exported record."""
    return {
        "completed_at": a.completed_at,
        "completed_by": a.completed_by,
        "review_date": a.review_date,
        "review_date_reason": a.review_date_reason,
        "attachments": tuple(
            AttachmentRecord(
                id=r.id,
                child_id=r.child_id,
                filename=r.filename,
                media_type=r.media_type,
                size=r.size,
                data_base64=encode(r.data),
                uploaded_at=r.uploaded_at,
                uploaded_by=r.uploaded_by,
            )
            for r in _ordered(a.attachments)
        ),
    }


def restore_extras(row: AssessmentRow, record: AssessmentRecord, *, upload_limit: int) -> None:
    """Put an imported assessment's completion and files back (checked as uploads are by
    `eha.record_rules.check_record` before the import writes anything)."""
    row.completed_at, row.completed_by, row.review_date = (
        record.completed_at,
        record.completed_by,
        record.review_date,
    )
    row.review_date_reason = record.review_date_reason
    for attachment in record.attachments:
        content = decode(attachment.data_base64)
        if content is None:
            raise ImportRefused(f"Attachment {attachment.id!r} is not valid base64.")
        try:
            # The same checks as an upload, and what is kept is what an upload would keep.
            upload = accept_upload(content, limit=upload_limit)
        except ValidationFailed as refused:
            reason = refused.errors.get("file", str(refused))
            raise ImportRefused(f"Attachment {attachment.filename!r} cannot be imported: {reason}") from None
        if upload.media_type != attachment.media_type or len(content) != attachment.size:
            reason = "its content does not match its recorded type and size"
            raise ImportRefused(f"Attachment {attachment.filename!r} cannot be imported: {reason}")
        row.attachments.append(
            AttachmentRow(
                id=attachment.id,
                child_id=attachment.child_id,
                filename=attachment.filename,
                media_type=upload.media_type,
                size=len(upload.content),
                data=upload.content,
                uploaded_at=attachment.uploaded_at,
                uploaded_by=attachment.uploaded_by,
            )
        )


def _ordered(rows: list[AttachmentRow]) -> list[AttachmentRow]:
    return sorted(rows, key=lambda r: (r.uploaded_at, r.id))


def _child_work(row: AttachmentRow) -> ChildWork:
    return ChildWork(
        id=row.id,
        child_id=row.child_id,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        uploaded_at=row.uploaded_at,
        uploaded_by=row.uploaded_by,
    )


def assemble(a: AssessmentRow, *, read_only: bool = False, sharing: tuple[RecordedSharing, ...] = ()) -> Assessment:
    """The one read model of an opened assessment (eha.assessment.Assessment), with the
    family's record of sharing when the caller read it (`open` does)."""
    readings = readings_of(a)
    return Assessment(
        assessment_id=a.id,
        family_id=a.family_id,
        reference=a.family.reference,
        locality=a.family.locality,
        status=AssessmentStatus(a.status),
        started_on=a.started_on,
        led_by=a.created_by,
        completed_at=a.completed_at,
        completed_by=a.completed_by,
        review_date=a.review_date,
        review_date_reason=a.review_date_reason,
        background=opened(a, Section.BACKGROUND.value, FamilyBackground),
        threshold=opened(a, THRESHOLD_KEY, ThresholdOfNeed),
        carers=opened(a, Section.CARERS.value, CarersViews),
        children=opened(a, Section.CHILDREN.value, ChildViews),
        professionals=opened(a, Section.PROFESSIONALS.value, ProfessionalViews),
        plan=opened(a, Section.PLAN.value, Plan),
        consent=opened(a, Section.CONSENT.value, Consent),
        child_work=tuple(_child_work(r) for r in _ordered(a.attachments)),
        star_status=_first_reading_status(readings),
        star_readings=readings,
        taf=overview_of(a, read_only=read_only),
        sharing=sharing,
        read_only=read_only,
    )


def _first_reading_status(readings: tuple[SavedReading, ...]) -> SectionStatus:
    """Section 3's status: the assessment's first Family Star Plus reading (pages/star.py),
    kept in `star_readings` rather than the section documents."""
    first = next((s.reading for s in readings if s.reading.occasion.kind is OccasionKind.FIRST), None)
    if first is None:
        return SectionStatus.NOT_STARTED
    return SectionStatus.COMPLETE if first.is_complete else SectionStatus.IN_PROGRESS


def reindex(family: FamilyRow, background: FamilyBackground) -> None:
    """Keep the search index in step with the latest background, in the same transaction."""
    family.people.clear()
    people: list[Carer | Child | SignificantAdult] = [*background.carers, *background.children, *background.adults]
    for member in people:
        born = member.date_of_birth if isinstance(member, Carer | Child) else None
        person = PersonIndexRow(
            member_id=member.id,
            kind=member.kind,
            name=member.name,
            name_key=fold(member.name),
            date_of_birth=born,
        )
        words_of(person, family.id)  # the name search's index (storage.name_index)
        family.people.append(person)
