"""Migration 0012 on a populated database, on SQLite and PostgreSQL: the names already indexed
get their words (so the new search finds them), each assessment's current lead professional is
copied from its section, every row is kept, and a downgrade takes it all away again."""

import json

from alembic import command
from sqlalchemy import inspect, text

from eha.actor import Actor
from eha.localities import load_localities
from storage.db import alembic_config, current_revision, make_engine, upgrade
from storage.services import Workbook
from tests.integration.test_migrations import NOW, counts, populate_at_0001
from tests.support import AUDIT_KEY

REVISION = "0012"  # the migration under test: the one place its id is written
BEFORE = "0011"
OPERATOR = Actor.system("test")
LEADS = {
    "terms": [
        {
            "id": f"t{n}",
            "lead": {"name": name, "agency": "Cherwell Primary School", "role": "SENCo", "username": ""},
            "from_on": "2026-11-01",
            "agreed_at_meeting": None,
            "recorded_at": "2026-11-01T10:00:00+00:00",
            "recorded_by": "sam.worker",
        }
        for n, name in enumerate(("Jo Bloggs", "Róisín Gallagher"))
    ]
}


def test_names_get_their_words_and_assessments_their_lead_and_a_downgrade_removes_them(database_url: str):
    upgrade(database_url, "0001")
    populate_at_0001(database_url)
    upgrade(database_url, BEFORE)
    with make_engine(database_url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO family_people (family_id, member_id, kind, name, name_key, date_of_birth)"
                " VALUES ('f1', 'm2', 'carer', 'Mary-Jane O''Brien', 'mary-jane o''brien', NULL)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sections (assessment_id, key, data, updated_at, updated_by, version)"
                " VALUES ('a2', 'lead_professional', :data, :at, 'sam.worker', 1)"
            ),
            {"data": json.dumps(LEADS), "at": NOW},
        )
    before = counts(database_url)

    upgrade(database_url, REVISION)
    assert current_revision(database_url) == REVISION
    assert counts(database_url) == before
    with make_engine(database_url).connect() as conn:
        words = conn.execute(text("SELECT word FROM family_person_words ORDER BY word")).scalars().all()
        leads = conn.execute(text("SELECT id, lead_name, lead_agency FROM assessments ORDER BY id")).all()
    assert words == ["brien", "jane", "mary-jane", "o'brien", "zoe"]
    # The current lead is the last term; the assessments without a lead have none.
    assert [tuple(r) for r in leads] == [
        ("a0", None, None),
        ("a1", None, None),
        ("a2", "Róisín Gallagher", "Cherwell Primary School"),
    ]

    upgrade(database_url)  # on to the newest, as a deployment does
    wb = Workbook(make_engine(database_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    for query in ("ZOË", "jane o'b"):
        assert [f.family_id for f in wb.families.search(query=query, actor=OPERATOR)] == ["f1"], query
    (lead,) = wb.taf.my_families(actor=OPERATOR).leads
    assert lead.name == "Róisín Gallagher"
    assert [e.family_id for e in wb.taf.my_families(actor=OPERATOR, lead=lead.token)] == ["f1"]

    command.downgrade(alembic_config(make_engine(database_url, foreign_keys=False)), BEFORE)
    assert current_revision(database_url) == BEFORE
    found = inspect(make_engine(database_url))
    assert "family_person_words" not in found.get_table_names()
    assert not {"lead_key", "lead_name", "lead_agency"} & {c["name"] for c in found.get_columns("assessments")}
    assert not {"ix_families_recent", "ix_families_locality_recent"} & {
        i["name"] for i in found.get_indexes("families")
    }
    assert counts(database_url) == before
