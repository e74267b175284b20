from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from star import (
    AREA_KEYS,
    AreaScore,
    CompletedBy,
    Occasion,
    OccasionKind,
    StarReading,
    StarReadingError,
    StarScoreError,
)
from tests.support.hostile import SAMPLES

MakeReading = Callable[..., StarReading]


def test_a_reading_keeps_ten_areas_in_star_order(make_reading: MakeReading) -> None:
    reading = make_reading({"routine": 4, "physical_health": 7})
    assert [score.area for score in reading.scores] == list(AREA_KEYS)
    assert reading.agreed("physical_health") == 7
    assert reading.agreed("routine") == 4
    assert reading.agreed("well_being") is None


def test_part_done_reading_lists_missing_areas_and_can_be_finished_later(
    make_reading: MakeReading,
) -> None:
    reading = make_reading({key: 5 for key in AREA_KEYS[:8]})
    assert not reading.is_complete
    assert [area.label for area in reading.missing_areas()] == [
        "Home and money",
        "Progress to work",
    ]
    finished = reading.with_score("home_money", agreed=3).with_score("progress_to_work", agreed=2)
    assert finished.is_complete
    assert finished.missing_areas() == ()
    # The original is untouched: operations return new readings.
    assert not reading.is_complete
    assert reading.agreed("home_money") is None


def test_a_reading_with_no_scores_misses_every_area(make_reading: MakeReading) -> None:
    reading = make_reading()
    assert not reading.is_complete
    assert len(reading.missing_areas()) == 10


def test_with_score_changes_only_what_is_given(make_reading: MakeReading) -> None:
    reading = make_reading().with_score("education", family=4, note="Started at new school")
    reading = reading.with_score("education", worker=6)
    reading = reading.with_score("education", agreed=5)
    score = reading.score_for("education")
    assert (score.agreed, score.family_score, score.worker_score) == (5, 4, 6)
    assert score.note == "Started at new school"


def test_without_score_clears_an_area(make_reading: MakeReading) -> None:
    reading = make_reading([5] * 10).with_score("routine", family=3, note="n")
    cleared = reading.without_score("routine")
    assert cleared.score_for("routine") == AreaScore(area="routine")
    assert not cleared.is_complete


def test_disagreements_lists_areas_where_family_and_worker_differ(
    make_reading: MakeReading,
) -> None:
    reading = (
        make_reading([5] * 10)
        .with_score("keeping_safe", family=7, worker=4, agreed=5)
        .with_score("routine", family=6, worker=6)
        .with_score("education", family=2)
        .with_score("home_money", family=3, worker=8)
    )
    differing = reading.disagreements()
    assert [score.area for score in differing] == ["keeping_safe", "home_money"]
    assert (differing[0].family_score, differing[0].worker_score) == (7, 4)
    # The agreed score is what stands for the area.
    assert reading.agreed("keeping_safe") == 5
    assert reading.agreed("home_money") == 5


def test_a_reading_without_disagreements_has_none(make_reading: MakeReading) -> None:
    assert make_reading([5] * 10).disagreements() == ()


@pytest.mark.parametrize(
    ("bad", "shown"),
    [(0, "0"), (11, "11"), (-3, "-3"), (3.5, "3.5"), (5.0, "5.0"), ("3", "'3'"), (True, "True")],
)
@pytest.mark.parametrize(
    ("field", "whose"),
    [
        ("agreed", "Score"),
        ("family_score", "The family's score"),
        ("worker_score", "The worker's score"),
    ],
)
def test_every_way_in_refuses_a_bad_score_with_a_clear_message(
    make_reading: MakeReading, bad: object, shown: str, field: str, whose: str
) -> None:
    expected = f"{whose} for Physical health must be a whole number from 1 to 10 (got {shown})."
    with pytest.raises(StarScoreError) as by_constructor:
        AreaScore(area="physical_health", **{field: bad})  # type: ignore[arg-type]
    assert str(by_constructor.value) == expected

    stored = make_reading().to_dict()
    stored["scores"][0][field] = bad
    with pytest.raises(StarScoreError) as by_from_dict:
        StarReading.from_dict(stored)
    assert str(by_from_dict.value) == expected

    keyword = {"agreed": "agreed", "family_score": "family", "worker_score": "worker"}[field]
    with pytest.raises(StarScoreError) as by_with_score:
        make_reading().with_score("physical_health", **{keyword: bad})  # type: ignore[arg-type]
    assert str(by_with_score.value) == expected


def test_star_score_error_is_a_value_error() -> None:
    assert issubclass(StarScoreError, ValueError)


def test_an_unknown_area_is_refused(make_reading: MakeReading) -> None:
    with pytest.raises(StarScoreError, match="Unknown area 'spirituality'"):
        AreaScore(area="spirituality", agreed=5)
    with pytest.raises(StarScoreError, match="Unknown area 'spirituality'"):
        make_reading().with_score("spirituality", agreed=5)
    stored = make_reading().to_dict()
    stored["scores"][3]["area"] = "spirituality"
    with pytest.raises(StarScoreError, match="Unknown area 'spirituality'"):
        StarReading.from_dict(stored)


def test_an_eleventh_area_is_refused(make_reading: MakeReading) -> None:
    stored = make_reading([5] * 10).to_dict()
    stored["scores"].append({"area": "pets", "agreed": 5, "family_score": None, "worker_score": None, "note": None})
    with pytest.raises(StarScoreError) as caught:
        StarReading.from_dict(stored)
    assert "Unknown area 'pets': Family Star Plus has only these ten areas" in str(caught.value)


def test_a_duplicate_area_is_refused(make_reading: MakeReading) -> None:
    message = "Family routine is scored more than once in this reading; each of the ten areas can be scored only once."
    with pytest.raises(StarScoreError) as by_constructor:
        StarReading(
            id="r",
            taken_on=date(2026, 3, 12),
            occasion=Occasion.first(),
            completed_by=CompletedBy.TOGETHER,
            scores=(AreaScore(area="routine", agreed=3), AreaScore(area="routine", agreed=4)),
        )
    assert str(by_constructor.value) == message
    stored = make_reading([5] * 10).to_dict()
    stored["scores"].append(dict(stored["scores"][7]))
    with pytest.raises(StarScoreError) as by_from_dict:
        StarReading.from_dict(stored)
    assert str(by_from_dict.value) == message


def test_stored_data_claiming_complete_with_a_missing_area_is_refused(
    make_reading: MakeReading,
) -> None:
    stored = make_reading([5] * 10).to_dict()
    stored["scores"][9]["agreed"] = None
    with pytest.raises(StarScoreError) as caught:
        StarReading.from_dict(stored)
    assert str(caught.value) == ("This reading is marked complete but has no agreed score for: Progress to work.")
    del stored["scores"][9]
    with pytest.raises(StarScoreError, match="no agreed score for: Progress to work"):
        StarReading.from_dict(stored)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": None}, "A reading is missing: id."),
        ({"id": "  "}, "A reading needs an id"),
        ({"taken_on": None}, "A reading is missing: taken_on."),
        ({"taken_on": "12/03/2026"}, "must be a date as YYYY-MM-DD (got '12/03/2026')"),
        ({"completed_by": None}, "A reading is missing: completed_by."),
        ({"completed_by": "neighbour"}, "'completed_by' must be one of: worker_and_family"),
        ({"occasion": None}, "A reading is missing: occasion."),
        ({"occasion": {"kind": "annual"}}, "occasion must be one of: first, review, closure"),
        ({"occasion": {"kind": "review"}}, "A review reading needs its review number"),
        (
            {"occasion": {"kind": "review", "review_number": 0}},
            "A review reading needs its review number",
        ),
        (
            {"occasion": {"kind": "first", "review_number": 2}},
            "Only a review reading has a review number",
        ),
        ({"scores": "5555555555"}, "scores must be a list"),
        ({"scores": [["physical_health", 5]]}, "An area score must be stored as a mapping"),
        ({"scores": [{"agreed": 5}]}, "An area score is missing: area."),
        ({"scores": [{"area": "routine", "agred": 5}]}, "unrecognised fields: agred"),
        ({"scores": [{"area": "routine", "note": 5}]}, "The note for Family routine must be text"),
        ({"colour": "red"}, "A reading has unrecognised fields: colour."),
        ({"format": 2}, "stored in format 2"),
        ({"is_complete": "yes"}, "'is_complete' must be true or false"),
    ],
)
def test_from_dict_refuses_malformed_data(make_reading: MakeReading, change: dict[str, Any], message: str) -> None:
    stored = {**make_reading().to_dict(), **change}
    with pytest.raises(StarReadingError) as caught:
        StarReading.from_dict(stored)
    assert message in str(caught.value)


def test_from_dict_refuses_something_that_is_not_a_mapping() -> None:
    with pytest.raises(StarReadingError, match="must be stored as a mapping"):
        StarReading.from_dict([1, 2, 3])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("completed_by", None, "A reading must say who completed it"),
        ("completed_by", "worker_only", "A reading must say who completed it"),
        ("occasion", None, "A reading must say what it belongs to"),
        ("taken_on", datetime(2026, 3, 12, 10, 30), "must be a date"),
        ("taken_on", "2026-03-12", "must be a date"),
        ("id", None, "A reading needs an id"),
        ("scores", ("physical_health",), "must be an area score"),
    ],
)
def test_the_constructor_refuses_wrong_types(field: str, value: object, message: str) -> None:
    fields: dict[str, Any] = {
        "id": "r",
        "taken_on": date(2026, 3, 12),
        "occasion": Occasion.first(),
        "completed_by": CompletedBy.WORKER_ONLY,
        field: value,
    }
    with pytest.raises(StarReadingError, match=message):
        StarReading(**fields)


def test_a_note_is_kept_out_of_the_repr_so_it_cannot_leak_into_logs(
    make_reading: MakeReading,
) -> None:
    reading = make_reading().with_score("routine", note="Dad drinks at weekends")
    assert "Dad drinks" not in repr(reading)


def test_occasions_sort_and_read_in_the_practice_order() -> None:
    occasions = [Occasion.closure(), Occasion.review(2), Occasion.first(), Occasion.review(1)]
    ordered = sorted(occasions, key=lambda occasion: occasion.order)
    assert [occasion.label for occasion in ordered] == [
        "First reading",
        "Review 1",
        "Review 2",
        "Closure",
    ]
    assert Occasion.review(3).kind is OccasionKind.REVIEW


def test_label_names_the_occasion_and_date(make_reading: MakeReading) -> None:
    assert make_reading().label == "First reading — 12 Mar 2026"
    review = make_reading(occasion=Occasion.review(2), taken_on=date(2026, 4, 30))
    assert review.label == "Review 2 — 30 Apr 2026"
    closure = make_reading(occasion=Occasion.closure(), taken_on=date(2026, 7, 1))
    assert closure.label == "Closure — 1 Jul 2026"


def test_to_dict_is_plain_json(make_reading: MakeReading) -> None:
    reading = make_reading({"routine": 4}, occasion=Occasion.review(3))
    stored = reading.to_dict()
    assert json.loads(json.dumps(stored)) == stored
    assert stored["occasion"] == {"kind": "review", "review_number": 3}
    assert stored["completed_by"] == "worker_and_family"
    assert stored["taken_on"] == "2026-03-12"
    assert stored["is_complete"] is False
    assert stored["scores"][7] == {
        "area": "routine",
        "agreed": 4,
        "family_score": None,
        "worker_score": None,
        "note": None,
    }


optional_score = st.none() | st.integers(min_value=1, max_value=10)
note_text = st.none() | st.text() | st.sampled_from(tuple(SAMPLES.values()))
area_score = st.builds(
    AreaScore,
    area=st.sampled_from(AREA_KEYS),
    agreed=optional_score,
    family_score=optional_score,
    worker_score=optional_score,
    note=note_text,
)
occasion = st.one_of(
    st.just(Occasion.first()),
    st.just(Occasion.closure()),
    st.integers(min_value=1, max_value=99).map(Occasion.review),
)


@given(
    scores=st.lists(area_score, max_size=10, unique_by=lambda score: score.area),
    taken_on=st.dates(),
    occasion=occasion,
    completed_by=st.sampled_from(CompletedBy),
    reading_id=st.text(min_size=1).filter(str.strip),
)
def test_to_dict_from_dict_round_trips_through_json(
    scores: list[AreaScore],
    taken_on: date,
    occasion: Occasion,
    completed_by: CompletedBy,
    reading_id: str,
) -> None:
    reading = StarReading(
        id=reading_id,
        taken_on=taken_on,
        occasion=occasion,
        completed_by=completed_by,
        scores=tuple(scores),
    )
    restored = StarReading.from_dict(json.loads(json.dumps(reading.to_dict())))
    assert restored == reading
    for before, after in zip(reading.scores, restored.scores, strict=True):
        assert after.note == before.note


@pytest.mark.parametrize("note", SAMPLES.values(), ids=SAMPLES)
def test_hostile_notes_are_stored_exactly_as_typed(make_reading: MakeReading, note: str) -> None:
    reading = make_reading().with_score("well_being", note=note)
    restored = StarReading.from_dict(json.loads(json.dumps(reading.to_dict())))
    assert restored.score_for("well_being").note == note
