"""The record of sharing: every decision to share information about a family, or not to.

The questions follow Appendix 1 of the information sharing guidance ("Explanation of when and
how to share information"): is there a clear and legitimate purpose? do you have consent?
does the information identify a person? is there a lawful reason to share without consent?
The answers lead to share, do not share, or seek advice, and are recorded with the decision.

Consent is an input here (its status at the moment of sharing and whom it covers), so the
same rule can later be fed from the family's consent record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from eha.text import LONG_MAX, NAME_MAX, SHORT_MAX, fold, text_problem


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"

    @property
    def label(self) -> str:
        return {"yes": "Yes", "no": "No", "unsure": "Not sure"}[self.value]


class Outcome(StrEnum):
    SHARE = "share"
    DO_NOT_SHARE = "do_not_share"
    SEEK_ADVICE = "seek_advice"

    @property
    def label(self) -> str:
        return {"share": "Share", "do_not_share": "Do not share", "seek_advice": "Seek advice"}[self.value]


class LawfulBasis(StrEnum):
    CONSENT = "consent"
    SAFEGUARDING = "safeguarding"
    LEGAL_DUTY = "legal_duty"
    PUBLIC_TASK = "public_task"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "consent": "Consent",
            "safeguarding": "Safeguarding: risk of significant harm",
            "legal_duty": "A legal duty",
            "public_task": "Public task",
            "other": "Other (say which)",
        }[self.value]


class ConsentStatus(StrEnum):
    GIVEN = "given"
    NOT_GIVEN = "not_given"
    WITHDRAWN = "withdrawn"
    NOT_SOUGHT = "not_sought"

    @property
    def label(self) -> str:
        return {
            "given": "Given",
            "not_given": "Not given",
            "withdrawn": "Withdrawn",
            "not_sought": "Not sought",
        }[self.value]


class Questions(BaseModel):
    """The Appendix 1 questions, in order. A question not reached is left as None."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    legitimate_purpose: Answer | None = None
    consent: Answer | None = None
    identifiable: Answer | None = None
    lawful_reason_without_consent: Answer | None = None


QUESTION_TEXT = {
    "legitimate_purpose": "Is there a clear and legitimate purpose for sharing the information?",
    "consent": "Do you have consent to share?",
    "identifiable": "Does the information enable a person to be identified?",
    "lawful_reason_without_consent": "Have you identified a lawful reason to share the information without consent?",
}


def next_question(questions: Questions) -> str | None:
    """The name of the next question to ask, or None once an outcome is reached."""
    if walk(questions) is not None:
        return None
    for name in QUESTION_TEXT:
        if getattr(questions, name) is None:
            return name
    return None


def walk(q: Questions) -> Outcome | None:
    """Appendix 1 as a function: the outcome the answers lead to, or None if unfinished."""
    if q.legitimate_purpose is None:
        return None
    if q.legitimate_purpose is Answer.UNSURE:
        return Outcome.SEEK_ADVICE
    if q.consent is None:
        # "If No and you do not have consent, do not share": the consent answer decides it.
        return None
    if q.legitimate_purpose is Answer.NO:
        # The guidance only settles "no purpose and no consent" (do not share); consent
        # without a clear purpose is a case for advice, not for sharing.
        return Outcome.SEEK_ADVICE if q.consent is Answer.YES else Outcome.DO_NOT_SHARE
    if q.consent is Answer.YES:
        return Outcome.SHARE
    if q.consent is Answer.UNSURE:
        return Outcome.SEEK_ADVICE
    if q.identifiable is None:
        return None
    if q.identifiable is Answer.NO:
        return Outcome.SHARE
    if q.identifiable is Answer.UNSURE:
        return Outcome.SEEK_ADVICE
    if q.lawful_reason_without_consent is None:
        return None
    return {
        Answer.YES: Outcome.SHARE,
        Answer.NO: Outcome.DO_NOT_SHARE,
        Answer.UNSURE: Outcome.SEEK_ADVICE,
    }[q.lawful_reason_without_consent]


def consent_problem(*, consent: ConsentStatus, covered: tuple[str, ...], recipient: str, agency: str) -> str | None:
    """Why consent does not allow sharing with this recipient, or None if it does.

    `covered` lists the people or agencies the consent names; it covers the recipient when
    it names their agency or the person (case and accents ignored).
    """
    if consent is ConsentStatus.WITHDRAWN:
        return (
            "The family has withdrawn consent, so this cannot be shared on the basis of consent. "
            "If there is another lawful reason (for example a risk of significant harm), choose it and say why."
        )
    if consent is not ConsentStatus.GIVEN:
        return (
            f"Consent is recorded as '{consent.label.lower()}', so this cannot be shared on the basis of consent. "
            "Seek consent first, or choose another lawful basis and say why."
        )
    names = {fold(c) for c in covered if c.strip()}
    if not names & {fold(recipient), fold(agency)}:
        return (
            "The family's consent does not cover this recipient. Ask the family whether they agree to share "
            "with them, or choose another lawful basis and say why."
        )
    return None


class SharingDecision(BaseModel):
    """One decision, as the person recorded it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    decided_on: date
    information: str
    recipient: str
    recipient_agency: str
    purpose: str
    questions: Questions
    lawful_basis: LawfulBasis | None = None
    lawful_basis_other: str = ""
    consent: ConsentStatus
    consent_covers: tuple[str, ...] = ()
    family_told: bool
    family_not_told_reason: str = ""

    @property
    def outcome(self) -> Outcome | None:
        return walk(self.questions)


def check_decision(decision: SharingDecision, *, today: date) -> dict[str, str]:
    """Problems with a decision before it is recorded, field -> message; empty if none."""
    errors: dict[str, str] = {}
    d = decision
    limits = {
        "information": ("what was shared", LONG_MAX),
        "recipient": ("the recipient's name", NAME_MAX),
        "recipient_agency": ("the agency", NAME_MAX),
        "purpose": ("the reason", LONG_MAX),
        "lawful_basis_other": ("the lawful basis", SHORT_MAX),
        "family_not_told_reason": ("why the family was not told", LONG_MAX),
    }
    for name, (label, limit) in limits.items():
        problem = text_problem(getattr(d, name), label=label, limit=limit)
        if problem:
            errors[name] = problem
    for covered in d.consent_covers:
        problem = text_problem(covered, label="whom consent covers", limit=NAME_MAX)
        if problem:
            errors["consent_covers"] = problem
    if d.decided_on > today:
        errors["decided_on"] = "The date of the decision must be today or in the past."
    if not d.information.strip():
        errors["information"] = "Say what information was (or would have been) shared."
    if not d.recipient.strip() and not d.recipient_agency.strip():
        errors["recipient"] = "Say with whom: the person, their agency, or both."
    if not d.purpose.strip():
        errors["purpose"] = "Say why: the purpose of sharing, or the reason for not sharing."
    outcome = d.outcome
    if outcome is None:
        errors["questions"] = "Answer the questions until they lead to a decision."
    if outcome is Outcome.SHARE:
        if d.lawful_basis is None:
            errors["lawful_basis"] = "Choose the lawful basis for sharing."
        elif d.lawful_basis is LawfulBasis.CONSENT:
            problem = consent_problem(
                consent=d.consent, covered=d.consent_covers, recipient=d.recipient, agency=d.recipient_agency
            )
            if problem:
                errors["lawful_basis"] = problem
        elif d.lawful_basis is LawfulBasis.OTHER and not d.lawful_basis_other.strip():
            errors["lawful_basis_other"] = "Say which lawful basis applies."
        if d.questions.consent is Answer.YES and d.consent is not ConsentStatus.GIVEN:
            errors["consent"] = "You answered that you have consent, but consent is not recorded as given."
        if not d.family_told and not d.family_not_told_reason.strip():
            errors["family_not_told_reason"] = (
                "Say why the family was not told (for example, telling them would increase the risk of harm)."
            )
    return errors


@dataclass(frozen=True)
class RecordedSharing:
    """A decision as it stands in the family's record of sharing."""

    decision_id: str
    decision: SharingDecision
    outcome: Outcome
    decided_by: str
    decided_by_name: str
    recorded_at: datetime


@dataclass(frozen=True)
class FamilySharing:
    """A family's record of sharing, newest decision first."""

    family_id: str
    reference: str
    decisions: tuple[RecordedSharing, ...]
