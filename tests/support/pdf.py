"""Reading a PDF back as a person's reader would: poppler's `pdftotext` (installed by
scripts/setup.sh --test). The text is NFKC-folded, so Arabic presentation forms and ligatures
compare with what was typed, and runs of white space (where lines wrap) are one space."""

from __future__ import annotations

import re
import subprocess
import unicodedata


def pdf_pages(content: bytes, *, password: str | None = None) -> list[str]:
    """The text of each page, folded."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if password is not None:
        args += ["-upw", password]
    done = subprocess.run([*args, "-", "-"], input=content, capture_output=True, check=True, timeout=120)
    pages = done.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page)).strip() for page in pages]


def pdf_text(content: bytes, *, password: str | None = None) -> str:
    """The text of the whole document, folded."""
    return " ".join(pdf_pages(content, password=password))
