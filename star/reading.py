"""A Family Star Plus reading: the ten scores taken on one day, for one occasion.

Readings are immutable; every change returns a new reading, so a screen can hold the last
saved version and compare. They are validated however they are made (constructor,
``with_score`` or ``from_dict``), because stored data and form input are equally untrusted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from star.areas import AREAS, StarArea, area_by_key, check_score
from star.errors import StarReadingError, StarScoreError

STORAGE_FORMAT = 1

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class OccasionKind(StrEnum):
    """What a reading belongs to in the life of an assessment."""

    FIRST = "first"
    REVIEW = "review"
    CLOSURE = "closure"


class CompletedBy(StrEnum):
    """Who did the scoring; the practice records it because it changes how scores read."""

    TOGETHER = "worker_and_family"
    WORKER_ONLY = "worker_only"
    FAMILY_ONLY = "family_only"

    @property
    def label(self) -> str:
        return {
            CompletedBy.TOGETHER: "Worker and family together",
            CompletedBy.WORKER_ONLY: "Worker only",
            CompletedBy.FAMILY_ONLY: "Family only",
        }[self]


@dataclass(frozen=True, kw_only=True)
class Occasion:
    """The assessment's first reading, TAF review number ``review_number``, or closure."""

    kind: OccasionKind
    review_number: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, OccasionKind):
            raise StarReadingError(
                f"A reading's occasion must be the first reading, a review or closure (got {self.kind!r})."
            )
        number = self.review_number
        if self.kind is OccasionKind.REVIEW:
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise StarReadingError(
                    f"A review reading needs its review number: a whole number from 1 (got {number!r})."
                )
        elif number is not None:
            raise StarReadingError(
                f"Only a review reading has a review number (this is the {self.kind.value} "
                f"reading, got review number {number!r})."
            )

    @classmethod
    def first(cls) -> Occasion:
        return cls(kind=OccasionKind.FIRST)

    @classmethod
    def review(cls, number: int) -> Occasion:
        return cls(kind=OccasionKind.REVIEW, review_number=number)

    @classmethod
    def closure(cls) -> Occasion:
        return cls(kind=OccasionKind.CLOSURE)

    @property
    def order(self) -> tuple[int, int]:
        """Sorts first reading, then reviews by number, then closure."""
        rank = {OccasionKind.FIRST: 0, OccasionKind.REVIEW: 1, OccasionKind.CLOSURE: 2}
        return rank[self.kind], self.review_number or 0

    @property
    def label(self) -> str:
        if self.kind is OccasionKind.REVIEW:
            return f"Review {self.review_number}"
        return "First reading" if self.kind is OccasionKind.FIRST else "Closure"


@dataclass(frozen=True, kw_only=True)
class AreaScore:
    """One area's scores. ``agreed`` is what is charted; ``family_score`` and
    ``worker_score`` are kept when the two views differ. ``note`` is stored exactly as typed.
    """

    area: str
    agreed: int | None = None
    family_score: int | None = None
    worker_score: int | None = None
    # Kept out of repr: a note is personal and reprs end up in logs and tracebacks.
    note: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        star_area = area_by_key(self.area)
        for name, whose in (
            ("agreed", "Score"),
            ("family_score", "The family's score"),
            ("worker_score", "The worker's score"),
        ):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, check_score(value, area=star_area, whose=whose))
        if self.note is not None and not isinstance(self.note, str):
            raise StarReadingError(f"The note for {star_area.label} must be text (got {type(self.note).__name__}).")

    @property
    def star_area(self) -> StarArea:
        return area_by_key(self.area)

    @property
    def is_empty(self) -> bool:
        return self.agreed is None and self.family_score is None and self.worker_score is None and self.note is None

    @property
    def disagree(self) -> bool:
        return (
            self.family_score is not None and self.worker_score is not None and self.family_score != self.worker_score
        )


@dataclass(frozen=True, kw_only=True)
class ScoreCorrection:
    """An agreed score changed after the reading was locked: the score it replaced and the
    one that replaced it, with who corrected it, when and why. Both values are kept, so
    the reading's history can be read back; the corrected one is charted and compared."""

    area: str
    before: int | None
    after: int
    # Kept out of repr: the reason is personal, and reprs end up in logs and tracebacks.
    reason: str = field(repr=False)
    by: str
    at: datetime

    def __post_init__(self) -> None:
        star_area = area_by_key(self.area)
        if self.before is not None:
            object.__setattr__(self, "before", check_score(self.before, area=star_area, whose="The score corrected"))
        object.__setattr__(self, "after", check_score(self.after, area=star_area, whose="The corrected score"))
        for name in ("reason", "by"):
            if not isinstance(getattr(self, name), str):
                raise StarReadingError(f"A correction's {name!r} must be text.")
        if not isinstance(self.at, datetime):
            raise StarReadingError(f"A correction must say when it was made (got {self.at!r:.40}).")

    @property
    def star_area(self) -> StarArea:
        return area_by_key(self.area)


@dataclass(frozen=True, kw_only=True)
class StarReading:
    """A reading. ``scores`` may be given for some areas only (a part-done reading); it is
    always stored as ten entries in star order, unscored areas empty."""

    id: str
    taken_on: date
    occasion: Occasion
    completed_by: CompletedBy
    scores: tuple[AreaScore, ...] = field(default=())
    # Scores changed after the reading was locked, oldest first (see ``corrected``).
    corrections: tuple[ScoreCorrection, ...] = field(default=())

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise StarReadingError(f"A reading needs an id (got {self.id!r}).")
        # datetime is a date subclass, but a time of day would not survive storage as a date.
        if not isinstance(self.taken_on, date) or isinstance(self.taken_on, datetime):
            raise StarReadingError(f"The date the reading was taken must be a date (got {self.taken_on!r}).")
        if not isinstance(self.occasion, Occasion):
            raise StarReadingError(
                f"A reading must say what it belongs to: the first reading, a review or "
                f"closure (got {self.occasion!r})."
            )
        if not isinstance(self.completed_by, CompletedBy):
            raise StarReadingError(
                "A reading must say who completed it: worker and family together, worker "
                f"only, or family only (got {self.completed_by!r})."
            )
        object.__setattr__(self, "scores", _ten_scores(self.scores))
        if isinstance(self.corrections, (str, bytes, Mapping)) or not isinstance(self.corrections, Iterable):
            raise StarReadingError("A reading's corrections must be a list of corrections.")
        corrections = tuple(self.corrections)
        if not all(isinstance(c, ScoreCorrection) for c in corrections):
            raise StarReadingError("Each of a reading's corrections must be a score correction.")
        object.__setattr__(self, "corrections", corrections)

    # --- reading the scores -----------------------------------------------------------

    def score_for(self, area_key: str) -> AreaScore:
        """Raises StarScoreError for an unknown area key."""
        return self.scores[area_by_key(area_key).number - 1]

    def agreed(self, area_key: str) -> int | None:
        return self.score_for(area_key).agreed

    def agreed_scores(self) -> dict[str, int | None]:
        """Agreed score per area key, in star order; None where not scored yet."""
        return {score.area: score.agreed for score in self.scores}

    @property
    def is_complete(self) -> bool:
        return all(score.agreed is not None for score in self.scores)

    def missing_areas(self) -> tuple[StarArea, ...]:
        """Areas without an agreed score yet, in star order."""
        return tuple(score.star_area for score in self.scores if score.agreed is None)

    def disagreements(self) -> tuple[AreaScore, ...]:
        """Areas where the family's and the worker's scores are both recorded and differ."""
        return tuple(score for score in self.scores if score.disagree)

    @property
    def label(self) -> str:
        """A readable name, e.g. "Review 2 — 30 Apr 2026"."""
        day = self.taken_on
        return f"{self.occasion.label} — {day.day} {_MONTHS[day.month - 1]} {day.year}"

    @property
    def sort_key(self) -> tuple[date, tuple[int, int], str]:
        return self.taken_on, self.occasion.order, self.id

    # --- changing it ------------------------------------------------------------------

    def with_score(
        self,
        area_key: str,
        *,
        agreed: int | None = None,
        family: int | None = None,
        worker: int | None = None,
        note: str | None = None,
    ) -> StarReading:
        """A copy with this area's given values changed; values left as None are kept, so
        the family's and the worker's scores can be entered at different moments.

        Raises:
            StarScoreError: unknown area or a score that is not a whole number 1-10.
        """
        current = self.score_for(area_key)
        updated = AreaScore(
            area=current.area,
            agreed=current.agreed if agreed is None else agreed,
            family_score=current.family_score if family is None else family,
            worker_score=current.worker_score if worker is None else worker,
            note=current.note if note is None else note,
        )
        return self._replace_area(updated)

    def corrected(self, area_key: str, *, score: int, reason: str, by: str, at: datetime) -> StarReading:
        """A copy with this area's agreed score corrected to ``score`` and the correction (the
        old score, the new one, why, who and when) added to ``corrections``. The family's and
        the worker's own scores and the note are kept as they were.

        Raises:
            StarScoreError: unknown area or a score that is not a whole number 1-10.
        """
        current = self.score_for(area_key)
        correction = ScoreCorrection(area=current.area, before=current.agreed, after=score, reason=reason, by=by, at=at)
        updated = dataclasses.replace(current, agreed=correction.after)
        return dataclasses.replace(self._replace_area(updated), corrections=(*self.corrections, correction))

    def without_score(self, area_key: str) -> StarReading:
        """A copy with everything recorded for this area removed."""
        return self._replace_area(AreaScore(area=self.score_for(area_key).area))

    def _replace_area(self, updated: AreaScore) -> StarReading:
        scores = tuple(updated if s.area == updated.area else s for s in self.scores)
        return dataclasses.replace(self, scores=scores)

    # --- storage and export -----------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data. ``is_complete`` is included for readers of exports and
        checked again on the way back in. ``corrections`` is there only when there are some,
        so a reading never corrected is stored exactly as before corrections existed."""
        data: dict[str, Any] = {
            "format": STORAGE_FORMAT,
            "id": self.id,
            "taken_on": self.taken_on.isoformat(),
            "occasion": {
                "kind": self.occasion.kind.value,
                "review_number": self.occasion.review_number,
            },
            "completed_by": self.completed_by.value,
            "is_complete": self.is_complete,
            "scores": [
                {
                    "area": score.area,
                    "agreed": score.agreed,
                    "family_score": score.family_score,
                    "worker_score": score.worker_score,
                    "note": score.note,
                }
                for score in self.scores
            ],
        }
        if self.corrections:
            data["corrections"] = [
                {
                    "area": c.area,
                    "before": c.before,
                    "after": c.after,
                    "reason": c.reason,
                    "by": c.by,
                    "at": c.at.isoformat(),
                }
                for c in self.corrections
            ]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StarReading:
        """Rebuild a reading from :meth:`to_dict` data, validating everything.

        Raises:
            StarScoreError: a bad score, an unknown or repeated area, or data that says the
                reading is complete when an area has no agreed score.
            StarReadingError: any other malformed field.
        """
        _check_keys(data, allowed=_READING_KEYS, required=_READING_REQUIRED, what="A reading")
        if data.get("format", STORAGE_FORMAT) != STORAGE_FORMAT:
            raise StarReadingError(
                f"This reading was stored in format {data['format']!r}, which this version "
                f"cannot read (it reads format {STORAGE_FORMAT})."
            )
        raw_scores = data.get("scores", [])
        if not isinstance(raw_scores, list):
            raise StarReadingError("A reading's scores must be a list, one entry per area.")
        raw_corrections = data.get("corrections", [])
        if not isinstance(raw_corrections, list):
            raise StarReadingError("A reading's corrections must be a list.")
        reading = cls(
            id=data["id"],
            taken_on=_parse_date(data["taken_on"]),
            occasion=_parse_occasion(data["occasion"]),
            completed_by=_parse_completed_by(data["completed_by"]),
            scores=tuple(_parse_area_score(item) for item in raw_scores),
            corrections=tuple(_parse_correction(item) for item in raw_corrections),
        )
        claimed = data.get("is_complete")
        if claimed is not None and not isinstance(claimed, bool):
            raise StarReadingError(f"'is_complete' must be true or false (got {claimed!r}).")
        if claimed and not reading.is_complete:
            missing = ", ".join(area.label for area in reading.missing_areas())
            raise StarScoreError(f"This reading is marked complete but has no agreed score for: {missing}.")
        return reading


def order_readings(readings: Iterable[StarReading]) -> list[StarReading]:
    """Readings in the order they were taken: by date, then first/review n/closure."""
    return sorted(readings, key=lambda reading: reading.sort_key)


_READING_KEYS = frozenset(
    {"format", "id", "taken_on", "occasion", "completed_by", "is_complete", "scores", "corrections"}
)
_READING_REQUIRED = ("id", "taken_on", "occasion", "completed_by")
_SCORE_KEYS = frozenset({"area", "agreed", "family_score", "worker_score", "note"})
_CORRECTION_KEYS = frozenset({"area", "before", "after", "reason", "by", "at"})


def _ten_scores(given: object) -> tuple[AreaScore, ...]:
    if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
        raise StarReadingError("A reading's scores must be a list of area scores.")
    by_area: dict[str, AreaScore] = {}
    for score in given:
        if not isinstance(score, AreaScore):
            raise StarReadingError(f"Each entry in a reading's scores must be an area score (got {score!r:.40}).")
        if score.area in by_area:
            raise StarScoreError(
                f"{score.star_area.label} is scored more than once in this reading; "
                "each of the ten areas can be scored only once."
            )
        by_area[score.area] = score
    return tuple(by_area.get(area.key) or AreaScore(area=area.key) for area in AREAS)


def _check_keys(data: object, *, allowed: frozenset[str], required: tuple[str, ...], what: str) -> None:
    if not isinstance(data, Mapping):
        raise StarReadingError(f"{what} must be stored as a mapping (got {type(data).__name__}).")
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise StarReadingError(
            f"{what} has unrecognised fields: {', '.join(unknown)}. Allowed fields: {', '.join(sorted(allowed))}."
        )
    missing = [key for key in required if data.get(key) is None]
    if missing:
        raise StarReadingError(f"{what} is missing: {', '.join(missing)}.")


def _parse_date(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise StarReadingError(f"The date the reading was taken must be a date as YYYY-MM-DD (got {value!r:.40}).")


def _parse_occasion(value: object) -> Occasion:
    _check_keys(
        value,
        allowed=frozenset({"kind", "review_number"}),
        required=("kind",),
        what="A reading's occasion",
    )
    assert isinstance(value, Mapping)
    try:
        kind = OccasionKind(value["kind"])
    except ValueError:
        raise StarReadingError(
            f"A reading's occasion must be one of: "
            f"{', '.join(kind.value for kind in OccasionKind)} (got {value['kind']!r:.40})."
        ) from None
    return Occasion(kind=kind, review_number=value.get("review_number"))


def _parse_completed_by(value: object) -> CompletedBy:
    if isinstance(value, str) and value in {who.value for who in CompletedBy}:
        return CompletedBy(value)
    raise StarReadingError(
        f"'completed_by' must be one of: {', '.join(who.value for who in CompletedBy)} (got {value!r:.40})."
    )


def _parse_area_score(item: object) -> AreaScore:
    _check_keys(item, allowed=_SCORE_KEYS, required=("area",), what="An area score")
    assert isinstance(item, Mapping)
    return AreaScore(
        area=item["area"],
        agreed=item.get("agreed"),
        family_score=item.get("family_score"),
        worker_score=item.get("worker_score"),
        note=item.get("note"),
    )


def _parse_correction(item: object) -> ScoreCorrection:
    _check_keys(item, allowed=_CORRECTION_KEYS, required=("area", "after", "reason", "by", "at"), what="A correction")
    assert isinstance(item, Mapping)
    at = item["at"]
    if isinstance(at, str):
        try:
            at = datetime.fromisoformat(at)
        except ValueError:
            raise StarReadingError(f"A correction's time must be an ISO date and time (got {at!r:.40}).") from None
    return ScoreCorrection(
        area=item["area"], before=item.get("before"), after=item["after"], reason=item["reason"], by=item["by"], at=at
    )
