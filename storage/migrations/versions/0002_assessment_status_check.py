"""Assessments: the status must be one the workbook knows.

SQLite cannot add a CHECK constraint in place, so this is a batch migration that copies the
assessments table, the parent of `sections` (ON DELETE CASCADE). storage.db runs it with
foreign keys off so the copy does not delete every section (tests/integration/test_migrations.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATUSES = ("draft", "completed", "taf_active", "closed")


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.create_check_constraint(
            "ck_assessments_status", "status IN ('draft', 'completed', 'taf_active', 'closed')"
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint("ck_assessments_status", type_="check")
