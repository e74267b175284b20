"""Consent as a history of decisions: who decided what, how and when, and what it covers.

For each person whose consent matters (each parent or carer, and each child old enough to be
asked: the practitioner judges; it is suggested from secondary-school age) the record keeps
decisions over time: given, refused, limited, withdrawn, or "could not be contacted". Consent
sought afresh adds a decision; nothing is overwritten or removed. A decision recorded by mistake
is marked as entered in error, with a reason, and then no longer counts. The wording the person
was shown is copied into each decision, so a later change of wording never rewrites it.

A person's current position is their latest decision (by the date decided, then the time it was
recorded). What consent covers (`coverage`), whether the assessment may be completed
(`problems`) and whether anything may be shared (`sharing_refusal`) are derived from those.

Documents saved before decisions were kept ({"current": record, "earlier": [records]}) are
read through `from_single_record`, which turns each old record into decisions and keeps the
old document itself, unchanged, in `earlier_form`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from eha.background import Carer, Child, FamilyBackground
from eha.errors import raise_if
from eha.recipients import Directory, Recipient, RecipientKind
from eha.text import LONG_MAX, NAME_MAX, SHORT_MAX, id_problem, text_problem

_STRICT = ConfigDict(extra="forbid", frozen=True)

# A child is suggested as old enough to be asked for their own consent from secondary-school
# age (Year 7 begins in the September a child is 11): a prompt, the practitioner judges.
SECONDARY_SCHOOL_AGE = 11

# What the screen says when consent to store and share is missing: the reason and the options.
NO_CONSENT_OPTIONS = (
    "An Early Help Assessment is voluntary and can only be completed with the family's consent to "
    "store it and to share it with the professionals named. What you can do: explain again, in plain "
    "words, what the consent covers and why it helps; the family may limit who sees it rather than say "
    "no. If they still do not agree, the assessment cannot be completed: you can still offer help from "
    "your own service, and your LCSS team can advise. If anyone is at risk of harm, consent is not "
    "needed to share: contact the MASH."
)

NOTHING_RECORDED = (
    "No consent to the assessment is recorded. Nothing may be shared on the basis of consent, and the "
    "assessment cannot be completed, until the main carer's consent is recorded on the consent page. "
    "Section 1 and the threshold check can be filled in meanwhile."
)

_UUID_SPACE = uuid.UUID("6f1f6c1e-4a55-4c0e-9d0e-2f6d3c0b9a11")  # ids of decisions read from old records


class ConsentMethod(StrEnum):
    WRITTEN = "written"
    VERBAL = "verbal"


class ConsentKind(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    LIMITED = "limited"
    WITHDRAWN = "withdrawn"
    COULD_NOT_BE_CONTACTED = "could_not_be_contacted"

    @property
    def label(self) -> str:
        return {
            "given": "Given",
            "refused": "Refused",
            "limited": "Given, limited",
            "withdrawn": "Withdrawn",
            "could_not_be_contacted": "Could not be contacted",
        }[self.value]

    @property
    def agrees(self) -> bool:
        return self in (ConsentKind.GIVEN, ConsentKind.LIMITED)


class ConsentWording(BaseModel):
    model_config = _STRICT
    version: str
    text: str


class _DecisionFields(BaseModel):
    model_config = _STRICT
    person_id: str
    kind: ConsentKind
    method: ConsentMethod | None = None
    # What it covers (for given and limited): the purposes, and whom sharing may reach.
    share_with_professionals: bool = False
    recipients: tuple[Recipient, ...] = ()
    # Recipients named in words on the single consent form used before the pickers; never
    # matched against a recipient (a name typed is not a recipient picked).
    recipients_text: str = ""
    council_storage: bool = False
    ons_opt_out: bool = False
    # For limited: whom sharing must not reach.
    excluded: tuple[Recipient, ...] = ()
    # Anyone who must not see the record, picked, and in words for people no picker has.
    must_not_see: tuple[Recipient, ...] = ()
    must_not_see_text: str = ""
    signed_consent_held_by: str = ""
    explained: str = ""  # what was explained (for a withdrawal: what it now stops)
    understanding: str = ""  # a child's decision: a short note of their understanding


class DecisionAnswers(_DecisionFields):
    """What the practitioner records for one person's decision."""

    decided_on: date | None = None


class ConsentDecision(_DecisionFields):
    """One person's decision, as recorded: never changed afterwards."""

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    decided_on: date
    wording: ConsentWording
    recorded_at: datetime
    recorded_by: str

    @property
    def covers_recipients(self) -> tuple[Recipient, ...]:
        return self.recipients if self.kind.agrees and self.share_with_professionals else ()


class ConsentConfirmation(BaseModel):
    """A decision confirmed with the family at the end of the assessment."""

    model_config = _STRICT
    decision_id: str
    confirmed_on: date
    recorded_at: datetime
    recorded_by: str


class EnteredInError(BaseModel):
    """A decision recorded by mistake (the wrong person, the wrong family): kept, not counted."""

    model_config = _STRICT
    decision_id: str
    reason: str
    recorded_at: datetime
    recorded_by: str


# -- the single consent record kept before decisions (read, never written) -------------------------


class CarerConsent(BaseModel):
    model_config = _STRICT
    carer_id: str
    method: ConsentMethod
    given_on: date


class ConsentWithdrawal(BaseModel):
    model_config = _STRICT
    withdrawn_on: date
    withdrawn_by: str
    stops: str
    recorded_at: datetime
    recorded_by: str


class ConsentRecord(BaseModel):
    """One record of the single consent form of before."""

    model_config = _STRICT
    carers: tuple[CarerConsent, ...] = ()
    share_with_professionals: bool = False
    named_recipients: str = ""
    council_storage: bool = False
    ons_opt_out: bool = False
    must_not_see: str = ""
    signed_consent_held_by: str = ""
    confirmed_on: date | None = None
    wording: ConsentWording
    recorded_at: datetime
    recorded_by: str
    withdrawal: ConsentWithdrawal | None = None


class SingleConsentForm(BaseModel):
    """The consent document as it was before decisions: the current record and earlier ones."""

    model_config = _STRICT
    current: ConsentRecord | None = None
    earlier: tuple[ConsentRecord, ...] = ()


class Consent(BaseModel):
    """Section document "consent": every decision, confirmation and mistake marked, in the
    order recorded. Only ever added to."""

    model_config = _STRICT
    decisions: tuple[ConsentDecision, ...] = ()
    confirmations: tuple[ConsentConfirmation, ...] = ()
    in_error: tuple[EnteredInError, ...] = ()
    # The single consent form this history was read from, exactly as it was saved.
    earlier_form: SingleConsentForm | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_old_shape(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("current" in data or "earlier" in data):
            return from_single_record(data)
        return data

    def counted(self) -> tuple[ConsentDecision, ...]:
        wrong = {e.decision_id for e in self.in_error}
        return tuple(d for d in self.decisions if d.id not in wrong)

    def decision(self, decision_id: str) -> ConsentDecision | None:
        return next((d for d in self.decisions if d.id == decision_id), None)

    def latest(self, person_id: str) -> ConsentDecision | None:
        """The person's current decision: the latest decided, then the latest recorded (the
        order of recording settles a tie)."""
        theirs = [(n, d) for n, d in enumerate(self.counted()) if d.person_id == person_id]
        latest = max(theirs, key=lambda nd: (nd[1].decided_on, nd[1].recorded_at, nd[0]), default=None)
        return latest[1] if latest is not None else None

    def confirmation_of(self, decision: ConsentDecision) -> ConsentConfirmation | None:
        return next((c for c in reversed(self.confirmations) if c.decision_id == decision.id), None)

    def error_of(self, decision: ConsentDecision) -> EnteredInError | None:
        return next((e for e in self.in_error if e.decision_id == decision.id), None)


def from_single_record(old: dict[str, Any]) -> dict[str, Any]:
    """The old document shape ({"current": record, "earlier": [records]}) as the new one, with
    nothing lost: each record's carers become `given` decisions (their method and date, the
    record's purposes, its recipients in words), its confirmation a confirmation of them, its
    withdrawal a `withdrawn` decision for each of them (who withdrew it and what it stops, in
    its note); the old document is kept as it was in `earlier_form`. Pure and repeatable: the
    decisions' ids are derived from the records, so reading the same document twice gives the
    same ids."""
    form = SingleConsentForm.model_validate(old)
    records = [*form.earlier, *([form.current] if form.current is not None else [])]
    decisions: list[ConsentDecision] = []
    confirmations: list[ConsentConfirmation] = []
    for n, r in enumerate(records):
        for carer in r.carers:
            given = ConsentDecision(
                id=str(uuid.uuid5(_UUID_SPACE, f"{n}|{r.recorded_at.isoformat()}|{carer.carer_id}|given")),
                person_id=carer.carer_id,
                kind=ConsentKind.GIVEN,
                method=carer.method,
                decided_on=carer.given_on,
                share_with_professionals=r.share_with_professionals,
                recipients_text=r.named_recipients,
                council_storage=r.council_storage,
                ons_opt_out=r.ons_opt_out,
                must_not_see_text=r.must_not_see,
                signed_consent_held_by=r.signed_consent_held_by,
                wording=r.wording,
                recorded_at=r.recorded_at,
                recorded_by=r.recorded_by,
            )
            decisions.append(given)
            if r.confirmed_on is not None:
                confirmations.append(
                    ConsentConfirmation(
                        decision_id=given.id,
                        confirmed_on=r.confirmed_on,
                        recorded_at=r.recorded_at,
                        recorded_by=r.recorded_by,
                    )
                )
        w = r.withdrawal
        if w is None:
            continue
        for carer in r.carers:
            decisions.append(
                ConsentDecision(
                    id=str(uuid.uuid5(_UUID_SPACE, f"{n}|{r.recorded_at.isoformat()}|{carer.carer_id}|withdrawn")),
                    person_id=carer.carer_id,
                    kind=ConsentKind.WITHDRAWN,
                    decided_on=w.withdrawn_on,
                    explained=f"Withdrawn by: {w.withdrawn_by}\nWhat it now stops: {w.stops}",
                    wording=r.wording,
                    recorded_at=w.recorded_at,
                    recorded_by=w.recorded_by,
                )
            )
    return {
        "decisions": [d.model_dump(mode="json") for d in decisions],
        "confirmations": [c.model_dump(mode="json") for c in confirmations],
        "in_error": [],
        "earlier_form": form.model_dump(mode="json"),
    }


# --- whose consent matters ------------------------------------------------------------------------


def person_of(background: FamilyBackground, person_id: str) -> Carer | Child | None:
    found = background.find(person_id)
    return found if isinstance(found, Carer | Child) else None


def old_enough_to_be_asked(child: Child, *, today: date) -> bool:
    """A suggestion only: from secondary-school age. The practitioner judges understanding."""
    age = child.age_on(today)
    return age is not None and age >= SECONDARY_SCHOOL_AGE


# --- rules ----------------------------------------------------------------------------------------


def check_decision(
    answers: DecisionAnswers, background: FamilyBackground, *, directory: Directory, today: date
) -> dict[str, str]:
    """Field -> message for one decision about to be recorded; empty when it can be saved."""
    errors: dict[str, str] = {}
    person = person_of(background, answers.person_id)
    if person is None:
        errors["person_id"] = (
            "Consent can only be recorded for a parent or carer, or a child, listed in the family background."
        )
    if answers.decided_on is None:
        errors["decided_on"] = "Enter the date of the decision."
    errors.update(decision_problems(answers, today=today, child=isinstance(person, Child)))
    professionals = {p.id for p in background.professionals}
    for field in ("recipients", "excluded", "must_not_see"):
        for r in getattr(answers, field):
            known = r.key in professionals if r.kind is RecipientKind.PROFESSIONAL else directory.get(r.key) is not None
            if not known:
                errors.setdefault(
                    field, "Choose from the professionals in the family background and the local directory."
                )
    return errors


def decision_problems(answers: _DecisionFields, *, today: date, child: bool) -> dict[str, str]:
    """A decision's own rules, whoever is in the background now (an imported record is checked
    with these: a person may have left section 1 since)."""
    errors: dict[str, str] = {}
    problem = id_problem(answers.person_id)
    if problem:
        errors["person_id"] = problem
    decided_on: date | None = getattr(answers, "decided_on", None)
    if decided_on is not None and decided_on > today:
        errors["decided_on"] = "The date of the decision must be today or in the past."
    kind = answers.kind
    if kind in (ConsentKind.GIVEN, ConsentKind.REFUSED, ConsentKind.LIMITED) and answers.method is None:
        errors["method"] = "Say how the decision was made: in writing or verbally."
    if kind is ConsentKind.COULD_NOT_BE_CONTACTED and answers.method is not None:
        errors["method"] = "Someone who could not be contacted made no decision: leave how it was made empty."
    if kind.agrees and answers.share_with_professionals and not answers.recipients and not answers.recipients_text:
        errors["recipients"] = "Choose the professionals or agencies the family agree may receive it."
    if kind is ConsentKind.LIMITED and not answers.excluded:
        errors["excluded"] = "Limited consent names whom it may not be shared with: choose at least one."
    if not kind.agrees and (answers.share_with_professionals or answers.recipients or answers.excluded):
        errors["recipients"] = f"A decision recorded as '{kind.label.lower()}' covers no sharing: clear the recipients."
    clash = [r for r in answers.recipients if any(r.same_as(x) for x in (*answers.excluded, *answers.must_not_see))]
    if clash:
        errors["excluded"] = f"{clash[0].label} cannot be both covered and excluded."
    required_note = kind in (ConsentKind.REFUSED, ConsentKind.WITHDRAWN, ConsentKind.COULD_NOT_BE_CONTACTED)
    note_label = {
        ConsentKind.WITHDRAWN: "what was explained and what the withdrawal now stops",
        ConsentKind.COULD_NOT_BE_CONTACTED: "how you tried to contact them",
    }.get(kind, "what was explained")
    for field, label, limit, required in (
        ("explained", note_label, LONG_MAX, required_note),
        ("understanding", "a short note of the child's understanding", SHORT_MAX, child),
        ("recipients_text", "the professionals and agencies it may be shared with", LONG_MAX, False),
        ("must_not_see_text", "who else must not see it", SHORT_MAX, False),
        ("signed_consent_held_by", "the establishment holding the signed consent", NAME_MAX, False),
    ):
        problem = text_problem(getattr(answers, field), label=label, limit=limit, required=required)
        if problem:
            errors[field] = problem
    for field in ("recipients", "excluded", "must_not_see"):
        for r in getattr(answers, field):
            problem = (
                id_problem(r.key)
                or text_problem(r.name, label="the recipient's name", limit=NAME_MAX, required=True)
                or text_problem(r.agency, label="the recipient's agency", limit=SHORT_MAX)
                or text_problem(r.role, label="the recipient's role", limit=SHORT_MAX)
            )
            if problem:
                errors.setdefault(field, problem)
    return errors


def record_decision(
    consent: Consent,
    answers: DecisionAnswers,
    *,
    background: FamilyBackground,
    directory: Directory,
    today: date,
    wording: ConsentWording,
    at: datetime,
    by: str,
) -> Consent:
    """Add one person's decision, with the wording shown now. Raises ValidationFailed."""
    raise_if(check_decision(answers, background, directory=directory, today=today))
    assert answers.decided_on is not None  # checked above
    fields = answers.model_dump(exclude={"decided_on"})
    if not answers.kind.agrees:
        fields.update(share_with_professionals=False, council_storage=False, ons_opt_out=False)
    decision = ConsentDecision(**fields, decided_on=answers.decided_on, wording=wording, recorded_at=at, recorded_by=by)
    return consent.model_copy(update={"decisions": (*consent.decisions, decision)})


def check_confirmation(consent: Consent, decision_id: str, confirmed_on: date | None, *, today: date) -> dict[str, str]:
    decision = consent.decision(decision_id)
    if decision is None or decision not in consent.counted():
        return {"": "That decision is not on the consent record."}
    if not decision.kind.agrees:
        return {"": "Only consent given can be confirmed."}
    if confirmed_on is None:
        return {"confirmed_on": "Enter the date consent was confirmed with the family."}
    if confirmed_on > today:
        return {"confirmed_on": "The date consent was confirmed must be today or in the past."}
    if confirmed_on < decision.decided_on:
        return {"confirmed_on": "Consent is confirmed at the end: the date cannot be before it was given."}
    return {}


def confirm(
    consent: Consent, decision_id: str, confirmed_on: date | None, *, today: date, at: datetime, by: str
) -> Consent:
    """Record that a decision was confirmed with the family at the end. Raises ValidationFailed."""
    raise_if(check_confirmation(consent, decision_id, confirmed_on, today=today))
    assert confirmed_on is not None
    c = ConsentConfirmation(decision_id=decision_id, confirmed_on=confirmed_on, recorded_at=at, recorded_by=by)
    return consent.model_copy(update={"confirmations": (*consent.confirmations, c)})


def mark_in_error(consent: Consent, decision_id: str, reason: str, *, at: datetime, by: str) -> Consent:
    """Mark a decision as entered in error: it stays in the history, and no longer counts."""
    errors: dict[str, str] = {}
    decision = consent.decision(decision_id)
    if decision is None:
        errors[""] = "That decision is not on the consent record."
    elif consent.error_of(decision) is not None:
        errors[""] = "That decision is already marked as entered in error."
    problem = text_problem(reason, label="why it was entered in error", limit=SHORT_MAX, required=True)
    if problem:
        errors["reason"] = problem
    raise_if(errors)
    mark = EnteredInError(decision_id=decision_id, reason=reason, recorded_at=at, recorded_by=by)
    return consent.model_copy(update={"in_error": (*consent.in_error, mark)})


# --- the current position -------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPosition:
    """One person's consent as it stands: their latest decision, or none."""

    person_id: str
    name: str
    role: str  # "main carer", "parent or carer", "child"
    decision: ConsentDecision | None
    suggested: bool = False  # a child old enough to be asked, with nothing recorded

    @property
    def line(self) -> str:
        return f"{self.name} ({self.role}): {describe(self.decision)}"


def describe(decision: ConsentDecision | None) -> str:
    """A decision in a few words: "given in writing on 10 March 2026"."""
    if decision is None:
        return "no decision recorded"
    how = {ConsentMethod.WRITTEN: " in writing", ConsentMethod.VERBAL: " verbally", None: ""}[decision.method]
    when = f"{decision.decided_on:%-d %B %Y}"
    return {
        ConsentKind.GIVEN: f"given{how} on {when}",
        ConsentKind.LIMITED: f"given{how}, limited, on {when}"
        + (f" (not {', '.join(r.label for r in decision.excluded)})" if decision.excluded else ""),
        ConsentKind.REFUSED: f"refused{how} on {when}",
        ConsentKind.WITHDRAWN: f"withdrawn{how} on {when}",
        ConsentKind.COULD_NOT_BE_CONTACTED: f"could not be contacted on {when}",
    }[decision.kind]


def current_position(
    consent: Consent, background: FamilyBackground, *, today: date | None = None
) -> tuple[PersonPosition, ...]:
    """One line per person: every parent or carer (the main carer first), then each child with
    a decision, or (given `today`) old enough to be asked and with none yet."""
    positions: list[PersonPosition] = []
    carers = sorted(background.carers, key=lambda c: not c.main_carer)
    for carer in carers:
        role = "main carer" if carer.main_carer else "parent or carer"
        positions.append(PersonPosition(carer.id, carer.name, role, consent.latest(carer.id)))
    for child in background.children:
        latest = consent.latest(child.id)
        suggested = latest is None and today is not None and old_enough_to_be_asked(child, today=today)
        if latest is not None or suggested:
            positions.append(PersonPosition(child.id, child.name, "child", latest, suggested=suggested))
    return tuple(positions)


def current_decisions(consent: Consent, background: FamilyBackground) -> tuple[ConsentDecision, ...]:
    """The latest decision of each parent, carer and child listed in section 1 now (the main
    carer first). A person removed from section 1 no longer counts; their decisions stay in
    the history."""
    return tuple(p.decision for p in current_position(consent, background) if p.decision is not None)


def withdrawals(consent: Consent, background: FamilyBackground) -> tuple[tuple[str, ConsentDecision], ...]:
    """(name, decision) for each person whose current decision is a withdrawal."""
    return tuple(
        (p.name, p.decision)
        for p in current_position(consent, background)
        if p.decision is not None and p.decision.kind is ConsentKind.WITHDRAWN
    )


# --- does consent cover this recipient? -----------------------------------------------------------


class CoverageState(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    LIMITED_AGAINST = "limited_against"
    WITHDRAWN = "withdrawn"
    NOT_RECORDED = "not_recorded"
    COULD_NOT_BE_CONTACTED = "could_not_be_contacted"
    NOT_NAMED = "not_named"


class Coverage(BaseModel):
    model_config = _STRICT
    covered: bool
    state: CoverageState
    message: str
    decisions: tuple[ConsentDecision, ...] = ()


def coverage(consent: Consent, recipient: Recipient, *, directory: Directory, background: FamilyBackground) -> Coverage:
    """Whether the family's current consent covers sharing with `recipient`, and why.

    The rule, in order (each person's current decision is their latest, not entered in error):
    1. Anyone listed in section 1 whose current decision is a withdrawal (first) or a refusal
       stops it: when two parents differ, or a child refuses, the refusal wins. Consent is not
       the basis to share then; sharing without it stays possible on another lawful basis.
    2. The main carer's consent is essential: none recorded, or "could not be contacted", and
       it is not covered. Another carer who could not be contacted does not stop it.
    3. The main carer's current decision must be given (or limited) with sharing, and name the
       recipient: directly, as the agency or service a professional belongs to (their agency
       matches a directory entry, case and accents folded), or as a service containing the
       recipient's agency. It is their decision that says whom consent reaches; others' can
       only narrow it.
    4. Nobody's current decision may exclude the recipient (limited against, or "must not see"),
       in the same sense of naming: excluding an agency excludes its professionals.
    """
    main = background.main_carer()
    positions = current_position(consent, background)
    for kind, state in ((ConsentKind.WITHDRAWN, CoverageState.WITHDRAWN), (ConsentKind.REFUSED, CoverageState.REFUSED)):
        for p in positions:
            d = p.decision
            if d is not None and d.kind is kind:
                verb = "withdrew consent" if kind is ConsentKind.WITHDRAWN else "refused consent"
                return Coverage(
                    covered=False,
                    state=state,
                    message=f"{p.name} {verb} on {d.decided_on:%-d %B %Y}, so {recipient.label} cannot be told "
                    "on the basis of consent. Share only if there is another lawful reason, and record why.",
                    decisions=(d,),
                )
    if main is None:
        return Coverage(
            covered=False,
            state=CoverageState.NOT_RECORDED,
            message="No main carer is named in the family background, so there is no consent to share.",
        )
    decision = consent.latest(main.id)
    if decision is None:
        return Coverage(
            covered=False,
            state=CoverageState.NOT_RECORDED,
            message=f"No consent decision of {main.name} (the main carer) is recorded, so nothing may be "
            "shared on the basis of consent.",
        )
    if decision.kind is ConsentKind.COULD_NOT_BE_CONTACTED:
        return Coverage(
            covered=False,
            state=CoverageState.COULD_NOT_BE_CONTACTED,
            message=f"{main.name} (the main carer) could not be contacted on {decision.decided_on:%-d %B %Y}, "
            "so there is no consent to share.",
            decisions=(decision,),
        )
    if recipient.kind is RecipientKind.LCSS:
        return _lcss_coverage(main.name, decision, recipient)
    named = next((n for n in decision.covers_recipients if directory.within(recipient, n)), None)
    if named is None:
        words = (
            f" The consent also names, in words: {decision.recipients_text.strip()!r}; if this recipient is one of "
            "them, record the consent afresh, choosing them."
            if decision.recipients_text.strip()
            else ""
        )
        what = "names" if decision.share_with_professionals else "does not include sharing, so it names"
        return Coverage(
            covered=False,
            state=CoverageState.NOT_NAMED,
            message=f"The consent {main.name} (the main carer) gave on {decision.decided_on:%-d %B %Y} {what} "
            f"nobody that includes {recipient.label}. Ask the family whether they agree, and record it." + words,
            decisions=(decision,),
        )
    for p in positions:
        d = p.decision
        if d is None or not (d.kind.agrees or d.must_not_see):
            continue
        against = next((x for x in (*d.excluded, *d.must_not_see) if directory.within(recipient, x)), None)
        if against is not None:
            return Coverage(
                covered=False,
                state=CoverageState.LIMITED_AGAINST,
                message=f"{p.name}'s consent of {d.decided_on:%-d %B %Y} says it must not go to {against.label}"
                + ("." if against.same_as(recipient) else f", which includes {recipient.label}."),
                decisions=(decision, d) if d is not decision else (decision,),
            )
    through = "" if named.same_as(recipient) else f" (as part of {named.label})"
    caution = ""
    others = [
        d.must_not_see_text.strip() for d in current_decisions(consent, background) if d.must_not_see_text.strip()
    ]
    if others:
        caution = f" Check they are not among those who must not see it, named in words: {'; '.join(others)!r}."
    return Coverage(
        covered=True,
        state=CoverageState.GIVEN,
        message=f"Covered: {main.name} (the main carer) gave consent on {decision.decided_on:%-d %B %Y} to share "
        f"with {recipient.label}{through}." + caution,
        decisions=(decision,),
    )


def _lcss_coverage(main: str, decision: ConsentDecision, recipient: Recipient) -> Coverage:
    """LCSS review the assessment as part of the council storing it on its system: the main
    carer's agreement to that storage is what covers sending it to them."""
    if decision.kind.agrees and decision.council_storage:
        return Coverage(
            covered=True,
            state=CoverageState.GIVEN,
            message=f"Covered: {main} (the main carer) agreed on {decision.decided_on:%-d %B %Y} to the council "
            f"storing the assessment, which {recipient.label} reviews.",
            decisions=(decision,),
        )
    return Coverage(
        covered=False,
        state=CoverageState.NOT_NAMED,
        message=f"The consent {main} (the main carer) gave on {decision.decided_on:%-d %B %Y} does not include the "
        f"council storing the assessment, so it cannot go to {recipient.label} on the basis of consent. Ask the "
        "family, and record their consent afresh.",
        decisions=(decision,),
    )


# --- completion and sharing -----------------------------------------------------------------------


def problems(consent: Consent, background: FamilyBackground) -> list[str]:
    """Why consent does not yet allow the assessment to be completed; empty when it does.

    Completion needs the main carer's current decision to be given (or limited) with the
    council storing it and sharing with the professionals named, confirmed at the end. Other
    people's refusals narrow what may be shared (`coverage`), not whether it is completed."""
    if not consent.counted():
        return ["consent has not been recorded"]
    main = background.main_carer()
    if main is None:
        return ["name the main carer in the family background: their consent is essential"]
    decision = consent.latest(main.id)
    if decision is None:
        return [f"the main carer ({main.name}) has not given consent"]
    if decision.kind is ConsentKind.WITHDRAWN:
        return [withdrawn_message(main.name, decision)]
    if not decision.kind.agrees:
        return [f"{main.name} (the main carer): {describe(decision)}; their consent is essential"]
    found = []
    if not decision.council_storage:
        found.append("the family have not agreed to the council storing the assessment")
    if not decision.share_with_professionals:
        found.append("the family have not agreed to share it with the professionals named")
    if consent.confirmation_of(decision) is None:
        found.append("consent has not been confirmed with the family at the end of the assessment")
    return found


def sharing_refusal(consent: Consent, background: FamilyBackground) -> str | None:
    """Why nothing may be shared now on the basis of consent, or None when the family's current
    decisions allow sharing (with whom is `coverage`'s question). Before any decision is
    recorded, what the family say they would agree to can still be written down."""
    if not consent.counted():
        return None
    for name, decision in withdrawals(consent, background):
        return withdrawn_message(name, decision)
    for p in current_position(consent, background):
        if p.decision is not None and p.decision.kind is ConsentKind.REFUSED:
            return f"{p.name} refused consent on {p.decision.decided_on:%-d %B %Y}."
    main = background.main_carer()
    latest = consent.latest(main.id) if main is not None else None
    if latest is None or not latest.kind.agrees or not latest.share_with_professionals:
        return "The family have not agreed to share the assessment with other professionals."
    return None


def withdrawn_message(name: str, decision: ConsentDecision) -> str:
    return (
        f"{name} withdrew consent on {decision.decided_on:%-d %B %Y}. "
        "Nothing more may be shared on the basis of consent, and the assessment cannot be completed unless the "
        "main carer gives consent again (record it afresh on the consent page). Talk to your LCSS team about "
        "what to do now."
    )


def reference_problems(consent: Consent) -> dict[str, str]:
    """An imported consent document: every decision id once, and every confirmation and error
    mark refers to a decision of the record (each decision is checked by `decision_problems`)."""
    ids = {d.id for d in consent.decisions}
    if len(ids) != len(consent.decisions):
        return {"decisions": "Two consent decisions have the same id."}
    for c in consent.confirmations:
        if c.decision_id not in ids:
            return {"confirmations": "A confirmation refers to a decision that is not in the record."}
    for e in consent.in_error:
        if e.decision_id not in ids:
            return {"in_error": "A decision marked as entered in error is not in the record."}
        problem = text_problem(e.reason, label="why it was entered in error", limit=SHORT_MAX, required=True)
        if problem:
            return {"in_error": problem}
    return {}
