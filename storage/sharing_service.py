"""The record of sharing: each decision to share information about a family, or not to, and
each piece of information received from another agency.

The rules (Appendix 1's questions, consent, the lawful basis, who decided, who was told) are
in `eha.sharing`; this service checks access, stores the decision with who recorded it, and
audits it. Whether the family's consent covers the recipient is worked out here, from the
consent section of the family's active assessment (none: no consent is recorded), and kept
with the decision. `record_document_sent` is how the workbook records a document it produced (a PDF)
leaving it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from eha.actor import Actor
from eha.assessment import Section
from eha.audit import AuditAction
from eha.background import FamilyBackground
from eha.consent import Consent
from eha.errors import ImportRefused, ValidationFailed
from eha.family import ACTIVE
from eha.recipients import Directory, Recipient, RecipientKind, recipients_for
from eha.record import SharingEntryRecord
from eha.sharing import (
    Direction,
    FamilySharing,
    LawfulBasis,
    Outcome,
    RecordedSharing,
    SharingDecision,
    Told,
    check_decision,
    consent_at_the_time,
    document_sent,
)
from storage.core import WorkbookCore, document
from storage.models import AssessmentRow, FamilyRow, SharingDecisionRow

PICK = "Choose from the family's professionals or the local directory, or choose someone else and type who."


class SharingRecord:
    """The record of information-sharing decisions about a family: `workbook.sharing`."""

    def __init__(self, core: WorkbookCore, *, directory: Directory) -> None:
        self._core = core
        self._directory = directory

    def record_decision(self, *, family_id: str, decision: SharingDecision, actor: Actor) -> str:
        """Record a decision, or information received, with the person recording it; returns
        its id. The decision says who decided when it was not the person recording it.

        Raises ValidationFailed (field -> message: unfinished questions, sharing on consent
        that was withdrawn or does not cover the recipient, a missing lawful basis or reason,
        another decider without name, role and agency, information received without its
        sender, the parent or the child told or why not) or AccessDenied outside the person's
        scope, and for an LCSS reviewer.
        """
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor, write=True)
            return self.record_in(session, family, decision, actor)

    def record_in(
        self,
        session: Session,
        family: FamilyRow,
        decision: SharingDecision,
        actor: Actor,
        *,
        about: AssessmentRow | None = None,
    ) -> str:
        """`record_decision` inside a transaction the caller holds (the family already checked
        for writing): a document's making records its sharing in the same transaction, on the
        consent of the assessment it is `about`."""
        consent, background = consent_of(family, about)
        errors: dict[str, str] = {}
        for field in ("recipient", "received_from"):
            picked: Recipient | None = getattr(decision, field)
            if picked is not None and not self._known(picked, family, background):
                errors[field] = PICK
        if decision.direction is Direction.OUT and decision.recipient is not None:
            decision = decision.model_copy(
                update={
                    "consent": consent_at_the_time(
                        consent, decision.recipient, directory=self._directory, background=background
                    )
                }
            )
        else:
            decision = decision.model_copy(update={"consent": None})
        errors = {**check_decision(decision, today=self._core.today()), **errors}
        outcome = decision.outcome
        if errors or outcome is None:
            raise ValidationFailed(errors or {"questions": "Answer the questions until they lead to a decision."})
        row = SharingDecisionRow(
            id=str(uuid.uuid4()),
            family_id=family.id,
            decided_on=decision.decided_on,
            outcome=outcome.value,
            decision=decision.model_dump(mode="json"),
            decided_by=actor.username,
            decided_by_name=actor.display_name,
            recorded_at=self._core.now(),
        )
        session.add(row)
        self._core.audit(
            session,
            actor,
            action=AuditAction.SHARING_RECORDED,
            record=f"sharing:{row.id}",
            family_id=family.id,
            details={
                "outcome": outcome.value,
                "direction": decision.direction.value,
                "recipient": _party(decision.recipient),
                "received_from": _party(decision.received_from),
                "document": decision.document,
                "decided_by": decision.decided_by.text if decision.decided_by else actor.username,
                "lawful_basis": decision.lawful_basis.value if decision.lawful_basis else None,
                "consent": decision.consent.state.value if decision.consent and decision.consent.state else None,
                "covered": decision.consent.covered if decision.consent else None,
            },
        )
        return row.id

    def _known(self, recipient: Recipient, family: FamilyRow, background: FamilyBackground) -> bool:
        """A picked recipient is one the picker offers (typed ones are anyone); LCSS is the
        family's own locality's team."""
        if recipient.kind is RecipientKind.LCSS:
            return recipient.key == family.locality
        if recipient.kind is RecipientKind.PROFESSIONAL:
            return any(p.id == recipient.key for p in background.professionals)
        if recipient.kind is RecipientKind.DIRECTORY:
            return self._directory.get(recipient.key) is not None
        return True

    def record_document_sent(
        self,
        *,
        family_id: str,
        document: str,
        recipient: Recipient,
        purpose: str,
        lawful_basis: LawfulBasis,
        lawful_basis_other: str = "",
        parent_told: Told,
        parent_not_told_reason: str = "",
        child_told: Told,
        child_not_told_reason: str = "",
        actor: Actor,
    ) -> str:
        """Record that a document the workbook produced (`document`, e.g. "Early Help
        Assessment (PDF)") left it today for `recipient` (picked as `record_decision`'s
        are, or typed), on `lawful_basis`, with whether the family's consent covered them
        worked out the same way; returns the entry's id. Recorded as a decision to share by the
        person sending it: on consent, "purpose yes, consent yes"; otherwise "purpose yes,
        consent no, identifiable yes, lawful reason yes". The same checks as `record_decision`
        (the family's consent must cover the recipient when the basis is consent), the same errors.
        """
        decision = document_sent(
            on=self._core.today(),
            document=document,
            recipient=recipient,
            purpose=purpose,
            lawful_basis=lawful_basis,
            lawful_basis_other=lawful_basis_other,
            parent_told=parent_told,
            parent_not_told_reason=parent_not_told_reason,
            child_told=child_told,
            child_not_told_reason=child_not_told_reason,
        )
        return self.record_decision(family_id=family_id, decision=decision, actor=actor)

    def history(self, *, family_id: str, actor: Actor) -> FamilySharing:
        """The family's decisions, newest first (one audited view). Raises AccessDenied
        outside the person's scope."""
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor)
            found = decisions_of(session, family.id)
            consent, background = consent_of(family)
            self._core.audit(
                session, actor, action=AuditAction.VIEWED, record=f"family:{family.id}/sharing", family_id=family.id
            )
            return FamilySharing(
                family_id=family.id,
                reference=family.reference,
                decisions=found,
                recipients=recipients_for(background, self._directory),
                consent=consent,
                background=background,
                directory=self._directory,
            )


def _party(recipient: Recipient | None) -> str:
    return recipient.label if recipient is not None else ""


def consent_of(family: FamilyRow, about: AssessmentRow | None = None) -> tuple[Consent | None, FamilyBackground]:
    """The consent section and family background of the assessment `about` (a document of a
    closed one is shared on what its own consent says) or else of the family's active
    assessment; no consent (None) and an empty background when it has none."""
    active = [a for a in family.assessments if a.status in ACTIVE]
    if about is None and not active:
        return None, FamilyBackground()
    current = about or active[-1]
    return document(current, Section.CONSENT.value, Consent), document(
        current, Section.BACKGROUND.value, FamilyBackground
    )


# -- reading, export and import, for the other areas ------------------------------------------


def decisions_of(session: Session, family_id: str) -> tuple[RecordedSharing, ...]:
    """A family's record of sharing, newest first, unaudited: the caller audits its read."""
    rows = session.scalars(
        select(SharingDecisionRow)
        .where(SharingDecisionRow.family_id == family_id)
        .order_by(
            SharingDecisionRow.decided_on.desc(), SharingDecisionRow.recorded_at.desc(), SharingDecisionRow.id.desc()
        )
    )
    return tuple(
        RecordedSharing(
            decision_id=r.id,
            decision=SharingDecision.model_validate(r.decision),
            outcome=Outcome(r.outcome),
            recorded_by=r.decided_by,
            recorded_by_name=r.decided_by_name,
            recorded_at=r.recorded_at,
        )
        for r in rows
    )


def sharing_records(session: Session, family_id: str) -> tuple[SharingEntryRecord, ...]:
    """The family's record of sharing for its exported record, oldest first."""
    return tuple(
        SharingEntryRecord(
            id=item.decision_id,
            decision=item.decision.model_dump(mode="json"),
            recorded_by=item.recorded_by,
            recorded_by_name=item.recorded_by_name,
            recorded_at=item.recorded_at,
        )
        for item in reversed(decisions_of(session, family_id))
    )


def restore_sharing(session: Session, family_id: str, entries: tuple[SharingEntryRecord, ...]) -> None:
    """Put an imported record of sharing back as it was recorded (checked before by
    `eha.record_rules.check_record`)."""
    for entry in entries:
        decision = SharingDecision.model_validate(entry.decision)
        outcome = decision.outcome
        if outcome is None:  # refused by the check before; kept out of the table regardless
            raise ImportRefused(f"the record of sharing, entry {entry.id!r}: its questions lead to no decision.")
        session.add(
            SharingDecisionRow(
                id=entry.id,
                family_id=family_id,
                decided_on=decision.decided_on,
                outcome=outcome.value,
                decision=decision.model_dump(mode="json"),
                decided_by=entry.recorded_by,
                decided_by_name=entry.recorded_by_name,
                recorded_at=entry.recorded_at,
            )
        )
