"""The Family Star Plus radar ("star") chart. The only module allowed to import plotly.

Readings are told apart by colour, line dash and marker together, so the chart still works
printed in greyscale or for someone who does not see the colours. The scale is fixed at
0-10 so that two charts of the same family can be compared by eye.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from star.areas import MAX_SCORE, stage_of
from star.config import StarText, default_star_text
from star.progress import readings_to_compare
from star.reading import StarReading
from star.styles import READING_STYLES, ReadingStyle
from star.table import alt_text, chart_csv, chart_table, reading_labels

# The styles live in star.styles (no plotly) so the PDF draws readings the same way; they are
# named here too for callers of the chart.
__all__ = ["READING_STYLES", "ReadingStyle", "alt_text", "chart_csv", "chart_table", "radar_figure"]

_LABEL_WIDTH = 16


def radar_figure(readings: Sequence[StarReading], *, labels: StarText | None = None) -> go.Figure:
    """One closed shape per reading (agreed scores), in the order the readings were taken.

    Areas not yet scored in a part-done reading are gaps in its shape, never zero: a zero
    would look like a family at the very bottom of the scale.

    Raises:
        TooManyReadings: more than four readings.
    """
    ordered = readings_to_compare(readings)
    text = labels or default_star_text()
    theta = [_wrap(area.label) for area in text.areas]
    plain_labels = [html.escape(area.label) for area in text.areas]
    figure = go.Figure()
    for reading, name, style in zip(ordered, reading_labels(ordered), READING_STYLES[: len(ordered)], strict=True):
        r: list[int | None] = [reading.agreed(area.key) for area in text.areas]
        stages = ["" if score is None else html.escape(text.stage_name(stage_of(score))) for score in r]
        custom = [[label, stage] for label, stage in zip(plain_labels, stages, strict=True)]
        figure.add_trace(
            go.Scatterpolar(
                r=[*r, r[0]],
                theta=[*theta, theta[0]],
                customdata=[*custom, custom[0]],
                name=name,
                mode="lines+markers",
                connectgaps=False,
                line={"color": style.colour, "dash": style.dash, "width": 3},
                marker={"color": style.colour, "symbol": style.symbol, "size": 10},
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>Score %{r}<br>%{customdata[1]}<extra>" + html.escape(name) + "</extra>"
                ),
            )
        )
    figure.update_layout(
        polar={
            "radialaxis": {
                "range": [0, MAX_SCORE],
                "tickmode": "array",
                "tickvals": list(range(MAX_SCORE + 1)),
                "angle": 90,
                "tickangle": 90,
            },
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "categoryorder": "array",
                "categoryarray": theta,
            },
        },
        showlegend=True,
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0},
        font={"size": 14},
        margin={"l": 90, "r": 90, "t": 40, "b": 40},
    )
    return figure


def _wrap(label: str) -> str:
    """Break a long area label over lines so it does not run off the chart, escaping the
    text (plotly reads labels as HTML) but not the line breaks."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= _LABEL_WIDTH:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "<br>".join(html.escape(line) for line in lines)
