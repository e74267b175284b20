"""When a Family Star Plus reading stops changing (a later reading has been scored, or its TAF
meeting is finalised), and what a correction after that needs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eha.errors import ValidationFailed
from eha.star_readings import correct_score, lock_reason, start_refusal
from star import AreaScore, CompletedBy, Occasion, StarReading

AT = datetime(2026, 11, 22, 14, 2, tzinfo=UTC)


def reading(reading_id: str, occasion: Occasion, taken_on: date, scored: bool = True) -> StarReading:
    scores = (AreaScore(area="physical_health", agreed=3),) if scored else ()
    return StarReading(
        id=reading_id, taken_on=taken_on, occasion=occasion, completed_by=CompletedBy.TOGETHER, scores=scores
    )


FIRST = reading("first", Occasion.first(), date(2026, 9, 1))
REVIEW_1 = reading("r1", Occasion.review(1), date(2026, 10, 13))
REVIEW_2 = reading("r2", Occasion.review(2), date(2026, 11, 20))
CLOSURE = reading("closure", Occasion.closure(), date(2026, 11, 21))


def test_a_reading_alone_or_the_latest_is_open():
    assert lock_reason(FIRST, readings=[FIRST], finalised_meetings=()) is None
    assert lock_reason(REVIEW_1, readings=[FIRST, REVIEW_1], finalised_meetings=()) is None


def test_a_reading_is_locked_once_a_later_one_is_scored_and_the_message_says_which():
    assert lock_reason(FIRST, readings=[FIRST, REVIEW_1], finalised_meetings=()) == (
        "This reading is locked because review 1 was scored after it."
    )
    # The first later reading is named, in the order the readings were taken.
    assert lock_reason(FIRST, readings=[CLOSURE, REVIEW_2, FIRST, REVIEW_1], finalised_meetings=()) == (
        "This reading is locked because review 1 was scored after it."
    )
    assert lock_reason(REVIEW_2, readings=[FIRST, REVIEW_2, CLOSURE], finalised_meetings=()) == (
        "This reading is locked because the closure reading was scored after it."
    )


def test_a_later_reading_started_but_not_scored_yet_does_not_lock():
    empty_review = reading("r1", Occasion.review(1), date(2026, 10, 13), scored=False)
    assert lock_reason(FIRST, readings=[FIRST, empty_review], finalised_meetings=()) is None


def test_a_review_reading_is_locked_once_its_meeting_is_finalised():
    assert lock_reason(REVIEW_1, readings=[FIRST, REVIEW_1], finalised_meetings={2}) is None
    assert lock_reason(REVIEW_1, readings=[FIRST, REVIEW_1], finalised_meetings={1}) == (
        "This reading is locked because TAF meeting 1 has been finalised."
    )
    # The first reading belongs to no meeting.
    assert lock_reason(FIRST, readings=[FIRST], finalised_meetings={1}) is None


def test_a_reading_that_would_be_locked_from_the_start_cannot_be_started():
    back_dated = reading("late-first", Occasion.first(), date(2026, 10, 1), scored=False)
    refusal = start_refusal(back_dated, existing=[REVIEW_1], finalised_meetings=())
    assert refusal == {
        "taken_on": "A reading taken on 1 October 2026 would come before review 1, which has already been "
        "scored: it could not be scored any more. Check the date."
    }
    after_meeting = reading("r1", Occasion.review(1), date(2026, 10, 13), scored=False)
    assert start_refusal(after_meeting, existing=[FIRST], finalised_meetings={1}) == {
        "review_number": "TAF meeting 1 has been finalised, so its star can no longer be scored."
    }
    assert start_refusal(REVIEW_2, existing=[FIRST, REVIEW_1], finalised_meetings={1}) == {}


def test_a_correction_needs_a_reason_and_a_different_score():
    first = FIRST
    with pytest.raises(ValidationFailed) as caught:
        correct_score(first, area="physical_health", score=4, reason="   ", by="sam", at=AT)
    assert caught.value.errors == {"reason": "Enter the reason for the correction."}
    with pytest.raises(ValidationFailed) as caught:
        correct_score(first, area="physical_health", score=3, reason="Typo", by="sam", at=AT)
    assert caught.value.errors == {"score": "Physical health is already scored 3: enter the corrected score."}
    with pytest.raises(ValidationFailed) as caught:
        correct_score(first, area="physical_health", score=11, reason="x" * 100_001 + "\x00", by="sam", at=AT)
    assert set(caught.value.errors) == {"score", "reason"}
    with pytest.raises(ValidationFailed) as caught:
        correct_score(first, area="nonsense", score=4, reason="Typo", by="sam", at=AT)
    assert set(caught.value.errors) == {"area"}
    fixed = correct_score(first, area="physical_health", score=4, reason="Typed 3 for 4", by="sam", at=AT)
    assert fixed.agreed("physical_health") == 4
    assert (fixed.corrections[0].before, fixed.corrections[0].reason) == (3, "Typed 3 for 4")
