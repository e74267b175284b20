"""What the audit trail shows to whom, search words, the keyed chain and its anchor: through the
service layer and the `eha` command, on SQLite and PostgreSQL.

- Entries keep every value (the chain covers them); a reader who may not see the family's record
  (an administrator; an LCSS reviewer for a family outside their locality) is shown what changed,
  by whom and when, with every value hidden.
- Search words are kept only as a keyed hash, which the holder of the key can match.
- Every hash is an HMAC under the audit key, so a trail rewritten without it is found at its
  first entry; an anchor saved outside the database finds entries removed from the end.
"""

import hashlib
import hmac
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from eha.actor import Actor, Role
from eha.audit import HIDDEN, Anchor, anchor_text, search_hash
from eha.background import Carer, Child
from eha.views import CarerView
from storage.db import make_engine
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.eha import add_people

ROOT = Path(__file__).resolve().parents[2]
EHA = Path(sys.executable).with_name("eha")
OPERATOR = Actor.system("test")
PASSWORD = "a long test password"

WORDS = "Mornings are hard since Dad left; Zoë hides under the table <b>&</b>."
REASON = "Zoë's attendance fell to 61% after the move to Quarry Road."
ADDRESS = "Flat 3, 9 Quarry Road\nBanbury OX16"
# Nothing of the family's own may reach someone who cannot see its record.
CASE_TEXT = (WORDS, REASON, ADDRESS, "Quarry", "Zoë", "Zoe", "zoe", "Nowak", "nowak", "Agnieszka", "Church Lane")


@pytest.fixture
def people(workbook: Workbook) -> dict[str, Actor]:
    return add_people(workbook, password=PASSWORD)


def family_with_words(workbook: Workbook, sam: Actor) -> tuple[str, str]:
    """A family whose section 1 and carer's view were saved, and whose child was searched for."""
    family_id, assessment_id = workbook.families.create(
        locality="central",
        address="12 Church Lane\nBanbury",
        main_carer=Carer(name="Agnieszka Nowak", relationship="Mother"),
        child=Child(name="Zoë Nowak", date_of_birth=date(2018, 2, 3)),
        actor=sam,
    )
    view = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    workbook.assessments.save_details(
        assessment_id=assessment_id,
        expected_version=view.background.version,
        address=ADDRESS,
        reason=REASON,
        actor=sam,
    )
    eha_view = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    carer = eha_view.background.data.main_carer()
    assert carer is not None
    workbook.assessments.save_carer_view(
        assessment_id=assessment_id,
        expected_version=eha_view.carers.version,
        view=CarerView(carer_id=carer.id, own_words=WORDS),
        actor=sam,
    )
    assert [f.family_id for f in workbook.families.search(query="Zoë Nowak", actor=sam)] == [family_id]
    return family_id, assessment_id


def shown_text(lines) -> str:
    """Everything a reader of these lines is given, as one text."""
    return "\n".join(f"{line.entry.record} {line.entry.details} {json.dumps(line.details)}" for line in lines)


def changes(lines, record: str) -> list[dict]:
    [line] = [line for line in lines if line.entry.record == record and line.entry.action == "changed"]
    return line.details["changes"]


def test_an_administrator_reads_what_changed_but_no_value(workbook: Workbook, people):
    family_id, assessment_id = family_with_words(workbook, people["author"])
    lines = workbook.audit.trail(actor=people["admin"])
    ours = [line for line in lines if line.entry.family_id == family_id]
    assert ours and all(line.values_hidden for line in ours)
    for needle in CASE_TEXT:
        assert needle not in shown_text(lines), needle

    background = changes(ours, f"assessment:{assessment_id}/background")
    assert {c["field"] for c in background} >= {"address", "reason"}
    assert all(c["before"] == HIDDEN and c["after"] == HIDDEN for c in background)
    [carers] = changes(ours, f"assessment:{assessment_id}/carers_views")
    [words] = carers["after"]
    carer_id = (
        workbook.assessments.open(assessment_id=assessment_id, actor=people["author"]).background.data.carers[0].id
    )
    # The record ids and field names stay: which carer's view changed, not what it says.
    assert carers["field"] == "views" and words["carer_id"] == carer_id and words["own_words"] == HIDDEN
    created = next(line for line in ours if line.entry.action == "created")
    assert created.entry.actor == "sam.worker" and created.details["assessment"] == assessment_id
    assert created.family_reference == created.details["reference"]
    assert created.details["locality"] == HIDDEN


def test_the_lcss_reviewer_of_the_locality_reads_the_values(workbook: Workbook, people):
    family_id, assessment_id = family_with_words(workbook, people["author"])
    lines = workbook.audit.trail(actor=people["lcss_same"])
    ours = [line for line in lines if line.entry.family_id == family_id]
    assert ours and not any(line.values_hidden for line in ours)
    background = {c["field"]: c for c in changes(ours, f"assessment:{assessment_id}/background")}
    assert background["reason"]["after"] == REASON and background["address"]["after"] == ADDRESS
    assert background["address"]["before"] == "12 Church Lane\nBanbury"
    [carers] = changes(ours, f"assessment:{assessment_id}/carers_views")
    assert carers["after"][0]["own_words"] == WORDS


def test_an_lcss_reviewer_sees_no_value_of_a_family_outside_their_locality(workbook: Workbook, people):
    family_id, _ = family_with_words(workbook, people["author"])
    lee, nia = people["lcss_same"], people["lcss_other"]
    workbook.families.export(family_id=family_id, actor=lee)
    with pytest.raises(Exception, match="access"):
        workbook.families.get(family_id=family_id, actor=nia)
    [refused] = [line for line in workbook.audit.trail(actor=nia) if line.entry.family_id == family_id]
    assert refused.entry.action == "access_refused" and refused.values_hidden
    # Lee moves to the North team: his own earlier export of a Central family is still his to
    # read, but no longer with the family's values.
    moved = Actor(username=lee.username, display_name=lee.display_name, role=Role.LCSS, locality="north")
    [export] = [line for line in workbook.audit.trail(actor=moved) if line.entry.action == "exported"]
    assert export.values_hidden and export.entry.actor == "lee.central"
    assert export.details == {"reference": export.family_reference, "format": HIDDEN}
    assert not any(line.values_hidden for line in workbook.audit.trail(actor=lee) if line.entry.family_id == family_id)


def test_search_words_are_kept_only_as_a_keyed_hash_the_key_holder_can_match(workbook: Workbook, people, database_url):
    lee, sam = people["lcss_same"], people["author"]
    family_id, _ = workbook.families.create(
        locality="central",
        address="12 Church Lane\nBanbury",
        main_carer=Carer(name="Agnieszka Nowak", relationship="Mother"),
        child=Child(name="Zoë Nowak", date_of_birth=date(2018, 2, 3)),
        actor=sam,
    )
    assert [f.family_id for f in workbook.families.search(query="Zoë Nowak", actor=sam)] == [family_id]
    workbook.audit.trail(actor=lee, record="Zoë Nowak", person="Nowak")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(text("SELECT * FROM audit_log")).mappings()]
    engine.dispose()
    for needle in ("Zoë", "Zoe", "zoe", "Nowak", "nowak"):
        assert not any(needle in str(value) for row in rows for value in row.values()), needle

    searches = [r for r in rows if r["action"] == "searched" and r["record"] == "families"]
    expected = "hmac-sha256:" + hmac.new(AUDIT_KEY.encode(), b"zoe nowak", hashlib.sha256).hexdigest()
    assert [json.loads(r["details"]) for r in searches] == [{"query": expected, "found": 1, "page": 1}]
    assert search_hash(AUDIT_KEY.encode(), "  ZOE   nowak ") == expected

    found = workbook.audit.searches_for(words="zoe NOWAK", actor=OPERATOR)
    assert [(line.entry.actor, line.entry.record) for line in found] == [
        ("lee.central", "audit"),
        ("sam.worker", "families"),
    ]
    assert workbook.audit.searches_for(words="nowak", actor=OPERATOR)[0].entry.actor == "lee.central"  # the person box
    assert workbook.audit.searches_for(words="Oliver Smith", actor=OPERATOR) == []
    with pytest.raises(Exception, match="access"):
        workbook.audit.searches_for(words="zoe nowak", actor=people["admin"])


# -- the keyed chain and its anchor ------------------------------------------------------------


def rewrite_every_hash(database_url: str, digest) -> None:
    """What someone who can write the database but holds no key does: recompute the chain."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from eha.audit import GENESIS_HASH, audit_content
    from storage.models import AuditEntryRow

    engine = make_engine(database_url)
    with Session(engine) as session, session.begin():
        prev = GENESIS_HASH
        for row in session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).all():
            content = audit_content(
                seq=row.seq,
                at=row.at,
                actor=row.actor,
                actor_role=row.actor_role,
                action=row.action,
                family_id=row.family_id,
                record=row.record,
                details=row.details,
                prev_hash=prev,
            )
            row.prev_hash, row.hash = prev, digest(content)
            prev = row.hash
        session.execute(text("UPDATE audit_chain_head SET last_hash = :h"), {"h": prev})
    engine.dispose()


@pytest.mark.parametrize(
    "how",
    [
        pytest.param(lambda content: hashlib.sha256(content).hexdigest(), id="plain-sha256"),
        pytest.param(lambda content: hmac.new(b"a guessed key", content, hashlib.sha256).hexdigest(), id="wrong-key"),
    ],
)
def test_a_chain_recomputed_without_the_key_is_broken_at_its_first_entry(workbook: Workbook, people, database_url, how):
    family_with_words(workbook, people["author"])
    checked, broken = workbook.audit.verify(actor=OPERATOR)
    assert checked > 5 and broken is None
    rewrite_every_hash(database_url, how)
    checked, broken = workbook.audit.verify(actor=OPERATOR)
    assert broken is not None and broken.seq == 1 and "changed" in broken.reason


def test_removing_the_last_entries_and_fixing_the_head_is_found_by_the_anchor(workbook: Workbook, people, database_url):
    family_id, _ = family_with_words(workbook, people["author"])
    anchor = workbook.audit.anchor(actor=OPERATOR)
    assert anchor.seq > 5 and len(anchor.hash) == 64
    workbook.families.get(family_id=family_id, actor=people["author"])
    later = workbook.audit.anchor(actor=OPERATOR)
    assert later.seq == anchor.seq + 1
    assert workbook.audit.verify(actor=OPERATOR, anchors=(anchor, later))[1] is None

    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq >= :s"), {"s": anchor.seq - 2})
        seq, last = conn.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
        conn.execute(text("UPDATE audit_chain_head SET last_seq = :s, last_hash = :h"), {"s": seq, "h": last})
    engine.dispose()
    # The chain and its head agree again: only what was saved outside the database can tell.
    assert workbook.audit.verify(actor=OPERATOR)[1] is None
    checked, broken = workbook.audit.verify(actor=OPERATOR, anchors=(anchor,))
    assert checked == anchor.seq - 3
    assert broken is not None and broken.seq == anchor.seq - 2
    assert f"entry {anchor.seq}" in broken.reason and "missing" in broken.reason


def test_an_anchor_whose_entry_was_rewritten_is_reported(workbook: Workbook, people):
    family_with_words(workbook, people["author"])
    anchor = workbook.audit.anchor(actor=OPERATOR)
    forged = Anchor(seq=anchor.seq, hash="f" * 64, at=anchor.at)
    _, broken = workbook.audit.verify(actor=OPERATOR, anchors=(forged,))
    assert broken is not None and broken.seq == anchor.seq and "anchor" in broken.reason


# -- the `eha` command -------------------------------------------------------------------------


def eha(url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    merged = {**os.environ, "EHA_DATABASE_URL": url, "EHA_AUDIT_KEY": AUDIT_KEY, **(env or {})}
    return subprocess.run(
        [str(EHA), *args], env=merged, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_eha_audit_anchor_then_verify_against_it_finds_a_truncated_trail(database_url: str, tmp_path: Path):
    assert eha(database_url, "demo", "--families", "2", "--seed", "3").returncode == 0
    printed = eha(database_url, "audit", "anchor")
    assert printed.returncode == 0, printed.stderr
    anchor = json.loads(printed.stdout)
    assert set(anchor) == {"seq", "hash", "at"} and anchor["seq"] > 2
    eha(database_url, "list")
    saved = tmp_path / "anchors.jsonl"  # what a scheduled `eha audit anchor >> FILE` keeps
    saved.write_text(printed.stdout + eha(database_url, "audit", "anchor").stdout, encoding="utf-8")
    ok = eha(database_url, "audit", "verify", "--anchor", str(saved))
    assert ok.returncode == 0 and "intact" in ok.stderr and "2 anchors" in ok.stderr, ok.stderr
    by_value = eha(database_url, "audit", "verify", "--anchor", f"{anchor['seq']}:{anchor['hash']}")
    assert by_value.returncode == 0, by_value.stderr

    eha(database_url, "list")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq >= :s"), {"s": anchor["seq"]})
        seq, last = conn.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
        conn.execute(text("UPDATE audit_chain_head SET last_seq = :s, last_hash = :h"), {"s": seq, "h": last})
    engine.dispose()
    assert eha(database_url, "audit", "verify").returncode == 0
    broken = eha(database_url, "audit", "verify", "--anchor", str(saved))
    assert broken.returncode == 1
    assert f"broken at entry {anchor['seq']}" in broken.stderr and "missing" in broken.stderr
    unreadable = eha(database_url, "audit", "verify", "--anchor", "not an anchor")
    assert unreadable.returncode == 1 and "anchor" in unreadable.stderr and "Traceback" not in unreadable.stderr


def test_eha_refuses_to_work_without_an_audit_key_and_says_how_to_set_one(sqlite_url: str, tmp_path: Path):
    result = eha(sqlite_url, "list", env={"EHA_AUDIT_KEY": "", "EHA_AUDIT_KEY_FILE": ""})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no audit key" in result.stderr and "EHA_AUDIT_KEY" in result.stderr
    missing = eha(sqlite_url, "list", env={"EHA_AUDIT_KEY": "", "EHA_AUDIT_KEY_FILE": str(tmp_path / "absent.key")})
    assert missing.returncode == 1 and "absent.key" in missing.stderr and "Traceback" not in missing.stderr
    short = eha(sqlite_url, "list", env={"EHA_AUDIT_KEY": "short"})
    assert short.returncode == 1 and "at least 32" in short.stderr and "Traceback" not in short.stderr
    key_file = tmp_path / "audit.key"
    key_file.write_text(AUDIT_KEY + "\n", encoding="utf-8")
    from_file = eha(sqlite_url, "list", env={"EHA_AUDIT_KEY": "", "EHA_AUDIT_KEY_FILE": str(key_file)})
    assert from_file.returncode == 0, from_file.stderr
    assert eha(sqlite_url, "audit", "verify").returncode == 0  # the same key, given directly


def test_eha_audit_searches_matches_words_through_their_keyed_hash(sqlite_url: str, workbook_for_cli):
    wb, sam = workbook_for_cli(sqlite_url)
    family_with_words(wb, sam)
    found = eha(sqlite_url, "audit", "searches", "ZOË nowak")
    assert found.returncode == 0, found.stderr
    assert "sam.worker" in found.stdout and "families" in found.stdout
    none = eha(sqlite_url, "audit", "searches", "Oliver")
    assert none.returncode == 0 and none.stdout == "" and "No search" in none.stderr


@pytest.fixture
def workbook_for_cli(clock):
    engines = []

    def make(url: str) -> tuple[Workbook, Actor]:
        from eha.localities import load_localities
        from storage.db import upgrade

        upgrade(url)
        engine = make_engine(url)
        engines.append(engine)
        wb = Workbook(engine, localities=load_localities(), clock=clock, audit_key=AUDIT_KEY.encode())
        sam = wb.accounts.add(
            username="sam.worker", display_name="Sam", role="practitioner", password=PASSWORD, actor=OPERATOR
        ).actor()
        return wb, sam

    yield make
    for engine in engines:
        engine.dispose()


def test_anchor_text_is_one_line_of_json(workbook: Workbook, people):
    anchor = workbook.audit.anchor(actor=OPERATOR)
    line = anchor_text(anchor)
    assert "\n" not in line and json.loads(line)["seq"] == anchor.seq
