"""How each reading is drawn on the star, shared by the screen chart (plotly) and the PDF
(reportlab), so a reading looks the same wherever it is read.

Plain data, no plotting library: the import rules keep plotly in ``star.chart`` alone, and
the PDF module may not import it even indirectly. ``dash`` and ``symbol`` use plotly's
names; the PDF module maps them to its own line dashes and marker shapes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class ReadingStyle:
    """How one reading is drawn: its colour, its line dash and its marker."""

    colour: str
    dash: str
    symbol: str


# Okabe–Ito colours chosen for contrast on white (its yellow and sky blue are too pale for
# thin lines), each paired with its own dash and marker, so the readings can still be told
# apart printed in greyscale or by someone who does not see the colours.
READING_STYLES: tuple[ReadingStyle, ...] = (
    ReadingStyle(colour="#0072B2", dash="solid", symbol="circle"),
    ReadingStyle(colour="#D55E00", dash="dash", symbol="square"),
    ReadingStyle(colour="#009E73", dash="dot", symbol="diamond"),
    ReadingStyle(colour="#CC79A7", dash="dashdot", symbol="triangle-up"),
)
