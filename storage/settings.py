"""Settings from the environment, then `.streamlit/secrets.toml`, then defaults.

Injected through one factory (`load_settings`) so tests never touch a real user's database.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eha.record import DEFAULT_IMPORT_LIMIT_BYTES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SECRETS = PROJECT_ROOT / ".streamlit" / "secrets.toml"


class SettingsError(ValueError):
    """A setting has a value the workbook cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    localities_file: Path | None = None
    star_text_file: Path | None = None
    mash_file: Path | None = None
    consent_file: Path | None = None
    upload_limit_bytes: int | None = None
    # The largest file `eha import` reads (attachments travel in it as base64).
    import_limit_bytes: int = DEFAULT_IMPORT_LIMIT_BYTES
    # Signing in: minutes without activity before signing out; failures before a lock.
    idle_minutes: int = 30
    max_failures: int = 5
    lock_minutes: int = 15


def _secrets(path: Path) -> Mapping[str, object]:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_settings(environ: Mapping[str, str] | None = None, *, secrets_file: Path = DEFAULT_SECRETS) -> Settings:
    """Raises SettingsError for a number setting that is not a positive whole number."""
    env = os.environ if environ is None else environ
    secrets = _secrets(secrets_file)

    def pick(name: str) -> str | None:
        value = env.get(name) or secrets.get(name)
        return str(value) if value else None

    def whole(name: str, default: int) -> int:
        value = pick(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number of at least 1 (it is {value!r}).") from None
        if number < 1:
            raise SettingsError(f"{name} must be a whole number of at least 1 (it is {value!r}).")
        return number

    url = pick("EHA_DATABASE_URL") or f"sqlite:///{DEFAULT_DATA_DIR / 'eha.sqlite3'}"
    localities = pick("EHA_LOCALITIES_FILE")
    star_text = pick("EHA_STAR_TEXT_FILE")
    mash = pick("EHA_MASH_FILE")
    consent = pick("EHA_CONSENT_FILE")
    upload_mb = pick("EHA_UPLOAD_LIMIT_MB")
    import_mb = pick("EHA_IMPORT_LIMIT_MB")
    return Settings(
        database_url=url,
        localities_file=Path(localities) if localities else None,
        star_text_file=Path(star_text) if star_text else None,
        mash_file=Path(mash) if mash else None,
        consent_file=Path(consent) if consent else None,
        upload_limit_bytes=_megabytes(upload_mb) if upload_mb else None,
        import_limit_bytes=_megabytes(import_mb, "EHA_IMPORT_LIMIT_MB") if import_mb else DEFAULT_IMPORT_LIMIT_BYTES,
        idle_minutes=whole("EHA_IDLE_MINUTES", 30),
        max_failures=whole("EHA_SIGN_IN_MAX_FAILURES", 5),
        lock_minutes=whole("EHA_SIGN_IN_LOCK_MINUTES", 15),
    )


def _megabytes(text: str, name: str = "EHA_UPLOAD_LIMIT_MB") -> int:
    """A size setting such as EHA_UPLOAD_LIMIT_MB, e.g. "10" or "2.5", as bytes."""
    try:
        value = float(text)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number of megabytes, not {text!r}.") from exc
    if value <= 0:
        raise ValueError(f"{name} must be more than 0.")
    return int(value * 1024 * 1024)
