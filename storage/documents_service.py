"""Making a document (a PDF) for someone outside the workbook: `workbook.documents`.

One transaction reads the assessment, checks who may have the document (access, then the
family's consent or another lawful basis, through the record of sharing's own rules), draws
it, and writes the record-of-sharing entry and the audit entry. The bytes are handed over
only after that transaction commits: a refused document writes nothing and gives nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from eha.actor import Actor, may_write_case_content
from eha.assessment import Assessment, Section
from eha.attachments import ChildWork
from eha.audit import AuditAction
from eha.background import FamilyBackground
from eha.documents import (
    Audience,
    DocumentKind,
    DocumentSource,
    Item,
    Sending,
    chosen_item,
    filename,
    items_of,
    recipient_for,
    sharing_decision,
    unavailable,
    views_for,
)
from eha.errors import ValidationFailed
from eha.pdf import encrypt, render_document
from eha.recipients import Directory, Recipient, recipients_for, typed_recipient
from eha.sharing import ConsentAtTheTime, consent_at_the_time
from storage.assessment_service import assemble
from storage.core import WorkbookCore, document
from storage.models import AccountRow, AssessmentRow
from storage.sharing_service import SharingRecord, consent_of


@dataclass(frozen=True)
class MadeDocument:
    filename: str
    content: bytes
    # The record-of-sharing entry written for it (None: made for the maker's own records).
    sharing_id: str | None


@dataclass(frozen=True)
class DocumentChoice:
    """One kind of document as the page offers it: its items, or why it cannot be made."""

    kind: DocumentKind
    items: tuple[Item, ...]
    unavailable: str | None


class Documents:
    """The assessment's documents: what can be made, and making one."""

    def __init__(self, core: WorkbookCore, *, sharing: SharingRecord, directory: Directory) -> None:
        self._core = core
        self._sharing = sharing
        self._directory = directory

    def recipients(self, *, assessment_id: str, actor: Actor) -> tuple[Recipient, ...]:
        """Whom a copy for a professional or agency can be picked for: the family's
        professionals, then the local directory (as the record of sharing picks them)."""
        with self._core.unit(read_only=True) as session:
            a = self._core.assessment_for(session, assessment_id, actor)
            return recipients_for(document(a, Section.BACKGROUND.value, FamilyBackground), self._directory)

    def coverage(
        self, *, assessment_id: str, audience: Audience, recipient: Recipient | None, actor: Actor
    ) -> ConsentAtTheTime | None:
        """Whether the family's consent covers sending a document of the assessment to this
        audience now, and why (None: the family, or one's own records, need no consent), for
        the page to say before anything is made. Reads only."""
        with self._core.unit(read_only=True) as session:
            a = self._core.assessment_for(session, assessment_id, actor)
            try:
                chosen = recipient_for(audience, locality=self._core.locality(a.family.locality), chosen=recipient)
            except ValidationFailed:
                return None
            if chosen is None or audience is Audience.FAMILY:
                return None
            consent, background = consent_of(a.family, a)
            return consent_at_the_time(consent, chosen, directory=self._directory, background=background)

    def choices(self, *, assessment_id: str, actor: Actor) -> tuple[DocumentChoice, ...]:
        """Every kind of document, with what it can be made about. Reads, audits nothing (the
        page has opened the assessment already). Raises AccessDenied outside the person's scope."""
        with self._core.unit(read_only=True) as session:
            a = self._core.assessment_for(session, assessment_id, actor)
            assessment = assemble(a)
            return tuple(
                DocumentChoice(kind, items_of(assessment, kind), unavailable(assessment, kind)) for kind in DocumentKind
            )

    def make(
        self,
        *,
        assessment_id: str,
        kind: DocumentKind,
        item_id: str | None = None,
        sending: Sending,
        password: str | None = None,
        actor: Actor,
    ) -> MadeDocument:
        """The document as a PDF, with its file name, for `sending.audience`; protected with
        `password` (AES-256) when one is given. The password is neither stored nor logged.

        Anyone who may see the family may make one for their own records; only someone who
        may change case content may make one to share. A copy for someone else is refused,
        with the reason, where the family's consent does not cover them and no other lawful
        basis is given, exactly as the record of sharing refuses it.

        Raises AccessDenied (audited) outside the person's scope, and for an LCSS reviewer
        sharing; ValidationFailed (field -> message: "document", "item", "recipient", the
        record of sharing's fields, "password") for anything else refused.
        """
        if password is not None and not password:
            raise ValidationFailed({"password": "Enter a password, or leave the document unprotected."})
        shares = sending.audience is not Audience.SELF
        with self._core.unit() as session:
            a = self._core.assessment_for(session, assessment_id, actor, write=shares)
            assessment = assemble(a, read_only=not may_write_case_content(actor))
            why_not = unavailable(assessment, kind)
            if why_not:
                raise ValidationFailed({"document": why_not})
            item = chosen_item(assessment, kind, item_id)
            locality = self._core.locality(a.family.locality)
            recipient = recipient_for(sending.audience, locality=locality, chosen=sending.recipient)
            views = assessment.professionals.data.views
            if kind is DocumentKind.PROFESSIONAL and item is not None:
                views = tuple(v for v in views if v.professional_id == item.id)
            shown = views_for(recipient, views)
            now = self._core.now()
            source = DocumentSource(
                kind=kind,
                item=item,
                assessment=assessment,
                locality=locality,
                author=_name(session, a.created_by),
                lead=_lead(assessment),
                made_for=recipient.label if recipient is not None else Audience.SELF.label,
                professional_views=shown,
                views_left_out=len(views) - len(shown),
                work=_work(a, assessment, kind, item),
                generated_at=now,
                generated_by=actor.display_name,
            )
            # Recorded first, in this transaction: a refusal then draws nothing, and a drawing
            # that fails takes the record back with it.
            sharing_id = None
            if recipient is not None:
                decision = sharing_decision(sending, kind, item, recipient, on=self._core.today())
                sharing_id = self._sharing.record_in(session, a.family, decision, actor, about=a)
            content = render_document(source)
            if password:
                content = encrypt(content, password)
            name = filename(assessment.reference, kind, item, on=self._core.today())
            self._core.audit(
                session,
                actor,
                action=AuditAction.PDF,
                record=f"assessment:{a.id}/pdf",
                family_id=a.family_id,
                details={
                    "document": kind.value,
                    "item": item.number if item is not None else None,
                    "for": sending.audience.value,
                    "sharing": sharing_id,
                    "protected": bool(password),
                    "filename": name,
                    "bytes": len(content),
                },
            )
        return MadeDocument(filename=name, content=content, sharing_id=sharing_id)


def _name(session: Session, username: str) -> str:
    found = session.scalar(select(AccountRow.display_name).where(AccountRow.username == username))
    return found or username


def _lead(assessment: Assessment) -> str:
    """The lead professional now, as "name (role, agency)", or ""."""
    term = assessment.taf.lead.current
    if term is None:
        return ""
    lead = term.lead
    return typed_recipient(lead.name, lead.agency).model_copy(update={"role": lead.role}).label


def _work(
    a: AssessmentRow, assessment: Assessment, kind: DocumentKind, item: Item | None
) -> tuple[tuple[ChildWork, bytes], ...]:
    """The child's own work the document shows, with its content: every child's in the full
    assessment, the child's own in their view."""
    if kind is DocumentKind.FULL:
        shown = assessment.child_work
    elif kind is DocumentKind.CHILD and item is not None:
        shown = assessment.work_of(item.id)
    else:
        shown = ()
    content = {row.id: row.data for row in a.attachments}
    return tuple((w, content[w.id]) for w in shown)
