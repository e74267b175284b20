"""People who may sign in: accounts, passwords, and the rules for signing in.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults follow RFC 9106's
recommendations). Nothing here touches a database.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from eha.actor import Actor, Role
from eha.text import NAME_MAX, SHORT_MAX, is_text, text_problem

# One message for a wrong password, an unknown username and a disabled account, so the
# sign-in page never tells anyone which usernames exist.
WRONG_CREDENTIALS = "Username or password is incorrect."
NOT_SET_UP = "Your account is not set up in the workbook; ask an administrator."
MIN_PASSWORD_LENGTH = 12
ACCOUNT_ROLES = (Role.PRACTITIONER, Role.LCSS, Role.ADMIN)

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
_DECOY_HASH = _hasher.hash("decoy password, never a real one")


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: Role
    locality: str | None
    email: str | None
    disabled: bool
    has_password: bool

    def actor(self) -> Actor:
        return Actor(username=self.username, display_name=self.display_name, role=self.role, locality=self.locality)


@dataclass(frozen=True)
class SignInPolicy:
    """How long an idle sign-in lasts, and how repeated failures are slowed and then locked."""

    idle_minutes: int = 30
    max_failures: int = 5
    lock_minutes: int = 15
    # Failures before each further attempt is made to wait (1 s, 2 s, 4 s...).
    slow_after: int = 2
    max_delay_seconds: float = 4.0

    def delay_after(self, failures: int) -> float:
        """Seconds to hold back the answer to an attempt after `failures` earlier failures."""
        if failures < self.slow_after:
            return 0.0
        return float(min(2 ** (failures - self.slow_after), self.max_delay_seconds))

    def locked_until(self, failures: int, now: datetime) -> datetime | None:
        return now + timedelta(minutes=self.lock_minutes) if failures >= self.max_failures else None

    def idle_since(self, now: datetime) -> datetime:
        return now - timedelta(minutes=self.idle_minutes)


def locked_message(policy: SignInPolicy) -> str:
    return (
        f"Too many failed attempts: signing in with this username is paused for {policy.lock_minutes} minutes. "
        "Ask an administrator if you cannot wait."
    )


def idle_message(policy: SignInPolicy) -> str:
    return (
        f"You were signed out after {policy.idle_minutes} minutes without activity. "
        "Everything you saved is kept; sign in again to carry on."
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@dataclass(frozen=True)
class HashedPassword:
    """A password hashed once for several accounts (the demo accounts' shared password):
    argon2id is slow on purpose, so hashing the same password again for each account only
    costs time. The password is kept so each account's rules still check it."""

    password: str
    hash: str = dataclasses.field(repr=False)

    @classmethod
    def of(cls, password: str) -> HashedPassword:
        return cls(password, hash_password(password))


def password_matches(stored: str | None, password: str) -> bool:
    """True if `password` matches the stored hash. A missing hash still costs one verification,
    and so does a password that is not valid text (it can match no stored password)."""
    valid = is_text(password)
    try:
        return _hasher.verify(stored or _DECOY_HASH, password if valid else "") and stored is not None and valid
    except (VerificationError, InvalidHashError):
        return False


def check_account(
    *,
    username: str,
    display_name: str,
    role: str,
    locality: str | None,
    email: str | None,
    password: str | None,
    localities: tuple[str, ...],
) -> dict[str, str]:
    """Problems with a new account, field -> message; empty if it may be created."""
    errors: dict[str, str] = {}
    for field, value, label, limit in (
        ("display_name", display_name, "the name", NAME_MAX),
        ("email", email or "", "the email address", NAME_MAX),
        ("password", password or "", "the password", SHORT_MAX),
    ):
        problem = text_problem(value, label=label, limit=limit)
        if problem:
            errors[field] = problem
    if not _USERNAME.match(username):
        errors["username"] = (
            "Use 3 to 64 lower-case letters, digits, dots, hyphens or underscores, "
            "starting and ending with a letter or digit."
        )
    if not display_name.strip() and "display_name" not in errors:
        errors["display_name"] = "Enter the person's name as colleagues know it."
    if role not in {r.value for r in ACCOUNT_ROLES}:
        errors["role"] = "Choose practitioner, lcss or admin."
    elif role == Role.LCSS.value and not locality:
        errors["locality"] = "An LCSS reviewer needs the locality they review."
    if locality and locality not in localities:
        errors["locality"] = f"Choose one of the localities: {', '.join(localities)}."
    if email and not _EMAIL.match(email) and "email" not in errors:
        errors["email"] = "Enter an email address such as name@example.org."
    if password is not None and len(password) < MIN_PASSWORD_LENGTH and "password" not in errors:
        errors["password"] = f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if password is None and not email:
        errors["password"] = "Give a password, or an email address for single sign-on."  # noqa: S105 (a message)
    return errors


def normalise_email(email: str | None) -> str | None:
    """Email addresses are matched case-insensitively (identity providers vary the case)."""
    cleaned = (email or "").strip().lower()
    return cleaned or None
