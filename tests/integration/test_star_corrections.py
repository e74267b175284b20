"""The baseline star cannot be re-scored after the fact: a reading is locked once a later
reading has been scored or its TAF meeting is finalised, and a correction after that needs a
reason, is audited and keeps both values. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from eha.actor import Actor
from eha.errors import StaleRecord, ValidationFailed
from eha.record import parse_record
from star import AREA_KEYS, CompletedBy, OccasionKind, progress
from storage.services import Workbook
from tests.integration.test_taf import agree_lead, write_up
from tests.support.eha import completed_family
from tests.support.hostile import HOSTILE, LONG

OPERATOR = Actor.system("test")
LOCKED_BY_REVIEW = "This reading is locked because review 1 was scored after it."


def scored(workbook: Workbook, assessment_id: str, actor: Actor, scores: list[int], **start):
    today = workbook.today()
    arguments = {"taken_on": today, "occasion": OccasionKind.FIRST, "completed_by": CompletedBy.TOGETHER} | start
    saved = workbook.star.start(assessment_id=assessment_id, actor=actor, **arguments)
    return workbook.star.save_scores(
        reading_id=saved.reading.id,
        expected_version=saved.version,
        scores=dict(zip(AREA_KEYS, scores, strict=True)),
        notes={},
        actor=actor,
    )


@pytest.fixture
def first_and_review(workbook: Workbook, sam: Actor):
    """A completed assessment: the first reading scored 3s, then review 1 scored 6s."""
    _, assessment_id = completed_family(workbook, sam)
    first = scored(workbook, assessment_id, sam, [3] * 10, taken_on=workbook.today() - timedelta(days=2))
    review = scored(workbook, assessment_id, sam, [6] * 10, occasion=OccasionKind.REVIEW, review_number=1)
    return assessment_id, first, review


def test_the_first_reading_is_locked_once_a_review_is_scored(workbook: Workbook, sam: Actor, first_and_review):
    _, first, review = first_and_review
    current = workbook.star.reading(reading_id=first.reading.id, actor=sam)
    assert current.locked == LOCKED_BY_REVIEW
    assert workbook.star.reading(reading_id=review.reading.id, actor=sam).locked is None
    attempts = [
        lambda: workbook.star.score_area(
            reading_id=first.reading.id, expected_version=current.version, area="physical_health", agreed=9, actor=sam
        ),
        lambda: workbook.star.save_scores(
            reading_id=first.reading.id,
            expected_version=current.version,
            scores={"physical_health": 9},
            notes={},
            actor=sam,
        ),
        lambda: workbook.star.set_completed_by(
            reading_id=first.reading.id, expected_version=current.version, completed_by="worker_only", actor=sam
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationFailed) as caught:
            attempt()
        assert caught.value.errors[""].startswith(LOCKED_BY_REVIEW)
        assert "corrected, giving the reason" in caught.value.errors[""]
    assert workbook.star.reading(reading_id=first.reading.id, actor=sam) == current
    # The operator is held to it too: the rule is about the record, not the person.
    with pytest.raises(ValidationFailed, match="locked"):
        workbook.star.score_area(
            reading_id=first.reading.id,
            expected_version=current.version,
            area="physical_health",
            agreed=9,
            actor=OPERATOR,
        )


def test_a_review_reading_is_locked_once_its_meeting_is_finalised(workbook: Workbook, sam: Actor):
    _, assessment_id = completed_family(workbook, sam)
    agree_lead(workbook, assessment_id, sam)
    meeting = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    review = workbook.star.start(
        assessment_id=assessment_id,
        taken_on=workbook.today(),
        occasion=OccasionKind.REVIEW,
        review_number=1,
        completed_by=CompletedBy.TOGETHER,
        actor=sam,
    )
    saved = workbook.star.score_area(
        reading_id=review.reading.id, expected_version=review.version, area="routine", agreed=5, actor=sam
    )
    assert saved.locked is None
    version = write_up(workbook, meeting.meeting_id, meeting.version, sam)
    workbook.taf.finalise_meeting(meeting_id=meeting.meeting_id, expected_version=version, actor=sam)
    locked = workbook.star.reading(reading_id=review.reading.id, actor=sam)
    assert locked.locked == "This reading is locked because TAF meeting 1 has been finalised."
    with pytest.raises(ValidationFailed, match="TAF meeting 1 has been finalised"):
        workbook.star.score_area(
            reading_id=review.reading.id, expected_version=locked.version, area="routine", agreed=6, actor=sam
        )


def test_a_reading_that_would_be_locked_at_once_cannot_be_started(workbook: Workbook, sam: Actor):
    _, assessment_id = completed_family(workbook, sam)
    scored(workbook, assessment_id, sam, [6] * 10, occasion=OccasionKind.REVIEW, review_number=1)
    with pytest.raises(ValidationFailed) as caught:
        workbook.star.start(
            assessment_id=assessment_id,
            taken_on=workbook.today() - timedelta(days=1),
            occasion=OccasionKind.FIRST,
            completed_by=CompletedBy.TOGETHER,
            actor=sam,
        )
    assert "would come before review 1, which has already been scored" in caught.value.errors["taken_on"]
    assert len(workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_readings) == 1


def test_a_correction_needs_a_reason_and_keeps_both_values(workbook: Workbook, sam: Actor, first_and_review):
    assessment_id, first, review = first_and_review
    # Nothing to correct while a reading can still be scored as usual.
    with pytest.raises(ValidationFailed) as caught:
        workbook.star.correct_score(reading_id=review.reading.id, area="routine", score=7, reason="x", actor=sam)
    assert "not locked" in caught.value.errors[""]
    with pytest.raises(ValidationFailed) as caught:
        workbook.star.correct_score(reading_id=first.reading.id, area="routine", score=4, reason="  ", actor=sam)
    assert caught.value.errors == {"reason": "Enter the reason for the correction."}
    with pytest.raises(ValidationFailed) as caught:
        workbook.star.correct_score(reading_id=first.reading.id, area="routine", score=0, reason="why", actor=sam)
    assert set(caught.value.errors) == {"score"}
    stale = workbook.star.reading(reading_id=first.reading.id, actor=sam).version - 1
    with pytest.raises(StaleRecord):
        workbook.star.correct_score(
            reading_id=first.reading.id, area="routine", score=4, reason="x", expected_version=stale, actor=sam
        )
    assert workbook.star.reading(reading_id=first.reading.id, actor=sam).reading.corrections == ()

    reason = HOSTILE + LONG
    fixed = workbook.star.correct_score(reading_id=first.reading.id, area="routine", score=5, reason=reason, actor=sam)
    assert fixed.reading.agreed("routine") == 5
    [correction] = fixed.reading.corrections
    assert (correction.area, correction.before, correction.after, correction.reason, correction.by) == (
        "routine",
        3,
        5,
        reason,
        "sam.worker",
    )
    assert correction.at == workbook.now()
    assert fixed.locked == LOCKED_BY_REVIEW  # still locked: a correction is not a re-scoring

    # Distance travelled is measured from the corrected score.
    readings = [s.reading for s in workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_readings]
    routine = next(a for a in progress(readings[0], readings[1]).areas if a.area.key == "routine")
    assert (routine.first, routine.latest, routine.change) == (5, 6, 1)

    entry = workbook.audit.trail(actor=OPERATOR, record=f"star_reading:{first.reading.id}", per_page=1)[0].entry
    details = json.loads(entry.details)
    assert entry.action == "changed" and entry.actor == "sam.worker"
    assert details["correction"] == {"area": "routine", "before": 3, "after": 5, "reason": reason}


def test_corrections_travel_with_the_exported_record(make_workbook, sam: Actor, first_and_review, tmp_path):
    assessment_id, first, _review = first_and_review
    source = make_workbook()
    source.star.correct_score(reading_id=first.reading.id, area="routine", score=5, reason=HOSTILE, actor=sam)
    family_id = source.families.of_assessment(assessment_id=assessment_id, actor=sam)
    text = source.families.export(family_id=family_id, actor=sam).to_json()
    exported = json.loads(text)["assessments"][0]["star_readings"][0]["reading"]
    assert exported["corrections"][0] | {"at": None} == {
        "area": "routine",
        "before": 3,
        "after": 5,
        "reason": HOSTILE,
        "by": "sam.worker",
        "at": None,
    }

    from eha.localities import load_localities
    from storage.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        target = Workbook(engine, localities=load_localities())
        target.families.import_record(record=parse_record(text), actor=OPERATOR)
        again = target.star.reading(reading_id=first.reading.id, actor=OPERATOR)
        assert again.reading == source.star.reading(reading_id=first.reading.id, actor=sam).reading
        assert again.locked == LOCKED_BY_REVIEW
    finally:
        engine.dispose()
