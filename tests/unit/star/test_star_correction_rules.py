"""A correction to a score after the reading is locked: the corrected value is the one charted
and compared, and the value it replaced is kept with who, when and why."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from star import Occasion, ScoreCorrection, StarReading, StarReadingError, StarScoreError, progress
from tests.support.hostile import HOSTILE, LONG, SAMPLES
from tests.unit.star.conftest import MakeReading

AT = datetime(2026, 11, 22, 14, 2, tzinfo=UTC)
REASON = HOSTILE + LONG


def test_a_correction_replaces_the_agreed_score_and_keeps_the_old_one(make_reading: MakeReading) -> None:
    first = make_reading([3] * 10)
    fixed = first.corrected("physical_health", score=4, reason=REASON, by="sam.worker", at=AT)
    assert fixed.agreed("physical_health") == 4
    assert fixed.corrections == (
        ScoreCorrection(area="physical_health", before=3, after=4, reason=REASON, by="sam.worker", at=AT),
    )
    # Everything else about the area is kept; the original reading is unchanged.
    assert first.agreed("physical_health") == 3 and first.corrections == ()
    again = fixed.corrected("physical_health", score=5, reason="Second thoughts", by="kit.other", at=AT)
    assert [(c.before, c.after) for c in again.corrections] == [(3, 4), (4, 5)]


def test_distance_travelled_is_measured_from_the_corrected_score(make_reading: MakeReading) -> None:
    first = make_reading([3] * 10)
    review = make_reading([6] * 10, reading_id="review-1", taken_on=date(2026, 5, 1), occasion=Occasion.review(1))
    fixed = first.corrected("physical_health", score=5, reason="Typed 3 for 5", by="sam.worker", at=AT)
    assert progress(first, review).areas[0].change == 3
    assert progress(fixed, review).areas[0].change == 1


def test_an_area_never_scored_can_be_corrected_from_nothing(make_reading: MakeReading) -> None:
    part_done = make_reading({"routine": 4})
    fixed = part_done.corrected("physical_health", score=7, reason="Missed on the day", by="sam", at=AT)
    assert fixed.corrections[0].before is None and fixed.agreed("physical_health") == 7


@pytest.mark.parametrize("reason", [REASON, *SAMPLES.values()], ids=["hostile-and-long", *SAMPLES])
def test_corrections_survive_storage_and_a_reading_without_any_is_stored_as_before(
    make_reading: MakeReading, reason: str
):
    plain = make_reading([3] * 10)
    assert "corrections" not in plain.to_dict()
    fixed = plain.corrected("routine", score=8, reason=reason, by="sam.worker", at=AT)
    data = fixed.to_dict()
    assert data["corrections"] == [
        {
            "area": "routine",
            "before": 3,
            "after": 8,
            "reason": reason,
            "by": "sam.worker",
            "at": "2026-11-22T14:02:00+00:00",
        }
    ]
    assert StarReading.from_dict(data) == fixed
    assert StarReading.from_dict(plain.to_dict()) == plain


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"after": 11}, StarScoreError),
        ({"area": "nonsense"}, StarScoreError),
        ({"reason": 7}, StarReadingError),
        ({"at": "yesterday"}, StarReadingError),
        ({"extra": 1}, StarReadingError),
    ],
)
def test_a_stored_correction_is_checked_like_everything_else(make_reading: MakeReading, change, error) -> None:
    data = make_reading([3] * 10).corrected("routine", score=8, reason="r", by="sam", at=AT).to_dict()
    data["corrections"][0].update(change)
    with pytest.raises(error):
        StarReading.from_dict(data)


def test_the_reason_is_kept_out_of_repr(make_reading: MakeReading) -> None:
    fixed = make_reading([3] * 10).corrected("routine", score=8, reason="Dad's drinking", by="sam", at=AT)
    assert "drinking" not in repr(fixed)
