"""The migration that adds the contact log, on a populated database, on SQLite and PostgreSQL:
every row already there is kept, a family's contacts go with the family, a removal is all or
nothing, and downgrading drops only the log.

The migration is named once, by CONTACTS; the revision before it is read from the migration
itself, so renumbering it changes one line here.
"""

from datetime import datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import MIGRATIONS, alembic_config, current_revision, make_engine, upgrade

CONTACTS = "0010"
BEFORE = ScriptDirectory(str(MIGRATIONS)).get_revision(CONTACTS).down_revision
assert isinstance(BEFORE, str)

AT = datetime(2026, 11, 22, 10, 0)
TABLES = ("families", "family_people", "assessments", "sections", "family_team", "sharing_decisions", "audit_log")


def populate(url: str) -> None:
    """Two families as the workbook before the log wrote them: people, an assessment each with a
    section, a team, a sharing decision and audit entries."""
    engine = make_engine(url)
    with engine.begin() as conn:
        for n in (1, 2):
            stamps = {"at": AT, "by": "sam.worker", "id": f"f{n}", "ref": f"EH-BCDFG{n}"}
            conn.execute(
                text(
                    "INSERT INTO families (id, reference, locality, created_at, created_by, updated_at, updated_by,"
                    " version) VALUES (:id, :ref, 'central', :at, :by, :at, :by, 1)"
                ),
                stamps,
            )
            conn.execute(
                text(
                    "INSERT INTO family_people (family_id, member_id, kind, name, name_key, date_of_birth)"
                    " VALUES (:id, 'm1', 'child', 'Zoë', 'zoe', '2018-02-03')"
                ),
                stamps,
            )
            conn.execute(
                text(
                    "INSERT INTO assessments (id, family_id, status, started_on, created_at, created_by, updated_at,"
                    " updated_by, version) VALUES (:a, :id, 'draft', '2026-11-01', :at, :by, :at, :by, 1)"
                ),
                {**stamps, "a": f"a{n}"},
            )
            conn.execute(
                text(
                    "INSERT INTO sections (assessment_id, key, data, updated_at, updated_by, version)"
                    " VALUES (:a, 'background', '{\"reason\": \"<b>&</b> 😀\"}', :at, :by, 1)"
                ),
                {**stamps, "a": f"a{n}"},
            )
            conn.execute(
                text(
                    "INSERT INTO family_team (family_id, username, team_role, added_at, added_by)"
                    " VALUES (:id, :by, 'author', :at, :by)"
                ),
                stamps,
            )
            conn.execute(
                text(
                    "INSERT INTO sharing_decisions (id, family_id, decided_on, outcome, decision, decided_by,"
                    " decided_by_name, recorded_at) VALUES (:d, :id, '2026-11-02', 'share', '{}', :by, 'Sam', :at)"
                ),
                {**stamps, "d": f"d{n}"},
            )
            conn.execute(
                text(
                    "INSERT INTO audit_log (seq, at, actor, actor_role, action, family_id, record, details, prev_hash,"
                    " hash) VALUES (:seq, :at, :by, 'practitioner', 'created', :id, 'family', '{}', :h, :h)"
                ),
                {**stamps, "seq": n, "h": "0" * 64},
            )
    engine.dispose()


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {table: conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() for table in TABLES}
    engine.dispose()
    return found


def add_contact(url: str, contact_id: str, family_id: str, *, removed: bool = False, reason: str | None = "Oops"):
    removal = {"removed_at": AT, "removed_by": "sam.worker", "reason": reason} if removed else {}
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO family_contacts (id, family_id, contact_on, kind, kind_other, who, note, recorded_at,"
                    " recorded_by, recorded_by_name, removed_at, removed_by, removed_by_name, removed_reason)"
                    " VALUES (:id, :f, '2026-11-20', 'visit', '', 'Mum', '<b>&</b> 😀 مريم', :at, 'sam.worker', 'Sam',"
                    " :removed_at, :removed_by, 'Sam', :reason)"
                ),
                {"id": contact_id, "f": family_id, "at": AT, "removed_at": None, "removed_by": None, "reason": None}
                | removal,
            )
    finally:
        engine.dispose()


def contacts(url: str) -> list[tuple[str, str, str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, family_id, note FROM family_contacts ORDER BY id")).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def tables(url: str) -> list[str]:
    engine = make_engine(url)
    found = inspect(engine).get_table_names()
    engine.dispose()
    return found


def test_the_contact_log_is_added_to_a_populated_database_and_nothing_else_changes(database_url: str):
    upgrade(database_url, BEFORE)
    populate(database_url)
    before = counts(database_url)
    assert before == {table: 2 for table in TABLES}

    upgrade(database_url, CONTACTS)
    assert current_revision(database_url) == CONTACTS
    assert counts(database_url) == before
    assert contacts(database_url) == []

    add_contact(database_url, "c1", "f1")
    add_contact(database_url, "c2", "f2", removed=True)
    assert contacts(database_url) == [("c1", "f1", "<b>&</b> 😀 مريم"), ("c2", "f2", "<b>&</b> 😀 مريم")]
    # A contact belongs to a family that exists, and a removal says why.
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        add_contact(database_url, "c3", "no-such-family")
    with pytest.raises(Exception, match=r"(?i)check"):
        add_contact(database_url, "c4", "f1", removed=True, reason=None)

    # A family's contacts go with the family, and only its.
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM families WHERE id = 'f1'"))
    engine.dispose()
    assert contacts(database_url) == [("c2", "f2", "<b>&</b> 😀 مريم")]

    # Downgrading drops the log and keeps everything else.
    after = counts(database_url)
    careful = make_engine(database_url, foreign_keys=False)
    command.downgrade(alembic_config(careful), BEFORE)
    careful.dispose()
    assert current_revision(database_url) == BEFORE
    assert "family_contacts" not in tables(database_url)
    assert counts(database_url) == after
    upgrade(database_url)
    assert "family_contacts" in tables(database_url)
