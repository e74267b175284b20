"""What can go wrong, in the words a practitioner should read."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the workbook explains to a person."""


class ValidationFailed(DomainError):
    """Input broke a rule. `errors` maps a field name to the message to show beside it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


def raise_if(errors: dict[str, str]) -> None:
    """Refuse with everything the checks found (field -> message); nothing when they found nothing."""
    if errors:
        raise ValidationFailed(errors)


class StaleRecord(DomainError):
    """Someone else saved this record after it was opened: the save is refused, nothing lost."""

    def __init__(self, what: str = "This record") -> None:
        super().__init__(
            f"{what} was changed by someone else since you opened it. Your changes have not "
            "been saved, and theirs are kept. Your entries are still in the form: reload the "
            "latest version, then enter your changes again."
        )


class NotFound(DomainError):
    """No record with that id (or not one the person may know exists)."""


class AccessDenied(DomainError):
    """The acting person may not see or change this record. Says nothing of whose it is."""

    def __init__(self, message: str = "You don't have access to this record.") -> None:
        super().__init__(message)


class DuplicateFamily(DomainError):
    """A child with the same name and date of birth already belongs to a family."""

    def __init__(self, family_id: str, reference: str) -> None:
        self.family_id = family_id
        self.reference = reference
        super().__init__(
            f"A child with this name and date of birth is already recorded in family "
            f"{reference}. Open that family instead of creating a new one."
        )


class ImportRefused(DomainError):
    """An exported record cannot be imported (wrong schema, already present, invalid). The
    message is one line saying where in the file the problem is; nothing was written."""


class AlreadyImported(ImportRefused):
    """The family (its id or its reference) is already in this database: a bulk load skips it."""


class ConsentWithdrawn(DomainError):
    """The family withdrew consent: completing or sharing is refused, saying what to do now."""


class ActiveAssessmentExists(DomainError):
    """Only one active EHA per family: starting another shows the one already in progress."""

    def __init__(self, *, assessment_id: str, status: str, started_on: str, led_by: str) -> None:
        self.assessment_id = assessment_id
        self.status = status
        self.started_on = started_on
        self.led_by = led_by
        super().__init__(
            f"This family already has an active Early Help Assessment ({status}, started {started_on}, "
            f"led by {led_by}). There can only be one active assessment per family: open that one, "
            "or ask its lead professional."
        )


class NotReadyToComplete(DomainError):
    """The assessment cannot be completed yet; `reasons` lists everything still missing."""

    def __init__(self, reasons: tuple[str, ...]) -> None:
        self.reasons = reasons
        super().__init__("The assessment cannot be completed yet: " + "; ".join(reasons))


class SignInRefused(DomainError):
    """Signing in did not work. The message never says whether the username exists."""


class SignedOut(DomainError):
    """A sign-in has ended (signed out, timed out, or the account was disabled)."""
