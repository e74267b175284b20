"""Consent becomes a history of decisions: every stored consent section document, kept until
now as one record ({"current": ..., "earlier": [...]}), is rewritten in the new shape by
`eha.consent.from_single_record` (each old record's carers become `given` decisions, its
withdrawal `withdrawn` decisions, its confirmation confirmations), and keeps the old document
itself, unchanged, in `earlier_form`: nothing is lost. No table changes; a document already in
the new shape is left alone.

Downgrade puts back the old document where one was kept; a history begun after this migration
has no single-record form and is left as it is (the workbook before this revision cannot read it).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from eha.consent import Consent

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

sections = sa.table(
    "sections",
    sa.column("id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("data", sa.JSON()),
)


def _rows() -> list[tuple[int, dict[str, Any]]]:
    bind = op.get_bind()
    found = bind.execute(sa.select(sections.c.id, sections.c.data).where(sections.c.key == "consent")).all()
    return [(row.id, row.data if isinstance(row.data, dict) else json.loads(row.data)) for row in found]


def upgrade() -> None:
    bind = op.get_bind()
    for row_id, data in _rows():
        if "current" not in data and "earlier" not in data:
            continue
        converted = Consent.model_validate(data).model_dump(mode="json")
        bind.execute(sa.update(sections).where(sections.c.id == row_id).values(data=converted))


def downgrade() -> None:
    bind = op.get_bind()
    for row_id, data in _rows():
        old = data.get("earlier_form")
        if isinstance(old, dict):
            bind.execute(sa.update(sections).where(sections.c.id == row_id).values(data=old))
