"""The record of sharing: each decision to share information about a family, or not to.

The rules (Appendix 1's questions, consent, the lawful basis) are in `eha.sharing`; this
service checks access, stores the decision with who made it, and audits it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from eha.actor import Actor
from eha.audit import AuditAction
from eha.errors import ValidationFailed
from eha.sharing import FamilySharing, Outcome, RecordedSharing, SharingDecision, check_decision
from storage.core import WorkbookCore
from storage.models import SharingDecisionRow


class SharingRecord:
    """The record of information-sharing decisions about a family: `workbook.sharing`."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    def record_decision(self, *, family_id: str, decision: SharingDecision, actor: Actor) -> str:
        """Record a decision with the person who made it; returns its id.

        Raises ValidationFailed (field -> message: unfinished questions, sharing on consent
        that was withdrawn or does not cover the recipient, a missing lawful basis or reason)
        or AccessDenied outside the person's scope.
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
                    "recipient": decision.recipient,
                    "agency": decision.recipient_agency,
                    "lawful_basis": decision.lawful_basis.value if decision.lawful_basis else None,
                    "consent": decision.consent.value,
                },
            )
            return row.id

    def history(self, *, family_id: str, actor: Actor) -> FamilySharing:
        """The family's decisions, newest first (one audited view). Raises AccessDenied
        outside the person's scope."""
        with self._core.unit() as session:
            family = self._core.family_for(session, family_id, actor)
            rows = session.scalars(
                select(SharingDecisionRow)
                .where(SharingDecisionRow.family_id == family.id)
                .order_by(SharingDecisionRow.decided_on.desc(), SharingDecisionRow.recorded_at.desc())
            )
            found = [
                RecordedSharing(
                    decision_id=r.id,
                    decision=SharingDecision.model_validate(r.decision),
                    outcome=Outcome(r.outcome),
                    decided_by=r.decided_by,
                    decided_by_name=r.decided_by_name,
                    recorded_at=r.recorded_at,
                )
                for r in rows
            ]
            self._core.audit(
                session, actor, action=AuditAction.VIEWED, record=f"family:{family.id}/sharing", family_id=family.id
            )
            return FamilySharing(family_id=family.id, reference=family.reference, decisions=tuple(found))
