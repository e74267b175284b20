"""Rules for free text typed by people. Text is stored exactly as typed, never interpreted."""

from __future__ import annotations

import unicodedata

NAME_MAX = 200
SHORT_MAX = 1_000
LONG_MAX = 100_000  # a long analysis or 50,000 characters pasted from elsewhere must fit


def text_problem(value: str, *, label: str, limit: int, required: bool = False) -> str | None:
    """The message to show beside a text field, or None when the text is acceptable."""
    if required and not value.strip():
        return f"Enter {label}."
    if len(value) > limit:
        return f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer (it is {len(value):,})."
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text; everything else (markup, emoji, RTL) is kept.
        return f"{label[0].upper()}{label[1:]} contains a hidden character (NUL) that cannot be stored."
    return None


def fold(text: str) -> str:
    """Search key: case- and accent-insensitive, so 'zoe' finds 'Zoë' and 'lukasz' 'Łukasz'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Letters with strokes do not decompose; map the common ones by hand.
    stripped = stripped.translate(_STROKES)
    return " ".join(stripped.casefold().split())


_STROKES = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss"})
