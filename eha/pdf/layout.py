"""The page and the pieces a workbook document is written with.

A document builder makes a story (a list of flowables) from `heading`, `para`/`field`
(eha.pdf.text), `table` and `picture`, and `render` lays it out on A4 pages, each carrying
OFFICIAL-SENSITIVE, the family reference, "Page X of Y" and who generated it when (and the
draft mark, for a draft). `encrypt` then protects it with a password if it leaves the workbook.

User text is never read as markup: headings, cells, captions and the name in the footer are
escaped (eha.pdf.text.markup) and print as typed.
"""

from __future__ import annotations

import io
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame as _PageArea

from eha.pdf.text import (
    BIDI_CONTROLS,
    FONT,
    FONT_BOLD,
    INK,
    LiteralParagraph,
    markup_for,
    para,
    register_fonts,
    style_for,
)
from eha.text import repaired

# Pictures are written as compressed binary rather than ASCII85 text: reportlab's ASCII85
# encoder is pure Python, and was the largest single cost of a document with two drawings
# (BENCHMARKS.md); the files are smaller too. Every reader opens binary streams.
rl_config.useA85 = 0

ENGLAND: Final = ZoneInfo("Europe/London")
MARKING: Final = "OFFICIAL-SENSITIVE"
DRAFT_MARK: Final = "DRAFT — not completed"
CREATOR: Final = "EHA workbook"
MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT: Final = 20 * mm
MARGIN_RIGHT: Final = 20 * mm
MARGIN_TOP: Final = 24 * mm
MARGIN_BOTTOM: Final = 28 * mm
# The width and height a story's flowables have on every page.
TEXT_WIDTH: Final = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TEXT_HEIGHT: Final = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

RULE: Final = HexColor("#b1b4b6")
CELL_PADDING: Final = {"LEFTPADDING": 4, "RIGHTPADDING": 4, "TOPPADDING": 3, "BOTTOMPADDING": 4}
HEAD_FILL: Final = HexColor("#f3f2f1")
DRAFT_INK: Final = HexColor("#8a8f94")  # drawn at 30% opacity over the page: light, still read
_TOTAL_FORM: Final = "eha-page-total"


@dataclass(frozen=True, kw_only=True)
class Frame:
    """What every page of a document says about it.

    - `title`: the kind of document ("Early Help Assessment"); our own words.
    - `reference`: the family reference ("EH-7K3Q9D"), never a name.
    - `generated_at`: when it was made, timezone-aware (shown in England's time).
    - `generated_by`: the display name of the person who made it (printed as typed).
    - `draft`: marks every page "DRAFT — not completed".
    """

    title: str
    reference: str
    generated_at: datetime
    generated_by: str
    draft: bool

    def __post_init__(self) -> None:
        if self.generated_at.tzinfo is None or self.generated_at.utcoffset() is None:
            raise ValueError("Frame.generated_at must be timezone-aware (UTC), not a naive datetime.")


def england_time(moment: datetime) -> str:
    """`moment` as England's clocks showed it: "2 December 2026 14:05" (GMT or BST)."""
    local = moment.astimezone(ENGLAND)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


def generated_line(frame: Frame) -> str:
    """The footer's line: "Generated 2 December 2026 14:05 by <name>"."""
    return f"Generated {england_time(frame.generated_at)} by {frame.generated_by}"


# --- headings ----------------------------------------------------------------------------


def _plain(text: str) -> str:
    # A bookmark title is one line of plain text, shown by the reader's PDF viewer, which does
    # apply the bidi algorithm: direction overrides are left out (they would turn "evil" into
    # "live" there), control characters shown as U+FFFD; joiners (ZWNJ in a Persian or Urdu
    # name, ZWJ in an emoji) are kept.
    flat = BIDI_CONTROLS.sub("", " ".join(repaired(text).split()))
    return "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in flat) or "(untitled)"


class _Heading(LiteralParagraph):
    """A heading paragraph that adds an outline (bookmark) entry pointing at itself when it is
    drawn. Split across pages (only a very long heading is), the first part carries it."""

    _outline: tuple[str, int] | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            for part in parts:
                if isinstance(part, _Heading):
                    part._outline = None
            first = parts[0]
            if isinstance(first, _Heading):
                first._outline = self._outline
        return parts

    def draw(self) -> None:
        if self._outline is not None:
            title, level = self._outline
            canv = self.canv
            number = getattr(canv, "_eha_headings", 0) + 1
            canv._eha_headings = number
            # An outline may not skip a level (reportlab refuses): a level 3 heading straight
            # after a level 1 one is filed one level down, under it.
            last = getattr(canv, "_eha_outline_level", -1)
            depth = min(level - 1, last + 1)
            canv._eha_outline_level = depth
            key = f"heading-{number}"
            canv.bookmarkHorizontal(key, 0, self.height)
            canv.addOutlineEntry(title, key, level=depth, closed=False)
        super().draw()


def heading(text: str, level: int = 1, *, keep_with_next: bool = True) -> list[Flowable]:
    """A heading (level 1 to 3) of text that may be user text (a child's name): printed as
    typed, kept with what follows it (unless `keep_with_next` is False: reportlab keeps a
    heading with a long table by moving both to the next page, leaving a gap), and listed in
    the PDF's outline (bookmarks) at that level, its plain text as the entry's title."""
    if level not in (1, 2, 3):
        raise ValueError(f"A heading's level is 1, 2 or 3, not {level!r}.")
    register_fonts()
    chosen = style_for(text, f"h{level}")
    made = _Heading(markup_for(text, chosen), chosen)
    made._outline = (_plain(text), level)
    if not keep_with_next:
        made.keepWithNext = 0  # the flowable's own setting wins over its style's
    return [made]


# --- tables ------------------------------------------------------------------------------


def _cell(value: str | int | None, style: str) -> Paragraph:
    return para("" if value is None else str(value), style)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | int | None]],
    *,
    widths: Sequence[float] | None = None,
) -> Table:
    """A table of text: every cell a wrapping paragraph printed as typed (None is an empty
    cell), the header row repeated at the top of every page the table runs onto (unless it is
    taller than a quarter of a page: then it is shown once, and split like any row).

    `widths` are the columns' shares of the text width, in any unit ([1, 2] gives a third and
    two thirds; [0.25, 0.75] a quarter and three quarters); equal shares when omitted.

    A row taller than a page (a cell of 50,000 characters) is split inside the row, its cells
    continuing on the next page, so nothing is dropped. Raises ValueError when a row has more
    cells than the header or the widths do not match it.
    """
    register_fonts()
    columns = len(header)
    if columns == 0:
        raise ValueError("A table needs at least one column in its header.")
    shares = [1.0] * columns if widths is None else [float(w) for w in widths]
    if len(shares) != columns or any(w <= 0 for w in shares):
        raise ValueError(f"A table's widths must be {columns} positive numbers, one per column; got {widths!r}.")
    total = sum(shares)
    col_widths = [TEXT_WIDTH * w / total for w in shares]
    data: list[list[Paragraph]] = [[_cell(h, "cell_head") for h in header]]
    for number, row in enumerate(rows, start=1):
        if len(row) > columns:
            raise ValueError(f"Row {number} has {len(row)} cells; the header has {columns}.")
        cells = [_cell(v, "cell") for v in row]
        cells += [_cell(None, "cell") for _ in range(columns - len(cells))]
        data.append(cells)
    # The header is repeated on every page, unless it would take more than a quarter of one
    # (reportlab cannot lay out a repeated header taller than the page): then it is shown once,
    # split over pages like any other row.
    padding = CELL_PADDING["LEFTPADDING"] + CELL_PADDING["RIGHTPADDING"]
    header_height = max(
        cell.wrap(width - padding, TEXT_HEIGHT)[1] for cell, width in zip(data[0], col_widths, strict=True)
    )
    repeat = 1 if header_height <= TEXT_HEIGHT / 4 else 0
    made = Table(data, colWidths=col_widths, repeatRows=repeat, splitByRow=1, splitInRow=1, hAlign="LEFT")
    made.setStyle(
        TableStyle(
            [
                # Cells hold paragraphs in DejaVu Sans; the table's own font would otherwise
                # be Helvetica, which is set (though unused) on every page it is drawn on.
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                *((name, (0, 0), (-1, -1), points) for name, points in CELL_PADDING.items()),
            ]
        )
    )
    return made


# --- pictures ----------------------------------------------------------------------------

_PNG: Final = b"\x89PNG\r\n\x1a\n"
_JPEG: Final = b"\xff\xd8\xff"
PICTURE_DPI: Final = 96  # a picture is shown at this resolution, if that fits; never enlarged


def picture(
    data: bytes,
    *,
    caption: str,
    max_width: float | None = None,
    max_height: float | None = None,
) -> list[Flowable]:
    """A PNG or JPEG picture with its caption (user text, e.g. a file name) beneath, kept
    together on one page: shown at 96 dpi, made smaller (its proportions kept) to fit the text
    width, `max_width` and `max_height` (points) and a page, never larger.

    Raises ValueError when the data is not a readable PNG or JPEG.
    """
    if not (data.startswith(_PNG) or data.startswith(_JPEG)):
        raise ValueError("A picture must be a PNG or JPEG file.")
    try:
        pixel_width, pixel_height = ImageReader(io.BytesIO(data)).getSize()
    except Exception as exc:
        raise ValueError("The picture could not be read as a PNG or JPEG file.") from exc
    if pixel_width <= 0 or pixel_height <= 0:
        raise ValueError("The picture has no size.")
    register_fonts()
    shown = para(caption, "small")
    # Room for the caption below the picture on a page of its own.
    _, caption_height = shown.wrap(TEXT_WIDTH, TEXT_HEIGHT)
    limit_w = min(TEXT_WIDTH, max_width) if max_width else TEXT_WIDTH
    limit_h = min(TEXT_HEIGHT - caption_height - 12, max_height) if max_height else TEXT_HEIGHT - caption_height - 12
    natural_w, natural_h = pixel_width * 72 / PICTURE_DPI, pixel_height * 72 / PICTURE_DPI
    scale = min(1.0, limit_w / natural_w, max(limit_h, 1.0) / natural_h)
    image = Image(io.BytesIO(data), width=natural_w * scale, height=natural_h * scale, mask="auto", hAlign="LEFT")
    return [KeepTogether([image, Spacer(0, 3), shown, Spacer(0, 6)])]


# --- the page ----------------------------------------------------------------------------


class _PagedCanvas(Canvas):  # type: ignore[misc]
    """A canvas whose pages say "Page X of Y": Y is a form drawn on every page and defined
    once the last page is known (a PDF may refer to a form before it is written)."""

    def save(self) -> None:
        pages = self.getPageNumber() - (0 if self._code else 1)
        self.beginForm(_TOTAL_FORM)
        self.setFont(FONT, 8)
        self.setFillColor(INK)
        self.drawString(0, 0, str(max(pages, 1)))
        self.endForm()
        super().save()


def _draw_frame(canv: Canvas, doc: BaseDocTemplate, frame: Frame) -> None:
    """Header and footer, drawn before the page's content."""
    canv.saveState()
    canv.setFillColor(INK)
    if doc.page == 1:
        canv.showOutline()  # open with the bookmarks shown
    top = PAGE_HEIGHT - 13 * mm
    canv.setFont(FONT_BOLD, 9)
    canv.drawCentredString(PAGE_WIDTH / 2, top, MARKING)
    canv.setFont(FONT, 8)
    canv.drawString(MARGIN_LEFT, top, frame.title)
    canv.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, top, f"Family {frame.reference}")
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(MARGIN_LEFT, top - 2.5 * mm, PAGE_WIDTH - MARGIN_RIGHT, top - 2.5 * mm)

    rule = MARGIN_BOTTOM - 7 * mm
    canv.line(MARGIN_LEFT, rule, PAGE_WIDTH - MARGIN_RIGHT, rule)
    first = rule - 4.5 * mm
    canv.setFont(FONT_BOLD, 8)
    canv.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, first, f"{MARKING} · Family {frame.reference}")
    canv.setFont(FONT, 8)
    # The total is not known until the last page: a form, filled in then, follows "of ".
    page_text = f"Page {doc.page} of "
    canv.drawString(MARGIN_LEFT, first, page_text)
    canv.saveState()
    canv.translate(MARGIN_LEFT + canv.stringWidth(page_text, FONT, 8), first)
    canv.doForm(_TOTAL_FORM)
    canv.restoreState()
    # Who generated it is user text: a paragraph prints it as typed, shapes an Arabic name
    # and wraps a long one instead of running it off the page.
    name = frame.generated_by
    footer = ParagraphStyle(
        "footer", parent=style_for(name, "small"), alignment=TA_LEFT, fontSize=7.5, leading=9.5, spaceAfter=0
    )
    line = LiteralParagraph(markup_for(generated_line(frame), footer), footer)
    _, height = line.wrap(TEXT_WIDTH, first)
    line.drawOn(canv, MARGIN_LEFT, first - 2 * mm - height)
    canv.restoreState()


def _draw_draft(canv: Canvas, doc: BaseDocTemplate) -> None:
    """The draft mark, drawn over the page's content (so no picture hides it), translucent."""
    canv.saveState()
    canv.setFillColor(DRAFT_INK)
    canv.setFillAlpha(0.3)
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(54.7)  # along the A4 diagonal
    canv.setFont(FONT_BOLD, 54)
    canv.drawCentredString(0, -18, DRAFT_MARK)
    canv.restoreState()


def _timestamp(moment: datetime) -> TimeStamp:
    # The document's creation date is when it was generated, so the same record rendered at
    # the same moment gives the same bytes (reportlab would take the machine's clock).
    stamp = TimeStamp(invariant=1)
    utc = moment.astimezone(ZoneInfo("UTC"))
    stamp.t = utc.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


def render(frame: Frame, story: Sequence[Flowable]) -> bytes:
    """The PDF of `story` on A4 pages framed by `frame`: the same frame and story give the
    same bytes. Flowables are used up by a render: build a fresh story for each.

    Raises eha.pdf.text.FontsMissing when the fonts are not installed.
    """
    register_fonts()
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{frame.title} · {frame.reference}",
        subject=f"{frame.title} for family {frame.reference} ({MARKING})",
        author=CREATOR,  # never a person's name: the file may be passed on
        creator=CREATOR,
        producer=CREATOR,
        keywords=[MARKING, frame.reference],
        lang="en-GB",
        invariant=1,
        initialFontName=FONT,  # else every page begins by setting (unembedded) Helvetica
        initialFontSize=10,
        initialLeading=12,
    )
    area = _PageArea(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        TEXT_WIDTH,
        TEXT_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def on_page(canv: Canvas, built: BaseDocTemplate) -> None:
        if built.page == 1:
            canv._doc._timeStamp = _timestamp(frame.generated_at)
        _draw_frame(canv, built, frame)

    def on_page_end(canv: Canvas, built: BaseDocTemplate) -> None:
        if frame.draft:
            _draw_draft(canv, built)

    doc.addPageTemplates([PageTemplate(id="page", frames=[area], onPage=on_page, onPageEnd=on_page_end)])
    # A flowable kept with the next one (a heading) that is taller than a page and last in
    # the story sends reportlab round forever: there is always a next one.
    doc.build([*story, Spacer(0, 0)], canvasmaker=_PagedCanvas)
    return out.getvalue()


# --- after rendering ---------------------------------------------------------------------


def encrypt(pdf: bytes, password: str) -> bytes:
    """`pdf` protected with `password` (AES-256): it opens only with the password. The
    password is neither logged nor kept. Raises ValueError for an empty password."""
    if not password:
        raise ValueError("Enter a password to protect the PDF with.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int | None:
    """How many pages an attached PDF has, or None when it cannot be read (damaged, not a PDF,
    or protected by a password)."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except Exception:
        return None
