"""The Family Star Plus chart for the PDFs, drawn as vectors with reportlab.graphics.

It shows what the screen chart (``star.chart``) shows: the same readings (at most four, in
the order they were taken), each in the same colour, line dash and marker (``star.styles``),
on the same fixed scale of 0 to 10, the ten areas clockwise from the top. An area a reading
has not scored is a gap in that reading's shape, never a zero: a zero would look like a
family at the very bottom of the scale.

reportlab draws it itself: no browser, no plotly (which the import rules keep in
``star.chart`` alone). The text is drawn as plain strings, never parsed as markup, in DejaVu
Sans, which is embedded in the PDF like every other font the workbook's documents use.

The numbers behind the chart go in a table beside it (:func:`star_rows`), and
:func:`star_summary` says it in words, for a reader who cannot see the shapes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import HexColor, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from star.areas import MAX_SCORE
from star.config import ATTRIBUTION, StarText, default_star_text
from star.progress import readings_to_compare
from star.reading import StarReading
from star.styles import READING_STYLES, ReadingStyle
from star.table import AREA_COLUMN, CHANGE_COLUMN, alt_text, chart_table, reading_labels

__all__ = [
    "DEFAULT_WIDTH",
    "FONT_NAME",
    "NOT_COMPARED",
    "NOT_SCORED",
    "TABLE_NOTE",
    "star_drawing",
    "star_font",
    "star_rows",
    "star_summary",
]

# The name the PDF layout registers DejaVu Sans under; used as it is when registered.
FONT_NAME = "DejaVuSans"
# Debian's fonts-dejavu-core, which scripts/setup.sh installs.
DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# Fits the text width of an A4 page with 2 cm margins (about 482 points) with room to spare.
DEFAULT_WIDTH = 440.0

# What the table shows for an area a reading did not score, and for a change that cannot be
# worked out because the area was not scored in both the first and the latest reading.
NOT_SCORED = "not scored"
NOT_COMPARED = "–"
TABLE_NOTE = "Change is from the first to the latest reading shown; – where an area was not scored in both of them."

# Sizes in points: print sizes, the same whatever the width (the width sets the star's size).
_MARGIN = 2.0
_LABEL_SIZE = 8.5
_LABEL_LEADING = 10.0
_LABEL_GAP = 7.0  # from the outer ring to the nearest edge of an area's name
_LABEL_MAX_LINES = 3
_LABEL_MAX_CHARACTERS = 200  # a name longer than three lines is cut anyway; the table has it whole
_RING_NUMBER_SIZE = 6.0
_LINE_WIDTH = 1.6
_MARKER_HALF = 3.2
_LEGEND_SIZE = 8.5
_LEGEND_LEADING = 11.0
_LEGEND_SAMPLE = 34.0  # length of the line drawn beside each reading's name
_LEGEND_GAP = 12.0  # between the star and the legend
_LEGEND_ROW_GAP = 3.0
_ATTRIBUTION_SIZE = 7.0
_ATTRIBUTION_LEADING = 8.5
_MIN_RADIUS = 60.0
_MAX_RADIUS = 170.0
# Labels within this of the vertical (the top and bottom areas) are centred on their spoke.
_CENTRED_WITHIN = 0.2

_TEXT = HexColor("#1A1A1A")
_MUTED = HexColor("#555555")
_RING = HexColor("#D0D0D0")
_RING_EVEN = HexColor("#A8A8A8")
_OUTER_RING = HexColor("#6E6E6E")
_SPOKE = HexColor("#B8B8B8")

# plotly's dash names (star.styles) as PDF dash patterns: on, off, on, off... in points. The
# dots are near-zero dashes drawn with round caps.
DASHES: dict[str, list[float] | None] = {
    "solid": None,
    "dash": [6.0, 3.0],
    "dot": [0.1, 3.0],
    "dashdot": [6.0, 2.5, 0.1, 2.5],
}


def star_font() -> str:
    """The font the chart's text is drawn in: DejaVu Sans, registered from Debian's
    fonts-dejavu-core unless the PDF layout has registered it already.

    Raises:
        FileNotFoundError: DejaVu Sans is neither registered nor installed.
    """
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        if not DEJAVU_SANS.is_file():
            raise FileNotFoundError(
                f"The PDF font DejaVu Sans is not installed ({DEJAVU_SANS}): install the Debian package "
                "fonts-dejavu-core (bash scripts/setup.sh does)."
            )
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(DEJAVU_SANS)))
    return FONT_NAME


def star_drawing(
    readings: Sequence[StarReading],
    *,
    labels: StarText | None = None,
    width: float = DEFAULT_WIDTH,
    attribution: bool = True,
) -> Drawing:
    """The star of these readings, with its legend below, as a reportlab ``Drawing`` (a
    flowable): ``width`` points wide, as tall as it needs.

    One shape per reading, in the order taken, each in its own colour, dash and marker, as
    on screen; the legend names each reading (date and occasion) and who completed it. The
    attribution Family Star Plus needs is printed under it unless ``attribution`` is False
    (when the page prints it elsewhere).

    The drawing's parts are named for whoever reads it back: ``grid`` (``rings``, their
    ``ring_numbers`` and the ``spokes``), ``area_labels``, ``readings`` (one group per
    reading, each with its ``lines`` and ``markers``), ``legend`` and ``attribution``.

    Raises:
        TooManyReadings: more than four readings.
        ValueError: ``width`` leaves no room for the star and its area names.
        FileNotFoundError: the font DejaVu Sans is missing (see :func:`star_font`).
    """
    ordered = readings_to_compare(readings)
    text = labels or default_star_text()
    font = star_font()
    plot = _plot_layout(text, width=width, font=font)

    legend_x = _MARGIN + _LEGEND_SAMPLE + 8.0
    legend_text_width = width - legend_x - _MARGIN
    entries: list[list[str]] = [
        _wrap(
            f"{name}. Completed by: {reading.completed_by.label}",
            font=font,
            size=_LEGEND_SIZE,
            width=legend_text_width,
        )
        for name, reading in zip(reading_labels(ordered), ordered, strict=True)
    ]
    if not entries:
        entries = [["No readings to show yet."]]
    legend_height = sum(len(lines) * _LEGEND_LEADING for lines in entries) + _LEGEND_ROW_GAP * (len(entries) - 1)
    credit = (
        _wrap(ATTRIBUTION, font=font, size=_ATTRIBUTION_SIZE, width=width - 2 * _MARGIN, max_lines=4)
        if attribution
        else []
    )
    credit_height = len(credit) * _ATTRIBUTION_LEADING + (6.0 if credit else 0.0)

    height = _MARGIN + plot.height + _LEGEND_GAP + legend_height + credit_height + _MARGIN
    drawing = Drawing(width, height)
    # Nothing may fall back to Helvetica, which would not be embedded.
    drawing.initialFontName = font
    drawing.initialFontSize = _LABEL_SIZE
    drawing.hAlign = "CENTER"  # in a frame wider than the drawing, the star sits in the middle
    cx = width / 2
    cy = height - _MARGIN - plot.top

    drawing.add(_grid(cx, cy, plot.radius, len(text.areas), font), name="grid")
    drawing.add(_area_labels(plot.labels, cx, cy, font), name="area_labels")
    shapes = Group()
    for reading, style in zip(ordered, READING_STYLES, strict=False):
        scores = [reading.agreed(area.key) for area in text.areas]
        shapes.add(_reading_shape(scores, style, cx, cy, plot.radius))
    drawing.add(shapes, name="readings")

    legend_top = cy + plot.bottom - _LEGEND_GAP
    drawing.add(_legend(entries, ordered, legend_top, legend_x, font), name="legend")
    credits = Group()
    y = legend_top - legend_height - 6.0
    for line in credit:
        y -= _ATTRIBUTION_LEADING
        credits.add(String(_MARGIN, y + 2.0, line, fontName=font, fontSize=_ATTRIBUTION_SIZE, fillColor=_MUTED))
    drawing.add(credits, name="attribution")
    return drawing


def star_rows(
    readings: Sequence[StarReading], *, labels: StarText | None = None
) -> tuple[list[str], list[list[str | int]]]:
    """The numbers behind the chart, for the page's table: the header (``Area``, each
    reading's label, then ``Change`` when there are two readings or more) and one row per
    area, from :func:`star.table.chart_table`, the numbers the screen's table shows.

    An area a reading did not score is :data:`NOT_SCORED` ("not scored"), never an empty cell
    a reader could take for a score left off the page; a change that cannot be worked out
    (the area not scored in both the first and the latest reading) is :data:`NOT_COMPARED`
    ("–"), as on screen, and a change is text with a rise signed ("+2", "-1", "0"), as on
    screen. :data:`TABLE_NOTE`
    says so under the table. Area labels are plain text, for the table to draw literally.

    Raises:
        TooManyReadings: more than four readings.
    """
    ordered = readings_to_compare(readings)
    header = [AREA_COLUMN, *reading_labels(ordered)]
    if len(ordered) >= 2:
        header.append(CHANGE_COLUMN)
    rows: list[list[str | int]] = []
    for row in chart_table(ordered, labels=labels):
        cells: list[str | int] = []
        for column in header:
            value = row[column]
            if column == CHANGE_COLUMN:
                cells.append(NOT_COMPARED if value is None else _signed(value))
            elif value is None:
                cells.append(NOT_SCORED)
            else:
                cells.append(value)
        rows.append(cells)
    return header, rows


def star_summary(readings: Sequence[StarReading], *, labels: StarText | None = None) -> str:
    """The chart in words (the screen's description, :func:`star.table.alt_text`), for the
    page to print beside the drawing: a PDF's picture says nothing to a screen reader.

    Raises:
        TooManyReadings: more than four readings.
    """
    return alt_text(readings, labels=labels)


# --- the star ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    """One area's name, wrapped: its lines, how they are aligned, where the first line's top
    is and its left and right edges, all relative to the star's centre."""

    lines: list[str]
    anchor: str
    x: float
    top: float
    left: float
    right: float

    @property
    def bottom(self) -> float:
        return self.top - len(self.lines) * _LABEL_LEADING


@dataclass(frozen=True)
class _PlotLayout:
    radius: float
    labels: list[_Label]
    top: float  # highest point of the star and its labels above the centre
    bottom: float  # lowest point, below the centre (negative)

    @property
    def height(self) -> float:
        return self.top - self.bottom


def _direction(index: int, count: int) -> tuple[float, float]:
    """The unit vector of spoke ``index``: clockwise from the top, as on screen."""
    angle = 2 * math.pi * index / count
    return math.sin(angle), math.cos(angle)


def _plot_layout(text: StarText, *, width: float, font: str) -> _PlotLayout:
    """As big a star as fits ``width`` with every area's name outside it and inside the
    drawing: a name beside the star starts (or, on the left, ends) just past the outer ring,
    a name at the top or bottom is centred on its spoke."""
    count = len(text.areas)
    label_width = min(110.0, max(56.0, width * 0.2))
    wrapped = [_wrap(area.label, font=font, size=_LABEL_SIZE, width=label_width) for area in text.areas]
    widths = [max(pdfmetrics.stringWidth(line, font, _LABEL_SIZE) for line in lines) for lines in wrapped]
    radius = _MAX_RADIUS
    for index, line_width in enumerate(widths):
        sx, _ = _direction(index, count)
        if abs(sx) >= _CENTRED_WITHIN:
            radius = min(radius, (width / 2 - _MARGIN - line_width) / abs(sx) - _LABEL_GAP)
    if radius < _MIN_RADIUS:
        raise ValueError(f"The star needs a drawing wider than {width:g} points to fit its area names round it.")
    placed: list[_Label] = []
    for index, (lines, line_width) in enumerate(zip(wrapped, widths, strict=True)):
        sx, sy = _direction(index, count)
        x, y = (radius + _LABEL_GAP) * sx, (radius + _LABEL_GAP) * sy
        block = len(lines) * _LABEL_LEADING
        # Above the star the block sits on its point, below it hangs from it, beside it is
        # centred on it: the name never reaches back over the outer ring.
        top = y + (sy + 1) * block / 2
        if abs(sx) < _CENTRED_WITHIN:
            anchor, left, right = "middle", x - line_width / 2, x + line_width / 2
        elif sx > 0:
            anchor, left, right = "start", x, x + line_width
        else:
            anchor, left, right = "end", x - line_width, x
        placed.append(_Label(lines=lines, anchor=anchor, x=x, top=top, left=left, right=right))
    top = max(radius, *(label.top for label in placed))
    bottom = min(-radius, *(label.bottom for label in placed))
    return _PlotLayout(radius=radius, labels=placed, top=top, bottom=bottom)


def _grid(cx: float, cy: float, radius: float, count: int, font: str) -> Group:
    """Rings at every score from 1 to 10 (every other one darker, the outer one darkest),
    numbered beside the top spoke, and one spoke per area."""
    rings = Group()
    numbers = Group()
    for score in range(1, MAX_SCORE + 1):
        colour = _OUTER_RING if score == MAX_SCORE else _RING_EVEN if score % 2 == 0 else _RING
        ring_width = 0.9 if score == MAX_SCORE else 0.5
        rings.add(
            Circle(cx, cy, radius * score / MAX_SCORE, strokeColor=colour, strokeWidth=ring_width, fillColor=None)
        )
        numbers.add(
            String(
                cx + 2.5,
                cy + radius * score / MAX_SCORE - _RING_NUMBER_SIZE * 0.36,
                str(score),
                fontName=font,
                fontSize=_RING_NUMBER_SIZE,
                fillColor=_MUTED,
            )
        )
    spokes = Group()
    for index in range(count):
        sx, sy = _direction(index, count)
        spokes.add(Line(cx, cy, cx + radius * sx, cy + radius * sy, strokeColor=_SPOKE, strokeWidth=0.5))
    grid = Group()
    grid.add(rings, name="rings")
    grid.add(spokes, name="spokes")
    grid.add(numbers, name="ring_numbers")
    return grid


def _area_labels(placed: Sequence[_Label], cx: float, cy: float, font: str) -> Group:
    group = Group()
    for label in placed:
        name = Group()
        for number, line in enumerate(label.lines):
            # The line's glyphs centred in its line box: DejaVu's ascent is about 0.76 em.
            baseline = label.top - number * _LABEL_LEADING - _LABEL_LEADING / 2 - 0.26 * _LABEL_SIZE
            name.add(
                String(
                    cx + label.x,
                    cy + baseline,
                    line,
                    fontName=font,
                    fontSize=_LABEL_SIZE,
                    fillColor=_TEXT,
                    textAnchor=label.anchor,
                )
            )
        group.add(name)
    return group


def _reading_shape(scores: Sequence[int | None], style: ReadingStyle, cx: float, cy: float, radius: float) -> Group:
    """One reading: lines joining neighbouring areas that are both scored (the whole closed
    shape when all are) and a marker on every score. An unscored area breaks the line."""
    count = len(scores)
    points: list[tuple[float, float] | None] = []
    for index, score in enumerate(scores):
        if score is None:
            points.append(None)
            continue
        sx, sy = _direction(index, count)
        points.append((cx + radius * score / MAX_SCORE * sx, cy + radius * score / MAX_SCORE * sy))
    lines = Group()
    for run in _runs(points):
        lines.add(
            PolyLine(
                [coordinate for point in run for coordinate in point],
                strokeColor=HexColor(style.colour),
                strokeWidth=_LINE_WIDTH,
                strokeDashArray=DASHES[style.dash],
                strokeLineCap=1,
                strokeLineJoin=1,
            )
        )
    markers = Group()
    for point in points:
        if point is not None:
            markers.add(_marker(style, *point))
    shape = Group()
    shape.add(lines, name="lines")
    shape.add(markers, name="markers")
    return shape


def _runs(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The unbroken stretches of scored areas going round the star; all of them as one
    closed line (the first point repeated) when nothing is unscored. A lone score is no line."""
    if all(point is not None for point in points):
        closed = [point for point in points if point is not None]
        return [[*closed, closed[0]]] if len(closed) > 1 else []
    # Start just after a gap, so a stretch running past the last area into the first is whole.
    start = next(index for index, point in enumerate(points) if point is None) + 1
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for step in range(len(points)):
        point = points[(start + step) % len(points)]
        if point is None:
            if len(current) > 1:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if len(current) > 1:
        runs.append(current)
    return runs


def _marker(style: ReadingStyle, x: float, y: float) -> Any:
    """plotly's marker symbol as a shape centred on (x, y) (the middle of its bounds), filled
    in the reading's colour with a thin white edge so overlapping markers stay apart."""
    half = _MARKER_HALF
    paint = {"fillColor": HexColor(style.colour), "strokeColor": white, "strokeWidth": 0.6}
    makers: dict[str, Callable[[], Any]] = {
        "circle": lambda: Circle(x, y, half, **paint),
        "square": lambda: Rect(x - half * 0.88, y - half * 0.88, half * 1.76, half * 1.76, **paint),
        "diamond": lambda: Polygon(
            [x, y + half * 1.15, x + half * 1.15, y, x, y - half * 1.15, x - half * 1.15, y], **paint
        ),
        "triangle-up": lambda: Polygon([x - half * 1.1, y - half, x + half * 1.1, y - half, x, y + half], **paint),
    }
    return makers[style.symbol]()


def _legend(
    entries: Sequence[Sequence[str]], ordered: Sequence[StarReading], top: float, text_x: float, font: str
) -> Group:
    """A row per reading: its line and marker, then its name and who completed it."""
    legend = Group()
    y = top
    for index, lines in enumerate(entries):
        row = Group()
        middle = y - _LEGEND_LEADING / 2
        if index < len(ordered):
            style = READING_STYLES[index]
            row.add(
                Line(
                    _MARGIN,
                    middle,
                    _MARGIN + _LEGEND_SAMPLE,
                    middle,
                    strokeColor=HexColor(style.colour),
                    strokeWidth=_LINE_WIDTH,
                    strokeDashArray=DASHES[style.dash],
                    strokeLineCap=1,
                ),
                name="line",
            )
            row.add(_marker(style, _MARGIN + _LEGEND_SAMPLE / 2, middle), name="marker")
        text = Group()
        for number, line in enumerate(lines):
            baseline = y - number * _LEGEND_LEADING - _LEGEND_LEADING / 2 - 0.26 * _LEGEND_SIZE
            text.add(String(text_x, baseline, line, fontName=font, fontSize=_LEGEND_SIZE, fillColor=_TEXT))
        row.add(text, name="text")
        legend.add(row)
        y -= len(lines) * _LEGEND_LEADING + _LEGEND_ROW_GAP
    return legend


# --- text --------------------------------------------------------------------------------


def _wrap(text: str, *, font: str, size: float, width: float, max_lines: int = _LABEL_MAX_LINES) -> list[str]:
    """``text`` as lines no wider than ``width``, broken between words (inside a word too
    long for a line), at most ``max_lines`` of them, the last ending "…" when cut short.
    Whitespace of any kind (line breaks, tabs) counts as one space."""

    def fits(line: str) -> bool:
        return bool(pdfmetrics.stringWidth(line, font, size) <= width)

    lines: list[str] = []
    for word in text[:_LABEL_MAX_CHARACTERS].split():
        for piece in _pieces(word, fits):
            if lines and fits(f"{lines[-1]} {piece}"):
                lines[-1] = f"{lines[-1]} {piece}"
            else:
                lines.append(piece)
        if len(lines) > max_lines:
            break
    cut = len(lines) > max_lines or len(text) > _LABEL_MAX_CHARACTERS
    lines = lines[:max_lines] or [""]
    if cut:
        last = lines[-1]
        while last and not fits(last + "…"):
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _pieces(word: str, fits: Callable[[str], bool]) -> list[str]:
    """A word as it goes on lines: whole if it fits one, else cut into pieces that do."""
    if fits(word):
        return [word]
    pieces: list[str] = []
    current = ""
    for character in word:
        if current and not fits(current + character):
            pieces.append(current)
            current = character
        else:
            current += character
    if current:
        pieces.append(current)
    return pieces


def _signed(change: object) -> str:
    """A change as the screen shows it: a rise with its sign."""
    if isinstance(change, int) and change > 0:
        return f"+{change}"
    return str(change)
