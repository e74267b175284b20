"""Family Star Plus readings, one row per reading, its scores kept as JSON.

A new table only: no batch copy of an existing table, so no ON DELETE CASCADE children are
at risk. The partial unique indexes keep one first reading, one closure reading and one
reading per TAF review for each assessment.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ONE_PER_OCCASION = (
    ("uq_star_readings_first", ["assessment_id"], "occasion_kind = 'first'"),
    ("uq_star_readings_closure", ["assessment_id"], "occasion_kind = 'closure'"),
    ("uq_star_readings_review", ["assessment_id", "review_number"], "occasion_kind = 'review'"),
)


def upgrade() -> None:
    op.create_table(
        "star_readings",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("assessment_id", sa.String(36), sa.ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("occasion_kind", sa.String(20), nullable=False),
        sa.Column("review_number", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_star_readings_assessment_id", "star_readings", ["assessment_id"])
    for name, columns, where in ONE_PER_OCCASION:
        op.create_index(
            name,
            "star_readings",
            columns,
            unique=True,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def downgrade() -> None:
    op.drop_table("star_readings")
