"""Engines and migrations.

SQLite gets foreign keys, WAL and a busy timeout on every connection. Migrations run with
foreign keys OFF: a batch migration recreates a table, and with the pragma ON SQLite silently
deletes the ON DELETE CASCADE children of every row it copies. After migrating we run
`PRAGMA foreign_key_check` and refuse to carry on if anything is orphaned.

SQLite transactions are begun by SQLAlchemy (`_begin`), not by the sqlite3 driver, whose own
BEGIN comes only before the first INSERT/UPDATE/DELETE: everything a unit of work read before
its first write (the record it checked, the count it is about to raise) was read outside its
transaction. Nearly every unit writes (a view writes its audit entry), so a unit of work
(`transaction`) begins with BEGIN IMMEDIATE, taking the write lock before it reads; a unit that
only reads (verifying the audit trail) and anything else begins a plain snapshot that never
holds writers up.

SQLite lets one connection write at a time and the others wait in its busy handler, which
polls with a growing back-off and keeps no queue: under steady parallel use one waiter can
lose every race until its busy timeout runs out, and a read fails with "database is locked".
So the units of work of one process queue first come, first served (`writer_turn`), and only
the one at the front asks SQLite for the lock; the busy timeout is left to cover other
processes (the command line, a second app server).
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

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
    surrogates were refused (SQLite kept them as `\\ud800`-style escapes) comes back with U+FFFD in
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
        dbapi_connection.isolation_level = None  # the driver begins nothing; `_begin` does
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL may wait too
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(_WRITES, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    if database and database != ":memory:":
        with _queues_mutex:
            key = str(Path(database).resolve())
            queue = _queue_of_file.get(key)
            if queue is None:
                queue = _queue_of_file[key] = WriterQueue()
            _queue_of_engine[engine] = queue
    return engine


class WriterQueue:
    """Units of work of one process waiting to write to one SQLite database, served in the
    order they came. The one leaving hands its turn straight to the next, so a thread that
    comes back at once cannot overtake those already waiting."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._holder: int | None = None
        self._waiting: deque[tuple[int, threading.Lock]] = deque()

    @contextmanager
    def turn(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._mutex:
            if self._holder == me:
                # Its own transaction holds the database's write lock: waiting would never end.
                raise RuntimeError("A unit of work was started inside another on the same thread.")
            entry: tuple[int, threading.Lock] | None = None
            if self._holder is None:
                self._holder = me
            else:
                entry = (me, threading.Lock())
                entry[1].acquire()
                self._waiting.append(entry)
        if entry is not None:
            try:
                entry[1].acquire()  # released by the one before us, handing over its turn
            except BaseException:
                with self._mutex:
                    if self._holder == me:  # handed over just as we gave up: pass it on
                        self._hand_over()
                    else:
                        self._waiting.remove(entry)
                raise
        try:
            yield
        finally:
            with self._mutex:
                self._hand_over()

    def _hand_over(self) -> None:
        if self._waiting:
            self._holder, ticket = self._waiting.popleft()
            ticket.release()
        else:
            self._holder = None


# One queue per database file, shared by every engine of this process on that file (tests run
# several app servers in one process); it goes when the last of those engines goes.
_queues_mutex = threading.Lock()
_queue_of_file: weakref.WeakValueDictionary[str, WriterQueue] = weakref.WeakValueDictionary()
_queue_of_engine: weakref.WeakKeyDictionary[Engine, WriterQueue] = weakref.WeakKeyDictionary()


_WRITES = "eha_writes"  # an execution option: this transaction will write, so lock at BEGIN


@contextmanager
def transaction(sessions: sessionmaker[Session], engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """A unit of work's transaction over `engine`. On SQLite a writer first waits its turn
    (`writer_turn`) and then holds the write lock from BEGIN to COMMIT; a reader waits for
    nobody and reads one snapshot. Commits on success, rolls back on any exception."""
    with nullcontext() if read_only else writer_turn(engine), sessions.begin() as session:
        session.connection(execution_options={_WRITES: not read_only})
        yield session


def writer_turn(engine: Engine) -> AbstractContextManager[None]:
    """Wait for this process's turn to write through `engine` (an SQLite file); nothing to
    wait for on PostgreSQL, whose row locks queue writers themselves."""
    queue = _queue_of_engine.get(engine)
    return queue.turn() if queue is not None else nullcontext()


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
        before = _revision_of(engine)
        command.upgrade(alembic_config(engine, audit_key=audit_key), revision)
        if _revision_of(engine) != before:
            # New indexes (and data backfilled into them) are weighed by the query planner
            # from statistics: gather them now rather than at the next autovacuum, or never
            # (SQLite keeps none until asked).
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        if _is_sqlite(url):
            with engine.connect() as conn:
                orphans = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if orphans:
                raise MigrationError(f"Migration left rows without their parent: {orphans[:5]}")
    finally:
        engine.dispose()


def _revision_of(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
