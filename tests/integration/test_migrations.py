"""Migrations on populated databases, including the SQLite batch-migration trap.

Migration 0002 copies the `assessments` table (a batch migration: SQLite cannot add a CHECK
constraint in place). With foreign keys ON, SQLite deletes the ON DELETE CASCADE children
(`sections`) of every row it copies. storage.db.upgrade runs migrations with the pragma OFF.
"""

import json
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import MIGRATIONS, alembic_config, current_revision, make_engine, upgrade
from tests.support import AUDIT_KEY

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()

NOW = datetime(2026, 11, 22, 10, 0)


def populate_at_0001(url: str) -> None:
    with make_engine(url).begin() as conn:
        stamps = {"at": NOW, "by": "sam.worker"}
        conn.execute(
            text(
                "INSERT INTO families (id, reference, locality, created_at, created_by, updated_at, updated_by,"
                " version) VALUES ('f1', 'EH-BCDFGH', 'north', :at, :by, :at, :by, 1)"
            ),
            stamps,
        )
        conn.execute(
            text(
                "INSERT INTO family_people (family_id, member_id, kind, name, name_key, date_of_birth)"
                " VALUES ('f1', 'm1', 'child', 'Zoë', 'zoe', '2018-02-03')"
            )
        )
        for n in range(3):
            conn.execute(
                text(
                    "INSERT INTO assessments (id, family_id, status, started_on, created_at, created_by, updated_at,"
                    " updated_by, version) VALUES (:id, 'f1', 'draft', '2026-11-01', :at, :by, :at, :by, 1)"
                ),
                {"id": f"a{n}", **stamps},
            )
            conn.execute(
                text(
                    "INSERT INTO sections (assessment_id, key, data, updated_at, updated_by, version)"
                    " VALUES (:id, 'background', '{\"reason\": \"<b>&</b> 😀\"}', :at, :by, 1)"
                ),
                {"id": f"a{n}", **stamps},
            )


def counts(url: str) -> dict[str, int]:
    with make_engine(url).connect() as conn:
        return {
            table: conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("families", "family_people", "assessments", "sections")
        }


def test_upgrading_a_populated_database_keeps_every_child_row(database_url: str):
    upgrade(database_url, "0001")
    populate_at_0001(database_url)
    before = counts(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == HEAD
    assert counts(database_url) == before == {"families": 1, "family_people": 1, "assessments": 3, "sections": 3}
    checks = inspect(make_engine(database_url)).get_check_constraints("assessments")
    assert [c["name"] for c in checks] == ["ck_assessments_status"]
    with make_engine(database_url).connect() as conn:
        assert conn.execute(text("SELECT data FROM sections WHERE assessment_id='a0'")).scalar_one() in (
            '{"reason": "<b>&</b> 😀"}',
            {"reason": "<b>&</b> 😀"},
        )


def test_the_guard_matters_with_foreign_keys_on_sqlite_deletes_the_sections(sqlite_url: str):
    """The control experiment: the same migration with the pragma ON loses data."""
    upgrade(sqlite_url, "0001")
    populate_at_0001(sqlite_url)
    careless = make_engine(sqlite_url, foreign_keys=True)
    command.upgrade(alembic_config(careless), "head")
    assert counts(sqlite_url)["sections"] == 0


def test_upgrade_is_idempotent_and_downgrade_works(database_url: str):
    upgrade(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == HEAD
    engine = make_engine(database_url, foreign_keys=False)
    command.downgrade(alembic_config(engine), "0001")
    assert current_revision(database_url) == "0001"
    assert inspect(make_engine(database_url)).get_check_constraints("assessments") == []


def test_a_status_the_workbook_does_not_know_is_refused_by_the_database(database_url: str):
    upgrade(database_url)
    populate = make_engine(database_url)
    with pytest.raises(Exception, match=r"(?i)check"), populate.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO families (id, reference, locality, created_at, created_by, updated_at, updated_by,"
                " version) VALUES ('f2', 'EH-ZZZZZZ', 'north', :at, 'x', :at, 'x', 1)"
            ),
            {"at": datetime.now(UTC).replace(tzinfo=None)},
        )
        conn.execute(
            text(
                "INSERT INTO assessments (id, family_id, status, created_at, created_by, updated_at, updated_by,"
                " version) VALUES ('a9', 'f2', 'lost', :at, 'x', :at, 'x', 1)"
            ),
            {"at": datetime.now(UTC).replace(tzinfo=None)},
        )


def test_0003_adds_star_readings_to_a_populated_database_and_they_go_with_their_assessment(database_url: str):
    upgrade(database_url, "0002")
    populate_at_0001(database_url)
    before = counts(database_url)
    upgrade(database_url, "0003")
    assert counts(database_url) == before
    reading = {"id": "r1", "taken_on": "2026-11-01", "occasion": {"kind": "first"}, "completed_by": "worker_only"}
    insert = text(
        "INSERT INTO star_readings (id, assessment_id, taken_on, occasion_kind, review_number, data, created_at,"
        " created_by, updated_at, updated_by, version) VALUES (:id, :a, '2026-11-01', 'first', NULL, :data, :at,"
        " 'sam.worker', :at, 'sam.worker', 1)"
    )
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(insert, {"id": "r1", "a": "a0", "data": json.dumps(reading), "at": NOW})
        conn.execute(insert, {"id": "r2", "a": "a1", "data": json.dumps(reading), "at": NOW})
    # A second first reading for one assessment is refused by the database itself.
    with pytest.raises(Exception, match=r"(?i)unique"), engine.begin() as conn:
        conn.execute(insert, {"id": "r3", "a": "a0", "data": json.dumps(reading), "at": NOW})
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM assessments WHERE id = 'a0'"))
        remaining = conn.execute(text("SELECT id FROM star_readings")).scalars().all()
    assert remaining == ["r2"]
    assert counts(database_url)["sections"] == 2
    command.downgrade(alembic_config(make_engine(database_url, foreign_keys=False)), "0002")
    assert "star_readings" not in inspect(make_engine(database_url)).get_table_names()
    assert counts(database_url)["assessments"] == 2


def test_0005_makes_each_existing_familys_creator_its_author_and_starts_the_audit_chain(database_url: str):
    upgrade(database_url, "0002")
    populate_at_0001(database_url)
    upgrade(database_url)
    assert counts(database_url) == {"families": 1, "family_people": 1, "assessments": 3, "sections": 3}
    with make_engine(database_url).connect() as conn:
        team = conn.execute(text("SELECT family_id, username, team_role FROM family_team")).all()
        head = conn.execute(text("SELECT last_seq, last_hash FROM audit_chain_head")).all()
    assert [tuple(r) for r in team] == [("f1", "sam.worker", "author")]
    assert [tuple(r) for r in head] == [(0, "0" * 64)]

    from eha.actor import Actor, Role
    from eha.localities import load_localities
    from storage.services import Workbook

    sam = Actor(username="sam.worker", display_name="Sam", role=Role.PRACTITIONER)
    workbook = Workbook(make_engine(database_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    assert [f.family_id for f in workbook.families.all(actor=sam)] == ["f1"]
    assert workbook.audit.verify(actor=Actor.system("test")) == (1, None)


def test_0006_adds_taf_meetings_to_a_populated_database_and_they_go_with_their_assessment(database_url: str):
    upgrade(database_url, "0005")
    populate_at_0001(database_url)
    before = counts(database_url)
    upgrade(database_url, "0006")
    assert counts(database_url) == before == {"families": 1, "family_people": 1, "assessments": 3, "sections": 3}
    insert = text(
        "INSERT INTO taf_meetings (id, assessment_id, number, held_on, data, created_at, created_by, updated_at,"
        " updated_by, version) VALUES (:id, :a, :n, '2026-11-20', :data, :at, 'sam.worker', :at, 'sam.worker', 1)"
    )
    meeting = json.dumps({"held_on": "2026-11-20", "where": "<b>&</b> 😀"})
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(insert, {"id": "m1", "a": "a0", "n": 1, "data": meeting, "at": NOW})
        conn.execute(insert, {"id": "m2", "a": "a1", "n": 1, "data": meeting, "at": NOW})
    # Meeting 1 of an assessment is recorded once, by the database itself.
    with pytest.raises(Exception, match=r"(?i)unique"), engine.begin() as conn:
        conn.execute(insert, {"id": "m3", "a": "a0", "n": 1, "data": meeting, "at": NOW})
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM assessments WHERE id = 'a0'"))
        remaining = conn.execute(text("SELECT id FROM taf_meetings")).scalars().all()
    assert remaining == ["m2"]
    assert counts(database_url)["sections"] == 2
    engine.dispose()
    command.downgrade(alembic_config(make_engine(database_url, foreign_keys=False)), "0005")
    assert "taf_meetings" not in inspect(make_engine(database_url)).get_table_names()
    assert counts(database_url)["assessments"] == 2
