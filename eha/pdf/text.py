"""Text in the workbook's PDFs: the fonts, the paragraph styles, and user text made literal.

reportlab's `Paragraph` reads its text as markup: a name typed as `<b>Mum</b>` would print in
bold, `<img src=/etc/passwd>` would read a file from the server, and a lone `&` or `<` stops
the document. So every piece of user text goes through `markup` (escaped, line breaks kept)
and into a paragraph through `para` or `field`; only our own fixed words ever carry markup.

DejaVu Sans is used everywhere, because Helvetica has no Ł, Ș, İ, Greek or Cyrillic. Its
files come from Debian's fonts-dejavu-core (regular, bold) and fonts-dejavu-extra (oblique,
bold oblique), or from the folder named by EHA_PDF_FONT_DIR.

Arabic-script text is shaped (its letters joined) by HarfBuzz; so is Hebrew, which reportlab
otherwise draws back to front. Shaping is switched on only for paragraphs that hold such
letters.
"""

from __future__ import annotations

import copy
import os
import re
import threading
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

from eha.text import repaired

FONT_DIR_ENV: Final = "EHA_PDF_FONT_DIR"
DEFAULT_FONT_DIR: Final = Path("/usr/share/fonts/truetype/dejavu")

FONT: Final = "DejaVuSans"
FONT_BOLD: Final = "DejaVuSans-Bold"
FONT_OBLIQUE: Final = "DejaVuSans-Oblique"
FONT_BOLD_OBLIQUE: Final = "DejaVuSans-BoldOblique"
# Registered name -> (file, the Debian package that ships it).
FONT_FILES: Final[Mapping[str, tuple[str, str]]] = {
    FONT: ("DejaVuSans.ttf", "fonts-dejavu-core"),
    FONT_BOLD: ("DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    FONT_OBLIQUE: ("DejaVuSans-Oblique.ttf", "fonts-dejavu-extra"),
    FONT_BOLD_OBLIQUE: ("DejaVuSans-BoldOblique.ttf", "fonts-dejavu-extra"),
}

INK: Final = HexColor("#0b0c0c")  # near-black, as GOV.UK's text
GREY: Final = HexColor("#505050")  # 8.2:1 on white: readable, yet plainly not an answer
NOT_RECORDED: Final = "Not recorded"
NBSP: Final = "\u00a0"


class FontsMissing(RuntimeError):
    """The PDF fonts are not on this machine: no document can be drawn until they are."""


_lock = threading.Lock()
_registered = False


def font_dir() -> Path:
    """Where the DejaVu Sans files are read from: EHA_PDF_FONT_DIR, else Debian's folder."""
    override = os.environ.get(FONT_DIR_ENV, "").strip()
    return Path(override) if override else DEFAULT_FONT_DIR


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique, bold oblique) as one family, so `<b>` and
    `<i>` in our own markup pick the bold and oblique files. Safe to call any number of times,
    from any thread.

    Raises FontsMissing, naming the files and the Debian packages, if a file is missing.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = font_dir()
        missing = [(folder / f, pkg) for f, pkg in FONT_FILES.values() if not (folder / f).is_file()]
        if missing:
            packages = " and ".join(sorted({pkg for _, pkg in missing}))
            files = ", ".join(str(path) for path, _ in missing)
            raise FontsMissing(
                f"The PDF fonts are missing: {files}. Install the Debian packages {packages} "
                f"(bash scripts/setup.sh does), or set {FONT_DIR_ENV} to a folder holding "
                + ", ".join(f for f, _ in FONT_FILES.values())
                + "."
            )
        for name, (file, _) in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_OBLIQUE, boldItalic=FONT_BOLD_OBLIQUE
        )
        _no_discretionary_ligatures()
        _registered = True


def _no_discretionary_ligatures() -> None:
    # reportlab asks HarfBuzz for discretionary ligatures ("dlig"), which OpenType means to be
    # off unless a reader asks: DejaVu then draws "st" in "stadium" as the old ligature ﬆ in
    # any shaped paragraph (Arabic with an English word in it). Kerning and the standard
    # ligatures stay on.
    defaults = getattr(ttfonts.shapeFragWord, "__defaults__", None) or ()
    for value in defaults:
        if isinstance(value, dict) and "dlig" in value:
            value["dlig"] = False


# --- user text ---------------------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Other control characters have no glyph and would vanish: show that something was there.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f]")
_LEADING_SPACES = re.compile("^ +")
_SPACE_RUNS = re.compile(" {2,}")
TAB_SPACES: Final = 4


def _line_markup(line: str) -> str:
    line = _CONTROLS.sub("\ufffd", line).replace("\t", " " * TAB_SPACES)
    # reportlab folds every run of spaces into one and drops them at a line's start: keep an
    # indent and the gaps a person typed with no-break spaces, leaving one ordinary space at
    # the end of each run so the line can still wrap there.
    line = _LEADING_SPACES.sub(lambda m: NBSP * len(m.group()), line)
    line = _SPACE_RUNS.sub(lambda m: NBSP * (len(m.group()) - 1) + " ", line)
    return escape(line)


def markup(text: str) -> str:
    """User text as paragraph markup that prints exactly as typed: `&`, `<` and `>` escaped
    (so `<img src=...>`, `<font>`, `<b>` and `&amp;` print literally and never fetch a file or
    change the style), line breaks (\\r\\n, \\n, \\r and the other Unicode ones) as `<br/>`,
    tabs and runs of spaces kept with no-break spaces, other control characters and lone
    surrogates shown as U+FFFD."""
    return "<br/>".join(_line_markup(line) for line in _LINE_BREAKS.split(repaired(text)))


_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")


def needs_shaping(text: str) -> bool:
    """True when `text` holds Arabic-script letters (Arabic, Urdu, Persian...), whose letters
    must be joined by HarfBuzz."""
    return _ARABIC_SCRIPT.search(text) is not None


def _shaped(text: str) -> bool:
    # Hebrew needs no joining, but without shaping reportlab draws its letters back to front
    # (it has no bidi algorithm of its own: HarfBuzz puts a right-to-left word in order).
    return needs_shaping(text) or _HEBREW.search(text) is not None


def right_to_left(text: str) -> bool:
    """True when the first letter with a direction is right-to-left (Arabic, Hebrew...): the
    paragraph is then right-aligned, as its reader expects (the Unicode bidi rule P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


# --- styles ------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=10.5, leading=14.5, textColor=INK, alignment=TA_LEFT)

    def make(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    heading = {"fontName": FONT_BOLD, "keepWithNext": 1}
    return {
        "title": make("title", fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=10),
        "h1": make("h1", fontSize=16, leading=20, spaceBefore=14, spaceAfter=6, **heading),
        "h2": make("h2", fontSize=13, leading=17, spaceBefore=10, spaceAfter=4, **heading),
        "h3": make("h3", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=3, **heading),
        "body": make("body", spaceAfter=6),
        "small": make("small", fontSize=8.5, leading=11.5, spaceAfter=4),
        "label": make("label", fontName=FONT_BOLD, spaceBefore=4, spaceAfter=1, keepWithNext=1),
        "cell": make("cell", fontSize=9.5, leading=12.5),
        "cell_head": make("cell_head", fontName=FONT_BOLD, fontSize=9.5, leading=12.5),
        "empty": make("empty", fontName=FONT_OBLIQUE, textColor=GREY, spaceAfter=6),
    }


STYLES: Final[Mapping[str, ParagraphStyle]] = _styles()
_variants: dict[tuple[str, bool, bool, bool], ParagraphStyle] = {}


def get_style(name: str) -> ParagraphStyle:
    """The paragraph style called `name` (see STYLES); KeyError naming the known ones."""
    try:
        return STYLES[name]
    except KeyError:
        raise KeyError(f"No paragraph style {name!r}; the styles are: {', '.join(STYLES)}") from None


def style_for(text: str, name: str = "body", *, joined: bool = False) -> ParagraphStyle:
    """The style `name` as it must be for this text: shaped when it holds Arabic-script or
    Hebrew letters, right-aligned when it reads right to left; `joined`: no space after it,
    for a line of text that the next line continues."""
    shaped, rtl = _shaped(text), right_to_left(text)
    parent = get_style(name)
    if not (shaped or rtl or joined):
        return parent
    key = (name, shaped, rtl, joined)
    found = _variants.get(key)
    if found is None:
        found = ParagraphStyle(
            "-".join((name, *(flag for flag, on in (("shaped", shaped), ("rtl", rtl), ("joined", joined)) if on))),
            parent=parent,
            shaping=1 if shaped else 0,
            alignment=TA_RIGHT if rtl else parent.alignment,
            spaceAfter=0 if joined else parent.spaceAfter,
        )
        _variants[key] = found
    return found


# --- paragraphs --------------------------------------------------------------------------


class LiteralParagraph(Paragraph):  # type: ignore[misc]
    """A Paragraph that keeps its line breaking when it is split across pages.

    reportlab breaks the rest of a split paragraph into lines again on every page, so a
    50,000-character answer costs (pages x length): seconds. Breaking is greedy and depends
    only on the width, so the lines after the split are the lines the rest would get; they are
    kept for the next `wrap` at the same width. Only for simple paragraphs (one font, no line
    breaks, no shaping), whose lines hold nothing that points back into the whole.
    """

    _kept: tuple[float, Any] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        kept, self._kept = self._kept, None
        if kept is not None and kept[0] == availWidth:
            self.width = availWidth
            self._wrapWidths = [availWidth - self.style.leftIndent - self.style.rightIndent] * 2
            self.blPara = kept[1]
            self.height = len(kept[1].lines) * self.style.leading
            return self.width, self.height
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        whole = getattr(self, "blPara", None)
        if (
            len(parts) == 2
            and whole is not None
            and whole.kind == 0
            and not self.style.shaping
            and getattr(self.style, "autoLeading", "") in ("", "off")
            and self.style.leftIndent == self.style.firstLineIndent == self.style.rightIndent == 0
            and isinstance(parts[1], LiteralParagraph)
        ):
            rest = copy.copy(whole)
            rest.lines = whole.lines[len(parts[0].blPara.lines) :]
            parts[1]._kept = (availWidth, rest)
        return parts


def para(text: str, style: str = "body") -> Paragraph:
    """One paragraph of user text, printed as typed in style `style` (see STYLES): escaped,
    shaped only when it holds Arabic-script or Hebrew letters, right-aligned when it reads
    right to left. Splits across pages however long it is."""
    register_fonts()
    return LiteralParagraph(markup(text), style_for(text, style))


def own(text: str, style: str = "body") -> Paragraph:
    """A paragraph of the workbook's own words, which may carry markup (`<b>`, `<i>`): never
    for anything a person typed."""
    register_fonts()
    return LiteralParagraph(text, get_style(style))


def paras(text: str, style: str = "body") -> list[Flowable]:
    """User text as one paragraph per line it was typed in, printed as typed (see `para`),
    each line shaped and aligned by its own direction, the lines spaced as one paragraph.

    For long answers: reportlab breaks a paragraph with line breaks in it into lines again
    on every page it runs onto, so 50,000 characters in one paragraph cost seconds."""
    register_fonts()
    lines = _LINE_BREAKS.split(repaired(text))
    last = len(lines) - 1
    out: list[Flowable] = []
    for number, line in enumerate(lines):
        # An empty line keeps its height (a paragraph with no text has none).
        shown = _line_markup(line) if line.strip() else NBSP
        out.append(LiteralParagraph(shown, style_for(line, style, joined=number < last)))
    return out


def field(label: str, value: str | None) -> list[Flowable]:
    """A labelled answer: the label (our own words, in bold, kept with its answer) and the
    value as typed, or "Not recorded" in grey italic when there is none."""
    register_fonts()
    heading = LiteralParagraph(markup(label), style_for(label, "label"))
    if value is None or not value.strip():
        return [heading, LiteralParagraph(NOT_RECORDED, get_style("empty"))]
    return [heading, *paras(value, "body")]
