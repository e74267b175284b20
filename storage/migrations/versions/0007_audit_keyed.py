"""The audit trail's hashes become keyed: HMAC-SHA256 under the audit key (EHA_AUDIT_KEY).

Until now every entry carried a plain SHA-256 over its content and the previous entry's hash,
which anyone who can write the database can recompute. This re-keys the entries already
written: it first checks that their unkeyed chain still adds up (re-keying a broken chain would
vouch for whatever broke it, so it refuses, names the entry, and changes nothing), then
rewrites `prev_hash` and `hash` of every entry, and the chain head, as HMACs. What the entries
say is not touched. An empty trail needs no key; a trail with entries needs the key the
workbook will run with (storage.db.upgrade(audit_key=...), which `eha db upgrade` and the app
pass from the settings).

Why re-key rather than keep a marker saying which entries are unkeyed: a check that accepts
unkeyed entries accepts a trail rewritten as unkeyed entries by whoever can write the
database, which is the defect this closes. After this migration there is one kind of entry and
one check. No table changes.

Downgrade checks the keyed chain with the key and recomputes the plain SHA-256 chain.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from eha.audit import GENESIS_HASH, AuditEntry, first_break, hash_of, unkeyed_hash_of
from storage.db import MigrationError
from storage.models import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 1000

audit_log = sa.table(
    "audit_log",
    sa.column("seq", sa.Integer()),
    sa.column("at", UtcDateTime()),
    sa.column("actor", sa.String()),
    sa.column("actor_role", sa.String()),
    sa.column("action", sa.String()),
    sa.column("family_id", sa.String()),
    sa.column("record", sa.String()),
    sa.column("details", sa.Text()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)
chain_head = sa.table(
    "audit_chain_head",
    sa.column("id", sa.Integer()),
    sa.column("last_seq", sa.Integer()),
    sa.column("last_hash", sa.String()),
)


def upgrade() -> None:
    key = _key("re-keyed with it")
    if key is not None:
        _rechain(check=unkeyed_hash_of, make=lambda entry: hash_of(entry, key=key), what="unkeyed")


def downgrade() -> None:
    key = _key("checked with it before their keys are removed")
    if key is not None:
        _rechain(check=lambda entry: hash_of(entry, key=key), make=unkeyed_hash_of, what="keyed")


def _key(then: str) -> bytes | None:
    """The audit key, or None when the trail is empty (nothing to re-key)."""
    count = op.get_bind().execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one()
    if count == 0:
        return None
    key: bytes | None = context.config.attributes.get("audit_key")
    if not key:
        raise MigrationError(
            f"The audit trail has {count} entries, so migration 0007 needs the audit key: set EHA_AUDIT_KEY "
            f"(or EHA_AUDIT_KEY_FILE) to the key the workbook will run with, and upgrade again; the entries are {then}. "
            "Nothing was changed."
        )
    return key


def _entries() -> Iterator[AuditEntry]:
    bind = op.get_bind()
    last = 0
    while True:
        rows = (
            bind.execute(sa.select(audit_log).where(audit_log.c.seq > last).order_by(audit_log.c.seq).limit(BATCH))
            .mappings()
            .all()
        )
        if not rows:
            return
        for row in rows:
            yield AuditEntry(**row)
        last = rows[-1]["seq"]


def _rechain(*, check: Callable[[AuditEntry], str], make: Callable[[AuditEntry], str], what: str) -> None:
    bind = op.get_bind()
    head = bind.execute(sa.select(chain_head.c.last_seq, chain_head.c.last_hash).where(chain_head.c.id == 1)).one()
    broken = first_break(_entries(), check, head=(head.last_seq, head.last_hash))
    if broken is not None:
        raise MigrationError(
            f"The {what} audit trail is broken at entry {broken.seq} ({broken.reason}), so it cannot be re-keyed: "
            "re-keying would vouch for it. Restore the database from a backup taken before the break, or keep "
            "this version of the workbook while it is looked into. Nothing was changed."
        )
    update = (
        sa.update(audit_log)
        .where(audit_log.c.seq == sa.bindparam("b_seq"))
        .values(prev_hash=sa.bindparam("b_prev"), hash=sa.bindparam("b_hash"))
    )
    prev = GENESIS_HASH
    pending: list[dict[str, Any]] = []
    for entry in _entries():
        rechained = replace(entry, prev_hash=prev)
        digest = make(rechained)
        pending.append({"b_seq": entry.seq, "b_prev": prev, "b_hash": digest})
        prev = digest
        if len(pending) >= BATCH:
            bind.execute(update, pending)
            pending = []
    if pending:
        bind.execute(update, pending)
    bind.execute(sa.update(chain_head).where(chain_head.c.id == 1).values(last_hash=prev))
