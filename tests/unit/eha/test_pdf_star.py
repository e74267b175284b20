"""The Family Star Plus chart in the PDFs: what the screen chart shows, drawn by reportlab.

The drawing is read back as a reader of the page would see it: where each marker sits (its
distance from the centre on the fixed 0-10 scale, its spoke clockwise from the top), which
neighbours a line joins, how the legend names each reading; then printed to a PDF and read
back with poppler's pdftotext and pdffonts.
"""

from __future__ import annotations

import itertools
import math
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from eha.pdf.star import (
    DASHES,
    NOT_COMPARED,
    NOT_SCORED,
    star_drawing,
    star_font,
    star_rows,
    star_summary,
)
from star import (
    AREA_KEYS,
    AREAS,
    READING_STYLES,
    AreaScore,
    AreaText,
    CompletedBy,
    Occasion,
    StarReading,
    StarText,
    TooManyReadings,
    alt_text,
    chart_table,
    default_star_text,
    load_star_text,
)
from star.chart import radar_figure
from tests.support import in_ci
from tests.support.hostile import HOSTILE, LONG, SAMPLES

ROOT = Path(__file__).resolve().parents[3]
TOLERANCE = 1e-6


def reading(
    agreed: Mapping[str, int] | list[int] | None = None,
    *,
    reading_id: str = "reading-1",
    taken_on: date = date(2026, 3, 12),
    occasion: Occasion | None = None,
    completed_by: CompletedBy = CompletedBy.TOGETHER,
) -> StarReading:
    """A list gives all ten agreed scores in star order, a mapping only those areas."""
    if isinstance(agreed, list):
        agreed = dict(zip(AREA_KEYS, agreed, strict=True))
    return StarReading(
        id=reading_id,
        taken_on=taken_on,
        occasion=occasion or Occasion.first(),
        completed_by=completed_by,
        scores=tuple(AreaScore(area=key, agreed=value) for key, value in (agreed or {}).items()),
    )


FIRST = reading([3, 4, 5, 6, 7, 2, 2, 2, 2, 9], reading_id="first", completed_by=CompletedBy.TOGETHER)
REVIEW_1 = reading(
    [5, 4, 3, 6, 8, 3, 4, 5, 6, 10],
    reading_id="review-1",
    taken_on=date(2026, 4, 30),
    occasion=Occasion.review(1),
    completed_by=CompletedBy.WORKER_ONLY,
)
REVIEW_2 = reading(
    {"physical_health": 6, "well_being": 6, "keeping_safe": 7, "social_networks": 8, "progress_to_work": 10},
    reading_id="review-2",
    taken_on=date(2026, 6, 30),
    occasion=Occasion.review(2),
    completed_by=CompletedBy.FAMILY_ONLY,
)
CLOSURE = reading(
    [8, 7, 7, 8, 9, 7, 6, 8, 8, 10],
    reading_id="closure",
    taken_on=date(2026, 9, 1),
    occasion=Occasion.closure(),
    completed_by=CompletedBy.TOGETHER,
)
FOUR = [CLOSURE, FIRST, REVIEW_2, REVIEW_1]  # chosen out of order: drawn in the order taken
PART_DONE = reading({"physical_health": 4, "emotional_needs": 6, "routine": 3, "home_money": 5}, reading_id="part")


# --- reading the drawing back --------------------------------------------------------------


def centre_and_radius(drawing: Drawing) -> tuple[float, float, float]:
    """The star's centre and the radius of its outer ring (the score 10)."""
    outer = max(drawing.grid.rings.contents, key=lambda ring: ring.r)
    return outer.cx, outer.cy, outer.r


def middle(shape: Any) -> tuple[float, float]:
    x0, y0, x1, y1 = shape.getBounds()
    return (x0 + x1) / 2, (y0 + y1) / 2


def spoke_and_score(drawing: Drawing, x: float, y: float, *, on_spoke: bool = True) -> tuple[int, float]:
    """Which spoke a point is on (0 at the top, counting clockwise), or nearest to unless
    ``on_spoke``, and the score its distance from the centre stands for."""
    cx, cy, radius = centre_and_radius(drawing)
    dx, dy = x - cx, y - cy
    step = 2 * math.pi / len(AREAS)
    turn = math.atan2(dx, dy) % (2 * math.pi)  # clockwise from straight up
    spoke = round(turn / step) % len(AREAS)
    if on_spoke:
        off = (turn - spoke * step + math.pi) % (2 * math.pi) - math.pi
        assert abs(off) * math.hypot(dx, dy) < TOLERANCE, "a point off its spoke"
    return spoke, math.hypot(dx, dy) / radius * 10


def plotted(drawing: Drawing) -> list[list[int | None]]:
    """Each reading's score per area as its markers show them; None where there is none."""
    shown: list[list[int | None]] = []
    for shape in drawing.readings.contents:
        scores: list[int | None] = [None] * len(AREAS)
        for marker in shape.markers.contents:
            spoke, score = spoke_and_score(drawing, *middle(marker))
            assert math.isclose(score, round(score), abs_tol=TOLERANCE), "a marker off the scale's whole numbers"
            assert scores[spoke] is None, "two markers of one reading on one spoke"
            scores[spoke] = round(score)
        shown.append(scores)
    return shown


def joined_neighbours(drawing: Drawing, shape: Group) -> set[frozenset[int]]:
    """The pairs of spokes each line segment of a reading joins (by its markers' places)."""
    marker_spokes = {
        (round(x, 6), round(y, 6)): spoke_and_score(drawing, x, y)[0]
        for x, y in (middle(marker) for marker in shape.markers.contents)
    }
    pairs: set[frozenset[int]] = set()
    for line in shape.lines.contents:
        assert isinstance(line, PolyLine)
        points = list(zip(line.points[::2], line.points[1::2], strict=True))
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            start = marker_spokes[(round(x0, 6), round(y0, 6))]  # every corner is a marker
            end = marker_spokes[(round(x1, 6), round(y1, 6))]
            pairs.add(frozenset((start, end)))
    return pairs


def marker_kind(shape: Any) -> str:
    if isinstance(shape, Circle):
        return "circle"
    if isinstance(shape, Rect):
        return "square"
    assert isinstance(shape, Polygon)
    return {8: "diamond", 6: "triangle-up"}[len(shape.points)]


def strings(node: Any) -> Iterator[String]:
    if isinstance(node, String):
        yield node
    for child in getattr(node, "contents", ()):
        yield from strings(child)


def text_of(node: Any) -> str:
    return " ".join(string.text for string in strings(node))


def legend_rows(drawing: Drawing) -> list[str]:
    return [text_of(row.text) for row in drawing.legend.contents]


def label_boxes(drawing: Drawing) -> list[tuple[float, float, float, float]]:
    return [group.getBounds() for group in drawing.area_labels.contents]


def screen_r(readings: Sequence[StarReading]) -> list[list[int | None]]:
    """What the screen chart plots for each reading, its closing point left off."""
    figure = radar_figure(readings)
    for trace in figure.data:
        assert trace.r[-1] == trace.r[0]  # the shape closed by repeating the first area
    return [list(trace.r[:-1]) for trace in figure.data]


def star_text_with(label: str) -> StarText:
    """Every area's label made from ``label``, each its own (the chart never sees two equal)."""
    default = default_star_text()
    return StarText(
        stage_names=default.stage_names,
        areas=tuple(
            AreaText(key=area.key, label=f"{label} {number}", prompt=area.prompt)
            for number, area in enumerate(default.areas, start=1)
        ),
    )


# --- the same points as the screen ----------------------------------------------------------


@pytest.mark.parametrize(
    "readings",
    [[FIRST], [REVIEW_1, FIRST], FOUR, [PART_DONE], [PART_DONE, REVIEW_2]],
    ids=["one", "two", "four", "part-done", "part-done-and-another"],
)
def test_the_drawing_plots_what_the_screen_chart_plots(readings: list[StarReading]) -> None:
    drawing = star_drawing(readings)
    assert plotted(drawing) == screen_r(readings)


def test_readings_are_drawn_in_the_order_taken_in_the_screens_styles() -> None:
    drawing = star_drawing(FOUR)
    assert plotted(drawing) == [
        [3, 4, 5, 6, 7, 2, 2, 2, 2, 9],
        [5, 4, 3, 6, 8, 3, 4, 5, 6, 10],
        [6, 6, None, 7, 8, None, None, None, None, 10],
        [8, 7, 7, 8, 9, 7, 6, 8, 8, 10],
    ]
    figure = radar_figure(FOUR)
    for shape, trace in zip(drawing.readings.contents, figure.data, strict=True):
        marker = shape.markers.contents[0]
        assert marker.fillColor.hexval().lower() == "0x" + trace.line.color.lower().lstrip("#")
        assert marker_kind(marker) == trace.marker.symbol
        assert {tuple(line.strokeDashArray or ()) for line in shape.lines.contents} == {
            tuple(DASHES[trace.line.dash] or ())
        }


def test_areas_go_clockwise_from_the_top() -> None:
    drawing = star_drawing([reading({"physical_health": 10, "emotional_needs": 10, "education": 10})])
    cx, cy, radius = centre_and_radius(drawing)
    top, right, bottom = (middle(marker) for marker in drawing.readings.contents[0].markers.contents)
    assert math.isclose(top[0], cx, abs_tol=TOLERANCE) and math.isclose(top[1], cy + radius, abs_tol=TOLERANCE)
    assert right[0] > cx + radius * 0.9  # the third area is to the right of the centre
    assert math.isclose(bottom[0], cx, abs_tol=TOLERANCE) and math.isclose(bottom[1], cy - radius, abs_tol=TOLERANCE)


def test_a_full_reading_is_one_closed_shape() -> None:
    shape = star_drawing([FIRST]).readings.contents[0]
    assert joined_neighbours(star_drawing([FIRST]), shape) == {
        frozenset((spoke, (spoke + 1) % 10)) for spoke in range(10)
    }


def test_unscored_areas_are_gaps_in_the_shape_never_zero() -> None:
    drawing = star_drawing([PART_DONE])
    shape = drawing.readings.contents[0]
    assert plotted(drawing) == [[4, None, 6, None, None, None, None, 3, 5, None]]
    # Only family routine and home and money are neighbours both scored: the one line. The
    # two lone scores have a marker and no line; nothing is drawn to the centre.
    assert joined_neighbours(drawing, shape) == {frozenset((7, 8))}
    cx, cy, _ = centre_and_radius(drawing)
    for line in shape.lines.contents:
        points = list(zip(line.points[::2], line.points[1::2], strict=True))
        assert all(math.hypot(x - cx, y - cy) > 1 for x, y in points)


def test_a_stretch_running_past_the_last_area_into_the_first_is_one_line() -> None:
    drawing = star_drawing([reading({"home_money": 5, "progress_to_work": 6, "physical_health": 7, "well_being": 8})])
    shape = drawing.readings.contents[0]
    assert len(shape.lines.contents) == 1
    assert joined_neighbours(drawing, shape) == {frozenset((8, 9)), frozenset((9, 0)), frozenset((0, 1))}


# --- the fixed scale ------------------------------------------------------------------------


def test_the_scale_is_fixed_whatever_else_is_drawn() -> None:
    ones = reading([1] * 10, reading_id="ones")
    tens = reading([10] * 10, reading_id="tens", taken_on=date(2026, 5, 1))
    mid = reading([5] * 10, reading_id="mid", taken_on=date(2026, 4, 1))
    radii: dict[str, set[float]] = {"ones": set(), "tens": set()}
    outer: set[float] = set()
    for readings in ([ones], [tens], [ones, tens], [ones, mid, tens], [ones, mid, tens, CLOSURE]):
        drawing = star_drawing(readings)
        cx, cy, radius = centre_and_radius(drawing)
        outer.add(round(radius, 6))
        for chosen, shape in zip(sorted(readings, key=lambda r: r.sort_key), drawing.readings.contents, strict=True):
            if chosen.id in radii:
                for marker in shape.markers.contents:
                    x, y = middle(marker)
                    radii[chosen.id].add(round(math.hypot(x - cx, y - cy), 6))
    assert len(outer) == 1
    (radius,) = outer
    assert radii == {"ones": {round(radius / 10, 6)}, "tens": {radius}}


def test_rings_for_every_score_numbered_and_a_spoke_per_area() -> None:
    drawing = star_drawing([])
    cx, cy, radius = centre_and_radius(drawing)
    rings = sorted(drawing.grid.rings.contents, key=lambda ring: ring.r)
    assert [round(ring.r / radius * 10, 6) for ring in rings] == list(range(1, 11))
    assert all((ring.cx, ring.cy) == (cx, cy) for ring in rings)
    assert [number.text for number in drawing.grid.ring_numbers.contents] == [str(n) for n in range(1, 11)]
    spokes = drawing.grid.spokes.contents
    assert len(spokes) == 10
    for index, spoke in enumerate(spokes):
        assert isinstance(spoke, Line)
        assert (spoke.x1, spoke.y1) == (cx, cy)
        assert spoke_and_score(drawing, spoke.x2, spoke.y2) == (index, pytest.approx(10))


# --- telling readings apart -------------------------------------------------------------------


def test_each_reading_differs_in_dash_and_marker_not_only_colour() -> None:
    drawing = star_drawing(FOUR)
    dashes, kinds, colours = [], [], []
    for shape in drawing.readings.contents:
        line_dashes = {tuple(line.strokeDashArray or ()) for line in shape.lines.contents}
        shape_kinds = {marker_kind(marker) for marker in shape.markers.contents}
        assert len(line_dashes) == len(shape_kinds) == 1
        dashes.append(line_dashes.pop())
        kinds.append(shape_kinds.pop())
        colours.append(shape.markers.contents[0].fillColor.hexval())
    assert len(set(dashes)) == len(set(kinds)) == len(set(colours)) == 4
    assert kinds == [style.symbol for style in READING_STYLES]


def test_the_legend_names_each_reading_and_who_completed_it_in_its_style() -> None:
    drawing = star_drawing(FOUR)
    assert legend_rows(drawing) == [
        "First reading — 12 Mar 2026. Completed by: Worker and family together",
        "Review 1 — 30 Apr 2026. Completed by: Worker only",
        "Review 2 — 30 Jun 2026. Completed by: Family only",
        "Closure — 1 Sep 2026. Completed by: Worker and family together",
    ]
    for row, shape in zip(drawing.legend.contents, drawing.readings.contents, strict=True):
        drawn = shape.markers.contents[0]
        assert marker_kind(row.marker) == marker_kind(drawn)
        assert row.marker.fillColor == drawn.fillColor == row.line.strokeColor
        assert row.line.strokeDashArray == shape.lines.contents[0].strokeDashArray


def test_two_readings_of_one_day_and_occasion_get_distinct_names_as_on_screen() -> None:
    twins = [reading(reading_id="a"), reading(reading_id="b", completed_by=CompletedBy.FAMILY_ONLY)]
    assert legend_rows(star_drawing(twins)) == [
        f"{trace.name}. Completed by: {who}"
        for trace, who in zip(radar_figure(twins).data, ["Worker and family together", "Family only"], strict=True)
    ]


def test_no_readings_draws_the_empty_star_and_says_so() -> None:
    drawing = star_drawing([])
    assert drawing.readings.contents == []
    assert legend_rows(drawing) == ["No readings to show yet."]
    assert len(drawing.area_labels.contents) == 10


def test_five_readings_are_refused_as_on_screen() -> None:
    five = [*FOUR, reading(reading_id="fifth", taken_on=date(2026, 10, 1), occasion=Occasion.review(3))]
    with pytest.raises(TooManyReadings, match="Choose at most four readings to compare"):
        star_drawing(five)
    with pytest.raises(TooManyReadings):
        star_rows(five)


# --- the area names -------------------------------------------------------------------------


def assert_names_fit(drawing: Drawing) -> None:
    """Every name inside the drawing, clear of the star (its outer ring and the markers on
    it) and of every other name."""
    cx, cy, radius = centre_and_radius(drawing)
    boxes = label_boxes(drawing)
    for x0, y0, x1, y1 in boxes:
        assert x0 >= 0 and y0 >= 0 and x1 <= drawing.width and y1 <= drawing.height
        nearest_x, nearest_y = min(max(cx, x0), x1), min(max(cy, y0), y1)
        assert math.hypot(nearest_x - cx, nearest_y - cy) > radius + 3.5
    for index, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for bx0, by0, bx1, by1 in boxes[index + 1 :]:
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, "two area names overlap"
    legend_top = max(string.y + string.fontSize for string in strings(drawing.legend))
    assert legend_top < min(y0 for _, y0, _, _ in boxes)


@pytest.mark.parametrize("width", [300, 440, 520])
def test_the_ten_area_names_go_round_the_outside_in_star_order(width: float) -> None:
    drawing = star_drawing(FOUR, width=width)
    assert drawing.width == width
    assert [text_of(group) for group in drawing.area_labels.contents] == [area.label for area in AREAS]
    assert_names_fit(drawing)
    # Each name nearest its own spoke, going clockwise from the top.
    nearest = [
        spoke_and_score(drawing, (x0 + x1) / 2, (y0 + y1) / 2, on_spoke=False)[0]
        for x0, y0, x1, y1 in label_boxes(drawing)
    ]
    assert nearest == list(range(10))


@pytest.mark.parametrize("width", [300, 440])
@pytest.mark.parametrize("text", list(SAMPLES.values()), ids=list(SAMPLES))
def test_any_area_names_are_drawn_as_plain_text_cut_to_fit(text: str, width: float, tmp_path: Path) -> None:
    labels = star_text_with(text)
    drawing = star_drawing([FIRST], labels=labels, width=width)
    assert_names_fit(drawing)
    for group, area in zip(drawing.area_labels.contents, labels.areas, strict=True):
        lines = [string.text for string in strings(group)]
        assert 1 <= len(lines) <= 3
        shown = "".join("".join(lines).split())  # what is read, line breaks and spaces aside
        whole = "".join(area.label.split())
        assert shown == whole or (shown.endswith("…") and whole.startswith(shown[:-1]))
    renderPDF.drawToFile(drawing, str(tmp_path / "star.pdf"))  # prints, whatever the text


def test_an_organisations_labels_are_used_literally(tmp_path: Path) -> None:
    path = tmp_path / "text.toml"
    path.write_text('[areas.routine]\nlabel = "Routine <i>& rhythm</i>"\n', encoding="utf-8")
    drawing = star_drawing([FIRST], labels=load_star_text(path))
    assert text_of(drawing.area_labels.contents[7]) == "Routine <i>& rhythm</i>"


def test_a_drawing_too_narrow_for_the_names_is_refused() -> None:
    with pytest.raises(ValueError, match="wider than 150 points"):
        star_drawing([FIRST], width=150)


def test_the_attribution_is_printed_unless_the_page_prints_it() -> None:
    assert "Outcomes Star™, © Triangle Consulting" in text_of(star_drawing([FIRST]).attribution)
    assert text_of(star_drawing([FIRST], attribution=False).attribution) == ""


def test_every_string_is_in_dejavu_sans() -> None:
    drawing = star_drawing(FOUR)
    assert {string.fontName for string in strings(drawing)} == {"DejaVuSans"}
    assert drawing.initialFontName == "DejaVuSans"


def test_dejavu_sans_is_registered_when_the_layout_has_not() -> None:
    # A fresh interpreter: in this one some other test may have registered it already.
    code = (
        "from reportlab.pdfbase import pdfmetrics\n"
        "from eha.pdf.star import FONT_NAME, star_drawing\n"
        "assert FONT_NAME not in pdfmetrics.getRegisteredFontNames()\n"
        "star_drawing([])\n"
        "print(pdfmetrics.getFont(FONT_NAME).face.name.decode())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("DejaVuSans")


# --- the table and the words ----------------------------------------------------------------


def test_the_table_has_the_screens_numbers_and_says_not_scored() -> None:
    readings = [FIRST, REVIEW_2, REVIEW_1]
    header, rows = star_rows(readings)
    assert header == [
        "Area",
        "First reading — 12 Mar 2026",
        "Review 1 — 30 Apr 2026",
        "Review 2 — 30 Jun 2026",
        "Change",
    ]
    screen = chart_table(readings)
    assert [row[0] for row in rows] == [area.label for area in AREAS]
    for row, screen_row in zip(rows, screen, strict=True):
        for column, cell in zip(header[1:-1], row[1:-1], strict=True):
            assert cell == (NOT_SCORED if screen_row[column] is None else screen_row[column])
    assert rows[0] == ["Physical health", 3, 5, 6, "+3"]
    assert rows[1] == ["Your well-being", 4, 4, 6, "+2"]
    assert rows[2] == ["Meeting emotional needs", 5, 3, "not scored", NOT_COMPARED]
    assert rows[9] == ["Progress to work", 9, 10, 10, "+1"]
    assert star_rows([REVIEW_1, FIRST])[1][2] == ["Meeting emotional needs", 5, 3, "-2"]
    assert star_rows([FIRST, FIRST])[1][0][-1] == "0"


def test_the_table_of_one_reading_has_no_change_column() -> None:
    header, rows = star_rows([PART_DONE])
    assert header == ["Area", "First reading — 12 Mar 2026"]
    assert rows[0] == ["Physical health", 4]
    assert rows[1] == ["Your well-being", "not scored"]


def test_the_table_keeps_labels_exactly_as_configured() -> None:
    _, rows = star_rows([FIRST], labels=star_text_with(HOSTILE))
    assert rows[0][0] == f"{HOSTILE} 1"
    _, rows = star_rows([FIRST], labels=star_text_with(LONG))
    assert rows[9][0] == f"{LONG} 10"


def test_the_summary_is_the_screens_description() -> None:
    assert star_summary(FOUR) == alt_text(FOUR)
    assert star_summary([]) == "Family Star Plus chart: no readings to show yet."


# --- printed ----------------------------------------------------------------------------------


def poppler(tool: str) -> str:
    """The poppler tool's path: a skip without it locally, a failure in CI, where it must be."""
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} (Debian package poppler-utils) is not installed: run bash scripts/setup.sh --test"
        if in_ci():
            pytest.fail(f"CI=true, so this fails instead of skipping: {message}", pytrace=False)
        pytest.skip(message)
    return found


def printed(tmp_path: Path, readings: Sequence[StarReading]) -> Path:
    """A page of a document holding the drawing, as the workbook's documents will."""
    path = tmp_path / "star.pdf"
    # A document's canvas starts each page in Helvetica unless told otherwise, which would be
    # listed, not embedded, though nothing is written in it.
    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=56.7, rightMargin=56.7, initialFontName=star_font())
    document.build([star_drawing(readings)])
    return path


def test_the_printed_page_carries_the_area_names_and_the_legend(tmp_path: Path) -> None:
    pdftotext = poppler("pdftotext")
    path = printed(tmp_path, FOUR)
    result = subprocess.run([pdftotext, "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    words = " ".join(result.stdout.split())
    for area in AREAS:
        assert area.label in words
    for name, who in [
        ("First reading — 12 Mar 2026", "Worker and family together"),
        ("Review 1 — 30 Apr 2026", "Worker only"),
        ("Review 2 — 30 Jun 2026", "Family only"),
        ("Closure — 1 Sep 2026", "Worker and family together"),
    ]:
        assert f"{name}. Completed by: {who}" in words
    assert "Family Star Plus is an Outcomes Star™, © Triangle Consulting Social Enterprise Ltd" in words


def test_the_printed_page_embeds_every_font(tmp_path: Path) -> None:
    pdffonts = poppler("pdffonts")
    path = printed(tmp_path, [PART_DONE, CLOSURE])
    result = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True)
    fonts = result.stdout.splitlines()[2:]  # after the heading and its underline
    assert fonts, result.stdout
    for font in fonts:
        name, *_, emb, _sub, _uni, _object, _generation = font.split()
        assert emb == "yes", font
        assert "Helvetica" not in name and name.split("+")[-1] == "DejaVuSans", font
