"""Build the workbook from settings: the one factory the app and the command line share.

The screens and the command line never import storage.db or storage.models themselves (an
import-linter contract in pyproject.toml): what they need of them is reached through here.
"""

from __future__ import annotations

from sqlalchemy import Engine

from eha.accounts import HashedPassword, SignInPolicy
from eha.actor import Actor
from eha.attachments import DEFAULT_LIMIT_BYTES
from eha.config import load_consent_wording, load_mash
from eha.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from eha.localities import load_localities
from eha.recipients import load_directory
from storage.db import MigrationError, make_engine, upgrade
from storage.services import Workbook
from storage.settings import Settings

__all__ = ["MigrationError", "add_demo_accounts", "open_workbook", "upgrade_database"]


def upgrade_database(settings: Settings) -> None:
    """Migrate the database named in settings to the latest schema (`eha db upgrade`).

    Raises MigrationError (see storage.db.upgrade); the audit key is passed when it is set."""
    upgrade(settings.database_url, audit_key=settings.audit_key)


def open_workbook(settings: Settings, *, migrate: bool = True) -> tuple[Workbook, Engine]:
    """Migrate (unless told not to) and return the service layer over a new engine.

    Raises SettingsError when there is no audit key: nothing may be written to a trail that
    could not be checked; MigrationError when migrating fails."""
    audit_key = settings.require_audit_key()
    if migrate:
        upgrade(settings.database_url, audit_key=audit_key)
    engine = make_engine(settings.database_url)
    policy = SignInPolicy(
        idle_minutes=settings.idle_minutes, max_failures=settings.max_failures, lock_minutes=settings.lock_minutes
    )
    workbook = Workbook(
        engine,
        localities=load_localities(settings.localities_file),
        mash=load_mash(settings.mash_file),
        consent_wording=load_consent_wording(settings.consent_file),
        directory=load_directory(settings.agencies_file),
        upload_limit=settings.upload_limit_bytes or DEFAULT_LIMIT_BYTES,
        sign_in=policy,
        audit_key=audit_key,
    )
    return workbook, engine


def add_demo_accounts(workbook: Workbook, *, actor: Actor) -> None:
    """The demo accounts (eha.demo.DEMO_ACCOUNTS) that are not there yet, all with the demo
    password, hashed once: argon2id is slow on purpose, and the same for each. For `eha demo`,
    the scripts that build demo databases and the tests of the demo. Raises AccessDenied for
    someone who may not run accounts."""
    existing = {a.username for a in workbook.accounts.all(actor=actor)}
    missing = [account for account in DEMO_ACCOUNTS if account[0] not in existing]
    password = HashedPassword.of(DEMO_PASSWORD) if missing else None
    for username, name, role, locality in missing:
        workbook.accounts.add(
            username=username, display_name=name, role=role, locality=locality, password=password, actor=actor
        )
