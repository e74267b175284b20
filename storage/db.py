"""Engines and migrations.

SQLite gets foreign keys, WAL and a busy timeout on every connection. Migrations run with
foreign keys OFF: a batch migration recreates a table, and with the pragma ON SQLite silently
deletes the ON DELETE CASCADE children of every row it copies. After migrating we run
`PRAGMA foreign_key_check` and refuse to carry on if anything is orphaned.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text

from eha.text import repaired

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class MigrationError(RuntimeError):
    pass


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _repaired_json(value: Any) -> Any:
    if isinstance(value, str):
        return repaired(value)
    if isinstance(value, list):
        return [_repaired_json(v) for v in value]
    if isinstance(value, dict):
        return {repaired(k): _repaired_json(v) for k, v in value.items()}
    return value


def load_json(document: str | bytes) -> Any:
    """A stored JSON document (psycopg hands over bytes, SQLite text). Text saved before lone
    surrogates were refused (SQLite kept them as `\\udXXX` escapes) comes back with U+FFFD in
    their place, so the record can still be shown, exported and saved again."""
    loaded = json.loads(document)
    escaped = b"\\u" in document if isinstance(document, bytes) else "\\u" in document
    return _repaired_json(loaded) if escaped else loaded


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for `url`. For SQLite, the file's folder is created if needed."""
    if not _is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, json_deserializer=load_json)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, json_deserializer=load_json)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return engine


def alembic_config(engine: Engine, *, audit_key: bytes | None = None) -> Config:
    """`audit_key` is for migration 0007, which re-keys an existing audit trail (it refuses
    without one only when there are entries to re-key)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    cfg.attributes["audit_key"] = audit_key
    return cfg


def upgrade(url: str, revision: str = "head", *, audit_key: bytes | None = None) -> None:
    """Migrate the database at `url` to `revision`; raises MigrationError on orphaned rows, and
    when an audit trail written before it was keyed needs `audit_key` to be re-keyed."""
    engine = make_engine(url, foreign_keys=False)
    try:
        command.upgrade(alembic_config(engine, audit_key=audit_key), revision)
        if _is_sqlite(url):
            with engine.connect() as conn:
                orphans = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if orphans:
                raise MigrationError(f"Migration left rows without their parent: {orphans[:5]}")
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
