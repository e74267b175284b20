"""Settings from the environment, then `.streamlit/secrets.toml`, then defaults.

Injected through one factory (`load_settings`) so tests never touch a real user's database.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from eha.audit import KEY_MIN_CHARS
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
    agencies_file: Path | None = None
    upload_limit_bytes: int | None = None
    # The largest file `eha import` reads (attachments travel in it as base64).
    import_limit_bytes: int = DEFAULT_IMPORT_LIMIT_BYTES
    # Signing in: minutes without activity before signing out; failures before a lock.
    idle_minutes: int = 30
    max_failures: int = 5
    lock_minutes: int = 15
    # The audit trail's HMAC key (EHA_AUDIT_KEY, or the file EHA_AUDIT_KEY_FILE names); never
    # in the database, never printed.
    audit_key: bytes | None = field(default=None, repr=False)

    def require_audit_key(self) -> bytes:
        """The audit key. Raises SettingsError, saying how to set one, when there is none."""
        if self.audit_key is None:
            raise SettingsError(NO_AUDIT_KEY)
        return self.audit_key


NO_AUDIT_KEY = (
    "There is no audit key, so the audit trail cannot be written or checked. Set EHA_AUDIT_KEY to at "
    f"least {KEY_MIN_CHARS} random characters (for example the output of "
    "python3 -c 'import secrets; print(secrets.token_hex(32))'), or EHA_AUDIT_KEY_FILE to a file "
    "holding one, in the environment or .streamlit/secrets.toml; scripts/run-app.sh makes one in "
    "data/audit.key. Keep it out of the database and its backups: whoever has it can rewrite the trail."
)


def _secrets(path: Path) -> Mapping[str, object]:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load_settings(environ: Mapping[str, str] | None = None, *, secrets_file: Path = DEFAULT_SECRETS) -> Settings:
    """Raises SettingsError for a number setting that is not a positive whole number, and for
    an audit key that is too short or a key file that cannot be read."""
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
    agencies = pick("EHA_AGENCIES_FILE")
    upload_mb = pick("EHA_UPLOAD_LIMIT_MB")
    import_mb = pick("EHA_IMPORT_LIMIT_MB")
    return Settings(
        database_url=url,
        localities_file=Path(localities) if localities else None,
        star_text_file=Path(star_text) if star_text else None,
        mash_file=Path(mash) if mash else None,
        consent_file=Path(consent) if consent else None,
        agencies_file=Path(agencies) if agencies else None,
        upload_limit_bytes=_megabytes(upload_mb) if upload_mb else None,
        import_limit_bytes=_megabytes(import_mb, "EHA_IMPORT_LIMIT_MB") if import_mb else DEFAULT_IMPORT_LIMIT_BYTES,
        idle_minutes=whole("EHA_IDLE_MINUTES", 30),
        max_failures=whole("EHA_SIGN_IN_MAX_FAILURES", 5),
        lock_minutes=whole("EHA_SIGN_IN_LOCK_MINUTES", 15),
        audit_key=_audit_key(pick("EHA_AUDIT_KEY"), pick("EHA_AUDIT_KEY_FILE")),
    )


def _audit_key(value: str | None, file: str | None) -> bytes | None:
    """EHA_AUDIT_KEY itself, else the first line of the file EHA_AUDIT_KEY_FILE names, else None."""
    name = "EHA_AUDIT_KEY"
    if value is None and file is not None:
        name = f"The audit key in {file} (EHA_AUDIT_KEY_FILE)"
        try:
            value = Path(file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is not text"
            raise SettingsError(f"EHA_AUDIT_KEY_FILE names {file}, which cannot be read: {reason}.") from None
    if value is None:
        return None
    key = value.strip()
    if len(key) < KEY_MIN_CHARS:
        raise SettingsError(
            f"{name} must be at least {KEY_MIN_CHARS} characters long (it has {len(key)}): a short key can be guessed."
        )
    return key.encode("utf-8")


def _megabytes(text: str, name: str = "EHA_UPLOAD_LIMIT_MB") -> int:
    """A size setting such as EHA_UPLOAD_LIMIT_MB, e.g. "10" or "2.5", as bytes."""
    try:
        value = float(text)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number of megabytes, not {text!r}.") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be more than 0.")
    return int(value * 1024 * 1024)
