"""Text in the workbook's PDFs: the fonts, the paragraph styles, and user text made literal.

reportlab's `Paragraph` reads its text as markup: a name typed as `<b>Mum</b>` would print in
bold, `<img src=/etc/passwd>` would read a file from the server, and a lone `&` or `<` stops
the document. So every piece of user text goes through `markup` (escaped, line breaks kept)
and into a paragraph through `para`, `paras` or `field`; only our own fixed words (`own`)
ever carry markup.

DejaVu Sans is used everywhere, because Helvetica has no Ł, Ș, İ, Greek or Cyrillic. Its
files come from Debian's fonts-dejavu-core (regular, bold) and fonts-dejavu-extra (oblique,
bold oblique), or from the folder named by EHA_PDF_FONT_DIR. What it lacks is set, when
installed, in Scheherazade (Urdu's ہ and ے: whole Arabic-script words, so they join) and
Symbola (emoji, in black and white; a family emoji shows as its three people).

Arabic-script and Hebrew paragraphs are shaped by HarfBuzz (letters joined, right-to-left
words in order) and right-aligned when they start right to left; no other paragraph is
shaped. reportlab has no bidi algorithm of its own: a right-to-left paragraph with English in
it lays its runs out left to right (each run reads correctly), and direction marks and
overrides change nothing (they print as typed, in the order typed).

Fixed here in reportlab's behaviour, once, when the fonts are registered: emoji copied out
of a PDF came out as other characters (its ToUnicode map); Urdu's joined forms copied out as
private-use characters; a word joining Arabic to Latin letters or digits, and Arabic-Indic
digits, drew backwards; discretionary ligatures (ﬆ) were on.
"""

from __future__ import annotations

import copy
import os
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab import rl_config
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


@dataclass(frozen=True)
class Fallback:
    """A font for the letters DejaVu Sans lacks, used when it is installed (else those letters
    show as boxes, and the rest prints as ever)."""

    name: str
    files: tuple[str, ...]  # the first found, looked for in font_dir() then in `folders`
    bold_files: tuple[str, ...]
    folders: tuple[str, ...]
    package: str  # the Debian package that ships it
    arabic: bool  # set whole Arabic-script words in it when DejaVu lacks one of their letters


FALLBACKS: Final = (
    # Urdu's heh goal (ہ) and yeh barree (ے), among others, are not in DejaVu Sans.
    Fallback(
        name="Scheherazade",
        files=("ScheherazadeNew-Regular.ttf", "Scheherazade-Regular.ttf"),
        bold_files=("ScheherazadeNew-Bold.ttf", "Scheherazade-Bold.ttf"),
        folders=("/usr/share/fonts/truetype/scheherazade", "/usr/share/fonts/truetype/scheherazade-new"),
        package="fonts-sil-scheherazade",
        arabic=True,
    ),
    # Outline (black and white) emoji and symbols: colour emoji fonts are bitmaps, which
    # reportlab cannot embed.
    Fallback(
        name="Symbola",
        files=("Symbola_hint.ttf", "Symbola.ttf"),
        bold_files=(),
        folders=("/usr/share/fonts/truetype/ancient-scripts",),
        package="fonts-symbola",
        arabic=False,
    ),
)

_lock = threading.Lock()
_registered = False
# Registered font name -> the code points it has a glyph for.
_coverage: dict[str, frozenset[int]] = {}
_fallbacks: list[Fallback] = []


def font_dir() -> Path:
    """Where the DejaVu Sans files are read from: EHA_PDF_FONT_DIR, else Debian's folder."""
    override = os.environ.get(FONT_DIR_ENV, "").strip()
    return Path(override) if override else DEFAULT_FONT_DIR


def _find(files: tuple[str, ...], folders: tuple[str, ...]) -> Path | None:
    for folder in (font_dir(), *map(Path, folders)):
        for file in files:
            if (folder / file).is_file():
                return folder / file
    return None


def _register(name: str, path: Path) -> None:
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    _coverage[name] = frozenset(font.face.charToGlyph)


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique, bold oblique) as one family, so `<b>` and
    `<i>` in our own markup pick the bold and oblique files, and the fallback fonts that are
    installed (FALLBACKS); DejaVu Sans is then also the font of reportlab.graphics strings and
    canvases that name none. Safe to call any number of times, from any thread.

    Raises FontsMissing, naming the files and the Debian packages, if a DejaVu file is missing.
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
            _register(name, folder / file)
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_OBLIQUE, boldItalic=FONT_BOLD_OBLIQUE
        )
        for fallback in FALLBACKS:
            regular = _find(fallback.files, fallback.folders)
            if regular is None:
                continue
            _register(fallback.name, regular)
            bold_path = _find(fallback.bold_files, fallback.folders) if fallback.bold_files else None
            bold = fallback.name
            if bold_path is not None:
                bold = f"{fallback.name}-Bold"
                _register(bold, bold_path)
            # `<font name=...>` around a word inside a bold heading picks the bold face.
            pdfmetrics.registerFontFamily(
                fallback.name, normal=fallback.name, bold=bold, italic=fallback.name, boldItalic=bold
            )
            _fallbacks.append(fallback)
        # Text drawn by reportlab.graphics (the star chart) or on a canvas that names no font
        # would be in Helvetica, which no PDF of ours embeds.
        rl_config.defaultGraphicsFontName = FONT
        rl_config.canvas_basefontname = FONT
        _no_discretionary_ligatures()
        _whole_unicode_in_to_unicode_maps()
        _shape_for_the_workbook()
        _registered = True


def fallbacks() -> tuple[str, ...]:
    """The names of the fallback fonts installed here (see FALLBACKS)."""
    register_fonts()
    return tuple(f.name for f in _fallbacks)


def _no_discretionary_ligatures() -> None:
    # reportlab asks HarfBuzz for discretionary ligatures ("dlig"), which OpenType means to be
    # off unless a reader asks: DejaVu then draws "st" in "stadium" as the old ligature ﬆ in
    # any shaped paragraph (Arabic with an English word in it). Kerning and the standard
    # ligatures stay on.
    defaults = getattr(ttfonts.shapeFragWord, "__defaults__", None) or ()
    for value in defaults:
        if isinstance(value, dict) and "dlig" in value:
            value["dlig"] = False


# (font face name, private-use code) -> the text the glyph stands for. HarfBuzz picks glyphs a
# font has no character for (Scheherazade's joined forms of Urdu letters); reportlab gives each
# a private-use code, and a reader copying or searching the text, or a screen reader, would get
# those codes instead of the letters. The shaper's clusters say which letters each glyph came
# from: the PDF's ToUnicode map gives them back.
_private_text: dict[tuple[str, int], str] = {}
_PRIVATE_USE = range(0xE000, 0xF900)


def _face_key(font: Any) -> str:
    face = font.face
    name: bytes = face.name + getattr(face, "subfontNameX", b"")
    return name.decode("latin-1")


def _remember_private_glyphs(word: Any, shaped: Any) -> None:
    text = "".join(s for f, s in word[1:] if not hasattr(f, "cbDefn"))
    pieces = [(f, s) for f, s in shaped[1:] if hasattr(s, "__shapeData__")]
    starts = sorted({d.cluster for _, s in pieces for d in s.__shapeData__ if d.cluster >= 0})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    seen: set[int] = set()
    for frag, piece in pieces:
        font = pdfmetrics.getFont(frag.fontName)
        key = _face_key(font)
        for ch, data in zip(piece, piece.__shapeData__, strict=False):
            if data.cluster in seen or data.cluster < 0:
                continue  # a cluster's letters go with its first glyph
            seen.add(data.cluster)
            if ord(ch) in _PRIVATE_USE:
                _private_text.setdefault((key, ord(ch)), text[data.cluster : ends[data.cluster]])


def _direction(ch: str) -> str | None:
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "rtl"
    if kind in ("L", "EN", "AN"):  # numbers read left to right, in Arabic text too
        return "ltr"
    return None  # neutral: punctuation, marks, joiners


def _has_rtl_letters(word: Any) -> bool:
    return any(_direction(ch) == "rtl" for _, piece in word[1:] for ch in piece)


def _direction_runs(word: Any) -> list[Any] | None:
    """A word (reportlab's [width, (frag, text)...]) that joins right-to-left letters to
    left-to-right ones or digits ("مريم.png", "مريم123") as one word per direction run, or
    None for a word of one direction. HarfBuzz shapes a whole word in one direction, so
    "png" would come out "gnp"."""
    chars: list[tuple[Any, str]] = []
    for frag, piece in word[1:]:
        if hasattr(frag, "cbDefn"):
            return None
        chars.extend((frag, ch) for ch in piece)
    found = [_direction(ch) for _, ch in chars]
    if "rtl" not in found or "ltr" not in found:
        return None
    # A neutral takes the direction of the letters around it when they agree, else the
    # line's (left to right: "مريم.png" keeps its dot with "png"); at either end of the
    # word, that of its neighbour.
    strong = [(i, d) for i, d in enumerate(found) if d is not None]
    for i, d in enumerate(found):
        if d is None:
            before = next((sd for si, sd in reversed(strong) if si < i), None)
            after = next((sd for si, sd in strong if si > i), None)
            found[i] = before if before == after or after is None else after if before is None else "ltr"
    runs: list[tuple[str | None, list[tuple[Any, str]]]] = []
    for (frag, ch), d in zip(chars, found, strict=True):
        if runs and runs[-1][0] == d:
            runs[-1][1].append((frag, ch))
        else:
            runs.append((d, [(frag, ch)]))
    words = []
    for _, items in runs:
        pieces: list[Any] = [0.0]
        for frag, ch in items:
            if len(pieces) > 1 and pieces[-1][0] is frag:
                pieces[-1] = (frag, pieces[-1][1] + ch)
            else:
                pieces.append((frag, ch))
        pieces[0] = sum(pdfmetrics.stringWidth(t, f.fontName, f.fontSize) for f, t in pieces[1:])
        words.append(word.__class__(pieces))
    return words


def _shaper(shape: Any) -> Any:
    """reportlab's shapeFragWord, shaping a word of two directions run by run (see
    _direction_runs) and remembering what its private-use glyphs stand for."""
    if getattr(shape, "_eha_shaper", False):
        return shape

    def shape_and_remember(word: Any) -> Any:
        shaped = shape(word)
        if shaped is not word:
            _remember_private_glyphs(word, shaped)
        return shaped

    def shape_by_runs(word: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return shape(word, *args, **kwargs)
        # Only right-to-left letters are shaped: HarfBuzz takes a word of Arabic-Indic digits
        # (١٢٣, Arabic script) as right to left and draws it backwards, and Latin words and
        # numbers read the same without it.
        runs = _direction_runs(word)
        if runs is None:
            return shape_and_remember(word) if _has_rtl_letters(word) else word
        parts = [shape_and_remember(run) if _has_rtl_letters(run) else run for run in runs]
        joined = ttfonts.makeShapedFragWord(word)([sum(part[0] for part in parts)])
        for part in parts:
            joined.extend(part[1:])
        return joined

    shape_by_runs._eha_shaper = True  # type: ignore[attr-defined]
    return shape_by_runs


def _shape_for_the_workbook() -> None:
    from reportlab.pdfgen import canvas
    from reportlab.platypus import paragraph

    # Each module took its own reference to the function when it was imported.
    for module in (ttfonts, paragraph, canvas):
        if hasattr(module, "shapeFragWord"):
            module.shapeFragWord = _shaper(module.shapeFragWord)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's makeToUnicodeCMap, writing a character beyond U+FFFF (an emoji) as UTF-16
    (a surrogate pair), as PDF requires: reportlab writes its code point's five hex digits,
    and a reader copying the text gets another character ("😀" came out as "ὠ"); and giving a
    private-use glyph the letters it was shaped from (see _private_text)."""
    face = fontname.split("+", 1)[-1]

    def utf16(code: int) -> str:
        text = _private_text.get((face, code), chr(code)) if code in _PRIVATE_USE else chr(code)
        return text.encode("utf-16-be", "surrogatepass").hex().upper()

    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def _whole_unicode_in_to_unicode_maps() -> None:
    if getattr(ttfonts, "makeToUnicodeCMap", None) is not None:
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap


# --- user text ---------------------------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Other control characters have no glyph and would vanish: show that something was there.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f]")
_LEADING_SPACES = re.compile("^ +")
_SPACE_RUNS = re.compile(" {2,}")
TAB_SPACES: Final = 4


# Direction marks and overrides (LRM, RLO...): reportlab has no bidi algorithm, so they change
# nothing; in a shaped paragraph HarfBuzz makes each a zero-width space, and the word space
# after it is lost ("evil Łukasz" printed "evilŁukasz"). They are left out of shaped text.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Characters that belong with the one before them (emoji joiners, variation selectors, skin
# tones): drawn in the same font.
_STICKY = frozenset([0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)])
_WORDS = re.compile(r"(\s+)")


@dataclass(frozen=True)
class _Face:
    """The paragraph font that fallbacks stand in for: its glyphs, weight and size."""

    cover: frozenset[int]
    bold: bool
    size: float


# Scheherazade's letters are small on their body: at 1.5 times the size they match DejaVu's.
ARABIC_FALLBACK_SCALE: Final = 1.5


def _in_font(run: str, fallback: Fallback, face: _Face) -> str:
    # `<font name=...>` resets the weight (reportlab reads it from the name), so the bold face
    # is named for a bold paragraph.
    name = f"{fallback.name}-Bold" if face.bold and f"{fallback.name}-Bold" in _coverage else fallback.name
    size = f' size="{face.size * ARABIC_FALLBACK_SCALE:g}"' if fallback.arabic else ""
    return f'<font name="{name}"{size}>{escape(run)}</font>'


def _word_markup(word: str, face: _Face, *, shaped: bool, arabic_words: Fallback | None) -> str:
    cover = face.cover
    if (
        arabic_words is not None
        and _ARABIC_SCRIPT.search(word)
        and all(ord(c) in _coverage[arabic_words.name] for c in word)
    ):
        return _in_font(word, arabic_words, face)
    if all(ord(c) in cover for c in word):
        return escape(word)
    if shaped:
        # HarfBuzz shapes a word with one font: the whole word in the first fallback that
        # has all of it, else as it is.
        for fallback in _fallbacks:
            if all(ord(c) in _coverage[fallback.name] for c in word):
                return _in_font(word, fallback, face)
        return escape(word)
    # Unshaped: each character in the first font that has it, joiners with their emoji.
    runs: list[tuple[Fallback | None, str]] = []
    for ch in word:
        code = ord(ch)
        if code in _STICKY and runs:
            font = runs[-1][0]
        elif code in cover:
            font = None
        else:
            font = next((f for f in _fallbacks if code in _coverage[f.name]), None)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return "".join(escape(run) if font is None else _in_font(run, font, face) for font, run in runs)


def _with_fallbacks(line: str, style: ParagraphStyle, *, shaped: bool) -> str:
    cover = _coverage.get(style.fontName)
    if cover is None or not _fallbacks:
        return escape(line)
    face = _Face(cover, style.fontName in (FONT_BOLD, FONT_BOLD_OBLIQUE), float(style.fontSize))
    missing = [ch for ch in set(line) if ord(ch) not in cover]
    if not missing:
        return escape(line)
    arabic_words = None
    if shaped and any(_ARABIC_SCRIPT.match(ch) for ch in missing):
        # One Arabic-script letter DejaVu lacks (Urdu): every Arabic-script word of the
        # paragraph in the fallback, so the text reads in one hand.
        arabic_words = next((f for f in _fallbacks if f.arabic), None)
    return "".join(
        escape(token)
        if not token or token.isspace()
        else _word_markup(token, face, shaped=shaped, arabic_words=arabic_words)
        for token in _WORDS.split(line)
    )


def _line_markup(line: str, style: ParagraphStyle, *, shaped: bool) -> str:
    line = _CONTROLS.sub("\ufffd", line).replace("\t", " " * TAB_SPACES)
    if shaped:
        line = BIDI_CONTROLS.sub("", line)
    # reportlab folds every run of spaces into one and drops them at a line's start: keep an
    # indent and the gaps a person typed with no-break spaces, leaving one ordinary space at
    # the end of each run so the line can still wrap there.
    line = _LEADING_SPACES.sub(lambda m: NBSP * len(m.group()), line)
    line = _SPACE_RUNS.sub(lambda m: NBSP * (len(m.group()) - 1) + " ", line)
    return _with_fallbacks(line, style, shaped=shaped)


def markup_for(text: str, style: ParagraphStyle) -> str:
    """`markup(text)` for a paragraph in `style` (its font's weight and size)."""
    text = repaired(text)
    shaped = _shaped(text)
    return "<br/>".join(_line_markup(line, style, shaped=shaped) for line in _LINE_BREAKS.split(text))


def markup(text: str) -> str:
    """User text as paragraph markup that prints exactly as typed: `&`, `<` and `>` escaped
    (so `<img src=...>`, `<font>`, `<b>` and `&amp;` print literally and never fetch a file or
    change the style), line breaks (\\r\\n, \\n, \\r and the other Unicode ones) as `<br/>`,
    tabs and runs of spaces kept with no-break spaces, other control characters and lone
    surrogates shown as U+FFFD. Letters DejaVu Sans lacks (emoji, some of Urdu's) are set in
    an installed fallback font (FALLBACKS) by our own `<font>` tags; for a regular-weight
    paragraph (para() picks for its style's font). Direction marks are left out of text that
    will be shaped (see `para`)."""
    register_fonts()
    return markup_for(text, STYLES["body"])


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
    """A Paragraph that breaks its text into lines once per width.

    reportlab breaks a paragraph into lines on every `wrap`, and a table wraps each cell
    several times per page; the rest of a split paragraph is broken again on every page it
    runs onto. For a 50,000-character answer or cell that is (pages x wraps x length):
    seconds. Line breaking depends only on the text and the width, so the lines are kept
    for the next `wrap` at the same width; and after a split, the rest takes the lines it
    would get anyway (greedy breaking: the lines after the split point), for simple
    paragraphs (one font, no line breaks, no shaping), whose lines point nowhere into the
    whole.
    """

    _lines: tuple[float, Any, float, list[float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        kept = self._lines
        if kept is not None and kept[0] == availWidth:
            _, self.blPara, self.height, widths = kept
            self.width = availWidth
            self._wrapWidths = list(widths)
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._lines = (availWidth, self.blPara, self.height, list(self._wrapWidths))
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # The lines are those of the last wrap (a table wraps a cell at its width less the
        # padding, then splits it at its full width): keep them under the width they were
        # broken at.
        broken_at = self._lines[0] if self._lines is not None and hasattr(self, "blPara") else availWidth
        parts: list[Flowable] = super().split(availWidth, availHeight)
        whole = getattr(self, "blPara", None)
        if (
            len(parts) == 2
            and whole is not None
            and whole.kind == 0
            and not self.style.shaping
            and getattr(self.style, "autoLeading", "") in ("", "off")
            and self.style.leftIndent == self.style.firstLineIndent == self.style.rightIndent == 0
            and isinstance(parts[0], LiteralParagraph)
            and isinstance(parts[1], LiteralParagraph)
        ):
            rest = copy.copy(whole)
            rest.lines = whole.lines[len(parts[0].blPara.lines) :]
            parts[1]._lines = (broken_at, rest, len(rest.lines) * self.style.leading, [broken_at, broken_at])
        return parts


def para(text: str, style: str = "body") -> Paragraph:
    """One paragraph of user text, printed as typed in style `style` (see STYLES): escaped,
    shaped only when it holds Arabic-script or Hebrew letters, right-aligned when it reads
    right to left. Splits across pages however long it is."""
    register_fonts()
    chosen = style_for(text, style)
    return LiteralParagraph(markup_for(text, chosen), chosen)


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
        chosen = style_for(line, style, joined=number < last)
        shown = _line_markup(line, chosen, shaped=_shaped(line)) if line.strip() else NBSP
        out.append(LiteralParagraph(shown, chosen))
    return out


def field(label: str, value: str | None) -> list[Flowable]:
    """A labelled answer: the label (our own words, in bold, kept with its answer) and the
    value as typed, or "Not recorded" in grey italic when there is none."""
    register_fonts()
    heading = para(label, "label")
    if value is None or not value.strip():
        return [heading, LiteralParagraph(NOT_RECORDED, get_style("empty"))]
    return [heading, *paras(value, "body")]
