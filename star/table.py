"""The numbers behind the star chart, as a table, CSV and a plain-English description.

Kept apart from ``star.chart`` so the PDF and export code can use them without importing
plotly (the import rules forbid plotly anywhere else, even indirectly).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from star.config import StarText, default_star_text
from star.progress import progress, readings_to_compare
from star.reading import StarReading

AREA_COLUMN = "Area"
CHANGE_COLUMN = "Change"

# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | None


def reading_labels(readings: Sequence[StarReading]) -> list[str]:
    """One readable label per reading, made unique, because labels name the table's columns
    and the chart's legend entries (two readings on the same day for the same occasion)."""
    labels: list[str] = []
    for reading in readings:
        label = reading.label
        if label in labels:
            copy = 2
            while f"{label} ({copy})" in labels:
                copy += 1
            label = f"{label} ({copy})"
        labels.append(label)
    return labels


def chart_table(readings: Sequence[StarReading], *, labels: StarText | None = None) -> list[dict[str, Cell]]:
    """One row per area: ``Area``, the agreed score in each reading (None if not scored)
    under the reading's label, and ``Change`` from the first to the latest reading when
    there are two or more. Readings are put in the order they were taken.

    Raises:
        TooManyReadings: more than four readings.
    """
    ordered = readings_to_compare(readings)
    text = labels or default_star_text()
    columns = reading_labels(ordered)
    change = progress(ordered[0], ordered[-1]) if len(ordered) >= 2 else None
    rows: list[dict[str, Cell]] = []
    for index, area_text in enumerate(text.areas):
        row: dict[str, Cell] = {AREA_COLUMN: area_text.label}
        for column, reading in zip(columns, ordered, strict=True):
            row[column] = reading.agreed(area_text.key)
        if change is not None:
            row[CHANGE_COLUMN] = change.areas[index].change
        rows.append(row)
    return rows


def chart_csv(readings: Sequence[StarReading], *, labels: StarText | None = None) -> str:
    """:func:`chart_table` as CSV text with a header row; an unscored area is an empty cell.

    Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe,
    so nothing in the file is ever interpreted.
    """
    rows = chart_table(readings, labels=labels)
    ordered = readings_to_compare(readings)
    header = [AREA_COLUMN, *reading_labels(ordered)]
    if len(ordered) >= 2:
        header.append(CHANGE_COLUMN)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([_safe_cell(row[name]) for name in header])
    return buffer.getvalue()


def alt_text(readings: Sequence[StarReading], *, labels: StarText | None = None) -> str:
    """A plain-English description of the chart for people who cannot see it."""
    ordered = readings_to_compare(readings)
    if not ordered:
        return "Family Star Plus chart: no readings to show yet."
    text = labels or default_star_text()
    names = reading_labels(ordered)
    if len(names) == 1:
        sentences = [f"Family Star Plus chart of one reading: {names[0]}."]
    else:
        sentences = [
            f"Family Star Plus chart comparing {len(names)} readings: {', '.join(names[:-1])} and {names[-1]}."
        ]
    sentences.append("Each area is scored from 1 to 10.")
    for area_text in text.areas:
        scores = [reading.agreed(area_text.key) for reading in ordered]
        shown = [("not scored" if score is None else str(score)) for score in scores]
        if len(scores) == 1:
            sentences.append(f"{area_text.label}: {shown[0]}.")
            continue
        sentence = f"{area_text.label}: {', '.join(shown[:-1])}, then {shown[-1]}"
        first, latest = scores[0], scores[-1]
        if first is not None and latest is not None:
            sentence += f" ({_change_words(latest - first)})"
        sentences.append(sentence + ".")
    if len(ordered) >= 2:
        summary = progress(ordered[0], ordered[-1])
        if summary.compared:
            sentences.append(
                f"Total over the {len(summary.compared)} areas scored in both the first and "
                f"latest reading: {summary.first_total}, then {summary.latest_total} "
                f"({_change_words(summary.total_change)})."
            )
        if summary.left_out:
            sentences.append(
                "Not counted in the total because not scored in both: "
                f"{', '.join(text.label(area.key) for area in summary.left_out)}."
            )
    return " ".join(sentences)


def _change_words(change: int) -> str:
    if change > 0:
        return f"up {change}"
    if change < 0:
        return f"down {-change}"
    return "no change"


def _safe_cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
