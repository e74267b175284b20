"""The audit trail as a hash chain: what each entry says, its hash, and checking the chain.

Every entry carries a SHA-256 hash over its own content and the previous entry's hash, so
changing, removing or reordering any entry breaks every hash after it. Storage writes the
entries; this module only computes and checks, so it can be tested without a database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS_HASH = "0" * 64


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


def entry_hash(
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
) -> str:
    """SHA-256 over every field and the previous entry's hash."""
    content = json.dumps(
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
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    return entry_hash(
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
    """An entry as the audit page shows it, with the family's reference when there is one."""

    entry: AuditEntry
    family_reference: str | None

    @property
    def details(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.entry.details)
        return loaded


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain first stops adding up, and why."""

    seq: int
    reason: str


def verify_chain(entries: Iterable[AuditEntry], *, head: tuple[int, str] | None = None) -> ChainBreak | None:
    """The first broken entry of a trail read in sequence order, or None if it is intact.

    `head` is the (last sequence number, last hash) kept beside the trail: it catches the
    removal of entries from the end, which a chain alone cannot show.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (found {entry.seq} next)")
        if entry.prev_hash != expected_prev:
            return ChainBreak(entry.seq, "it does not follow on from the entry before it")
        if hash_of(entry) != entry.hash:
            return ChainBreak(entry.seq, "its content has been changed since it was written")
        expected_prev = entry.hash
        expected_seq += 1
    if head is not None:
        last_seq, last_hash = head
        if last_seq != expected_seq - 1 or last_hash != expected_prev:
            return ChainBreak(expected_seq, f"entries after {expected_seq - 1} are missing (the trail had {last_seq})")
    return None


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
