"""The audit trail's hash chain and field-level diffs, without a database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from eha.audit import GENESIS_HASH, AuditEntry, canonical, entry_hash, field_diff, verify_chain

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        fields = {
            "seq": seq,
            "at": START + timedelta(seconds=seq),
            "actor": "sam.worker",
            "actor_role": "practitioner",
            "action": "viewed",
            "family_id": "f1",
            "record": "family:f1",
            "details": canonical({"n": seq, "name": "Zoë <b>"}),
            "prev_hash": prev,
        }
        digest = entry_hash(**fields)
        entries.append(AuditEntry(**fields, hash=digest))
        prev = digest
    return entries


def test_an_intact_chain_verifies_and_a_changed_entry_is_named():
    entries = chain(5)
    assert verify_chain(entries, head=(5, entries[-1].hash)) is None
    edited = [*entries[:2], replace(entries[2], details=canonical({"n": 99})), *entries[3:]]
    broken = verify_chain(edited)
    assert broken is not None and broken.seq == 3 and "changed" in broken.reason


def test_rehashing_an_edited_entry_still_breaks_the_next_one():
    entries = chain(4)
    forged = replace(entries[1], actor="someone.else")
    forged = replace(
        forged, hash=entry_hash(**{k: getattr(forged, k) for k in forged.__dataclass_fields__ if k != "hash"})
    )
    broken = verify_chain([entries[0], forged, *entries[2:]])
    assert broken is not None and broken.seq == 3


def test_a_removed_entry_in_the_middle_or_at_the_end_is_found():
    entries = chain(4)
    middle = verify_chain([entries[0], entries[2], entries[3]])
    assert middle is not None and middle.seq == 2
    end = verify_chain(entries[:3], head=(4, entries[3].hash))
    assert end is not None and end.seq == 4


def test_canonical_details_do_not_depend_on_key_order_and_keep_text_exactly():
    assert canonical({"b": 1, "a": "مريم 😀"}) == canonical({"a": "مريم 😀", "b": 1}) == '{"a":"مريم 😀","b":1}'


def test_field_diff_matches_people_by_id_and_reports_before_and_after():
    before = {"reason": "old", "children": [{"id": "c1", "name": "Zoë"}], "address": "1 Lane"}
    after = {
        "reason": "new",
        "children": [{"id": "c1", "name": "Zoë"}, {"id": "c2", "name": "Łukasz"}],
        "address": "1 Lane",
    }
    assert field_diff(before, after) == [
        {"field": "children[c2]", "before": None, "after": {"id": "c2", "name": "Łukasz"}},
        {"field": "reason", "before": "old", "after": "new"},
    ]
    renamed = {**after, "children": [{"id": "c1", "name": "Zoe"}, after["children"][1]]}
    assert field_diff(after, renamed) == [{"field": "children[c1].name", "before": "Zoë", "after": "Zoe"}]
    assert field_diff(after, after) == []
