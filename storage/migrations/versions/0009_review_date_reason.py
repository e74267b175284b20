"""The reason a review date is later than 6 weeks after completion, kept beside the review
date. A column is added in place (no batch copy of `assessments`); existing assessments get
an empty reason, which is what they had: their review dates were all within 6 weeks.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", sa.Column("review_date_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("review_date_reason")
