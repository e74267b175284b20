"""Migration 0007 re-keys an audit trail written with plain SHA-256, on SQLite and PostgreSQL.

The entries are written at revision 0006 exactly as the workbook wrote them then (plain SHA-256
over the same content: tests/unit/eha/test_audit_chain.py pins that hash to the old code's).
"""

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from eha.actor import Actor
from eha.audit import GENESIS_HASH, AuditEntry, canonical, unkeyed_hash_of
from eha.localities import load_localities
from storage.db import MigrationError, alembic_config, current_revision, make_engine, upgrade
from storage.services import Workbook
from tests.support import AUDIT_KEY

KEY = AUDIT_KEY.encode()
OPERATOR = Actor.system("test")
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def legacy_trail(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        entry = AuditEntry(
            seq=seq,
            at=START + timedelta(minutes=seq),
            actor="sam.worker",
            actor_role="practitioner",
            action="changed",
            family_id="f1",
            record="assessment:a1/background",
            details=canonical({"changes": [{"field": "reason", "before": None, "after": f"<b>&</b> 😀 مريم {seq}"}]}),
            prev_hash=prev,
            hash="",
        )
        entry = replace(entry, hash=unkeyed_hash_of(entry))
        entries.append(entry)
        prev = entry.hash
    return entries


def write_at_0006(url: str, entries: list[AuditEntry]) -> None:
    upgrade(url, "0006")
    engine = make_engine(url)
    with engine.begin() as conn:
        for e in entries:
            conn.execute(
                text(
                    "INSERT INTO audit_log (seq, at, actor, actor_role, action, family_id, record, details, prev_hash,"
                    " hash) VALUES (:seq, :at, :actor, :actor_role, :action, :family_id, :record, :details, :prev,"
                    " :hash)"
                ),
                {**e.__dict__, "at": e.at.replace(tzinfo=None), "prev": e.prev_hash},
            )
        conn.execute(text("UPDATE audit_chain_head SET last_seq = :s, last_hash = :h"), {"s": e.seq, "h": e.hash})
    engine.dispose()


def stored(url: str) -> list[dict]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(text("SELECT * FROM audit_log ORDER BY seq")).mappings()]
        rows.append(dict(conn.execute(text("SELECT last_seq, last_hash FROM audit_chain_head")).mappings().one()))
    engine.dispose()
    return rows


def workbook(url: str, key: bytes = KEY) -> Workbook:
    return Workbook(make_engine(url), localities=load_localities(), audit_key=key)


def test_0007_re_keys_a_populated_trail_so_it_verifies_under_the_key_and_only_under_it(database_url: str):
    entries = legacy_trail(5)
    write_at_0006(database_url, entries)
    before = stored(database_url)

    with pytest.raises(MigrationError, match=r"5 entries.*EHA_AUDIT_KEY.*Nothing was changed"):
        upgrade(database_url)
    assert current_revision(database_url) == "0006" and stored(database_url) == before

    upgrade(database_url, "0007", audit_key=KEY)
    assert current_revision(database_url) == "0007"
    after = stored(database_url)
    content = ("seq", "at", "actor", "actor_role", "action", "family_id", "record", "details")
    assert [{k: r[k] for k in content} for r in after[:-1]] == [{k: r[k] for k in content} for r in before[:-1]]
    assert all(a["hash"] != b["hash"] for a, b in zip(after[:-1], before[:-1], strict=True))
    assert after[-1]["last_seq"] == 5 and after[-1]["last_hash"] == after[-2]["hash"]

    wb = workbook(database_url)
    assert wb.audit.verify(actor=OPERATOR) == (5, None)
    wb.families.all(actor=OPERATOR)  # a new entry chains on from the re-keyed ones
    assert wb.audit.verify(actor=OPERATOR) == (6, None)
    _, broken = workbook(database_url, b"some other key, of a good length").audit.verify(actor=OPERATOR)
    assert broken is not None and broken.seq == 1

    # Downgrading puts the plain chain back, so the workbook of 0006 still checks it.
    command.downgrade(alembic_config(make_engine(database_url, foreign_keys=False), audit_key=KEY), "0006")
    restored = stored(database_url)
    assert [r["hash"] for r in restored[:5]] == [e.hash for e in entries]


def test_0007_refuses_to_re_key_a_trail_that_is_already_broken(database_url: str):
    entries = legacy_trail(4)
    entries[1] = replace(entries[1], actor="someone.else")  # edited after it was written
    write_at_0006(database_url, entries)
    before = stored(database_url)
    with pytest.raises(MigrationError, match=r"broken at entry 2 .*cannot be re-keyed.*Nothing was changed"):
        upgrade(database_url, audit_key=KEY)
    assert current_revision(database_url) == "0006" and stored(database_url) == before


def test_eha_db_upgrade_without_a_key_says_what_to_set(sqlite_url: str):
    write_at_0006(sqlite_url, legacy_trail(2))
    env = {**os.environ, "EHA_DATABASE_URL": sqlite_url, "EHA_AUDIT_KEY": "", "EHA_AUDIT_KEY_FILE": ""}
    eha = Path(sys.executable).with_name("eha")
    result = subprocess.run(
        [str(eha), "db", "upgrade"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "needs the audit key" in result.stderr and "EHA_AUDIT_KEY" in result.stderr
    assert current_revision(sqlite_url) == "0006"
