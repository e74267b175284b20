"""The contact log: visits, calls, messages and meetings with a family outside the TAF. Only a
new table is created: no batch copy of an existing one.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "family_contacts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
        sa.Column("contact_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("kind_other", sa.Text(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_by_name", sa.String(200), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("removed_by", sa.String(200), nullable=True),
        sa.Column("removed_by_name", sa.String(200), nullable=True),
        sa.Column("removed_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(removed_at IS NULL AND removed_by IS NULL AND removed_reason IS NULL)"
            " OR (removed_at IS NOT NULL AND removed_by IS NOT NULL AND removed_reason IS NOT NULL)",
            name="ck_family_contacts_removal",
        ),
    )
    op.create_index("ix_family_contacts_family_id", "family_contacts", ["family_id"])


def downgrade() -> None:
    op.drop_index("ix_family_contacts_family_id", table_name="family_contacts")
    op.drop_table("family_contacts")
