"""Team Around the Family meetings.

One row per meeting, its record a JSON document (eha.taf.TafMeeting). The lead professional's
history and the closure are section documents, so they need no table. Only a new table is
created: no batch copy of an existing one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "taf_meetings",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("assessment_id", sa.String(36), sa.ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("assessment_id", "number", name="uq_taf_meetings_number"),
    )
    op.create_index("ix_taf_meetings_assessment_id", "taf_meetings", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_taf_meetings_assessment_id", table_name="taf_meetings")
    op.drop_table("taf_meetings")
