"""The audit trail as a keyed hash chain: what each entry says, its hash, checking the chain,
and what a reader who may not see a family's record is shown of it.

Every entry carries an HMAC-SHA256, under the audit key, over its own content and the previous
entry's hash, so changing, removing or reordering any entry breaks every hash after it, and
nobody without the key (which is a setting, never in the database) can compute a chain that
verifies. Entries removed from the end leave a chain that still adds up: an anchor (the last
entry's number and hash, saved outside the database) finds them. Storage writes the entries;
this module only computes and checks, so it can be tested without a database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from eha.text import fold

GENESIS_HASH = "0" * 64
# The shortest EHA_AUDIT_KEY accepted: a key that can be guessed protects nothing.
KEY_MIN_CHARS = 32


class AuditAction(StrEnum):
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGNED_OUT = "signed_out"
    VIEWED = "viewed"
    SEARCHED = "searched"
    CREATED = "created"
    CHANGED = "changed"
    EXPORTED = "exported"
    IMPORTED = "imported"
    PDF = "pdf"
    UPLOADED = "uploaded"
    ACCESS_REFUSED = "access_refused"
    SHARING_RECORDED = "sharing_recorded"
    TEAM_CHANGED = "team_changed"
    ACCOUNT_CHANGED = "account_changed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True)
class AuditEntry:
    """One line of the trail, exactly as stored (details as canonical JSON text)."""

    seq: int
    at: datetime
    actor: str
    actor_role: str
    action: str
    family_id: str | None
    record: str
    details: str
    prev_hash: str
    hash: str


def canonical(details: Mapping[str, Any]) -> str:
    """The one text form of a details mapping: sorted keys, no spaces, dates as ISO text.

    Stored as text, so the hash is checked over exactly the characters in the database,
    whatever the backend does to JSON.
    """
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso)


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise TypeError(f"cannot record a {type(value).__name__} in the audit trail")


def audit_content(
    *,
    seq: int,
    at: datetime,
    actor: str,
    actor_role: str,
    action: str,
    family_id: str | None,
    record: str,
    details: str,
    prev_hash: str,
) -> bytes:
    """The exact bytes an entry's hash is computed over: every field and the previous hash."""
    return json.dumps(
        [
            seq,
            at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            actor,
            actor_role,
            action,
            family_id,
            record,
            details,
            prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def entry_hash(
    *,
    key: bytes,
    seq: int,
    at: datetime,
    actor: str,
    actor_role: str,
    action: str,
    family_id: str | None,
    record: str,
    details: str,
    prev_hash: str,
) -> str:
    """HMAC-SHA256 under the audit key over every field and the previous entry's hash."""
    content = audit_content(
        seq=seq,
        at=at,
        actor=actor,
        actor_role=actor_role,
        action=action,
        family_id=family_id,
        record=record,
        details=details,
        prev_hash=prev_hash,
    )
    return hmac.new(key, content, hashlib.sha256).hexdigest()


def unkeyed_hash_of(entry: AuditEntry) -> str:
    """The plain SHA-256 the trail used before it was keyed; only migration 0007 reads it,
    to check a trail written that way before re-keying it (and to undo that)."""
    return hashlib.sha256(_content_of(entry)).hexdigest()


def hash_of(entry: AuditEntry, *, key: bytes) -> str:
    return hmac.new(key, _content_of(entry), hashlib.sha256).hexdigest()


def _content_of(entry: AuditEntry) -> bytes:
    return audit_content(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        actor_role=entry.actor_role,
        action=entry.action,
        family_id=entry.family_id,
        record=entry.record,
        details=entry.details,
        prev_hash=entry.prev_hash,
    )


@dataclass(frozen=True)
class AuditLine:
    """An entry as the audit page shows it, with the family's reference when there is one.

    `values_hidden`: the reader may not see this family's record, so `entry.details` is the
    entry's details with every value replaced by HIDDEN (`hide_values`); `entry.hash` is still
    the stored hash, over the details as kept.
    """

    entry: AuditEntry
    family_reference: str | None
    values_hidden: bool = False

    @property
    def details(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.entry.details)
        return loaded


def line_for(entry: AuditEntry, family_reference: str | None, *, may_see_values: bool) -> AuditLine:
    """The line a reader is given: the whole entry, or (when they may not see the values, and
    the entry is about a family) the entry with its values hidden."""
    if may_see_values or entry.family_id is None:
        return AuditLine(entry, family_reference)
    hidden = canonical(hide_values(json.loads(entry.details)))
    return AuditLine(replace(entry, details=hidden), family_reference, values_hidden=True)


# -- what a reader who may not see the family is shown ---------------------------------------

HIDDEN = "[value hidden]"
# Keys whose values say *what* and *which*, not what a record says: field names (in a change),
# record ids, a family's reference, and counts. Every other value, whatever its key (including
# keys added later), is hidden: the rule fails closed.
STRUCTURE_KEYS = frozenset({"field", "id", "assessment", "reference", "found", "shown"})


def _is_structure(key: str) -> bool:
    return key in STRUCTURE_KEYS or key.endswith("_id")


def hide_values(details: Any) -> Any:
    """`details` with every value replaced by HIDDEN, keeping its shape: the keys of every
    mapping, the length of every list, and the values of STRUCTURE_KEYS (and `..._id` keys)
    when those are plain text or numbers. A value under a structure key that is itself a
    mapping or a list is hidden like any other (a field name is never a document)."""
    if isinstance(details, Mapping):
        return {
            str(key): (value if _is_structure(str(key)) and _plain(value) else hide_values(value))
            for key, value in details.items()
        }
    if isinstance(details, list):
        return [hide_values(item) for item in details]
    return HIDDEN


def _plain(value: Any) -> bool:
    return value is None or (isinstance(value, str | int) and not isinstance(value, bool))


# -- search words --------------------------------------------------------------------------


def search_hash(key: bytes, words: str) -> str:
    """What the trail keeps of a search: HMAC-SHA256 under the audit key of the folded words
    (case, accents and spacing do not matter, as for the search itself). Whoever holds the key
    can check whether given words were searched for; nobody else can read them back."""
    digest = hmac.new(key, fold(words).encode("utf-8"), hashlib.sha256).hexdigest()
    return f"hmac-sha256:{digest}"


# -- checking the chain --------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain first stops adding up, and why."""

    seq: int
    reason: str


@dataclass(frozen=True)
class Anchor:
    """The last entry of the trail at one moment (its number and hash), saved outside the
    database. The trail must still hold that entry with that hash: removing entries from the
    end, even with the chain head fixed, or rewriting the trail, is then found."""

    seq: int
    hash: str
    at: datetime | None = None


class AnchorUnreadable(ValueError):
    """Text that is not an anchor; the message says what one looks like."""


_HEX64 = re.compile(r"[0-9a-f]{64}")


def anchor_text(anchor: Anchor) -> str:
    """One line of JSON: what `eha audit anchor` prints and a schedule appends to a file."""
    at = anchor.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if anchor.at else None
    return json.dumps({"seq": anchor.seq, "hash": anchor.hash, "at": at}, separators=(", ", ": "))


def parse_anchors(text: str) -> list[Anchor]:
    """Anchors from text: lines as `anchor_text` writes them, or `SEQ:HASH`. Blank lines are
    skipped. Raises AnchorUnreadable naming the first line that is neither."""
    anchors = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        anchor = _anchor(line)
        if anchor is None:
            shown = line if len(line) <= 40 else line[:40] + "..."
            raise AnchorUnreadable(
                f"line {number} is not an audit anchor ({shown!r}): expected what `eha audit anchor` "
                "prints, or SEQ:HASH"
            )
        anchors.append(anchor)
    if not anchors:
        raise AnchorUnreadable("there is no audit anchor in it")
    return anchors


def _anchor(line: str) -> Anchor | None:
    seq: object
    digest: object
    at: datetime | None = None
    if line.startswith("{"):
        try:
            loaded = json.loads(line)
        except json.JSONDecodeError:
            return None
        if not isinstance(loaded, dict):
            return None
        seq, digest, when = loaded.get("seq"), loaded.get("hash"), loaded.get("at")
        if isinstance(when, str):
            try:
                at = datetime.fromisoformat(when)
            except ValueError:
                return None
    else:
        seq_text, _, digest = line.partition(":")
        seq = int(seq_text) if seq_text.isdigit() else None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        return None
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        return None
    return Anchor(seq=seq, hash=digest, at=at)


def verify_chain(
    entries: Iterable[AuditEntry],
    *,
    key: bytes,
    head: tuple[int, str] | None = None,
    anchors: Iterable[Anchor] = (),
) -> ChainBreak | None:
    """The first broken entry of a trail read in sequence order, or None if it is intact.

    Every hash must be the HMAC under `key`. `head` is the (last sequence number, last hash)
    kept beside the trail: it catches entries removed from the end, unless whoever removed
    them fixed it too. Each of `anchors` must name an entry still in the trail with that hash:
    that catches the rest.
    """
    return first_break(entries, lambda entry: hash_of(entry, key=key), head=head, anchors=anchors)


def first_break(
    entries: Iterable[AuditEntry],
    digest: Callable[[AuditEntry], str],
    *,
    head: tuple[int, str] | None = None,
    anchors: Iterable[Anchor] = (),
) -> ChainBreak | None:
    """verify_chain with the hash function given (migration 0007 checks the unkeyed chain)."""
    anchors = tuple(anchors)  # read twice: while walking the chain, then past its end
    wanted: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        wanted.setdefault(anchor.seq, []).append(anchor)
    for anchor in wanted.get(0, []):
        if anchor.hash != GENESIS_HASH:
            return ChainBreak(1, _anchor_mismatch(anchor))
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (found {entry.seq} next)")
        if entry.prev_hash != expected_prev:
            return ChainBreak(entry.seq, "it does not follow on from the entry before it")
        if not hmac.compare_digest(digest(entry), entry.hash):
            return ChainBreak(entry.seq, f"its content has been changed since it was written{_OR_KEY}")
        for anchor in wanted.get(entry.seq, []):
            if anchor.hash != entry.hash:
                return ChainBreak(entry.seq, _anchor_mismatch(anchor))
        expected_prev = entry.hash
        expected_seq += 1
    last = expected_seq - 1
    beyond = [anchor for anchor in anchors if anchor.seq > last]
    if beyond:
        furthest = max(beyond, key=lambda a: a.seq)
        return ChainBreak(
            expected_seq,
            f"entries {expected_seq} to {furthest.seq} are missing: an anchor{_saved(furthest)} names entry "
            f"{furthest.seq}, and the trail ends at {last}",
        )
    if head is not None:
        last_seq, last_hash = head
        if last_seq != last or last_hash != expected_prev:
            return ChainBreak(expected_seq, f"entries after {last} are missing (the trail had {last_seq})")
    return None


_OR_KEY = " (or the audit key is not the one it was written with)"


def _saved(anchor: Anchor) -> str:
    return f" saved at {anchor.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if anchor.at else ""


def _anchor_mismatch(anchor: Anchor) -> str:
    return f"it is not the entry an anchor{_saved(anchor)} names: the trail has been rewritten from here"


def field_diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """What changed between two JSON documents, field by field: [{field, before, after}].

    Lists of objects that carry an `id` (people in a section) are matched by id, so adding
    one person does not show every later person as changed.
    """
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[dict[str, Any]] = []
        for key in sorted(set(before) | set(after), key=str):
            sub = f"{path}.{key}" if path else str(key)
            changes.extend(field_diff(before.get(key), after.get(key), sub))
        return changes
    if _keyed_list(before) and _keyed_list(after):
        old = {item["id"]: item for item in before}
        new = {item["id"]: item for item in after}
        changes = []
        for key in [*old, *(k for k in new if k not in old)]:
            changes.extend(field_diff(old.get(key), new.get(key), f"{path}[{key}]"))
        return changes
    if before == after:
        return []
    return [{"field": path, "before": before, "after": after}]


def _keyed_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(i, dict) and "id" in i for i in value)
