"""Accounts and sign-in sessions, family teams, the audit trail and the record of sharing.

Existing families get their creator as author in `family_team`, so practitioners keep seeing
the families they started. Only new tables are created (no batch copy of an existing table).

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("locality", sa.String(50), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("email", name="uq_accounts_email"),
        sa.CheckConstraint("role IN ('practitioner', 'lcss', 'admin')", name="ck_accounts_role"),
    )
    op.create_table(
        "sign_in_attempts",
        sa.Column("username", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "sign_in_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), sa.ForeignKey("accounts.username", ondelete="CASCADE"), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_why", sa.String(40), nullable=True),
    )
    op.create_index("ix_sign_in_sessions_username", "sign_in_sessions", ["username"])
    op.create_table(
        "family_team",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("team_role", sa.String(20), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("family_id", "username", "team_role", name="uq_family_team_member"),
        sa.CheckConstraint("team_role IN ('author', 'lead', 'taf_member')", name="ck_family_team_role"),
    )
    op.create_index("ix_family_team_family_id", "family_team", ["family_id"])
    op.create_index("ix_family_team_username", "family_team", ["username"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("family_id", sa.String(36), nullable=True),
        sa.Column("record", sa.String(200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"])
    op.create_index("ix_audit_log_family_id", "audit_log", ["family_id"])
    chain_head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(chain_head, [{"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH}])
    op.create_table(
        "sharing_decisions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id", ondelete="CASCADE"), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_by_name", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_sharing_decisions_family_id", "sharing_decisions", ["family_id"])
    # Families already in the database: whoever created one is its author.
    op.execute(
        "INSERT INTO family_team (family_id, username, team_role, added_at, added_by)"
        " SELECT id, created_by, 'author', created_at, 'migration 0005' FROM families"
    )


def downgrade() -> None:
    op.drop_table("sharing_decisions")
    op.drop_table("audit_chain_head")
    op.drop_table("audit_log")
    op.drop_table("family_team")
    op.drop_table("sign_in_sessions")
    op.drop_table("sign_in_attempts")
    op.drop_table("accounts")
