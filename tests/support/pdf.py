"""A whole document's text as a reader copies it out: poppler (tests.support.poppler), each page
folded (NFKC, no invisible format characters, white space as single spaces), so what was typed
can be looked for in it whatever the line breaks."""

from __future__ import annotations

from tests.support.poppler import fold, pages_text, require_poppler


def pdf_pages(content: bytes, *, password: str | None = None) -> list[str]:
    """The text of each page, folded."""
    require_poppler()
    return [fold(page) for page in pages_text(content, password=password)]


def pdf_text(content: bytes, *, password: str | None = None) -> str:
    """The text of the whole document, folded."""
    return " ".join(pdf_pages(content, password=password))
