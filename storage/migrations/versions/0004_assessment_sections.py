"""The whole EHA: files attached to it (a child's own work) and its completion.

`attachments` holds uploaded files; assessments gain when and by whom they were completed and
the review date set then. The columns are added in a batch (SQLite recreates the table, the
parent of `sections` and `attachments`): storage.db runs migrations with foreign keys off so
the copy does not delete their rows.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("completed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("completed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("review_date", sa.Date(), nullable=True))
    op.create_table(
        "attachments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("assessment_id", sa.String(36), sa.ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("child_id", sa.String(36), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_attachments_assessment_id", "attachments", ["assessment_id"])


def downgrade() -> None:
    op.drop_index("ix_attachments_assessment_id", table_name="attachments")
    op.drop_table("attachments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("review_date")
        batch.drop_column("completed_by")
        batch.drop_column("completed_at")
