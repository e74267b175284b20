"""The database fixtures give each test a fresh, working database on both backends."""

from __future__ import annotations

import sqlalchemy as sa

from tests.support.hostile import SAMPLES
from tests.support.postgres import PostgresServer

TEXTS = list(SAMPLES.values())


def _round_trip(url: str) -> list[str]:
    """Every hostile sample, written to a table and read back in order."""
    engine = sa.create_engine(url)
    try:
        metadata = sa.MetaData()
        notes = sa.Table(
            "notes",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("body", sa.Text, nullable=False),
        )
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(notes.insert(), [{"id": n, "body": text} for n, text in enumerate(TEXTS, start=1)])
        with engine.connect() as conn:
            return [str(body) for body in conn.execute(sa.select(notes.c.body).order_by(notes.c.id)).scalars()]
    finally:
        engine.dispose()


def test_hostile_text_round_trips(database_url: str) -> None:
    assert _round_trip(database_url) == TEXTS


def test_database_starts_empty(database_url: str) -> None:
    # Same table name as the test above: it must not exist in a fresh database.
    engine = sa.create_engine(database_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_backend_matches_test_id(database_url: str, request) -> None:  # type: ignore[no-untyped-def]
    backend = request.node.callspec.params["database_url"]
    expected = "sqlite:///" if backend == "sqlite" else "postgresql+psycopg://postgres@127.0.0.1:"
    assert database_url.startswith(expected)
    marked = request.node.get_closest_marker("postgres") is not None
    assert marked == (backend == "postgres")


def test_sqlite_url_is_a_fresh_file(sqlite_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert sqlite_url.startswith("sqlite:///")
    assert str(tmp_path) in sqlite_url
    assert _round_trip(sqlite_url) == TEXTS


def test_postgres_databases_are_separate_and_utf8(postgres_server: PostgresServer) -> None:
    first, second = postgres_server.create_database(), postgres_server.create_database()
    assert first != second
    assert _round_trip(first) == TEXTS
    engine = sa.create_engine(second)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SHOW server_encoding")).scalar_one() == "UTF8"
            assert conn.execute(sa.text("SELECT inet_server_addr()::text")).scalar_one() in {
                "127.0.0.1",
                "127.0.0.1/32",
            }
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    postgres_server.drop_database(first)
    postgres_server.drop_database(second)
