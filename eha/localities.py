"""LCSS localities, from a configuration file (Oxfordshire's North, Central and South by default)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eha.config_files import read_tables

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "config" / "localities.toml"


class LocalityConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Locality:
    key: str
    name: str
    address: str
    email: str


def load_localities(path: Path | None = None) -> tuple[Locality, ...]:
    """Read the localities file; raises LocalityConfigError naming what is wrong."""
    source = path or DEFAULT_FILE
    rows = read_tables(source, "locality", what="the localities file", empty="[[locality]]", error=LocalityConfigError)
    found: list[Locality] = []
    for n, row in enumerate(rows, start=1):
        fields = {k: row.get(k) for k in ("key", "name", "address", "email")}
        bad = [k for k, v in fields.items() if not isinstance(v, str) or not v.strip()]
        if bad:
            raise LocalityConfigError(f"Locality {n} in {source} needs text for: {', '.join(bad)}.")
        found.append(Locality(**{k: str(v) for k, v in fields.items()}))
    keys = [loc.key for loc in found]
    if len(set(keys)) != len(keys):
        raise LocalityConfigError(f"Locality keys in {source} must be unique.")
    return tuple(found)
