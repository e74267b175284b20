"""County scale: the name search's word index, indexes for "most recent first" and a family's
latest assessment, and the current lead professional on each assessment.

- `family_person_words` (storage.name_index): every word each person of `family_people` is found
  by (`eha.text.name_words`), filled here from the names already indexed; its words are
  byte-ordered (COLLATE "C" on PostgreSQL) so a prefix is one range of `ix_family_person_words_word`.
- `ix_families_recent`, `ix_families_locality_recent`: the families list and search order
  (`updated_at DESC, id`), for everyone and within an LCSS reviewer's locality.
- `ix_assessments_latest`: a family's latest assessment (`family_id, created_at DESC, id DESC`),
  which My families looks up for every family.
- `assessments.lead_key`, `lead_name`, `lead_agency` (indexed by key): the last term of each
  assessment's "lead_professional" section, filled here from the sections already saved, so My
  families filters by lead in SQL.
Columns are added in place (no batch copy of a table). Downgrade drops all of it; nothing it
holds is not also kept elsewhere (the names in `family_people`, the leads in their sections).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from eha.taf import LeadHistory, lead_key
from eha.text import name_words

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_WORD = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
_BATCH = 1_000

people = sa.table(
    "family_people",
    sa.column("id", sa.Integer()),
    sa.column("family_id", sa.String()),
    sa.column("name", sa.Text()),
)
sections = sa.table(
    "sections",
    sa.column("assessment_id", sa.String()),
    sa.column("key", sa.String()),
    sa.column("data", sa.JSON()),
)
assessments = sa.table(
    "assessments",
    sa.column("id", sa.String()),
    sa.column("lead_key", sa.Text()),
    sa.column("lead_name", sa.Text()),
    sa.column("lead_agency", sa.Text()),
)


def upgrade() -> None:
    words = op.create_table(
        "family_person_words",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("family_people.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("word", _WORD, primary_key=True),
        sa.Column("family_id", sa.String(36), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_family_person_words_word", "family_person_words", ["word", "family_id"])
    op.create_index("ix_families_recent", "families", [sa.text("updated_at DESC"), "id"])
    op.create_index("ix_families_locality_recent", "families", ["locality", sa.text("updated_at DESC"), "id"])
    op.create_index(
        "ix_assessments_latest", "assessments", ["family_id", sa.text("created_at DESC"), sa.text("id DESC")]
    )
    op.add_column("assessments", sa.Column("lead_key", sa.Text(), nullable=True))
    op.add_column("assessments", sa.Column("lead_name", sa.Text(), nullable=True))
    op.add_column("assessments", sa.Column("lead_agency", sa.Text(), nullable=True))
    op.create_index("ix_assessments_lead_key", "assessments", ["lead_key"])

    bind = op.get_bind()
    batch: list[dict[str, Any]] = []
    for person_id, family_id, name in bind.execute(sa.select(people.c.id, people.c.family_id, people.c.name)).all():
        batch += [{"person_id": person_id, "family_id": family_id, "word": w} for w in sorted(name_words(name))]
        if len(batch) >= _BATCH:
            bind.execute(words.insert(), batch)
            batch = []
    if batch:
        bind.execute(words.insert(), batch)

    leads = bind.execute(
        sa.select(sections.c.assessment_id, sections.c.data).where(sections.c.key == "lead_professional")
    ).all()
    for assessment_id, data in leads:
        history = LeadHistory.model_validate(data if isinstance(data, dict) else json.loads(data))
        if history.current is None:
            continue
        lead = history.current.lead
        bind.execute(
            sa.update(assessments)
            .where(assessments.c.id == assessment_id)
            .values(lead_key=lead_key(lead), lead_name=lead.name, lead_agency=lead.agency)
        )


def downgrade() -> None:
    # The indexes first: the batch copy of `assessments` on SQLite recreates those it finds.
    op.drop_index("ix_assessments_lead_key", table_name="assessments")
    op.drop_index("ix_assessments_latest", table_name="assessments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("lead_agency")
        batch.drop_column("lead_name")
        batch.drop_column("lead_key")
    op.drop_index("ix_families_locality_recent", table_name="families")
    op.drop_index("ix_families_recent", table_name="families")
    op.drop_index("ix_family_person_words_word", table_name="family_person_words")
    op.drop_table("family_person_words")
