"""One-time sign-in codes: the sign-in screen hands the server route that sets the HttpOnly
sign-in cookie a code, never the token itself. Only a new table is created: no batch copy of
an existing one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column(
            "token_hash",
            sa.String(64),
            sa.ForeignKey("sign_in_sessions.token_hash", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sealed_token", sa.String(256), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_sign_in_codes_token_hash", "sign_in_codes", ["token_hash"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_codes_token_hash", table_name="sign_in_codes")
    op.drop_table("sign_in_codes")
