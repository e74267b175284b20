"""Family Star Plus readings through the service layer, on SQLite and on a real PostgreSQL."""

import copy
import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from eha.actor import Actor, Role, TeamRole
from eha.errors import AccessDenied, ImportRefused, NotFound, StaleRecord, ValidationFailed
from eha.record import parse_record
from star import AREA_KEYS, CompletedBy, OccasionKind
from storage.models import AssessmentRow
from storage.services import Workbook
from tests.integration.test_family_record import new_family
from tests.support import AUDIT_KEY
from tests.support.clock import NOW
from tests.support.eha import without_import_notes
from tests.support.hostile import HOSTILE, LONG

TODAY = NOW.date()  # the clock fixture's day


def start(workbook: Workbook, assessment_id: str, actor: Actor, **changes):
    arguments = {
        "assessment_id": assessment_id,
        "taken_on": TODAY,
        "occasion": OccasionKind.FIRST,
        "completed_by": CompletedBy.TOGETHER,
        "actor": actor,
        **changes,
    }
    return workbook.star.start(**arguments)


def close(workbook: Workbook, assessment_id: str) -> None:
    # Closing a TAF belongs to another part of the workbook; here only its effect matters.
    with workbook._core.unit() as session:
        session.execute(update(AssessmentRow).where(AssessmentRow.id == assessment_id).values(status="closed"))


def test_a_reading_is_started_and_scored_one_area_at_a_time(workbook: Workbook, sam: Actor, clock):
    _, assessment_id = new_family(workbook, sam)
    started = start(workbook, assessment_id, sam)
    assert started.reading.occasion.label == "First reading"
    assert started.reading.missing_areas() and len(started.reading.missing_areas()) == 10
    version = started.version
    for number, key in enumerate(AREA_KEYS, start=1):
        clock.offset += timedelta(seconds=30)
        saved = workbook.star.score_area(
            reading_id=started.reading.id, expected_version=version, area=key, agreed=number, actor=sam
        )
        assert saved.version == version + 1
        assert saved.saved_at == clock() and saved.saved_by == "sam.worker"
        version = saved.version
    stored = workbook.star.reading(reading_id=started.reading.id, actor=sam)
    assert stored.reading.agreed_scores() == dict(zip(AREA_KEYS, range(1, 11), strict=True))
    assert stored.reading.is_complete
    assert stored.version == version
    assert [s.reading.id for s in workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_readings] == [
        started.reading.id
    ]


def test_a_stale_save_is_refused_and_the_other_save_is_kept(make_workbook, sam: Actor):
    tablet, laptop = make_workbook(), make_workbook()
    kit = Actor(username="kit.lead", display_name="Kit", role=Role.PRACTITIONER)
    family_id, assessment_id = new_family(tablet, sam)
    tablet.families.add_to_team(family_id=family_id, username=kit.username, team_role=TeamRole.TAF_MEMBER, actor=sam)
    reading = start(tablet, assessment_id, sam)
    laptop.star.score_area(
        reading_id=reading.reading.id, expected_version=reading.version, area="routine", agreed=6, actor=kit
    )
    with pytest.raises(StaleRecord, match="changed by someone else since you opened it"):
        tablet.star.score_area(
            reading_id=reading.reading.id, expected_version=reading.version, area="routine", agreed=2, actor=sam
        )
    latest = tablet.star.reading(reading_id=reading.reading.id, actor=sam)
    assert latest.reading.agreed("routine") == 6
    assert latest.saved_by == "kit.lead"


@pytest.mark.parametrize(
    ("area", "agreed", "field", "message"),
    [
        ("routine", 11, "score", "Score for Family routine must be a whole number from 1 to 10 (got 11)."),
        ("routine", 0, "score", "from 1 to 10 (got 0)"),
        ("routine", 4.5, "score", "whole number from 1 to 10 (got 4.5)"),
        ("routine", "7", "score", "whole number from 1 to 10 (got '7')"),
        ("routine", True, "score", "(got True)"),
        ("eleventh_area", 5, "area", "Family Star Plus has only these ten areas"),
    ],
)
def test_a_bad_score_or_an_eleventh_area_is_refused_with_a_clear_message(
    workbook: Workbook, sam: Actor, area, agreed, field, message
):
    _, assessment_id = new_family(workbook, sam)
    reading = start(workbook, assessment_id, sam)
    workbook.star.score_area(
        reading_id=reading.reading.id, expected_version=reading.version, area="routine", agreed=5, actor=sam
    )
    with pytest.raises(ValidationFailed) as caught:
        workbook.star.score_area(
            reading_id=reading.reading.id, expected_version=reading.version + 1, area=area, agreed=agreed, actor=sam
        )
    assert list(caught.value.errors) == [field]
    assert message in caught.value.errors[field]
    after = workbook.star.reading(reading_id=reading.reading.id, actor=sam)
    assert after.version == reading.version + 1  # nothing saved by the refused call
    assert after.reading.agreed("routine") == 5


def test_a_part_done_reading_is_kept_and_finished_later(make_workbook, sam: Actor, clock):
    first_visit = make_workbook()
    _, assessment_id = new_family(first_visit, sam)
    reading = start(first_visit, assessment_id, sam)
    version = reading.version
    for key in AREA_KEYS[:4]:
        version = first_visit.star.score_area(
            reading_id=reading.reading.id, expected_version=version, area=key, agreed=3, actor=sam
        ).version

    clock.offset += timedelta(days=2)
    next_visit = make_workbook()  # the tablet slept; another server process picks it up
    resumed = next_visit.star.reading(reading_id=reading.reading.id, actor=sam)
    assert [a.key for a in resumed.reading.missing_areas()] == list(AREA_KEYS[4:])
    assert not resumed.reading.is_complete
    version = resumed.version
    for key in AREA_KEYS[4:]:
        version = next_visit.star.score_area(
            reading_id=reading.reading.id, expected_version=version, area=key, agreed=7, actor=sam
        ).version
    done = next_visit.star.reading(reading_id=reading.reading.id, actor=sam)
    assert done.reading.is_complete
    assert done.reading.agreed_scores() == {key: 3 if key in AREA_KEYS[:4] else 7 for key in AREA_KEYS}


def test_disagreement_is_stored_with_the_agreed_score_and_a_note_kept_exactly(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    reading = start(workbook, assessment_id, sam)
    note = HOSTILE + LONG
    saved = workbook.star.score_area(
        reading_id=reading.reading.id,
        expected_version=reading.version,
        area="keeping_safe",
        agreed=5,
        family_score=7,
        worker_score=4,
        note=note,
        actor=sam,
    )
    area = workbook.star.reading(reading_id=reading.reading.id, actor=sam).reading.score_for("keeping_safe")
    assert (area.agreed, area.family_score, area.worker_score) == (5, 7, 4)
    assert area.note == note
    assert area.disagree
    # Agreeing after all: the separate scores are cleared, the note stays.
    workbook.star.score_area(
        reading_id=reading.reading.id,
        expected_version=saved.version,
        area="keeping_safe",
        agreed=6,
        note=note,
        actor=sam,
    )
    area = workbook.star.reading(reading_id=reading.reading.id, actor=sam).reading.score_for("keeping_safe")
    assert (area.agreed, area.family_score, area.worker_score, area.note) == (6, None, None, note)


def test_a_bad_family_or_worker_score_names_its_own_field(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    reading = start(workbook, assessment_id, sam)
    with pytest.raises(ValidationFailed) as caught:
        workbook.star.score_area(
            reading_id=reading.reading.id,
            expected_version=reading.version,
            area="home_money",
            agreed=5,
            family_score=12,
            worker_score=-1,
            note="fine\x00",
            actor=sam,
        )
    assert set(caught.value.errors) == {"family_score", "worker_score", "note"}
    assert caught.value.errors["family_score"].startswith("The family's score for Home and money")
    assert "NUL" in caught.value.errors["note"]


def test_only_one_first_reading_and_one_per_review(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    start(workbook, assessment_id, sam)
    with pytest.raises(ValidationFailed) as caught:
        start(workbook, assessment_id, sam)
    assert "already has its first reading" in caught.value.errors["occasion"]
    review = start(workbook, assessment_id, sam, occasion="review", review_number=1, taken_on=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        start(workbook, assessment_id, sam, occasion="review", review_number=1)
    assert "already a reading for TAF review 1" in caught.value.errors["review_number"]
    with pytest.raises(ValidationFailed) as caught:
        start(workbook, assessment_id, sam, occasion="review", review_number=None)
    assert "number of the TAF review" in caught.value.errors["review_number"]
    with pytest.raises(ValidationFailed) as caught:
        start(workbook, assessment_id, sam, occasion="review", review_number=2, taken_on=TODAY + timedelta(days=1))
    assert "today or in the past" in caught.value.errors["taken_on"]
    with pytest.raises(ValidationFailed) as caught:
        start(workbook, assessment_id, sam, occasion="review", review_number=2, completed_by="the cat")
    assert "who is completing" in caught.value.errors["completed_by"]
    # What the screen offers (1 to 99) is the service's rule too, so no number too big to store gets in.
    with pytest.raises(ValidationFailed) as caught:
        start(workbook, assessment_id, sam, occasion="review", review_number=10**20)
    assert caught.value.errors["review_number"] == "The TAF review number must be from 1 to 99."
    labels = [
        s.reading.occasion.label
        for s in workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_readings
    ]
    assert labels == ["First reading", "Review 1"]
    assert review.reading.completed_by is CompletedBy.TOGETHER


def test_readings_are_listed_in_the_order_they_were_taken(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    start(workbook, assessment_id, sam, occasion="closure", taken_on=TODAY)
    start(workbook, assessment_id, sam, occasion="review", review_number=2, taken_on=TODAY - timedelta(days=30))
    start(workbook, assessment_id, sam, taken_on=TODAY - timedelta(days=90))
    start(workbook, assessment_id, sam, occasion="review", review_number=1, taken_on=TODAY - timedelta(days=60))
    listed = workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_readings
    assert [s.reading.occasion.label for s in listed] == ["First reading", "Review 1", "Review 2", "Closure"]
    assert all(s.version == 1 and s.assessment_id == assessment_id for s in listed)


def test_who_completed_it_can_be_changed(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    reading = start(workbook, assessment_id, sam)
    saved = workbook.star.set_completed_by(
        reading_id=reading.reading.id, expected_version=reading.version, completed_by="family_only", actor=sam
    )
    assert saved.reading.completed_by is CompletedBy.FAMILY_ONLY
    with pytest.raises(ValidationFailed, match="completed_by"):
        workbook.star.set_completed_by(
            reading_id=reading.reading.id, expected_version=saved.version, completed_by="nobody", actor=sam
        )
    with pytest.raises(StaleRecord):
        workbook.star.set_completed_by(
            reading_id=reading.reading.id, expected_version=reading.version, completed_by="worker_only", actor=sam
        )


def test_quick_entry_saves_every_area_or_nothing(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    reading = start(workbook, assessment_id, sam)
    first = workbook.star.score_area(
        reading_id=reading.reading.id,
        expected_version=reading.version,
        area="routine",
        agreed=3,
        family_score=4,
        worker_score=2,
        actor=sam,
    )
    scores = dict(zip(AREA_KEYS, range(1, 11), strict=True))
    with pytest.raises(ValidationFailed) as caught:
        workbook.star.save_scores(
            reading_id=reading.reading.id,
            expected_version=first.version,
            scores={**scores, "education": 0, "boundaries": None},
            notes={"well_being": HOSTILE, "home_money": "\x00"},
            actor=sam,
        )
    assert set(caught.value.errors) == {"education.score", "home_money.note"}
    assert workbook.star.reading(reading_id=reading.reading.id, actor=sam).version == first.version

    saved = workbook.star.save_scores(
        reading_id=reading.reading.id,
        expected_version=first.version,
        scores={**scores, "boundaries": None},
        notes={"well_being": HOSTILE},
        actor=sam,
    )
    assert saved.reading.agreed_scores() == {**scores, "boundaries": None}
    assert saved.reading.score_for("well_being").note == HOSTILE
    routine = saved.reading.score_for("routine")
    assert (routine.agreed, routine.family_score, routine.worker_score) == (8, 4, 2)
    with pytest.raises(ValidationFailed) as caught:
        workbook.star.save_scores(
            reading_id=reading.reading.id, expected_version=saved.version, scores={"eleventh": 3}, notes={}, actor=sam
        )
    assert "only these ten areas" in caught.value.errors["area"]


def test_a_closed_assessment_is_read_only(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    reading = start(workbook, assessment_id, sam)
    close(workbook, assessment_id)
    with pytest.raises(ValidationFailed, match="closed"):
        workbook.star.score_area(
            reading_id=reading.reading.id, expected_version=reading.version, area="routine", agreed=5, actor=sam
        )
    with pytest.raises(ValidationFailed, match="closed"):
        start(workbook, assessment_id, sam, occasion="closure")
    with pytest.raises(ValidationFailed, match="closed"):
        workbook.star.save_scores(
            reading_id=reading.reading.id, expected_version=reading.version, scores={"routine": 5}, notes={}, actor=sam
        )
    # Still readable.
    assert workbook.star.reading(reading_id=reading.reading.id, actor=sam).reading.agreed("routine") is None
    assert len(workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_readings) == 1


def test_unknown_readings_and_people_without_a_case_role_are_refused(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    reading = start(workbook, assessment_id, sam)
    admin = Actor(username="ada.admin", display_name="Ada", role=Role.ADMIN)
    # An unknown id is refused like someone else's record, so ids cannot be probed.
    with pytest.raises(AccessDenied, match="You don't have access to this record"):
        workbook.star.reading(reading_id="no-such-reading", actor=sam)
    with pytest.raises(NotFound):
        workbook.star.reading(reading_id="no-such-reading", actor=Actor.system("test"))
    with pytest.raises(AccessDenied):
        workbook.star.reading(reading_id=reading.reading.id, actor=admin)
    with pytest.raises(AccessDenied):
        workbook.assessments.open(assessment_id=assessment_id, actor=admin)
    with pytest.raises(AccessDenied):
        workbook.star.score_area(
            reading_id=reading.reading.id, expected_version=reading.version, area="routine", agreed=5, actor=admin
        )
    with pytest.raises(AccessDenied):
        start(workbook, assessment_id, admin, occasion="closure")


def test_the_family_record_carries_the_star_readings_through_export_and_import(
    make_workbook, sam: Actor, tmp_path, clock
):
    source = make_workbook()
    family_id, assessment_id = new_family(source, sam)
    first = start(source, assessment_id, sam, taken_on=TODAY - timedelta(days=42))
    version = first.version
    for number, key in enumerate(AREA_KEYS, start=1):
        version = source.star.score_area(
            reading_id=first.reading.id,
            expected_version=version,
            area=key,
            agreed=max(1, number - 2),
            family_score=number if key == "routine" else None,
            worker_score=2 if key == "routine" else None,
            note=HOSTILE if key == "education" else None,
            actor=sam,
        ).version
    clock.offset += timedelta(days=42)
    review = start(source, assessment_id, sam, occasion="review", review_number=1, completed_by="worker_only")
    source.star.score_area(
        reading_id=review.reading.id, expected_version=review.version, area="well_being", agreed=9, actor=sam
    )
    exported = source.families.export(family_id=family_id, actor=sam).to_json()
    readings = parse_record(exported).assessments[0].star_readings
    assert [r.reading["occasion"]["kind"] for r in readings] == ["first", "review"]
    assert readings[0].reading["is_complete"] is True and readings[1].reading["is_complete"] is False

    from eha.localities import load_localities
    from storage.db import make_engine, upgrade

    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(empty_url)
    target = Workbook(make_engine(empty_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    target.families.import_record(record=parse_record(exported), actor=sam)
    assert without_import_notes(target.families.export(family_id=family_id, actor=sam).to_json()) == exported
    imported = target.assessments.open(assessment_id=assessment_id, actor=sam).star_readings
    assert [s.reading for s in imported] == [
        s.reading for s in source.assessments.open(assessment_id=assessment_id, actor=sam).star_readings
    ]
    assert imported[0].reading.score_for("education").note == HOSTILE
    # The imported reading can be scored on in its new home.
    target.star.score_area(
        reading_id=review.reading.id, expected_version=imported[1].version, area="routine", agreed=4, actor=sam
    )


def test_an_exported_file_with_a_bad_reading_is_refused_saying_which(workbook: Workbook, sam: Actor):
    family_id, assessment_id = new_family(workbook, sam)
    reading = start(workbook, assessment_id, sam)
    workbook.star.score_area(
        reading_id=reading.reading.id, expected_version=reading.version, area="routine", agreed=5, actor=sam
    )
    document = json.loads(workbook.families.export(family_id=family_id, actor=sam).to_json())
    stored = document["assessments"][0]["star_readings"][0]

    eleven = copy.deepcopy(document)
    eleven["assessments"][0]["star_readings"][0]["reading"]["scores"][7]["agreed"] = 11
    with pytest.raises(ImportRefused, match=r"star reading 1: Score for Family routine .* \(got 11\)"):
        parse_record(json.dumps(eleven))

    twice = copy.deepcopy(document)
    second = copy.deepcopy(stored)
    second["reading"]["id"] = "another-id"
    twice["assessments"][0]["star_readings"].append(second)
    with pytest.raises(ImportRefused, match="two star readings for first reading"):
        parse_record(json.dumps(twice))

    older = copy.deepcopy(document)
    del older["assessments"][0]["star_readings"]  # a record from before readings were exported
    assert parse_record(json.dumps(older)).assessments[0].star_readings == ()


def test_eha_export_and_import_carry_the_readings(database_url: str, tmp_path, sam: Actor):
    from eha.localities import load_localities
    from storage.db import make_engine, upgrade
    from tests.integration.test_cli import eha

    upgrade(database_url)
    engine = make_engine(database_url)
    workbook = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
    _, assessment_id = new_family(workbook, sam)
    reading = workbook.star.start(
        assessment_id=assessment_id,
        taken_on=workbook.today(),
        occasion="first",
        completed_by="worker_and_family",
        actor=sam,
    )
    workbook.star.score_area(
        reading_id=reading.reading.id, expected_version=reading.version, area="education", agreed=8, actor=sam
    )
    engine.dispose()
    exported = eha(database_url, "export", assessment_id).stdout
    path = tmp_path / "family.json"
    path.write_text(exported, encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    eha(other, "import", str(path))
    again = eha(other, "export", assessment_id).stdout
    # The operator who imported is the author now; the readings are as they were.
    readings = json.loads(again)["assessments"][0]["star_readings"]
    assert readings == json.loads(exported)["assessments"][0]["star_readings"]
    assert readings[0]["reading"]["scores"][5]["agreed"] == 8


def test_section_three_of_the_assessment_follows_the_first_reading(workbook: Workbook, sam: Actor):
    from eha.assessment import Section
    from eha.family import SectionStatus

    _, assessment_id = new_family(workbook, sam)

    def status() -> SectionStatus:
        return workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_status

    assert status() is SectionStatus.NOT_STARTED
    started = start(workbook, assessment_id, sam)
    version = started.version
    assert status() is SectionStatus.IN_PROGRESS
    for number, key in enumerate(AREA_KEYS, start=1):
        version = workbook.star.score_area(
            reading_id=started.reading.id, expected_version=version, area=key, agreed=number, actor=sam
        ).version
        assert status() is (SectionStatus.COMPLETE if number == 10 else SectionStatus.IN_PROGRESS)
    # A review's reading does not stand for the assessment's first one.
    _, other = new_family(workbook, sam, child="Oliver Smith", carer="Jane Smith")
    start(workbook, other, sam, occasion=OccasionKind.REVIEW, review_number=1)
    assert workbook.assessments.open(assessment_id=other, actor=sam).star_status is SectionStatus.NOT_STARTED
    assert (
        workbook.assessments.open(assessment_id=assessment_id, actor=sam).status_of(Section.STAR)
        is SectionStatus.COMPLETE
    )
