"""Families, their searchable people, assessments and their sections.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "families",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("locality", sa.String(50), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("reference", name="uq_families_reference"),
    )
    op.create_index("ix_families_locality", "families", ["locality"])
    op.create_table(
        "family_people",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
    )
    op.create_index("ix_family_people_family_id", "family_people", ["family_id"])
    op.create_index("ix_family_people_name_key", "family_people", ["name_key"])
    op.create_index("ix_family_people_date_of_birth", "family_people", ["date_of_birth"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_assessments_family_id", "assessments", ["family_id"])
    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("assessment_id", sa.String(36), sa.ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("assessment_id", "key", name="uq_sections_assessment_key"),
    )
    op.create_index("ix_sections_assessment_id", "sections", ["assessment_id"])


def downgrade() -> None:
    op.drop_table("sections")
    op.drop_table("assessments")
    op.drop_table("family_people")
    op.drop_table("families")
