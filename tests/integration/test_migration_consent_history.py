"""The consent history migration on a populated database, SQLite and PostgreSQL: every stored
consent document of the single-record shape becomes a history of decisions, nothing lost."""

import json
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from eha.actor import Actor
from eha.consent import Consent, ConsentKind
from eha.localities import load_localities
from storage.db import MIGRATIONS, alembic_config, current_revision, make_engine, upgrade
from storage.services import Workbook
from tests.integration.test_migrations import NOW, populate_at_0001
from tests.support import AUDIT_KEY

REVISION = "0011"  # the one place this test names the migration
BEFORE = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
assert isinstance(BEFORE, str)

WORDING = {"version": "2025-1", "text": "We agree <b>&</b> 😀"}


def record(carers: list[tuple[str, str, str]], **fields: Any) -> dict[str, Any]:
    return {
        "carers": [{"carer_id": c, "method": m, "given_on": on} for c, m, on in carers],
        "share_with_professionals": True,
        "named_recipients": "GP surgery; <i>the school</i>",
        "council_storage": True,
        "ons_opt_out": False,
        "must_not_see": "Uncle مريم",
        "signed_consent_held_by": "Cherwell Primary",
        "confirmed_on": None,
        "wording": WORDING,
        "recorded_at": "2026-11-01T10:00:00Z",
        "recorded_by": "sam.worker",
        "withdrawal": None,
    } | fields


GIVEN = {"current": record([("mum", "written", "2026-11-01")], confirmed_on="2026-11-05"), "earlier": []}
WITHDRAWN = {
    "current": record(
        [("mum", "verbal", "2026-11-08"), ("dad", "written", "2026-11-09")],
        recorded_at="2026-11-08T09:00:00Z",
        withdrawal={
            "withdrawn_on": "2026-11-20",
            "withdrawn_by": "Maryam <b>Khan</b>",
            "stops": "Sharing with the school.",
            "recorded_at": "2026-11-20T12:00:00Z",
            "recorded_by": "lee.worker",
        },
    ),
    "earlier": [record([("mum", "written", "2026-11-01")], ons_opt_out=True)],
}
EMPTY: dict[str, Any] = {"current": None, "earlier": []}
OLD = {"a0": GIVEN, "a1": WITHDRAWN, "a2": EMPTY}


def consent_documents(url: str) -> dict[str, dict[str, Any]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT assessment_id, data FROM sections WHERE key = 'consent'")).all()
    engine.dispose()
    return {r[0]: r[1] if isinstance(r[1], dict) else json.loads(r[1]) for r in rows}


def populated(url: str) -> None:
    upgrade(url, BEFORE)
    populate_at_0001(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        for assessment_id, document in OLD.items():
            conn.execute(
                text(
                    "INSERT INTO sections (assessment_id, key, data, updated_at, updated_by, version)"
                    " VALUES (:id, 'consent', :data, :at, 'sam.worker', 1)"
                ),
                {"id": assessment_id, "data": json.dumps(document, ensure_ascii=False), "at": NOW},
            )
    engine.dispose()


def test_every_consent_document_becomes_a_history_of_decisions_with_nothing_lost(database_url: str):
    populated(database_url)
    assert consent_documents(database_url) == OLD
    upgrade(database_url, REVISION)
    assert current_revision(database_url) == REVISION
    after = consent_documents(database_url)
    assert set(after) == set(OLD)
    for assessment_id, old in OLD.items():
        new = after[assessment_id]
        assert "current" not in new and "earlier" not in new
        assert new["earlier_form"] == old  # the old document, as it was
        assert Consent.model_validate(new) == Consent.model_validate(old)

    given = Consent.model_validate(after["a0"])
    (decision,) = given.decisions
    assert (decision.person_id, decision.kind, decision.method.value if decision.method else None) == (
        "mum",
        ConsentKind.GIVEN,
        "written",
    )
    assert decision.recipients_text == "GP surgery; <i>the school</i>" and decision.must_not_see_text == "Uncle مريم"
    assert decision.wording.text == "We agree <b>&</b> 😀"
    assert given.confirmation_of(decision) is not None

    withdrawn = Consent.model_validate(after["a1"])
    assert [(d.person_id, d.kind.value, str(d.decided_on)) for d in withdrawn.decisions] == [
        ("mum", "given", "2026-11-01"),
        ("mum", "given", "2026-11-08"),
        ("dad", "given", "2026-11-09"),
        ("mum", "withdrawn", "2026-11-20"),
        ("dad", "withdrawn", "2026-11-20"),
    ]
    assert withdrawn.decisions[0].ons_opt_out and not withdrawn.decisions[1].ons_opt_out
    assert "Maryam <b>Khan</b>" in withdrawn.decisions[-1].explained
    assert withdrawn.decisions[-1].recorded_by == "lee.worker"
    assert Consent.model_validate(after["a2"]).decisions == ()

    # The workbook reads and exports what the migration wrote, once every later migration has
    # run too (the workbook's tables are the newest revision's).
    upgrade(database_url)
    wb = Workbook(make_engine(database_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    exported = json.loads(wb.families.export(family_id="f1", actor=Actor.system("test")).to_json())
    sections = {a["id"]: a["sections"]["consent"]["data"] for a in exported["assessments"]}
    assert sections == after


def test_downgrading_puts_the_single_record_back(database_url: str):
    populated(database_url)
    upgrade(database_url, REVISION)
    engine = make_engine(database_url, foreign_keys=False)
    command.downgrade(alembic_config(engine), BEFORE)
    engine.dispose()
    assert consent_documents(database_url) == OLD
