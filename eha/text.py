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


# The longest word kept for finding a name by (a name is at most NAME_MAX): a typed word is
# cut to the same length, so it still finds the word it begins.
NAME_WORD_MAX = NAME_MAX


def name_words(name: str) -> frozenset[str]:
    """The words a person is found by: each word of their name folded as `fold` does, and
    each part of a word that starts after punctuation or a symbol ('mary-jane' is also found
    by 'jane', "o'brien" by 'brien', a name wrapped in direction marks by its letters). A
    search finds a person when every word typed begins one of these."""
    words: set[str] = set()
    for word in fold(name).split(" "):
        for start in range(len(word)):
            if start == 0 or (word[start].isalnum() and not word[start - 1].isalnum()):
                words.add(word[start:][:NAME_WORD_MAX])
    words.discard("")
    return frozenset(words)


def search_words(text: str) -> tuple[str, ...]:
    """The words of a search for a name, folded as names are, each once, the longest first
    (the one that narrows the search most)."""
    words = {word[:NAME_WORD_MAX] for word in fold(text).split(" ") if word}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))
