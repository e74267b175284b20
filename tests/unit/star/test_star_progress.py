from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from star import (
    AREA_KEYS,
    Occasion,
    StarReading,
    TooManyReadings,
    choose_default_readings,
    progress,
    readings_to_compare,
)

MakeReading = Callable[..., StarReading]


def test_change_per_area_up_down_and_unchanged(make_reading: MakeReading) -> None:
    first = make_reading([2, 5, 7, 3, 3, 3, 3, 3, 3, 3])
    latest = make_reading([6, 5, 4, 3, 3, 3, 3, 3, 3, 10], occasion=Occasion.review(1))
    result = progress(first, latest)
    by_key = {area.area.key: area for area in result.areas}
    assert [area.area.key for area in result.areas] == list(AREA_KEYS)
    up, same, down = by_key["physical_health"], by_key["well_being"], by_key["emotional_needs"]
    assert (up.first, up.latest, up.change, up.latest_stage) == (2, 6, 4, 3)
    assert (same.first, same.latest, same.change, same.latest_stage) == (5, 5, 0, 3)
    assert (down.first, down.latest, down.change, down.latest_stage) == (7, 4, -3, 2)
    assert down.first_stage == 4
    assert by_key["progress_to_work"].latest_stage == 5
    assert result.first_total == 2 + 5 + 7 + 3 * 6 + 3
    assert result.latest_total == 6 + 5 + 4 + 3 * 6 + 10
    assert result.total_change == 4 + 0 - 3 + 7
    assert result.left_out == ()


def test_totals_only_count_areas_scored_in_both_and_say_which_are_left_out(
    make_reading: MakeReading,
) -> None:
    first = make_reading({key: 4 for key in AREA_KEYS if key != "routine"})
    latest = make_reading({key: 6 for key in AREA_KEYS if key not in ("education", "home_money")})
    result = progress(first, latest)
    assert [area.label for area in result.left_out] == [
        "Education and learning",
        "Family routine",
        "Home and money",
    ]
    assert len(result.compared) == 7
    assert (result.first_total, result.latest_total, result.total_change) == (28, 42, 14)
    routine = result.areas[AREA_KEYS.index("routine")]
    assert (routine.first, routine.latest, routine.change, routine.latest_stage) == (
        None,
        6,
        None,
        3,
    )
    education = result.areas[AREA_KEYS.index("education")]
    assert (education.first, education.latest, education.latest_stage) == (4, None, None)


def test_progress_with_nothing_in_common_totals_zero(make_reading: MakeReading) -> None:
    result = progress(make_reading({"routine": 3}), make_reading({"education": 9}))
    assert (result.first_total, result.latest_total, result.total_change) == (0, 0, 0)
    assert len(result.left_out) == 10


def test_default_readings_are_the_first_and_the_latest(make_reading: MakeReading) -> None:
    review_2 = make_reading(reading_id="r2", occasion=Occasion.review(2), taken_on=date(2026, 6, 1))
    first = make_reading(reading_id="f", taken_on=date(2026, 3, 1))
    review_1 = make_reading(reading_id="r1", occasion=Occasion.review(1), taken_on=date(2026, 4, 1))
    assert [r.id for r in choose_default_readings([review_2, first, review_1])] == ["f", "r2"]


def test_on_the_same_day_the_occasion_decides_the_order(make_reading: MakeReading) -> None:
    day = date(2026, 5, 5)
    closure = make_reading(reading_id="c", occasion=Occasion.closure(), taken_on=day)
    review = make_reading(reading_id="r", occasion=Occasion.review(4), taken_on=day)
    assert [r.id for r in choose_default_readings([closure, review])] == ["r", "c"]


def test_default_readings_with_one_or_none(make_reading: MakeReading) -> None:
    only = make_reading()
    assert choose_default_readings([only]) == [only]
    assert choose_default_readings([]) == []


def test_at_most_four_readings_can_be_compared(make_reading: MakeReading) -> None:
    readings = [
        make_reading(reading_id=f"r{n}", occasion=Occasion.review(n), taken_on=date(2026, n, 1)) for n in range(1, 6)
    ]
    assert [r.id for r in readings_to_compare(list(reversed(readings[:4])))] == [
        "r1",
        "r2",
        "r3",
        "r4",
    ]
    with pytest.raises(TooManyReadings) as caught:
        readings_to_compare(readings)
    assert str(caught.value) == "Choose at most four readings to compare"


def test_the_date_taken_comes_before_the_occasion_when_they_disagree(
    make_reading: MakeReading,
) -> None:
    # A review recorded with a lower number but taken later is still the latest reading.
    later = make_reading(reading_id="late", occasion=Occasion.review(1), taken_on=date(2026, 9, 1))
    earlier = make_reading(reading_id="early", occasion=Occasion.closure(), taken_on=date(2026, 8, 1))
    first = make_reading(reading_id="first", taken_on=date(2026, 1, 1))
    assert [r.id for r in choose_default_readings([later, first, earlier])] == ["first", "late"]
