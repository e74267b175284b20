"""The record of sharing: every decision to share information about a family, or not to.

The questions follow Appendix 1 of the information sharing guidance ("Explanation of when and
how to share information"): is there a clear and legitimate purpose? do you have consent?
does the information identify a person? is there a lawful reason to share without consent?
The answers lead to share, do not share, or seek advice, and are recorded with the decision.

The recipient is picked, not typed: one of the family's professionals (section 1), an entry
of the local directory, or "someone else" typed by hand, whom consent never covers. Whether
the family's consent covers the recipient is worked out by the workbook when the decision is
recorded (`consent_at_the_time`, from `eha.consent.coverage`) and kept with it, so the record
shows consent as it stood; nobody types it. The consent step of `check_decision` is one
replaceable step (`ConsentCheck`, by default `recorded_consent`): the basis "consent" needs
the recipient covered, and "Do you have consent?" answered Yes must agree.

Decisions recorded before (and files exported before) typed the recipient, their agency, the
consent status and whom it covered: they read as a recipient "someone else" as typed, and the
consent as typed then (`ConsentAtTheTime.typed_status`), checked as it was checked then.

Each entry says who decided (the person recording it, or another professional they name with
role and agency), and which way the information went:

- **shared by us** (out): the questions are answered in turn and lead to share, do not share
  or seek advice; when sharing, whether the parent and the child were told, or why not.
- **received from another agency** (in): receiving is recorded, not decided. The questions
  are the sender's to answer, so none is asked and the outcome is "received"; what came in,
  from whom (the person, their agency, or both) and why it was sent are required, and the
  lawful basis the sender gave may be recorded. Telling the family is the sender's duty, so
  it is not asked, nor is consent (it decides nothing here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from eha.background import FamilyBackground
from eha.consent import Consent, ConsentKind, CoverageState, coverage
from eha.recipients import Directory, Recipient, RecipientKind, typed_recipient
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
    RECEIVED = "received"  # information that came in: recorded, not decided

    @property
    def label(self) -> str:
        return {
            "share": "Share",
            "do_not_share": "Do not share",
            "seek_advice": "Seek advice",
            "received": "Received",
        }[self.value]


class Direction(StrEnum):
    OUT = "out"
    IN = "in"

    @property
    def label(self) -> str:
        return {"out": "Shared by us", "in": "Received from another agency"}[self.value]


class Told(StrEnum):
    """Whether the parent (or the child) was told the information was shared."""

    YES = "yes"
    NO = "no"
    COULD_NOT_CONTACT = "could_not_contact"  # the parent only

    @property
    def label(self) -> str:
        return {"yes": "Told", "no": "Not told", "could_not_contact": "Could not be contacted"}[self.value]


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
    """Consent as it was typed with a decision recorded before the workbook worked it out."""

    GIVEN = "given"
    NOT_GIVEN = "not_given"
    WITHDRAWN = "withdrawn"
    NOT_SOUGHT = "not_sought"
    COULD_NOT_CONTACT = "could_not_contact"  # the parent could not be reached to ask

    @property
    def label(self) -> str:
        return {
            "given": "Given",
            "not_given": "Not given",
            "withdrawn": "Withdrawn",
            "not_sought": "Not sought",
            "could_not_contact": "Could not be contacted",
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


def typed_consent_problem(
    *, consent: ConsentStatus, covered: tuple[str, ...], recipient: str, agency: str
) -> str | None:
    """How a decision recorded with typed consent was checked: why the typed consent did not
    allow sharing with the recipient, or None if it did.

    `covered` lists the people or agencies the consent named; it covered the recipient when
    it named their agency or the person (case and accents ignored).
    """
    if consent is ConsentStatus.WITHDRAWN:
        return (
            "The family has withdrawn consent, so this cannot be shared on the basis of consent. "
            "If there is another lawful reason (for example a risk of significant harm), choose it and say why."
        )
    if consent is ConsentStatus.COULD_NOT_CONTACT:
        return (
            "The parent could not be contacted, so there is no consent to share on. "
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


class RestedOn(BaseModel):
    """One consent decision a recipient's coverage rested on, as it was then."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    decision_id: str
    person_id: str
    kind: ConsentKind
    decided_on: date


class ConsentAtTheTime(BaseModel):
    """Whether the family's consent covered the recipient when the decision was recorded, and
    why, as the workbook worked it out (`consent_at_the_time`). `state` is None for a decision
    recorded before then, whose consent was typed (`typed_status`, `typed_covers`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    covered: bool
    state: CoverageState | None = None
    message: str
    rested_on: tuple[RestedOn, ...] = ()
    typed_status: ConsentStatus | None = None
    typed_covers: tuple[str, ...] = ()

    @property
    def worked_out(self) -> bool:
        return self.state is not None

    @property
    def line(self) -> str:
        """ "Covered: ..." or "Not covered: ...", or the consent as it was typed."""
        if self.state is None:
            status = self.typed_status.label if self.typed_status else "not recorded"
            covers = f" (covering {', '.join(self.typed_covers)})" if self.typed_covers else ""
            return f"As typed then: {status}{covers}"
        if self.covered:
            return self.message if self.message.startswith("Covered") else f"Covered: {self.message}"
        return f"Not covered: {self.message}"


NO_ASSESSMENT = (
    "The family has no assessment in progress, so no consent is recorded: nothing may be shared on the "
    "basis of consent."
)


def consent_at_the_time(
    consent: Consent | None, recipient: Recipient, *, directory: Directory, background: FamilyBackground
) -> ConsentAtTheTime:
    """Whether the family's current consent covers `recipient` (None: the family has no
    assessment, so no consent is recorded). Someone typed by hand is never covered."""
    if consent is None:
        return ConsentAtTheTime(covered=False, state=CoverageState.NOT_RECORDED, message=NO_ASSESSMENT)
    found = coverage(consent, recipient, directory=directory, background=background)
    rested_on = tuple(
        RestedOn(decision_id=d.id, person_id=d.person_id, kind=d.kind, decided_on=d.decided_on) for d in found.decisions
    )
    stopped = (CoverageState.REFUSED, CoverageState.WITHDRAWN, CoverageState.LIMITED_AGAINST)
    if recipient.kind is RecipientKind.OTHER and found.state not in stopped:
        return ConsentAtTheTime(
            covered=False,
            state=CoverageState.NOT_NAMED,
            message=f"{recipient.label or 'Someone else'} is not among the family's professionals or the local "
            "directory, so the family's consent cannot cover them. Ask the family, record their consent "
            "naming them, or choose another lawful basis and say why.",
            rested_on=rested_on,
        )
    return ConsentAtTheTime(covered=found.covered, state=found.state, message=found.message, rested_on=rested_on)


def _typed(data: dict[str, Any]) -> dict[str, Any]:
    """A decision of the typed shape (recipient, agency, consent status and whom it covered as
    text) in the shape of today: a recipient or sender "someone else" as typed, and the consent
    as typed, covered if it was accepted as covering them then."""
    data = dict(data)
    recipient = data.pop("recipient", "")
    agency = data.pop("recipient_agency", "")
    if isinstance(recipient, str):
        data["recipient"] = typed_recipient(recipient, agency) if (recipient.strip() or agency.strip()) else None
    else:
        data["recipient"] = recipient
    sender = data.get("received_from")
    sender_agency = data.pop("received_from_agency", "")
    if isinstance(sender, str):
        data["received_from"] = (
            typed_recipient(sender, sender_agency) if (sender.strip() or sender_agency.strip()) else None
        )
    if "consent" in data and not isinstance(data["consent"], dict | ConsentAtTheTime | type(None)):
        status = ConsentStatus(data.pop("consent"))
        covers = tuple(data.pop("consent_covers", ()))
        problem = typed_consent_problem(
            consent=status, covered=covers, recipient=str(recipient or ""), agency=str(agency or "")
        )
        data["consent"] = ConsentAtTheTime(
            covered=problem is None,
            state=None,
            message=problem or "The consent typed with the decision covered the recipient.",
            typed_status=status,
            typed_covers=covers,
        )
    data.pop("consent_covers", None)
    return data


class Decider(BaseModel):
    """A professional other than the person recording who made the decision (a school's
    designated safeguarding lead, the worker's manager)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    role: str
    agency: str

    @property
    def text(self) -> str:
        return ", ".join(x for x in (self.name, self.role, self.agency) if x.strip())


class SharingDecision(BaseModel):
    """One decision (or one receipt of information), as the person recorded it.

    `decided_by` is None when the person recording it decided. Decisions recorded before
    the parent and the child were asked about separately said only whether "the family" was
    told: they read as the parent's answer, the child's left unrecorded (None).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    decided_on: date
    direction: Direction = Direction.OUT
    decided_by: Decider | None = None
    information: str
    # Out: to whom, picked (or "someone else", typed). In: None, the sender is `received_from`.
    recipient: Recipient | None = None
    received_from: Recipient | None = None
    # A document the workbook itself produced and sent (a PDF of the assessment), or "".
    document: str = ""
    purpose: str
    questions: Questions
    lawful_basis: LawfulBasis | None = None
    lawful_basis_other: str = ""
    # Worked out by the workbook when it is recorded (never typed); None until then, and for
    # information received.
    consent: ConsentAtTheTime | None = None
    parent_told: Told | None = None
    parent_not_told_reason: str = ""
    child_told: Told | None = None
    child_not_told_reason: str = ""

    @model_validator(mode="before")
    @classmethod
    def _family_told(cls, data: Any) -> Any:
        """An older decision's single "family told" becomes the parent's answer."""
        if isinstance(data, dict) and "family_told" in data:
            data = dict(data)
            told = data.pop("family_told")
            reason = data.pop("family_not_told_reason", "")
            data.setdefault("parent_told", Told.YES if told else Told.NO)
            data.setdefault("parent_not_told_reason", reason)
        if isinstance(data, dict) and (
            "recipient_agency" in data
            or "received_from_agency" in data
            or "consent_covers" in data
            or isinstance(data.get("recipient"), str)
            or isinstance(data.get("received_from"), str)
            or isinstance(data.get("consent"), str | ConsentStatus)
        ):
            data = _typed(data)
        return data

    @property
    def outcome(self) -> Outcome | None:
        if self.direction is Direction.IN:
            return Outcome.RECEIVED
        return walk(self.questions)

    @property
    def other_party(self) -> str:
        """With whom: the recipient (out) or the sender (in), person and agency."""
        party = self.received_from if self.direction is Direction.IN else self.recipient
        return party.label if party is not None else ""


# The consent step of `check_decision`: problems (field -> message) with this decision's
# consent. By default from the consent worked out when it was recorded.
ConsentCheck = Callable[["SharingDecision"], dict[str, str]]

NOT_WORKED_OUT = (
    "Whether the family's consent covers this recipient has not been worked out, so it cannot be relied on."
)


def recorded_consent(decision: SharingDecision) -> dict[str, str]:
    """The consent step from the consent worked out for the recipient (or, for a decision
    recorded before, typed): the basis "consent" needs the recipient covered, and "Do you have
    consent?" answered Yes must agree."""
    d = decision
    c = d.consent
    errors: dict[str, str] = {}
    if d.lawful_basis is LawfulBasis.CONSENT and (c is None or not c.covered):
        errors["lawful_basis"] = (
            NOT_WORKED_OUT
            if c is None
            else f"Consent is not the basis to share with them: {c.message} "
            "Choose another lawful basis and say why, or record that it is not shared."
        )
    if d.questions.consent is Answer.YES:
        # A decision of the typed shape was checked against the status typed, not whom it covered.
        agrees = c is not None and (c.covered if c.worked_out else c.typed_status is ConsentStatus.GIVEN)
        if not agrees:
            errors["consent"] = (
                "You answered that you have consent, but the family's consent does not cover this recipient: "
                + (c.message if c is not None else NOT_WORKED_OUT)
                + " Answer No (or Not sure) and go on to the next questions."
            )
    return errors


_LIMITS = {
    "information": ("what was shared", LONG_MAX),
    "document": ("the document", SHORT_MAX),
    "purpose": ("the reason", LONG_MAX),
    "lawful_basis_other": ("the lawful basis", SHORT_MAX),
    "parent_not_told_reason": ("why the parent was not told", LONG_MAX),
    "child_not_told_reason": ("why the child was not told", LONG_MAX),
}


_PARTY_LIMITS = {
    "recipient": (("recipient", "the recipient's name"), ("recipient_agency", "the agency")),
    "received_from": (("received_from", "who sent it"), ("received_from_agency", "the agency that sent it")),
}


def document_sent(
    *,
    on: date,
    document: str,
    recipient: Recipient,
    purpose: str,
    lawful_basis: LawfulBasis,
    lawful_basis_other: str = "",
    parent_told: Told | None,
    parent_not_told_reason: str = "",
    child_told: Told | None,
    child_not_told_reason: str = "",
) -> SharingDecision:
    """The decision a document the workbook produced (`document`, e.g. "Early Help Assessment
    (PDF)") records on leaving it on `on`, by the person sending it: on consent, "purpose yes,
    consent yes"; otherwise "purpose yes, consent no, identifiable yes, lawful reason yes"."""
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
    return SharingDecision(
        decided_on=on,
        direction=Direction.OUT,
        information=document,
        document=document,
        recipient=recipient,
        purpose=purpose,
        questions=questions,
        lawful_basis=lawful_basis,
        lawful_basis_other=lawful_basis_other,
        parent_told=parent_told,
        parent_not_told_reason=parent_not_told_reason,
        child_told=child_told,
        child_not_told_reason=child_not_told_reason,
    )


def check_decision(
    decision: SharingDecision, *, today: date, consent_check: ConsentCheck = recorded_consent, recorded: bool = False
) -> dict[str, str]:
    """Problems with a decision before it is recorded, field -> message; empty if none.

    `recorded=True` checks a decision as it was recorded (an import): one recorded before the
    child was asked about keeps the child's answer unrecorded.
    """
    errors: dict[str, str] = {}
    d = decision
    for name, (label, limit) in _LIMITS.items():
        problem = text_problem(getattr(d, name), label=label, limit=limit)
        if problem:
            errors[name] = problem
    for party, ((name_field, name_label), (agency_field, agency_label)) in _PARTY_LIMITS.items():
        who: Recipient | None = getattr(d, party)
        if who is None:
            continue
        for key, label, value in ((name_field, name_label, who.name), (agency_field, agency_label, who.agency)):
            problem = text_problem(value, label=label, limit=NAME_MAX)
            if problem:
                errors[key] = problem
        for value, label, limit in ((who.role, "their role", NAME_MAX), (who.key, "the recipient chosen", SHORT_MAX)):
            problem = text_problem(value, label=label, limit=limit)
            if problem:
                errors.setdefault(name_field, problem)
    if d.decided_by is not None:
        errors.update(_decider_problems(d.decided_by))
    if d.decided_on > today:
        errors["decided_on"] = "The date of the decision must be today or in the past."
    if not d.information.strip():
        errors["information"] = (
            "Say what information was received."
            if d.direction is Direction.IN
            else "Say what information was (or would have been) shared."
        )
    if not d.purpose.strip():
        errors["purpose"] = (
            "Say why it was sent to us."
            if d.direction is Direction.IN
            else "Say why: the purpose of sharing, or the reason for not sharing."
        )
    if d.direction is Direction.IN:
        for name, message in _received_problems(d).items():
            errors.setdefault(name, message)  # a problem with the text itself is said first
        return errors
    if d.recipient is None or not (d.recipient.name.strip() or d.recipient.agency.strip()):
        errors.setdefault(
            "recipient",
            "Choose with whom: one of the family's professionals or the local directory, or someone else "
            "(their name, their agency, or both).",
        )
    if d.received_from is not None:
        errors.setdefault(
            "received_from", "Who sent it is for information received; say with whom it is shared instead."
        )
    outcome = d.outcome
    if outcome is None:
        errors["questions"] = "Answer the questions until they lead to a decision."
    if outcome is Outcome.SHARE:
        if d.lawful_basis is None:
            errors["lawful_basis"] = "Choose the lawful basis for sharing."
        elif d.lawful_basis is LawfulBasis.OTHER and not d.lawful_basis_other.strip():
            errors["lawful_basis_other"] = "Say which lawful basis applies."
        errors.update(_told_problems(d, recorded=recorded))
    for name, message in consent_check(d).items():
        if name == "lawful_basis" and outcome is not Outcome.SHARE:
            continue  # not shared: the lawful basis is not relied on
        errors.setdefault(name, message)
    return errors


def _decider_problems(decider: Decider) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, label, ask in (
        ("name", "the name of who decided", "Say who decided: their name."),
        ("role", "their role", "Say their role (for example, designated safeguarding lead)."),
        ("agency", "their agency", "Say their agency (for example, the school)."),
    ):
        value = getattr(decider, name)
        problem = text_problem(value, label=label, limit=NAME_MAX)
        if problem or not value.strip():
            errors[f"decided_by_{name}"] = problem or ask
    return errors


def _received_problems(d: SharingDecision) -> dict[str, str]:
    errors: dict[str, str] = {}
    sender = d.received_from
    if sender is None or not (sender.name.strip() or sender.agency.strip()):
        errors["received_from"] = "Say who sent it: the person, their agency, or both."
    if d.recipient is not None:
        errors["recipient"] = "Information received has no recipient here; say who sent it instead."
    if d.questions != Questions():
        errors["questions"] = "The questions are for deciding to share; information received is recorded, not decided."
    if d.lawful_basis is LawfulBasis.OTHER and not d.lawful_basis_other.strip():
        errors["lawful_basis_other"] = "Say which lawful basis the sender gave."
    return errors


def _told_problems(d: SharingDecision, *, recorded: bool) -> dict[str, str]:
    """When sharing: whether the parent and the child were told, or why not."""
    errors: dict[str, str] = {}
    if d.parent_told is None:
        errors["parent_told"] = "Say whether the parent was told it was shared."
    elif d.parent_told is Told.NO and not d.parent_not_told_reason.strip():
        errors["parent_not_told_reason"] = (
            "Say why the parent was not told (for example, telling them would increase the risk of harm)."
        )
    if d.child_told is None:
        if not recorded:
            errors["child_told"] = "Say whether the child was told it was shared."
    elif d.child_told is Told.COULD_NOT_CONTACT:
        errors["child_told"] = "Say whether the child was told, and if not, why not."
    elif d.child_told is Told.NO and not d.child_not_told_reason.strip():
        errors["child_not_told_reason"] = (
            "Say why the child was not told (for example, they are too young to understand)."
        )
    return errors


@dataclass(frozen=True)
class RecordedSharing:
    """A decision as it stands in the family's record of sharing."""

    decision_id: str
    decision: SharingDecision
    outcome: Outcome
    # The person who recorded it (username and name); they decided unless it names another.
    recorded_by: str
    recorded_by_name: str
    recorded_at: datetime

    @property
    def decided_by(self) -> str:
        """Who decided, in words: "Ann Lee, Designated safeguarding lead, Cherwell School"."""
        d = self.decision.decided_by
        return d.text if d is not None else self.recorded_by_name or self.recorded_by

    @property
    def attribution(self) -> str:
        """ "Decided by ...; recorded by ..." (or "Received; recorded by ...")."""
        recorder = f"{self.recorded_by_name} ({self.recorded_by})"
        if self.decision.direction is Direction.IN:
            return f"Recorded by {recorder}"
        if self.decision.decided_by is None:
            return f"Decided and recorded by {recorder}"
        return f"Decided by {self.decided_by}; recorded by {recorder}"


@dataclass(frozen=True)
class FamilySharing:
    """A family's record of sharing, newest decision first."""

    family_id: str
    reference: str
    decisions: tuple[RecordedSharing, ...]
    # What a decision may pick from, and the consent it is worked out against (the family's
    # active assessment's; None when it has none), so a screen can show coverage as it is.
    recipients: tuple[Recipient, ...] = ()
    consent: Consent | None = None
    background: FamilyBackground = field(default_factory=FamilyBackground)
    directory: Directory = field(default_factory=Directory)

    def coverage_of(self, recipient: Recipient) -> ConsentAtTheTime:
        """Whether the family's consent covers `recipient` now, as recording would find it."""
        return consent_at_the_time(self.consent, recipient, directory=self.directory, background=self.background)
