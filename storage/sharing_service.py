"""The record of sharing: each decision to share information about a family, or not to, and
each piece of information received from another agency.

The rules (Appendix 1's questions, consent, the lawful basis, who decided, who was told) are
in `eha.sharing`; this service checks access, stores the decision with who recorded it, and
audits it. `record_document_sent` is how the workbook records a document it produced (a PDF)
leaving it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from eha.actor import Actor
from eha.audit import AuditAction
from eha.errors import ImportRefused, ValidationFailed
from eha.record import SharingEntryRecord
from eha.sharing import (
    Answer,
    ConsentStatus,
    Direction,
    FamilySharing,
    LawfulBasis,
    Outcome,
    Questions,
    RecordedSharing,
    SharingDecision,
    Told,
    check_decision,
)
from storage.core import WorkbookCore
from storage.models import SharingDecisionRow


class SharingRecord:
    """The record of information-sharing decisions about a family: `workbook.sharing`."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

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
            errors = check_decision(decision, today=self._core.today())
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
                    "recipient": decision.recipient,
                    "agency": decision.recipient_agency,
                    "received_from": decision.received_from,
                    "received_from_agency": decision.received_from_agency,
                    "document": decision.document,
                    "decided_by": decision.decided_by.text if decision.decided_by else actor.username,
                    "lawful_basis": decision.lawful_basis.value if decision.lawful_basis else None,
                    "consent": decision.consent.value,
                },
            )
            return row.id

    def record_document_sent(
        self,
        *,
        family_id: str,
        document: str,
        recipient: str,
        recipient_agency: str,
        purpose: str,
        lawful_basis: LawfulBasis,
        consent: ConsentStatus,
        consent_covers: tuple[str, ...] = (),
        lawful_basis_other: str = "",
        parent_told: Told,
        parent_not_told_reason: str = "",
        child_told: Told,
        child_not_told_reason: str = "",
        actor: Actor,
    ) -> str:
        """Record that a document the workbook produced (`document`, e.g. "Early Help
        Assessment (PDF)") left it today for `recipient`, on `lawful_basis` with consent as it
        stood; returns the entry's id. Recorded as a decision to share by the person sending
        it: on consent, "purpose yes, consent yes"; otherwise "purpose yes, consent no,
        identifiable yes, lawful reason yes". The same checks as `record_decision` (consent
        must be given and cover the recipient when the basis is consent), and the same errors.
        """
        on_consent = lawful_basis is LawfulBasis.CONSENT
        questions = (
            Questions(legitimate_purpose=Answer.YES, consent=Answer.YES)
            if on_consent
            else Questions(
                legitimate_purpose=Answer.YES,
                consent=Answer.NO,
                identifiable=Answer.YES,
                lawful_reason_without_consent=Answer.YES,
            )
        )
        decision = SharingDecision(
            decided_on=self._core.today(),
            direction=Direction.OUT,
            information=document,
            document=document,
            recipient=recipient,
            recipient_agency=recipient_agency,
            purpose=purpose,
            questions=questions,
            lawful_basis=lawful_basis,
            lawful_basis_other=lawful_basis_other,
            consent=consent,
            consent_covers=consent_covers,
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
            self._core.audit(
                session, actor, action=AuditAction.VIEWED, record=f"family:{family.id}/sharing", family_id=family.id
            )
            return FamilySharing(family_id=family.id, reference=family.reference, decisions=found)


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
