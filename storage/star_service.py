"""Family Star Plus readings: started, scored one area at a time (each tap saved at once),
listed for the star chart.

Every method takes the acting person; every change to a reading goes through the one write path
(`WorkbookCore.save`, with `ReadingRecord`). A closed assessment is read-only. A reading is
locked once a later reading has been scored or its TAF meeting is finalised
(`eha.star_readings.lock_reason`): then only `correct_score` changes it, with a reason, keeping
the score it replaced.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eha.actor import Actor
from eha.audit import AuditAction
from eha.errors import ValidationFailed, raise_if
from eha.record import AssessmentRecord, StarReadingRecord, check_star_readings
from eha.star_readings import (
    AREA_FIELD,
    NOTE_FIELD,
    SCORE_FIELD,
    SavedReading,
    check_new_reading,
    correct_score,
    lock_reason,
    occasion_from,
    scored_area,
    start_refusal,
)
from eha.taf import TafMeeting
from star import AREA_KEYS, AreaScore, CompletedBy, OccasionKind, StarReading, order_readings
from storage.core import Versioned, WorkbookCore
from storage.models import AssessmentRow, StarReadingRow

CORRECT_HINT = "A score can still be corrected, giving the reason for the correction."
NOT_LOCKED_MESSAGE = "This reading is not locked: change the score on the reading itself."


class StarReadings:
    """Family Star Plus readings for an assessment: `workbook.star`."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    # -- reading ---------------------------------------------------------------------------

    def reading(self, *, reading_id: str, actor: Actor) -> SavedReading:
        """Raises NotFound for an unknown reading, AccessDenied as for its assessment."""
        with self._core.unit() as session:
            row = self._reading_row(session, reading_id, actor)
            self._core.audit(
                session,
                actor,
                action=AuditAction.VIEWED,
                record=f"star_reading:{row.id}",
                family_id=row.assessment.family_id,
            )
            return _saved(row, row.assessment)

    # -- starting a reading ----------------------------------------------------------------

    def start(
        self,
        *,
        assessment_id: str,
        taken_on: date,
        occasion: OccasionKind | str,
        review_number: int | None = None,
        completed_by: CompletedBy | str,
        actor: Actor,
    ) -> SavedReading:
        """A new, empty reading for the first reading, TAF review `review_number` or closure.

        Raises:
            ValidationFailed: fields `taken_on`, `occasion`, `review_number`, `completed_by`;
                a second first reading (or a second reading for one review, or for closure)
                is refused under `occasion` / `review_number`.
        """
        chosen, errors = occasion_from(occasion, review_number)
        who = _completed_by(completed_by)
        if who is None:
            errors["completed_by"] = "Choose who is completing the star: worker and family together, worker or family."
        today = self._core.today()
        with self._core.unit() as session:
            assessment = self._core.assessment_for(session, assessment_id, actor, write=True)
            self._core.may_change(assessment)
            existing = [StarReading.from_dict(row.data) for row in assessment.star_readings]
            if chosen is not None:
                errors.update(check_new_reading(occasion=chosen, taken_on=taken_on, existing=existing, today=today))
            if errors or chosen is None or who is None:
                raise ValidationFailed(errors)
            reading = StarReading(id=str(uuid.uuid4()), taken_on=taken_on, occasion=chosen, completed_by=who)
            refusal = start_refusal(reading, existing=existing, finalised_meetings=_finalised_meetings(assessment))
            raise_if(refusal)
            now = self._core.now()
            row = StarReadingRow(
                id=reading.id,
                taken_on=reading.taken_on,
                occasion_kind=reading.occasion.kind.value,
                review_number=reading.occasion.review_number,
                data=reading.to_dict(),
                created_at=now,
                created_by=actor.username,
                updated_at=now,
                updated_by=actor.username,
            )
            assessment.star_readings.append(row)
            assessment.updated_at, assessment.updated_by = now, actor.username
            try:
                session.flush()
            except IntegrityError:
                # Someone else started the same occasion between our check and our insert.
                raise ValidationFailed(
                    {"occasion": "A reading for this occasion was started by someone else just now: open it instead."}
                ) from None
            self._core.audit(
                session,
                actor,
                action=AuditAction.CREATED,
                record=f"star_reading:{row.id}",
                family_id=assessment.family_id,
                details={"occasion": reading.occasion.label, "taken_on": str(reading.taken_on)},
            )
            return _saved(row, assessment)

    # -- scoring ---------------------------------------------------------------------------

    def score_area(
        self,
        *,
        reading_id: str,
        expected_version: int,
        area: str,
        agreed: object,
        family_score: object = None,
        worker_score: object = None,
        note: object = None,
        actor: Actor,
    ) -> SavedReading:
        """Record one area exactly as given (None clears a value): the agreed score, the
        family's and the worker's scores when they differ, and a note kept as typed.

        Raises:
            ValidationFailed: fields `area`, `score`, `family_score`, `worker_score`, `note`.
            StaleRecord: the reading was saved by someone else since `expected_version`.
        """
        score = scored_area(area=area, agreed=agreed, family_score=family_score, worker_score=worker_score, note=note)
        return self._change_reading(
            reading_id=reading_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda reading: _recorded(reading, score),
        )

    def save_scores(
        self,
        *,
        reading_id: str,
        expected_version: int,
        scores: Mapping[str, object],
        notes: Mapping[str, str | None],
        actor: Actor,
    ) -> SavedReading:
        """Quick entry: the agreed score and note of each area given, all at once; the
        family's and worker's separate scores are kept. Nothing is saved unless every area is
        acceptable.

        Raises:
            ValidationFailed: fields `<area key>.score` and `<area key>.note` (and `area`
                for a key that is not one of the ten areas).
            StaleRecord: as for `score_star_area`.
        """
        unknown = sorted({*scores, *notes} - set(AREA_KEYS))
        if unknown:
            try:
                scored_area(area=unknown[0], agreed=None)
            except ValidationFailed as exc:
                raise ValidationFailed({AREA_FIELD: exc.errors[AREA_FIELD]}) from None

        def change(reading: StarReading) -> StarReading:
            errors: dict[str, str] = {}
            updated = reading
            for key in AREA_KEYS:
                if key not in scores and key not in notes:
                    continue
                current = reading.score_for(key)
                try:
                    area_score = scored_area(
                        area=key,
                        agreed=scores.get(key, current.agreed),
                        family_score=current.family_score,
                        worker_score=current.worker_score,
                        note=notes.get(key, current.note),
                    )
                except ValidationFailed as exc:
                    for field in (SCORE_FIELD, NOTE_FIELD):
                        if field in exc.errors:
                            errors[f"{key}.{field}"] = exc.errors[field]
                    continue
                updated = _recorded(updated, area_score)
            raise_if(errors)
            return updated

        return self._change_reading(
            reading_id=reading_id, expected_version=expected_version, actor=actor, change=change
        )

    def set_completed_by(
        self, *, reading_id: str, expected_version: int, completed_by: CompletedBy | str, actor: Actor
    ) -> SavedReading:
        """Who is scoring the star: worker and family together, worker only or family only.

        Raises:
            ValidationFailed: field `completed_by`.
            StaleRecord: as for `score_star_area`.
        """
        who = _completed_by(completed_by)
        if who is None:
            raise ValidationFailed(
                {"completed_by": "Choose who is completing the star: worker and family together, worker or family."}
            )
        return self._change_reading(
            reading_id=reading_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda reading: _with_completed_by(reading, who),
        )

    # -- correcting a locked reading -------------------------------------------------------

    def correct_score(
        self,
        *,
        reading_id: str,
        area: str,
        score: object,
        reason: str,
        expected_version: int | None = None,
        actor: Actor,
    ) -> SavedReading:
        """Correct one agreed score of a locked reading. The score it replaces is kept with the
        new one, the reason, who and when (the reading's `corrections`); progress and the chart
        use the corrected score. Audited with the before and after.

        Raises:
            ValidationFailed: fields `area`, `score`, `reason`; "" when the reading is not
                locked (it is then scored as usual) or the assessment is closed.
            StaleRecord: the reading was saved by someone else since `expected_version`.
        """

        def correction_of(reading: StarReading, _a: AssessmentRow, now: datetime) -> StarReading:
            return correct_score(reading, area=area, score=score, reason=reason, by=actor.username, at=now)

        def audited(updated: StarReading) -> dict[str, object]:
            last = updated.corrections[-1]
            correction = {"area": last.area, "before": last.before, "after": last.after, "reason": last.reason}
            return {"correction": correction}

        return self._core.save(
            actor=actor,
            expected_version=expected_version,
            open=lambda session: self._reading_for(session, reading_id, actor, correcting=True),
            change=correction_of,
            details=audited,
        )

    # -- plumbing --------------------------------------------------------------------------

    def _reading_for(
        self, session: Session, reading_id: str, actor: Actor, *, correcting: bool = False
    ) -> ReadingRecord:
        """A reading opened for a change (the access check asks for write access)."""
        row = self._reading_row(session, reading_id, actor, write=True)
        return ReadingRecord(row, row.assessment, correcting=correcting)

    def _reading_row(self, session: Session, reading_id: str, actor: Actor, *, write: bool = False) -> StarReadingRow:
        return self._core.part_for(session, StarReadingRow, reading_id, actor, write=write)

    def _change_reading(
        self,
        *,
        reading_id: str,
        expected_version: int,
        actor: Actor,
        change: Callable[[StarReading], StarReading],
    ) -> SavedReading:
        """One change to a reading, through the one write path (`WorkbookCore.save`)."""
        return self._core.save(
            actor=actor,
            expected_version=expected_version,
            open=lambda session: self._reading_for(session, reading_id, actor),
            change=lambda reading, _a, _now: change(reading),
        )


class ReadingRecord(Versioned[StarReading, SavedReading]):
    """A Family Star Plus reading opened for a change. A locked reading is only corrected
    (`correcting`); a reading that is not locked is only scored."""

    def __init__(self, row: StarReadingRow, assessment: AssessmentRow, *, correcting: bool) -> None:
        super().__init__(assessment, what="This Family Star Plus reading", record=f"star_reading:{row.id}")
        self.row = row
        self.correcting = correcting

    @property
    def version(self) -> int:
        return self.row.version

    def current(self) -> StarReading:
        return StarReading.from_dict(self.row.data)

    def refusal(self) -> str | None:
        locked = _lock_of(self.current(), self.assessment)
        if self.correcting:
            return NOT_LOCKED_MESSAGE if locked is None else None
        return f"{locked} {CORRECT_HINT}" if locked is not None else None

    def put(self, updated: StarReading, *, now: datetime, by: str) -> tuple[dict[str, Any], dict[str, Any]]:
        before, self.row.data = self.row.data, updated.to_dict()
        self.row.updated_at, self.row.updated_by = now, by
        return before, self.row.data

    def result(self) -> SavedReading:
        return _saved(self.row, self.assessment)


def star_reading_records(assessment: AssessmentRow) -> tuple[StarReadingRecord, ...]:
    """An assessment's readings for the family record, in the order they were taken."""
    rows = {row.id: row for row in assessment.star_readings}
    readings = order_readings(StarReading.from_dict(row.data) for row in rows.values())
    return tuple(
        StarReadingRecord(
            reading=reading.to_dict(),
            created_at=rows[reading.id].created_at,
            created_by=rows[reading.id].created_by,
            updated_at=rows[reading.id].updated_at,
            updated_by=rows[reading.id].updated_by,
        )
        for reading in readings
    )


def star_reading_rows(record: AssessmentRecord) -> list[StarReadingRow]:
    """Rows for an imported assessment's readings (already checked by `eha.record.parse_record`,
    checked again here because a record can also be built in code)."""
    check_star_readings(record)
    rows = []
    for item in record.star_readings:
        reading = StarReading.from_dict(item.reading)
        rows.append(
            StarReadingRow(
                id=reading.id,
                taken_on=reading.taken_on,
                occasion_kind=reading.occasion.kind.value,
                review_number=reading.occasion.review_number,
                data=reading.to_dict(),
                created_at=item.created_at,
                created_by=item.created_by,
                updated_at=item.updated_at,
                updated_by=item.updated_by,
            )
        )
    return rows


def readings_of(assessment: AssessmentRow) -> tuple[SavedReading, ...]:
    """The assessment's readings in the order they were taken (date, then first/review/closure).
    Each stored reading is decoded once, and the finalised meetings found once: every opened
    assessment comes through here, so its cost is on every screen."""
    parsed = [(row, StarReading.from_dict(row.data)) for row in assessment.star_readings]
    finalised = _finalised_meetings(assessment)
    saved = [
        _saved_as(
            row,
            reading,
            locked=lock_reason(
                reading, readings=[other for o, other in parsed if o.id != row.id], finalised_meetings=finalised
            ),
        )
        for row, reading in parsed
    ]
    order = {r.id: n for n, r in enumerate(order_readings(s.reading for s in saved))}
    return tuple(sorted(saved, key=lambda s: order[s.reading.id]))


def _finalised_meetings(assessment: AssessmentRow) -> set[int]:
    """The numbers of the assessment's finalised TAF meetings (review n is meeting n)."""
    return {m.number for m in assessment.taf_meetings if TafMeeting.model_validate(m.data).finalised}


def _lock_of(reading: StarReading, assessment: AssessmentRow) -> str | None:
    others = [StarReading.from_dict(r.data) for r in assessment.star_readings if r.id != reading.id]
    return lock_reason(reading, readings=others, finalised_meetings=_finalised_meetings(assessment))


def _saved(row: StarReadingRow, assessment: AssessmentRow) -> SavedReading:
    reading = StarReading.from_dict(row.data)
    return _saved_as(row, reading, locked=_lock_of(reading, assessment))


def _saved_as(row: StarReadingRow, reading: StarReading, *, locked: str | None) -> SavedReading:
    return SavedReading(
        assessment_id=row.assessment_id,
        reading=reading,
        version=row.version,
        saved_at=row.updated_at,
        saved_by=row.updated_by,
        locked=locked,
    )


def _recorded(reading: StarReading, score: AreaScore) -> StarReading:
    """The reading with this area exactly as given (cleared first, so None clears)."""
    return reading.without_score(score.area).with_score(
        score.area,
        agreed=score.agreed,
        family=score.family_score,
        worker=score.worker_score,
        note=score.note,
    )


def _completed_by(value: object) -> CompletedBy | None:
    try:
        return CompletedBy(str(value))
    except ValueError:
        return None


def _with_completed_by(reading: StarReading, who: CompletedBy) -> StarReading:
    return dataclasses.replace(reading, completed_by=who)
