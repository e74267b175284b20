"""Factories for Family Star Plus readings, shared by the star unit tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import pytest

from star import AREA_KEYS, AreaScore, CompletedBy, Occasion, StarReading

MakeReading = Callable[..., StarReading]


def build_reading(
    agreed: Mapping[str, int] | list[int] | None = None,
    *,
    reading_id: str = "reading-1",
    taken_on: date = date(2026, 3, 12),
    occasion: Occasion | None = None,
    completed_by: CompletedBy = CompletedBy.TOGETHER,
) -> StarReading:
    """A reading with the given agreed scores: a list gives all ten in star order, a mapping
    gives only those areas (a part-done reading)."""
    if isinstance(agreed, list):
        agreed = dict(zip(AREA_KEYS, agreed, strict=True))
    return StarReading(
        id=reading_id,
        taken_on=taken_on,
        occasion=occasion or Occasion.first(),
        completed_by=completed_by,
        scores=tuple(AreaScore(area=key, agreed=value) for key, value in (agreed or {}).items()),
    )


@pytest.fixture
def make_reading() -> MakeReading:
    return build_reading
