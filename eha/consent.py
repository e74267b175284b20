"""The consent page: who agreed, how and when, what it covers, and its withdrawal.

Consent is asked at the start (so other agencies can be contacted during the assessment) and
confirmed at the end. The wording the family was shown is copied into the record when consent
is given, so a later change of wording never rewrites past consent. A withdrawn or superseded
record is kept in `earlier`, never overwritten.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from eha.background import FamilyBackground
from eha.errors import ConsentWithdrawn, ValidationFailed, raise_if
from eha.text import LONG_MAX, NAME_MAX, SHORT_MAX, text_problem

_STRICT = ConfigDict(extra="forbid", frozen=True)

# What the screen says when consent to store and share is missing: the reason and the options.
NO_CONSENT_OPTIONS = (
    "An Early Help Assessment is voluntary and can only be completed with the family's consent to "
    "store it and to share it with the professionals named. What you can do: explain again, in plain "
    "words, what the consent covers and why it helps; the family may limit who sees it rather than say "
    "no. If they still do not agree, the assessment cannot be completed: you can still offer help from "
    "your own service, and your LCSS team can advise. If anyone is at risk of harm, consent is not "
    "needed to share: contact the MASH."
)


class ConsentMethod(StrEnum):
    WRITTEN = "written"
    VERBAL = "verbal"


class ConsentWording(BaseModel):
    model_config = _STRICT
    version: str
    text: str


class CarerConsent(BaseModel):
    """One parent or carer's consent."""

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


class ConsentAnswers(BaseModel):
    """What the practitioner records on the consent page."""

    model_config = _STRICT
    carers: tuple[CarerConsent, ...] = ()
    share_with_professionals: bool = False
    named_recipients: str = ""
    council_storage: bool = False
    ons_opt_out: bool = False
    must_not_see: str = ""
    signed_consent_held_by: str = ""
    confirmed_on: date | None = None


class ConsentRecord(ConsentAnswers):
    wording: ConsentWording
    recorded_at: datetime
    recorded_by: str
    withdrawal: ConsentWithdrawal | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawal is not None


class Consent(BaseModel):
    """Section document "consent": the current record and every earlier one."""

    model_config = _STRICT
    current: ConsentRecord | None = None
    earlier: tuple[ConsentRecord, ...] = ()

    @property
    def withdrawal(self) -> ConsentWithdrawal | None:
        return self.current.withdrawal if self.current else None


# --- rules -------------------------------------------------------------------------------


def check_answers(answers: ConsentAnswers, background: FamilyBackground, *, today: date) -> dict[str, str]:
    """Field -> message for the consent page; empty when it can be saved."""
    errors: dict[str, str] = {}
    carer_ids = {c.id for c in background.carers}
    given = {c.carer_id for c in answers.carers}
    if given - carer_ids:
        errors["carers"] = "Consent can only be recorded for a parent or carer listed in the family background."
    main = background.main_carer()
    if main is None:
        errors["carers"] = "Name the main carer in the family background first: their consent is essential."
    elif main.id not in given:
        errors["carers"] = f"The main carer's consent is essential: record how and when {main.name} agreed."
    errors.update(answer_problems(answers, today=today))
    return errors


def answer_problems(answers: ConsentAnswers, *, today: date) -> dict[str, str]:
    """The answers' own rules (texts and dates), whoever is in the background now: an imported
    record is checked with these, since a carer may have left section 1 after consenting."""
    errors: dict[str, str] = {}
    for consent in answers.carers:
        if consent.given_on > today:
            errors[f"given_on:{consent.carer_id}"] = "The date consent was given must be today or in the past."
    for field, label, limit in (
        ("named_recipients", "the professionals and agencies it may be shared with", LONG_MAX),
        ("must_not_see", "who must not see it", SHORT_MAX),
        ("signed_consent_held_by", "the establishment holding the signed consent", NAME_MAX),
    ):
        problem = text_problem(getattr(answers, field), label=label, limit=limit)
        if problem:
            errors[field] = problem
    if answers.share_with_professionals and not answers.named_recipients.strip():
        errors["named_recipients"] = "Name the professionals or agencies the family agree may receive it."
    if answers.confirmed_on is not None:
        earliest = min((c.given_on for c in answers.carers), default=None)
        if answers.confirmed_on > today:
            errors["confirmed_on"] = "The date consent was confirmed must be today or in the past."
        elif earliest is not None and answers.confirmed_on < earliest:
            errors["confirmed_on"] = "Consent is confirmed at the end: the date cannot be before it was first given."
    return errors


def check_withdrawal(*, withdrawn_on: date | None, withdrawn_by: str, stops: str, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if withdrawn_on is None:
        errors["withdrawn_on"] = "Enter the date consent was withdrawn."
    elif withdrawn_on > today:
        errors["withdrawn_on"] = "The date consent was withdrawn must be today or in the past."
    for field, value, label, limit in (
        ("withdrawn_by", withdrawn_by, "who withdrew consent", NAME_MAX),
        ("stops", stops, "what the withdrawal now stops", LONG_MAX),
    ):
        problem = text_problem(value, label=label, limit=limit, required=True)
        if problem:
            errors[field] = problem
    return errors


def record(
    consent: Consent,
    answers: ConsentAnswers,
    *,
    background: FamilyBackground,
    today: date,
    wording: ConsentWording,
    fresh: bool,
    at: datetime,
    by: str,
) -> Consent:
    """Save the consent page.

    Changing a record keeps the wording the family agreed to. `fresh` (consent sought again:
    after a withdrawal, a significant change or new wording) keeps the old record in `earlier`
    and copies the current wording into the new one. A withdrawn record cannot be changed,
    only replaced by consent sought afresh.
    """
    current = consent.current
    if current is not None and current.withdrawn and not fresh:
        raise ConsentWithdrawn(withdrawn_message(current.withdrawal))
    raise_if(check_answers(answers, background, today=today))
    if current is None or fresh:
        kept = consent.earlier if current is None else (*consent.earlier, current)
        new = ConsentRecord(**answers.model_dump(), wording=wording, recorded_at=at, recorded_by=by)
        return Consent(current=new, earlier=kept)
    updated = ConsentRecord(
        **answers.model_dump(),
        wording=current.wording,
        recorded_at=current.recorded_at,
        recorded_by=current.recorded_by,
    )
    return consent.model_copy(update={"current": updated})


def withdraw(consent: Consent, withdrawal: ConsentWithdrawal) -> Consent:
    current = consent.current
    if current is None:
        raise ValidationFailed({"": "No consent has been recorded, so there is nothing to withdraw."})
    if current.withdrawn:
        raise ConsentWithdrawn(withdrawn_message(current.withdrawal))
    return consent.model_copy(update={"current": current.model_copy(update={"withdrawal": withdrawal})})


def problems(consent: Consent, background: FamilyBackground) -> list[str]:
    """Why consent does not yet allow the assessment to be completed; empty when it does."""
    current = consent.current
    if current is None:
        return ["consent has not been recorded"]
    if current.withdrawal is not None:
        return [withdrawn_message(current.withdrawal)]
    found = []
    main = background.main_carer()
    given = {c.carer_id for c in current.carers}
    if main is not None and main.id not in given:
        found.append(f"the main carer ({main.name}) has not given consent")
    if not current.council_storage:
        found.append("the family have not agreed to the council storing the assessment")
    if not current.share_with_professionals:
        found.append("the family have not agreed to share it with the professionals named")
    if current.confirmed_on is None:
        found.append("consent has not been confirmed with the family at the end of the assessment")
    return found


def sharing_refusal(consent: Consent) -> str | None:
    """Why the assessment may not be shared now, or None when the family's consent allows it."""
    current = consent.current
    if current is not None and current.withdrawal is not None:
        return withdrawn_message(current.withdrawal)
    if current is not None and not current.share_with_professionals:
        return "The family have not agreed to share the assessment with other professionals."
    return None


def withdrawn_message(withdrawal: ConsentWithdrawal | None) -> str:
    if withdrawal is None:
        return "Consent has been withdrawn."
    return (
        f"Consent was withdrawn on {withdrawal.withdrawn_on:%d %B %Y} by {withdrawal.withdrawn_by}. "
        "Nothing more may be shared and the assessment cannot be completed unless the family give "
        "consent again (record it afresh on the consent page). Talk to your LCSS team about what to do now."
    )
