"""The audit trail's keyed hash chain, anchors, hiding values and field-level diffs, without a
database."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from eha.audit import (
    GENESIS_HASH,
    HIDDEN,
    Anchor,
    AnchorUnreadable,
    AuditEntry,
    anchor_text,
    canonical,
    entry_hash,
    field_diff,
    hide_values,
    line_for,
    parse_anchors,
    search_hash,
    unkeyed_hash_of,
    verify_chain,
)

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
KEY = b"a unit test's audit key, long enough"


def chain(n: int, key: bytes = KEY) -> list[AuditEntry]:
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
        digest = entry_hash(key=key, **fields)
        entries.append(AuditEntry(**fields, hash=digest))
        prev = digest
    return entries


def test_an_intact_chain_verifies_and_a_changed_entry_is_named():
    entries = chain(5)
    assert verify_chain(entries, key=KEY, head=(5, entries[-1].hash)) is None
    edited = [*entries[:2], replace(entries[2], details=canonical({"n": 99})), *entries[3:]]
    broken = verify_chain(edited, key=KEY)
    assert broken is not None and broken.seq == 3 and "changed" in broken.reason


def test_rehashing_an_edited_entry_still_breaks_the_next_one():
    entries = chain(4)
    forged = replace(entries[1], actor="someone.else")
    forged = replace(
        forged, hash=entry_hash(key=KEY, **{k: getattr(forged, k) for k in forged.__dataclass_fields__ if k != "hash"})
    )
    broken = verify_chain([entries[0], forged, *entries[2:]], key=KEY)
    assert broken is not None and broken.seq == 3


def test_a_removed_entry_in_the_middle_or_at_the_end_is_found():
    entries = chain(4)
    middle = verify_chain([entries[0], entries[2], entries[3]], key=KEY)
    assert middle is not None and middle.seq == 2
    end = verify_chain(entries[:3], key=KEY, head=(4, entries[3].hash))
    assert end is not None and end.seq == 4


def test_a_chain_hashed_without_the_key_or_with_another_breaks_at_its_first_entry():
    assert verify_chain(chain(3), key=KEY) is None
    other = verify_chain(chain(3, key=b"another key, just as long as the first"), key=KEY)
    assert other is not None and other.seq == 1 and "audit key" in other.reason
    plain, prev = [], GENESIS_HASH
    for entry in chain(3):
        entry = replace(entry, prev_hash=prev)
        entry = replace(entry, hash=unkeyed_hash_of(entry))
        plain.append(entry)
        prev = entry.hash
    # Entry 1 as the workbook hashed it before the key (what migration 0007 checks, then re-keys).
    assert plain[0].hash == "3b65249ad80350e4b6764ffa5e50e25165cd34fa34d051ff266129e2c8aabae7"
    unkeyed = verify_chain(plain, key=KEY)
    assert unkeyed is not None and unkeyed.seq == 1


def test_an_anchor_finds_entries_removed_from_the_end_even_with_the_head_fixed():
    entries = chain(6)
    anchor = Anchor(seq=5, hash=entries[4].hash, at=START)
    assert verify_chain(entries, key=KEY, anchors=[anchor]) is None
    cut = entries[:3]
    assert verify_chain(cut, key=KEY, head=(3, cut[-1].hash)) is None  # what the head alone allows
    broken = verify_chain(cut, key=KEY, head=(3, cut[-1].hash), anchors=iter([anchor]))
    assert broken is not None and broken.seq == 4
    assert "entries 4 to 5 are missing" in broken.reason and "2026-11-22 09:00 UTC" in broken.reason
    wrong = verify_chain(entries, key=KEY, anchors=[Anchor(seq=2, hash=entries[3].hash)])
    assert wrong is not None and wrong.seq == 2 and "rewritten" in wrong.reason
    assert verify_chain([], key=KEY, anchors=[Anchor(seq=0, hash=GENESIS_HASH)]) is None


def test_anchors_are_read_back_from_what_eha_audit_anchor_prints_or_seq_colon_hash():
    anchor = Anchor(seq=41, hash="ab" * 32, at=START)
    line = anchor_text(anchor)
    assert json.loads(line) == {"seq": 41, "hash": "ab" * 32, "at": "2026-11-22T09:00:00Z"}
    assert parse_anchors(f"{line}\n\n{line}\n") == [anchor, anchor]
    assert parse_anchors(f"  41:{'ab' * 32}  ") == [Anchor(seq=41, hash="ab" * 32)]
    for bad in ("", "41", "41:abc", f"-1:{'ab' * 32}", '{"seq": true, "hash": "x"}', "[1, 2]", "{not json"):
        with pytest.raises(AnchorUnreadable):
            parse_anchors(bad)
    with pytest.raises(AnchorUnreadable, match="line 2"):
        parse_anchors(f"{line}\nsomething else")


def test_hiding_values_keeps_field_names_ids_and_counts_and_hides_everything_else():
    details = {
        "changes": [
            {"field": "reason", "before": "Zoë's words <b>&</b>", "after": None},
            {"field": "children[c2]", "before": None, "after": {"id": "c2", "name": "Łukasz", "born": "2021-07-07"}},
            {"field": "views", "before": [], "after": [{"carer_id": "k1", "own_words": "😀", "score": 7}]},
        ],
        "status": {"before": "draft", "after": "closed"},
        "reference": "EH-BCDFGH",
        "assessment": "a1",
        "found": 3,
        "consent_covers": ["GP surgery", "School"],
        "family_told": True,
        "field": {"not": "a field name"},
    }
    assert hide_values(details) == {
        "changes": [
            {"field": "reason", "before": HIDDEN, "after": HIDDEN},
            {"field": "children[c2]", "before": HIDDEN, "after": {"id": "c2", "name": HIDDEN, "born": HIDDEN}},
            {"field": "views", "before": [], "after": [{"carer_id": "k1", "own_words": HIDDEN, "score": HIDDEN}]},
        ],
        "status": {"before": HIDDEN, "after": HIDDEN},
        "reference": "EH-BCDFGH",
        "assessment": "a1",
        "found": 3,
        "consent_covers": [HIDDEN, HIDDEN],
        "family_told": HIDDEN,
        "field": {"not": HIDDEN},
    }
    assert hide_values({"found": True}) == {"found": HIDDEN}  # a flag is not a count


def test_a_line_hides_values_only_for_a_family_the_reader_may_not_see():
    [entry] = chain(1)
    entry = replace(entry, details=canonical({"changes": [{"field": "reason", "before": "a", "after": "b"}]}))
    hidden = line_for(entry, "EH-BCDFGH", may_see_values=False)
    assert hidden.values_hidden and hidden.details == {
        "changes": [{"field": "reason", "before": HIDDEN, "after": HIDDEN}]
    }
    assert (hidden.entry.seq, hidden.entry.actor, hidden.entry.record, hidden.entry.hash) == (
        entry.seq,
        entry.actor,
        entry.record,
        entry.hash,
    )
    shown = line_for(entry, "EH-BCDFGH", may_see_values=True)
    assert not shown.values_hidden and shown.entry == entry
    no_family = line_for(replace(entry, family_id=None), None, may_see_values=False)
    assert not no_family.values_hidden and no_family.details["changes"][0]["after"] == "b"


def test_search_words_are_hashed_with_the_key_after_folding():
    assert search_hash(KEY, "  ZOË   Nowak ") == search_hash(KEY, "zoe nowak")
    assert search_hash(KEY, "zoe nowak") != search_hash(b"another key, just as long as the first", "zoe nowak")
    assert search_hash(KEY, "zoe").startswith("hmac-sha256:") and "zoe" not in search_hash(KEY, "zoe")[12:]


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
