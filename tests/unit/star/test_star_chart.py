from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import pytest

from star import AREAS, READING_STYLES, Occasion, StarReading, TooManyReadings, load_star_text
from star.chart import alt_text, chart_csv, chart_table, radar_figure

MakeReading = Callable[..., StarReading]

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
WRAPPED = [
    "Physical health",
    "Your well-being",
    "Meeting<br>emotional needs",
    "Keeping your<br>children safe",
    "Social networks",
    "Education and<br>learning",
    "Boundaries and<br>behaviour",
    "Family routine",
    "Home and money",
    "Progress to work",
]


def series(make_reading: MakeReading, count: int) -> list[StarReading]:
    return [
        make_reading(
            [min(10, n + area) for area in range(1, 11)],
            reading_id=f"r{n}",
            occasion=Occasion.first() if n == 0 else Occasion.review(n),
            taken_on=date(2026, 3 + n, 10),
        )
        for n in range(count)
    ]


def test_one_closed_trace_per_reading_with_agreed_scores(make_reading: MakeReading) -> None:
    first = make_reading([3, 4, 5, 6, 7, 2, 2, 2, 2, 9])
    latest = make_reading(
        [5, 4, 3, 6, 8, 2, 2, 2, 2, 10],
        reading_id="r2",
        occasion=Occasion.review(2),
        taken_on=date(2026, 4, 30),
    ).with_score("physical_health", family=9, worker=1)
    figure = radar_figure([latest, first])
    assert isinstance(figure, go.Figure)
    assert len(figure.data) == 2
    assert all(isinstance(trace, go.Scatterpolar) for trace in figure.data)
    # Drawn in the order taken, whatever order they were chosen in.
    assert [trace.name for trace in figure.data] == [
        "First reading — 12 Mar 2026",
        "Review 2 — 30 Apr 2026",
    ]
    assert list(figure.data[0].r) == [3, 4, 5, 6, 7, 2, 2, 2, 2, 9, 3]
    assert list(figure.data[1].r) == [5, 4, 3, 6, 8, 2, 2, 2, 2, 10, 5]
    for trace in figure.data:
        assert list(trace.theta) == [*WRAPPED, WRAPPED[0]]


def test_axes_are_fixed_0_to_10_clockwise_from_the_top(make_reading: MakeReading) -> None:
    polar = radar_figure([make_reading([1] * 10)]).layout.polar
    assert tuple(polar.radialaxis.range) == (0, 10)
    assert list(polar.radialaxis.tickvals) == list(range(11))
    assert polar.angularaxis.direction == "clockwise"
    assert polar.angularaxis.rotation == 90


def test_each_reading_has_its_own_colour_dash_and_marker(make_reading: MakeReading) -> None:
    figure = radar_figure(series(make_reading, 4))
    colours = [trace.line.color for trace in figure.data]
    dashes = [trace.line.dash for trace in figure.data]
    symbols = [trace.marker.symbol for trace in figure.data]
    assert set(colours) <= OKABE_ITO
    assert len(set(colours)) == len(set(dashes)) == len(set(symbols)) == 4
    assert [trace.marker.color for trace in figure.data] == colours


def test_unscored_areas_are_gaps_not_zero(make_reading: MakeReading) -> None:
    part_done = make_reading({"physical_health": 4, "emotional_needs": 6})
    trace = radar_figure([part_done]).data[0]
    assert list(trace.r) == [4, None, 6, None, None, None, None, None, None, None, 4]
    assert trace.connectgaps is False


def test_five_readings_are_refused(make_reading: MakeReading) -> None:
    with pytest.raises(TooManyReadings, match="Choose at most four readings to compare"):
        radar_figure(series(make_reading, 5))


def test_no_readings_gives_an_empty_chart_with_the_same_axes() -> None:
    figure = radar_figure([])
    assert len(figure.data) == 0
    assert tuple(figure.layout.polar.radialaxis.range) == (0, 10)


def test_organisation_labels_are_used_and_escaped(make_reading: MakeReading, tmp_path: Path) -> None:
    path = tmp_path / "text.toml"
    path.write_text('[areas.routine]\nlabel = "Routine <i>& rhythm</i>"\n', encoding="utf-8")
    trace = radar_figure([make_reading([5] * 10)], labels=load_star_text(path)).data[0]
    assert trace.theta[7] == "Routine &lt;i&gt;&amp;<br>rhythm&lt;/i&gt;"


def test_same_day_same_occasion_readings_get_distinct_names(make_reading: MakeReading) -> None:
    figure = radar_figure([make_reading(reading_id="a"), make_reading(reading_id="b")])
    assert [trace.name for trace in figure.data] == [
        "First reading — 12 Mar 2026",
        "First reading — 12 Mar 2026 (2)",
    ]


def test_chart_table_has_a_row_per_area_with_scores_and_change(make_reading: MakeReading) -> None:
    readings = series(make_reading, 3)
    readings[2] = readings[2].without_score("routine")
    rows = chart_table(readings)
    assert [row["Area"] for row in rows] == [area.label for area in AREAS]
    assert rows[0] == {
        "Area": "Physical health",
        "First reading — 10 Mar 2026": 1,
        "Review 1 — 10 Apr 2026": 2,
        "Review 2 — 10 May 2026": 3,
        "Change": 2,
    }
    assert rows[7]["Review 2 — 10 May 2026"] is None
    assert rows[7]["Change"] is None
    assert rows[9]["Change"] == 0  # 10 then 10: the top of the scale


def test_chart_table_for_one_reading_has_no_change_column(make_reading: MakeReading) -> None:
    rows = chart_table([make_reading([4] * 10)])
    assert rows[0] == {"Area": "Physical health", "First reading — 12 Mar 2026": 4}


def test_chart_csv_has_a_header_and_reads_back(make_reading: MakeReading) -> None:
    first = make_reading([2] * 10)
    latest = make_reading({"physical_health": 1, "well_being": 9}, reading_id="b", taken_on=date(2026, 5, 1))
    text = chart_csv([first, latest])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Area",
        "First reading — 12 Mar 2026",
        "First reading — 1 May 2026",
        "Change",
    ]
    assert rows[1] == ["Physical health", "2", "1", "-1"]
    assert rows[2] == ["Your well-being", "2", "9", "7"]
    assert rows[3] == ["Meeting emotional needs", "2", "", ""]
    assert len(rows) == 11


def test_chart_csv_never_lets_text_become_a_formula(make_reading: MakeReading, tmp_path: Path) -> None:
    path = tmp_path / "text.toml"
    path.write_text('[areas.routine]\nlabel = "=HYPERLINK(\\"http://x\\",\\"a, b\\")"\n', encoding="utf-8")
    text = chart_csv([make_reading([5] * 10)], labels=load_star_text(path))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[8][0] == '\'=HYPERLINK("http://x","a, b")'


def test_alt_text_describes_readings_scores_and_change(make_reading: MakeReading) -> None:
    first = make_reading([2, 5, 7, 3, 3, 3, 3, 3, 3, 3])
    latest = make_reading(
        {key: score for key, score in zip([a.key for a in AREAS], [6, 5, 4], strict=False)},
        reading_id="b",
        occasion=Occasion.review(1),
        taken_on=date(2026, 4, 30),
    )
    text = alt_text([first, latest])
    assert text.startswith(
        "Family Star Plus chart comparing 2 readings: First reading — 12 Mar 2026 and Review 1 — 30 Apr 2026."
    )
    assert "Physical health: 2, then 6 (up 4)." in text
    assert "Your well-being: 5, then 5 (no change)." in text
    assert "Meeting emotional needs: 7, then 4 (down 3)." in text
    assert "Family routine: 3, then not scored." in text
    assert "Total over the 3 areas scored in both the first and latest reading: 14, then 15 (up 1)." in text
    assert "Not counted in the total because not scored in both: Keeping your children safe," in text


def test_alt_text_for_one_reading_and_for_none(make_reading: MakeReading) -> None:
    one = alt_text([make_reading({"routine": 8})])
    assert one.startswith("Family Star Plus chart of one reading: First reading — 12 Mar 2026.")
    assert "Family routine: 8." in one
    assert "Physical health: not scored." in one
    assert alt_text([]) == "Family Star Plus chart: no readings to show yet."


@pytest.mark.parametrize("describe", [alt_text, chart_table, chart_csv])
def test_tables_and_descriptions_refuse_five_readings(
    make_reading: MakeReading, describe: Callable[..., object]
) -> None:
    with pytest.raises(TooManyReadings):
        describe(series(make_reading, 5))


def test_the_chart_draws_each_reading_in_the_shared_style(make_reading: MakeReading) -> None:
    # The PDF takes its styles from star.styles too: one definition for the screen and paper.
    figure = radar_figure(series(make_reading, 4))
    drawn = [(trace.line.color, trace.line.dash, trace.marker.symbol) for trace in figure.data]
    assert drawn == [(style.colour, style.dash, style.symbol) for style in READING_STYLES]
