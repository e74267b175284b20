"""Distance travelled between two readings: what LCSS looks at per area and in total."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from star.areas import AREAS, StarArea, stage_of
from star.errors import TooManyReadings
from star.reading import StarReading, order_readings

MAX_READINGS_TO_COMPARE = 4


@dataclass(frozen=True)
class AreaProgress:
    """One area: scores in the first and latest readings (None where not scored) and the
    change, which is only known when both were scored."""

    area: StarArea
    first: int | None
    latest: int | None

    @property
    def change(self) -> int | None:
        if self.first is None or self.latest is None:
            return None
        return self.latest - self.first

    @property
    def first_stage(self) -> int | None:
        return None if self.first is None else stage_of(self.first)

    @property
    def latest_stage(self) -> int | None:
        """The stage reached in the latest reading."""
        return None if self.latest is None else stage_of(self.latest)


@dataclass(frozen=True)
class Progress:
    """Totals count only areas scored in both readings, so a part-done reading cannot look
    like a fall; ``left_out`` says which areas were not counted."""

    first: StarReading
    latest: StarReading
    areas: tuple[AreaProgress, ...]

    @property
    def compared(self) -> tuple[AreaProgress, ...]:
        return tuple(area for area in self.areas if area.change is not None)

    @property
    def left_out(self) -> tuple[StarArea, ...]:
        return tuple(area.area for area in self.areas if area.change is None)

    @property
    def first_total(self) -> int:
        return sum(area.first for area in self.compared if area.first is not None)

    @property
    def latest_total(self) -> int:
        return sum(area.latest for area in self.compared if area.latest is not None)

    @property
    def total_change(self) -> int:
        return self.latest_total - self.first_total


def progress(first: StarReading, latest: StarReading) -> Progress:
    """Per-area and total change from ``first`` to ``latest`` (agreed scores only)."""
    return Progress(
        first=first,
        latest=latest,
        areas=tuple(
            AreaProgress(area=area, first=first.agreed(area.key), latest=latest.agreed(area.key)) for area in AREAS
        ),
    )


def choose_default_readings(readings: Iterable[StarReading]) -> list[StarReading]:
    """What a chart shows before anyone chooses: the first and the latest reading (by date,
    then first/review/closure), just the one if there is one, nothing if there are none."""
    ordered = order_readings(readings)
    if len(ordered) <= 1:
        return ordered
    return [ordered[0], ordered[-1]]


def readings_to_compare(readings: Sequence[StarReading]) -> list[StarReading]:
    """The chosen readings in the order they were taken, refusing more than four because
    the overlaid shapes stop being readable.

    Raises:
        TooManyReadings: more than four readings were chosen.
    """
    if len(readings) > MAX_READINGS_TO_COMPARE:
        raise TooManyReadings("Choose at most four readings to compare")
    return order_readings(readings)
