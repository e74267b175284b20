"""Reading the practice's TOML files that list things (localities, the directory of agencies):
one place says what an unreadable file or an empty list means, so each file's own rules are
all that its loader writes."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def read_tables(source: Path, table: str, *, what: str, empty: str, error: type[ValueError]) -> list[dict[str, Any]]:
    """The `[[table]]` entries of `source`, in order. Raises `error` saying which file cannot be
    read (`what` names it: "the localities file"), lists nothing (`empty` says what it must
    list), or has an entry that is not a table."""
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise error(f"Cannot read {what} {source}: {exc}") from exc
    rows = data.get(table)
    if not isinstance(rows, list) or not rows:
        raise error(f"{source} must list at least one {empty}.")
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise error(f"{table.capitalize()} {n} in {source} must be a table.")
    return rows
