"""Migration 0009 adds the review date's reason to a populated database, on SQLite and
PostgreSQL: every row is kept, existing assessments read with an empty reason, and a
downgrade takes the column away and keeps the rest."""

from datetime import date, datetime

from alembic import command
from sqlalchemy import inspect, text

from eha.actor import Actor
from eha.localities import load_localities
from storage.db import alembic_config, current_revision, make_engine, upgrade
from storage.services import Workbook
from tests.integration.test_migrations import counts, populate_at_0001
from tests.support import AUDIT_KEY

REVISION = "0009"  # the migration under test: the one place its id is written
BEFORE = "0008"
REVIEW = date(2026, 12, 20)


def columns(url: str) -> set[str]:
    return {c["name"] for c in inspect(make_engine(url)).get_columns("assessments")}


def test_the_reason_column_is_added_to_a_populated_database_and_taken_away_again(database_url: str):
    upgrade(database_url, "0001")
    populate_at_0001(database_url)
    upgrade(database_url, BEFORE)
    with make_engine(database_url).begin() as conn:
        conn.execute(
            text(
                "UPDATE assessments SET status = 'completed', completed_at = :at, completed_by = 'sam.worker',"
                " review_date = :review WHERE id = 'a1'"
            ),
            {"at": datetime(2026, 11, 22, 10, 0), "review": REVIEW},
        )
    before = counts(database_url)

    upgrade(database_url, REVISION)
    assert current_revision(database_url) == REVISION
    assert counts(database_url) == before
    assert "review_date_reason" in columns(database_url)
    with make_engine(database_url).connect() as conn:
        rows = conn.execute(text("SELECT id, review_date, review_date_reason FROM assessments ORDER BY id")).all()
    assert [(r[0], r[2]) for r in rows] == [("a0", ""), ("a1", ""), ("a2", "")]

    upgrade(database_url)  # on to the newest, as a deployment does
    wb = Workbook(make_engine(database_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    opened = wb.assessments.open(assessment_id="a1", actor=Actor.system("test"))
    assert (opened.review_date, opened.review_date_reason, opened.review) == (REVIEW, "", "20 December 2026")
    assert opened.background.data.reason == "<b>&</b> 😀"

    command.downgrade(alembic_config(make_engine(database_url, foreign_keys=False)), BEFORE)
    assert current_revision(database_url) == BEFORE
    assert "review_date_reason" not in columns(database_url)
    assert counts(database_url) == before
    with make_engine(database_url).connect() as conn:
        kept = conn.execute(text("SELECT review_date FROM assessments WHERE id = 'a1'")).scalar_one()
    assert kept in (REVIEW, str(REVIEW))
