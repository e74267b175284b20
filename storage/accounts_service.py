"""Accounts and signing in: local passwords, single sign-on by email, sign-in sessions.

A browser that signs in gets a random token, kept in an HttpOnly cookie set by a server route
that the sign-in screen hands a one-time code (`issue_sign_in_code`, `redeem_sign_in_code`);
the database keeps only its SHA-256 hash, so a copy of the database cannot be used to sign in. A sign-in
ends when the person signs out, when it has been idle longer than the policy allows, or
when the account is disabled. Every sign-in, failed sign-in and sign-out is audited.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eha.accounts import (
    NOT_SET_UP,
    WRONG_CREDENTIALS,
    Account,
    HashedPassword,
    SignInPolicy,
    check_account,
    hash_password,
    idle_message,
    locked_message,
    normalise_email,
    password_matches,
)
from eha.actor import Actor, Role, may_run_accounts
from eha.audit import AuditAction
from eha.errors import NotFound, SignedOut, SignInRefused, ValidationFailed, raise_if
from eha.text import is_text
from storage.core import WorkbookCore
from storage.models import AccountRow, SignInAttemptRow, SignInCodeRow, SignInSessionRow


@dataclass(frozen=True)
class SignedIn:
    """A new sign-in: the token to keep in the browser (never in a URL) and who it is."""

    token: str
    actor: Actor


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# A sign-in code is redeemed by the browser within moments of being drawn; a few minutes
# allow for a slow machine, and an unredeemed code only costs the cookie, not the sign-in.
SIGN_IN_CODE_LIFETIME = timedelta(minutes=5)


def _code_key(code: str, length: int) -> bytes:
    return hashlib.shake_256(b"eha sign-in code\0" + code.encode("utf-8")).digest(length)


def _seal(token: str, code: str) -> str:
    """The token, encrypted with a one-time key derived from the (random, 256-bit) code."""
    raw = token.encode("ascii")
    return bytes(a ^ b for a, b in zip(raw, _code_key(code, len(raw)), strict=True)).hex()


def _unseal(sealed: str, code: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _code_key(code, len(raw)), strict=True)).decode("ascii")


def _account(row: AccountRow) -> Account:
    return Account(
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        locality=row.locality,
        email=row.email,
        disabled=row.disabled,
        has_password=row.password_hash is not None,
    )


class Accounts:
    """Accounts (run by admins and the command line) and signing in and out: `workbook.accounts`."""

    def __init__(self, core: WorkbookCore, *, policy: SignInPolicy) -> None:
        self._core = core
        self.policy = policy

    # Waits out the slow-down after repeated failures; tests replace it to keep time.
    _sleep: Callable[[float], None] = staticmethod(time.sleep)

    # -- accounts -----------------------------------------------------------------------------

    def add(
        self,
        *,
        username: str,
        display_name: str,
        role: str,
        locality: str | None = None,
        email: str | None = None,
        password: str | HashedPassword | None = None,
        actor: Actor,
    ) -> Account:
        """A new account. Without a password it can only sign in through single sign-on. A
        `HashedPassword` is one password hashed once for several accounts (the demo's).

        Raises AccessDenied (only admins and the command line run accounts) or
        ValidationFailed (field -> message, including a username or email already in use).
        """
        username = username.strip().lower()
        email = normalise_email(email)
        locality = (locality or "").strip() or None
        hashed = password if isinstance(password, HashedPassword) else None
        plain = password.password if isinstance(password, HashedPassword) else password
        with self._core.unit() as session:
            self._core.require(may_run_accounts(actor), actor, record="accounts")
            errors = check_account(
                username=username,
                display_name=display_name,
                role=role,
                locality=locality,
                email=email,
                password=plain,
                localities=tuple(loc.key for loc in self._core.localities),
            )
            if "username" not in errors and session.get(AccountRow, username) is not None:
                errors["username"] = "There is already an account with this username."
            if (
                email
                and "email" not in errors
                and session.scalar(select(AccountRow.username).where(AccountRow.email == email))
            ):
                errors["email"] = "Another account already uses this email address."
            raise_if(errors)
            now = self._core.now()
            row = AccountRow(
                username=username,
                display_name=display_name.strip(),
                role=role,
                locality=locality,
                email=email,
                password_hash=hashed.hash
                if hashed is not None
                else hash_password(plain)
                if plain is not None
                else None,
                disabled=False,
                created_at=now,
                created_by=actor.username,
                updated_at=now,
                updated_by=actor.username,
            )
            try:
                with session.begin_nested():
                    session.add(row)
            except IntegrityError:
                # Added by someone else between our check and our insert (PostgreSQL; SQLite's
                # write lock, taken at the start of the unit, keeps the check true).
                if session.get(AccountRow, username) is not None:
                    raise ValidationFailed({"username": "There is already an account with this username."}) from None
                raise ValidationFailed({"email": "Another account already uses this email address."}) from None
            self._core.audit(
                session,
                actor,
                action=AuditAction.ACCOUNT_CHANGED,
                record=f"account:{username}",
                details={"added": username, "role": role, "locality": locality, "email": email},
            )
            return _account(row)

    def all(self, *, actor: Actor) -> list[Account]:
        """Every account. Raises AccessDenied for anyone but admins and the command line."""
        with self._core.unit() as session:
            self._core.require(may_run_accounts(actor), actor, record="accounts")
            return [_account(r) for r in session.scalars(select(AccountRow).order_by(AccountRow.username))]

    def disable(self, *, username: str, actor: Actor) -> None:
        """Stop an account signing in, and end its current sign-ins at once.

        Raises AccessDenied (not an admin) or NotFound (no such account).
        """
        with self._core.unit() as session:
            self._core.require(may_run_accounts(actor), actor, record="accounts")
            row = session.get(AccountRow, username.strip().lower()) if is_text(username) else None
            if row is None:
                raise NotFound("There is no account with that username.")
            now = self._core.now()
            row.disabled, row.updated_at, row.updated_by = True, now, actor.username
            session.execute(
                update(SignInSessionRow)
                .where(SignInSessionRow.username == row.username, SignInSessionRow.ended_at.is_(None))
                .values(ended_at=now, ended_why="account disabled")
            )
            self._core.audit(
                session,
                actor,
                action=AuditAction.ACCOUNT_CHANGED,
                record=f"account:{row.username}",
                details={"disabled": row.username},
            )

    # -- signing in ---------------------------------------------------------------------------

    def sign_in(self, *, username: str, password: str) -> SignedIn:
        """Check a username and password and start a sign-in.

        Raises SignInRefused with WRONG_CREDENTIALS for a wrong password, an unknown username
        or a disabled account alike, and with the lock message while the username is locked
        after repeated failures. Each later failure waits a little longer before answering.

        Every attempt is counted as a failure before its password is looked at, in one
        locked read-and-write of the username's count, so attempts made in parallel each
        get their own place in the count: the one that reaches the limit locks the username,
        and any attempt beyond it is refused as locked, whatever its password. A right
        password then takes back its own count.
        """
        # Typed text, so kept printable and to the column's length before it is stored.
        claimed = "".join(ch for ch in username.strip().lower() if ch.isprintable())[:200]
        policy = self.policy
        with self._core.unit() as session:
            now = self._core.now()
            place, locked = self._count_attempt(session, claimed, now)
            row = session.get(AccountRow, claimed)
            stored_hash = row.password_hash if row is not None else None
            usable = row is not None and not row.disabled
            why = "unknown username" if row is None else ("disabled" if row.disabled else "wrong password")
            if locked:
                self._core.audit(
                    session,
                    Actor.anonymous(claimed),
                    action=AuditAction.SIGN_IN_FAILED,
                    record=f"account:{claimed}"[:200],
                    details={"why": "locked", "failures": place},
                )
        # Outside any transaction: a slowed attempt must not hold the database.
        delay = policy.delay_after(place - 1)
        if delay:
            self._sleep(delay)
        if locked:
            raise SignInRefused(locked_message(policy))
        matches = password_matches(stored_hash, password) and usable
        signed_in: SignedIn | None = None
        with self._core.unit() as session:
            now = self._core.now()
            row = session.get(AccountRow, claimed)
            # The account may have been disabled, or its password changed, while we waited.
            if matches and row is not None and not row.disabled and row.password_hash == stored_hash:
                self._take_back_attempts(session, claimed, place)
                signed_in = self._start(session, row, method="password", now=now)
            else:
                self._core.audit(
                    session,
                    Actor.anonymous(claimed),
                    action=AuditAction.SIGN_IN_FAILED,
                    record=f"account:{claimed}"[:200],
                    details={"why": why, "failures": place, "locked": place >= policy.max_failures},
                )
        if signed_in is None:
            raise SignInRefused(locked_message(policy) if place >= policy.max_failures else WRONG_CREDENTIALS)
        return signed_in

    def _attempts_row(self, session: Session, username: str) -> SignInAttemptRow:
        """The username's count, locked for the rest of the transaction (made if new).

        The insert that makes it is a write, so on SQLite it takes the database's write
        lock before the count is read; on PostgreSQL the row is locked FOR UPDATE. A fresh
        username tried in parallel is inserted once (ON CONFLICT DO NOTHING), never twice.
        """
        dialect = session.get_bind().dialect.name
        upsert = sqlite_insert if dialect == "sqlite" else postgresql_insert
        session.execute(
            upsert(SignInAttemptRow)
            .values(username=username, failures=0)
            .on_conflict_do_nothing(index_elements=[SignInAttemptRow.username])
        )
        return session.scalars(
            select(SignInAttemptRow)
            .where(SignInAttemptRow.username == username)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()

    def _count_attempt(self, session: Session, username: str, now: datetime) -> tuple[int, bool]:
        """Count one more attempt: (its place in the count, whether it is refused as locked).

        An attempt is refused as locked when the username was locked already or when the
        attempts before it reached the limit; the attempt that reaches the limit locks the
        username at once, before its password is checked, so its parallel successors are
        refused too. A lock that has run out starts the count again.
        """
        policy = self.policy
        attempts = self._attempts_row(session, username)
        if attempts.locked_until is not None and attempts.locked_until <= now:
            attempts.failures, attempts.locked_until = 0, None  # the lock has run out
        was_locked = attempts.locked_until is not None
        attempts.failures += 1
        attempts.last_failed_at = now
        if not was_locked:
            attempts.locked_until = policy.locked_until(attempts.failures, now)
        return attempts.failures, was_locked or attempts.failures > policy.max_failures

    def _take_back_attempts(self, session: Session, username: str, place: int) -> None:
        """A right password clears the count up to its own place, as a sign-in always has.
        Attempts counted after it (made in parallel) stay counted, and keep a lock they made."""
        attempts = self._attempts_row(session, username)
        attempts.failures = max(attempts.failures - place, 0)
        if attempts.failures < self.policy.max_failures:
            attempts.locked_until = None
        if attempts.failures == 0:
            attempts.last_failed_at = None

    def sign_in_with_email(self, *, email: str) -> SignedIn:
        """Start a sign-in for the person a single sign-on provider vouched for.

        Raises SignInRefused(NOT_SET_UP) when no enabled account has that email (audited).
        """
        # An address that is not valid text belongs to no account (and cannot be stored).
        address = normalise_email(email) if is_text(email) else None
        signed_in: SignedIn | None = None
        with self._core.unit() as session:
            row = (
                session.scalar(select(AccountRow).where(AccountRow.email == address, AccountRow.disabled.is_(False)))
                if address
                else None
            )
            if row is None:
                self._core.audit(
                    session,
                    Actor.anonymous(address or "(no email)"),
                    action=AuditAction.SIGN_IN_FAILED,
                    record="single sign-on",
                    details={"why": "no account with this email"},
                )
            else:
                signed_in = self._start(session, row, method="single sign-on", now=self._core.now())
        if signed_in is None:
            raise SignInRefused(NOT_SET_UP)
        return signed_in

    def _start(self, session: Session, row: AccountRow, *, method: str, now: datetime) -> SignedIn:
        token = secrets.token_urlsafe(32)
        session.add(
            SignInSessionRow(
                token_hash=token_hash(token), username=row.username, method=method, created_at=now, last_seen_at=now
            )
        )
        actor = _account(row).actor()
        self._core.audit(
            session, actor, action=AuditAction.SIGNED_IN, record=f"account:{row.username}", details={"method": method}
        )
        return SignedIn(token=token, actor=actor)

    def resume(self, *, token: str) -> Actor:
        """Who a browser's sign-in token belongs to, marking them active now.

        Raises SignedOut: with the idle message when the sign-in has been idle too long
        (audited as a sign-out), with an empty message when the token is unknown, already
        ended, or its account disabled.
        """
        policy = self.policy
        ended: str | None = None
        actor: Actor | None = None
        if not is_text(token):  # not a token the workbook gave out
            raise SignedOut("")
        with self._core.unit() as session:
            now = self._core.now()
            row = session.get(SignInSessionRow, token_hash(token))
            account = session.get(AccountRow, row.username) if row is not None else None
            if row is None or account is None or row.ended_at is not None or account.disabled:
                ended = ""
            elif row.last_seen_at < policy.idle_since(now):
                row.ended_at, row.ended_why = now, "idle"
                self._core.audit(
                    session,
                    _account(account).actor(),
                    action=AuditAction.SIGNED_OUT,
                    record=f"account:{account.username}",
                    details={"why": "idle", "idle_minutes": policy.idle_minutes},
                )
                ended = idle_message(policy)
            else:
                row.last_seen_at = now
                actor = _account(account).actor()
        if actor is None:
            raise SignedOut(ended or "")
        return actor

    def sign_out(self, *, token: str) -> None:
        """End a sign-in (audited). Signing out twice, or with an unknown token, does nothing."""
        if not is_text(token):
            return
        with self._core.unit() as session:
            row = session.get(SignInSessionRow, token_hash(token))
            if row is None or row.ended_at is not None:
                return
            account = session.get(AccountRow, row.username)
            row.ended_at, row.ended_why = self._core.now(), "signed out"
            if account is not None:
                self._core.audit(
                    session,
                    _account(account).actor(),
                    action=AuditAction.SIGNED_OUT,
                    record=f"account:{account.username}",
                    details={"why": "signed out"},
                )

    def issue_sign_in_code(self, *, token: str) -> str:
        """A one-time code, good for SIGN_IN_CODE_LIFETIME, that `redeem_sign_in_code` turns
        back into `token`: the page hands the code (never the token) to the server route that
        sets the HttpOnly cookie. Expired codes are cleared on the way.

        Raises SignedOut (empty message) when the sign-in is unknown or has ended.
        """
        code = secrets.token_urlsafe(32)
        with self._core.unit() as session:
            now = self._core.now()
            session.execute(delete(SignInCodeRow).where(SignInCodeRow.expires_at < now))
            row = session.get(SignInSessionRow, token_hash(token))
            if row is None or row.ended_at is not None:
                raise SignedOut("")
            session.add(
                SignInCodeRow(
                    code_hash=token_hash(code),
                    token_hash=row.token_hash,
                    sealed_token=_seal(token, code),
                    expires_at=now + SIGN_IN_CODE_LIFETIME,
                )
            )
        return code

    def redeem_sign_in_code(self, *, code: str) -> str:
        """The sign-in token a code was issued for; the code is used up, whatever the answer.

        Raises SignedOut (empty message) for an unknown, used or expired code, or one whose
        sign-in has ended since.
        """
        with self._core.unit() as session:
            now = self._core.now()
            found = session.get(SignInCodeRow, token_hash(code))
            if found is None:
                raise SignedOut("")
            session.delete(found)
            sign_in = session.get(SignInSessionRow, found.token_hash)
            token = _unseal(found.sealed_token, code) if found.expires_at >= now else None
            live = sign_in is not None and sign_in.ended_at is None
            if token is None or not live or token_hash(token) != found.token_hash:
                token = None
        if token is None:
            raise SignedOut("")
        return token

    def actor_for(self, *, username: str) -> Actor:
        """The enabled account `username` as an acting person (the command line's --as).

        Raises NotFound when there is no such enabled account.
        """
        with self._core.unit() as session:
            row = session.get(AccountRow, username.strip().lower()) if is_text(username) else None
            if row is None or row.disabled:
                raise NotFound(f"There is no enabled account {username!r}.")
            return _account(row).actor()
