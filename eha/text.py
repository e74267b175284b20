"""Rules for free text typed by people. Text is stored exactly as typed, never interpreted."""

from __future__ import annotations

import unicodedata

NAME_MAX = 200
SHORT_MAX = 1_000
LONG_MAX = 100_000  # a long analysis or 50,000 characters pasted from elsewhere must fit


def is_text(value: str) -> bool:
    """True when `value` is valid Unicode text: it can be written as UTF-8.

    A lone surrogate (half of an emoji, left by a broken copy and paste or a file decoded
    with the wrong encoding) is not: no database, JSON file or web page can carry it.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def repaired(value: str) -> str:
    """`value` with every lone surrogate replaced by U+FFFD (the replacement character, shown
    as a question mark in a diamond); surrogate pairs are joined into the character they make.
    For text stored before it was checked: it can then be shown and exported."""
    if is_text(value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def text_problem(value: str, *, label: str, limit: int, required: bool = False) -> str | None:
    """The message to show beside a text field, or None when the text is acceptable."""
    if not is_text(value):
        return (
            f"{label[0].upper()}{label[1:]} contains a character that isn't valid text "
            "(a broken emoji or symbol); retype it."
        )
    if required and not value.strip():
        return f"Enter {label}."
    if len(value) > limit:
        return f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer (it is {len(value):,})."
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text; everything else (markup, emoji, RTL) is kept.
        return f"{label[0].upper()}{label[1:]} contains a hidden character (NUL) that cannot be stored."
    return None


def id_problem(value: str) -> str | None:
    """For the id a record carries: made by the workbook and never typed, but it comes back
    from a browser or a file, so it is held to the same check as text."""
    return text_problem(value, label="the record's id", limit=NAME_MAX)


def fold(text: str) -> str:
    """Search key: case- and accent-insensitive, so 'zoe' finds 'Zoë' and 'lukasz' 'Łukasz'."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Letters with strokes do not decompose; map the common ones by hand.
    stripped = stripped.translate(_STROKES)
    return " ".join(stripped.casefold().split())


_STROKES = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss"})
