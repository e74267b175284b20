"""Configuration the practice changes without a code change: the MASH contact details and
the consent wording shown to families."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from eha.consent import ConsentWording

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DEFAULT_MASH_FILE = CONFIG_DIR / "mash.toml"
DEFAULT_CONSENT_FILE = CONFIG_DIR / "consent.toml"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class MashContact:
    name: str
    phone: str
    out_of_hours_phone: str
    out_of_hours_name: str
    email: str


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}") from exc


def _texts(path: Path, data: dict[str, object], names: tuple[str, ...]) -> dict[str, str]:
    bad = [n for n in names if not isinstance(data.get(n), str) or not str(data.get(n)).strip()]
    if bad:
        raise ConfigError(f"{path} needs text for: {', '.join(bad)}.")
    return {n: str(data[n]).strip() for n in names}


def load_mash(path: Path | None = None) -> MashContact:
    source = path or DEFAULT_MASH_FILE
    fields = _texts(source, _read(source), ("name", "phone", "out_of_hours_phone", "out_of_hours_name", "email"))
    return MashContact(**fields)


def load_consent_wording(path: Path | None = None) -> ConsentWording:
    source = path or DEFAULT_CONSENT_FILE
    fields = _texts(source, _read(source), ("version", "text"))
    return ConsentWording(version=fields["version"], text=fields["text"])
