"""The child's own work attached to their view: a photo or a drawing (PNG, JPEG) or a PDF.

The type is decided by the file's content (its first bytes), never by its name or by what the
browser says, so a renamed program or web page is refused whatever it is called.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from eha.text import NAME_MAX

DEFAULT_LIMIT_BYTES = 10 * 1024 * 1024

PNG, JPEG, PDF = "image/png", "image/jpeg", "application/pdf"
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"%PDF-", PDF))
ACCEPTED_EXTENSIONS = ("png", "jpg", "jpeg", "pdf")


def media_type_of(data: bytes) -> str | None:
    """PNG, JPEG or PDF by the file's signature; None for anything else."""
    return next((media for magic, media in _SIGNATURES if data.startswith(magic)), None)


def clean_filename(name: str) -> str:
    """The name without any folder part or control characters, so it is safe to offer back."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:NAME_MAX] or "childs-work"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def check_upload(data: bytes, *, limit: int) -> dict[str, str]:
    """'file' -> the message to show, or empty when the file may be kept."""
    if not data:
        return {"file": "The file is empty: choose the photo or drawing again."}
    if len(data) > limit:
        return {"file": f"The file is {_size(len(data))}; files must be {_size(limit)} or smaller."}
    if media_type_of(data) is None:
        return {
            "file": "The file must be a photo or drawing saved as PNG or JPEG, or a PDF. "
            "This file's content is none of those, whatever its name says."
        }
    return {}


@dataclass(frozen=True)
class ChildWork:
    """An attached piece of the child's work, without its content."""

    id: str
    child_id: str
    filename: str
    media_type: str
    size: int
    uploaded_at: datetime
    uploaded_by: str

    @property
    def is_image(self) -> bool:
        return self.media_type in (PNG, JPEG)


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(text: str) -> bytes | None:
    """Base64 from an exported record; None when it is not valid base64."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
