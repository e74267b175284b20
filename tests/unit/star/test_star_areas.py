from __future__ import annotations

import pytest

from star import AREA_KEYS, AREAS, StarScoreError, area_by_key, stage_of


def test_the_ten_areas_in_star_order_with_their_keys_and_labels() -> None:
    assert [(area.number, area.key, area.label) for area in AREAS] == [
        (1, "physical_health", "Physical health"),
        (2, "well_being", "Your well-being"),
        (3, "emotional_needs", "Meeting emotional needs"),
        (4, "keeping_safe", "Keeping your children safe"),
        (5, "social_networks", "Social networks"),
        (6, "education", "Education and learning"),
        (7, "boundaries", "Boundaries and behaviour"),
        (8, "routine", "Family routine"),
        (9, "home_money", "Home and money"),
        (10, "progress_to_work", "Progress to work"),
    ]
    assert tuple(area.key for area in AREAS) == AREA_KEYS


@pytest.mark.parametrize(
    ("score", "stage"),
    [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (10, 5)],
)
def test_stage_of_every_score(score: int, stage: int) -> None:
    assert stage_of(score) == stage


@pytest.mark.parametrize(
    ("bad", "shown"),
    [(0, "0"), (11, "11"), (-1, "-1"), (3.5, "3.5"), ("3", "'3'"), (True, "True"), (None, "None")],
)
def test_stage_of_refuses_anything_but_a_whole_number_from_1_to_10(bad: object, shown: str) -> None:
    with pytest.raises(StarScoreError) as caught:
        stage_of(bad)  # type: ignore[arg-type]
    assert str(caught.value) == (f"A Family Star Plus score must be a whole number from 1 to 10 (got {shown}).")


def test_area_by_key_finds_an_area_and_refuses_an_unknown_one() -> None:
    assert area_by_key("home_money").label == "Home and money"
    with pytest.raises(StarScoreError, match=r"Unknown area 'spirituality'.*ten areas"):
        area_by_key("spirituality")


def test_a_huge_bad_value_is_shortened_in_the_message() -> None:
    with pytest.raises(StarScoreError) as caught:
        stage_of("9" * 10_000)  # type: ignore[arg-type]
    assert len(str(caught.value)) < 150
