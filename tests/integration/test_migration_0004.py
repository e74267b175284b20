"""Migration 0004 (attachments, completion columns) on a populated database, both backends."""

from sqlalchemy import inspect, text

from storage.db import make_engine, upgrade
from tests.integration.test_migrations import counts, populate_at_0001


def test_0004_keeps_every_section_and_adds_attachments_and_completion(database_url: str):
    upgrade(database_url, "0002")
    populate_at_0001(database_url)
    before = counts(database_url)
    upgrade(database_url, "0004")
    assert counts(database_url) == before == {"families": 1, "family_people": 1, "assessments": 3, "sections": 3}
    engine = make_engine(database_url)
    columns = {c["name"] for c in inspect(engine).get_columns("assessments")}
    assert {"completed_at", "completed_by", "review_date"} <= columns
    assert [c["name"] for c in inspect(engine).get_check_constraints("assessments")] == ["ck_assessments_status"]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO attachments (id, assessment_id, child_id, filename, media_type, size, data,"
                " uploaded_at, uploaded_by) VALUES ('w1', 'a0', 'm1', 'a.pdf', 'application/pdf', 5, :data,"
                " '2026-11-22 10:00:00', 'sam')"
            ),
            {"data": b"%PDF-"},
        )
        conn.execute(text("DELETE FROM assessments WHERE id='a0'"))
        # The child's work goes with its assessment (ON DELETE CASCADE).
        assert conn.execute(text("SELECT COUNT(*) FROM attachments")).scalar_one() == 0
    engine.dispose()


def test_0004_downgrades_cleanly(database_url: str):
    upgrade(database_url, "0004")
    populate_at_0001(database_url)
    from alembic import command

    from storage.db import alembic_config

    engine = make_engine(database_url, foreign_keys=False)
    command.downgrade(alembic_config(engine), "0002")
    names = inspect(engine).get_table_names()
    assert "attachments" not in names
    assert "completed_at" not in {c["name"] for c in inspect(engine).get_columns("assessments")}
    assert counts(database_url)["sections"] == 3
    engine.dispose()
