"""Family Star Plus readings in the life of an assessment: the rules for starting one and
scoring an area, and what the screens get back after a save.

The star itself (areas, scale, readings, progress) is ``star``; this module adds what the
assessment decides: one first reading, one reading per TAF review and one at closure, no
reading dated in the future, and the field each problem belongs to, so a screen can show the
message beside the right box.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from eha.errors import ValidationFailed, raise_if
from eha.family import Saved
from eha.text import LONG_MAX, text_problem
from star import AreaScore, Occasion, OccasionKind, StarReading, StarScoreError, area_by_key, order_readings
from star.areas import check_score
from star.errors import StarReadingError

# Widget/field keys used in ValidationFailed.errors, so screens know where a message goes.
AREA_FIELD = "area"
SCORE_FIELD = "score"
FAMILY_FIELD = "family_score"
WORKER_FIELD = "worker_score"
NOTE_FIELD = "note"
REASON_FIELD = "reason"
# As the screen offers: far more reviews than any family has, and far inside an integer column.
MAX_REVIEW_NUMBER = 99


@dataclass(frozen=True)
class SavedReading:
    """A reading as stored: the reading, the version to save against, and the last save."""

    assessment_id: str
    reading: StarReading
    version: int
    saved_at: datetime
    saved_by: str
    # Why the reading can no longer be scored (see `lock_reason`); None while it can be.
    locked: str | None = None

    @property
    def saved(self) -> Saved:
        return Saved(self.version, self.saved_at, self.saved_by)


def occasion_from(kind: object, review_number: object) -> tuple[Occasion | None, dict[str, str]]:
    """The occasion a person chose, or the field -> message explaining what is wrong."""
    try:
        occasion_kind = OccasionKind(str(kind))
    except ValueError:
        return None, {"occasion": "Choose what this reading is for: the first reading, a TAF review or closure."}
    if occasion_kind is OccasionKind.REVIEW and review_number is None:
        return None, {"review_number": "Enter the number of the TAF review (1 for the first review)."}
    if occasion_kind is not OccasionKind.REVIEW:
        return Occasion(kind=occasion_kind), {}
    if isinstance(review_number, bool) or not isinstance(review_number, int):
        return None, {"review_number": "The TAF review number must be a whole number, such as 1 or 2."}
    if review_number > MAX_REVIEW_NUMBER:
        return None, {"review_number": f"The TAF review number must be from 1 to {MAX_REVIEW_NUMBER}."}
    try:
        return Occasion.review(review_number), {}
    except StarReadingError as exc:
        return None, {"review_number": str(exc)}


def check_new_reading(
    *, occasion: Occasion, taken_on: object, existing: Iterable[StarReading], today: date
) -> dict[str, str]:
    """Field -> message for a reading that may not be started; empty when it may.

    The star is scored once at the start, once at each TAF review and once at closure; a
    second "first reading" would make the distance travelled start from the wrong place.
    """
    errors: dict[str, str] = {}
    if not isinstance(taken_on, date) or isinstance(taken_on, datetime):
        errors["taken_on"] = "Enter the date the star is being scored."
    elif taken_on > today:
        errors["taken_on"] = "The date of a reading must be today or in the past."
    for reading in existing:
        if reading.occasion == occasion:
            if occasion.kind is OccasionKind.FIRST:
                message = (
                    "This assessment already has its first reading. Choose a TAF review or "
                    "closure, or carry on with the first reading."
                )
            elif occasion.kind is OccasionKind.REVIEW:
                message = f"There is already a reading for TAF review {occasion.review_number}."
            else:
                message = "This assessment already has its closure reading."
            errors["review_number" if occasion.kind is OccasionKind.REVIEW else "occasion"] = message
            break
    return errors


def scored_area(
    *,
    area: object,
    agreed: object,
    family_score: object = None,
    worker_score: object = None,
    note: object = None,
) -> AreaScore:
    """One area's scores checked field by field.

    Raises:
        ValidationFailed: field -> message, the fields being ``area``, ``score``,
            ``family_score``, ``worker_score`` and ``note``.
    """
    try:
        star_area = area_by_key(area if isinstance(area, str) else str(area))
    except StarScoreError as exc:
        raise ValidationFailed({AREA_FIELD: str(exc)}) from None
    errors: dict[str, str] = {}
    scores: dict[str, int | None] = {}
    for field, value, whose in (
        (SCORE_FIELD, agreed, "Score"),
        (FAMILY_FIELD, family_score, "The family's score"),
        (WORKER_FIELD, worker_score, "The worker's score"),
    ):
        if value is None:
            scores[field] = None
            continue
        try:
            scores[field] = check_score(value, area=star_area, whose=whose)
        except StarScoreError as exc:
            errors[field] = str(exc)
    text: str | None = None
    if note is not None:
        if not isinstance(note, str):
            errors[NOTE_FIELD] = f"The note for {star_area.label} must be text."
        else:
            problem = text_problem(note, label=f"the note for {star_area.label}", limit=LONG_MAX)
            if problem:
                errors[NOTE_FIELD] = problem
            # An emptied box means "no note": nothing to keep but the absence.
            text = note if note != "" else None
    raise_if(errors)
    return AreaScore(
        area=star_area.key,
        agreed=scores[SCORE_FIELD],
        family_score=scores[FAMILY_FIELD],
        worker_score=scores[WORKER_FIELD],
        note=text,
    )


# -- locking: distance travelled is measured between readings, so they stop changing ----------


def _named(occasion: Occasion) -> str:
    if occasion.kind is OccasionKind.REVIEW:
        return f"review {occasion.review_number}"
    return "the first reading" if occasion.kind is OccasionKind.FIRST else "the closure reading"


def _scored(reading: StarReading) -> bool:
    return any(not score.is_empty for score in reading.scores)


def _scored_after(reading: StarReading, readings: Iterable[StarReading]) -> StarReading | None:
    """The first reading taken after this one (by date, then first/review/closure) that has
    any score in it."""
    later = [r for r in readings if r.id != reading.id and r.sort_key > reading.sort_key and _scored(r)]
    return order_readings(later)[0] if later else None


def lock_reason(
    reading: StarReading, *, readings: Iterable[StarReading], finalised_meetings: Collection[int]
) -> str | None:
    """Why this reading may no longer be scored, or None while it may.

    A reading is locked once a later reading of the assessment has been scored (it is then
    what progress is measured from or through), or, for a TAF review's reading, once that
    review's meeting (`finalised_meetings` holds the numbers of the finalised ones) is
    finalised. After that a score is changed only by a correction with a reason.
    """
    after = _scored_after(reading, readings)
    if after is not None:
        return f"This reading is locked because {_named(after.occasion)} was scored after it."
    number = reading.occasion.review_number
    if reading.occasion.kind is OccasionKind.REVIEW and number in finalised_meetings:
        return f"This reading is locked because TAF meeting {number} has been finalised."
    return None


def start_refusal(
    reading: StarReading, *, existing: Iterable[StarReading], finalised_meetings: Collection[int]
) -> dict[str, str]:
    """Field -> message when a new reading would be locked from the moment it was started
    (back-dated before a reading already scored, or for a review whose meeting is
    finalised); empty when it may be started."""
    after = _scored_after(reading, existing)
    if after is not None:
        return {
            "taken_on": f"A reading taken on {reading.taken_on.day} {reading.taken_on:%B %Y} would come before "
            f"{_named(after.occasion)}, which has already been scored: it could not be scored any more. "
            "Check the date."
        }
    number = reading.occasion.review_number
    if reading.occasion.kind is OccasionKind.REVIEW and number in finalised_meetings:
        return {"review_number": f"TAF meeting {number} has been finalised, so its star can no longer be scored."}
    return {}


def correct_score(
    reading: StarReading, *, area: object, score: object, reason: object, by: str, at: datetime
) -> StarReading:
    """The reading with one agreed score corrected, the old and new values and the reason kept.

    Raises:
        ValidationFailed: fields ``area``, ``score`` (not 1-10, or the score it already has)
            and ``reason`` (required, at most LONG_MAX characters, text that can be stored).
    """
    try:
        star_area = area_by_key(area if isinstance(area, str) else str(area))
    except StarScoreError as exc:
        raise ValidationFailed({AREA_FIELD: str(exc)}) from None
    errors: dict[str, str] = {}
    checked: int | None = None
    try:
        checked = check_score(score, area=star_area, whose="The corrected score")
    except StarScoreError as exc:
        errors[SCORE_FIELD] = str(exc)
    if checked is not None and checked == reading.agreed(star_area.key):
        errors[SCORE_FIELD] = f"{star_area.label} is already scored {checked}: enter the corrected score."
    text = reason if isinstance(reason, str) else ""
    problem = text_problem(text, label="the reason for the correction", limit=LONG_MAX, required=True)
    if problem:
        errors[REASON_FIELD] = problem
    if errors or checked is None:
        raise ValidationFailed(errors)
    return reading.corrected(star_area.key, score=checked, reason=text, by=by, at=at)
