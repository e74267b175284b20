"""Reading the workbook's PDFs back as a reader's program would: poppler's pdftotext, pdffonts
and pdfinfo (Debian package poppler-utils, installed by `bash scripts/setup.sh --test`).

`require_poppler()` skips a test locally when poppler is missing, saying how to install it,
and fails it with CI=true, where nothing may silently skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pytest

from tests.support import in_ci

TOOLS = ("pdftotext", "pdffonts", "pdfinfo")
INSTALL_HINT = "poppler is not installed: bash scripts/setup.sh --test installs it (Debian package poppler-utils)."


def poppler_missing_reason() -> str | None:
    """Why poppler's tools cannot be run here, or None if they can."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    return f"{', '.join(missing)} not found. {INSTALL_HINT}" if missing else None


def require_poppler() -> None:
    reason = poppler_missing_reason()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI=true, so this fails instead of skipping: {reason}", pytrace=False)
    pytest.skip(reason)


class PopplerFailed(AssertionError):
    """A poppler tool exited non-zero (e.g. a wrong password)."""


def _run(args: list[str], pdf: bytes) -> str:
    result = subprocess.run(args, input=pdf, capture_output=True, timeout=60, check=False)
    if result.returncode != 0:
        raise PopplerFailed(f"{' '.join(args)} exited {result.returncode}: {result.stderr.decode(errors='replace')}")
    return result.stdout.decode("utf-8")


def pdftotext(pdf: bytes, *, password: str | None = None, raw: bool = True) -> str:
    """The document's text. `raw`: in the order it is drawn, which for right-to-left text is
    the order it was typed (poppler's default reading order reorders Arabic runs on its own
    guess). Pages are separated by form feeds."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if raw:
        args.append("-raw")
    if password is not None:
        args += ["-upw", password]
    return _run([*args, "-", "-"], pdf)


def pages_text(pdf: bytes, *, password: str | None = None) -> list[str]:
    """Each page's text (pdftotext -raw), in page order."""
    pages = pdftotext(pdf, password=password).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdffonts(pdf: bytes) -> list[dict[str, str]]:
    """Every font the PDF uses: name, type, encoding, emb, sub, uni (as pdffonts prints)."""
    out = _run(["pdffonts", "-"], pdf).splitlines()
    rows = []
    for line in out[2:]:
        # name type(may have spaces) encoding emb sub uni object ID
        match = re.match(r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
        if match is None:
            raise AssertionError(f"unexpected pdffonts line: {line!r}")
        name, kind, encoding, emb, sub, uni = match.groups()
        rows.append({"name": name, "type": kind, "encoding": encoding, "emb": emb, "sub": sub, "uni": uni})
    return rows


def pdfinfo(pdf: bytes, *, password: str | None = None) -> dict[str, str]:
    """pdfinfo's fields (Title, Author, Pages, Encrypted, Page size...)."""
    info = {}
    args = ["pdfinfo", "-enc", "UTF-8", *(["-upw", password] if password is not None else []), "-"]
    for line in _run(args, pdf).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def fold(text: str) -> str:
    """Text as compared after a round trip through a PDF: NFKC (pdftotext gives Arabic as the
    joined letters' presentation forms, ligatures as ﬁ), without invisible format characters
    (direction marks, joiners: they draw nothing), whitespace folded to single spaces (a PDF
    has lines, not the typed line breaks and runs of spaces)."""
    normal = unicodedata.normalize("NFKC", text)
    visible = "".join(ch for ch in normal if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split())
