"""The family record through the service layer, on SQLite and on a real PostgreSQL."""

from datetime import date, timedelta

import pytest

from eha.actor import Actor, Role, TeamRole
from eha.background import Carer, Child, Professional, SignificantAdult
from eha.errors import AccessDenied, DuplicateFamily, NotFound, StaleRecord, ValidationFailed
from eha.family import AssessmentStatus
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.hostile import HOSTILE, LONG, SAMPLES


def new_family(
    workbook: Workbook,
    actor: Actor,
    *,
    child: str = "Zoë Nowak",
    born: date = date(2018, 2, 3),
    carer: str = "Agnieszka Nowak",
):
    return workbook.families.create(
        locality="north",
        address="12 Church Lane\nBanbury\nOX16 4HW",
        main_carer=Carer(name=carer, relationship="Mother"),
        child=Child(name=child, date_of_birth=born),
        actor=actor,
    )


def test_a_new_family_has_a_draft_assessment_with_the_first_people(workbook: Workbook, sam: Actor):
    family_id, assessment_id = new_family(workbook, sam)
    view = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert view.family_id == family_id
    assert view.status is AssessmentStatus.DRAFT
    assert view.started_on == date(2026, 11, 22)
    assert [c.name for c in view.background.data.children] == ["Zoë Nowak"]
    assert view.background.data.main_carer() is not None
    assert view.background.saved is not None and view.background.saved.saved_by == "sam.worker"
    assert view.reference.startswith("EH-") and family_id not in view.reference


def test_families_are_found_by_name_date_of_birth_or_reference(workbook: Workbook, sam: Actor):
    family_id, _ = new_family(workbook, sam)
    new_family(workbook, sam, child="Oliver Smith", born=date(2020, 6, 1), carer="Jane Smith")
    reference = workbook.families.get(family_id=family_id, actor=sam).reference

    def found(query: str) -> list[str]:
        return [f.family_id for f in workbook.families.search(query=query, actor=sam)]

    assert found("zoe") == [family_id]
    assert found("NOWAK") == [family_id]
    assert found("Agnieszka") == [family_id]  # a carer's name
    assert found("03/02/2018") == [family_id]
    assert found("2018-02-03") == [family_id]
    assert found(reference.lower()) == [family_id]
    assert found("nobody by this name") == []
    assert found("%") == []  # LIKE wildcards are searched for literally
    assert len(found("")) == 2


def test_creating_a_family_for_a_known_child_shows_the_existing_family(workbook: Workbook, sam: Actor):
    family_id, _ = new_family(workbook, sam)
    with pytest.raises(DuplicateFamily) as caught:
        new_family(workbook, sam, child="  zoe   NOWAK ")
    assert caught.value.family_id == family_id
    assert len(workbook.families.all(actor=sam)) == 1
    # Same name, different date of birth: a different child.
    new_family(workbook, sam, born=date(2019, 2, 3))
    assert len(workbook.families.all(actor=sam)) == 2


def test_bad_input_is_refused_field_by_field_and_nothing_saved_is_lost(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    before = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    cases = [
        (Child(name="Amelia", date_of_birth=date(2026, 11, 23)), "date_of_birth"),
        (Child(name="Baby", born=False, due_date=date(2026, 11, 21)), "due_date"),
        (Child(name="", date_of_birth=date(2020, 1, 1)), "name"),
        (Professional(name=LONG), "name"),
    ]
    for member, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            workbook.assessments.save_member(
                assessment_id=assessment_id, expected_version=before.background.version, member=member, actor=sam
            )
        assert field in caught.value.errors
    after = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert after.background == before.background
    assert after.background.version == before.background.version


def test_hostile_and_very_long_text_round_trips_exactly(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    version = workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.version
    saved = workbook.assessments.save_details(
        assessment_id=assessment_id, expected_version=version, address=HOSTILE, reason=HOSTILE + LONG, actor=sam
    )
    adult = SignificantAdult(name=HOSTILE.strip()[:200], relationship=HOSTILE, contact=SAMPLES["direction-overrides"])
    workbook.assessments.save_member(
        assessment_id=assessment_id, expected_version=saved.version, member=adult, actor=sam
    )
    view = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert view.background.data.address == HOSTILE
    assert view.background.data.reason == HOSTILE + LONG
    assert view.background.data.adults == (adult,)
    assert [f.family_id for f in workbook.families.search(query="مريم", actor=sam)]


def test_a_second_stale_save_is_refused_and_neither_version_is_lost(make_workbook, sam: Actor, clock):
    # Two people on two servers open the same section.
    mine, theirs = make_workbook(), make_workbook()
    kit = Actor(username="kit.lead", display_name="Kit", role=Role.PRACTITIONER)
    family_id, assessment_id = new_family(mine, sam)
    mine.families.add_to_team(family_id=family_id, username=kit.username, team_role=TeamRole.LEAD, actor=sam)
    opened = mine.assessments.open(assessment_id=assessment_id, actor=sam).background.version
    also_opened = theirs.assessments.open(assessment_id=assessment_id, actor=kit).background.version
    assert opened == also_opened

    clock.offset += timedelta(minutes=5)
    first = theirs.assessments.save_details(
        assessment_id=assessment_id,
        expected_version=also_opened,
        address="Kit's address",
        reason="Kit's reason",
        actor=kit,
    )
    with pytest.raises(StaleRecord, match=r"^The family background was changed by someone else since you opened it"):
        mine.assessments.save_details(
            assessment_id=assessment_id, expected_version=opened, address="Sam's", reason="Sam's", actor=sam
        )
    view = mine.assessments.open(assessment_id=assessment_id, actor=sam)
    assert (view.background.data.address, view.background.data.reason) == ("Kit's address", "Kit's reason")
    assert view.background.version == first.version
    assert view.background.saved is not None and view.background.saved.saved_by == "kit.lead"
    # Against the latest version, the save goes through.
    mine.assessments.save_details(
        assessment_id=assessment_id, expected_version=first.version, address="Sam's", reason="R", actor=sam
    )


def test_people_are_added_changed_and_removed_and_the_search_index_follows(workbook: Workbook, sam: Actor):
    family_id, assessment_id = new_family(workbook, sam)
    version = workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.version
    sibling = Child(name="Łukasz Nowak", date_of_birth=date(2021, 7, 7))
    version = workbook.assessments.save_member(
        assessment_id=assessment_id, expected_version=version, member=sibling, actor=sam
    ).version
    assert [f.family_id for f in workbook.families.search(query="lukasz", actor=sam)] == [family_id]
    version = workbook.assessments.remove_member(
        assessment_id=assessment_id, expected_version=version, member_id=sibling.id, actor=sam
    ).version
    assert workbook.families.search(query="lukasz", actor=sam).total == 0
    assert workbook.families.get(family_id=family_id, actor=sam).children == ("Zoë Nowak",)


def test_unknown_ids_and_people_without_a_case_role_are_refused(workbook: Workbook, sam: Actor):
    family_id, assessment_id = new_family(workbook, sam)
    # An unknown id gets the same answer as someone else's record, so ids cannot be probed.
    with pytest.raises(AccessDenied, match="You don't have access to this record"):
        workbook.assessments.open(assessment_id="00000000-0000-0000-0000-000000000000", actor=sam)
    with pytest.raises(NotFound):
        workbook.assessments.open(assessment_id="00000000-0000-0000-0000-000000000000", actor=Actor.system("test"))
    admin = Actor(username="ada.admin", display_name="Ada", role=Role.ADMIN)
    with pytest.raises(AccessDenied, match="You don't have access to this record"):
        workbook.assessments.open(assessment_id=assessment_id, actor=admin)
    with pytest.raises(AccessDenied):
        workbook.families.search(query="", actor=admin)
    with pytest.raises(AccessDenied):
        workbook.families.export(family_id=family_id, actor=admin)


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_json(
    make_workbook, sam: Actor, tmp_path, database_url
):
    source = make_workbook()
    family_id, assessment_id = new_family(source, sam)
    version = source.assessments.open(assessment_id=assessment_id, actor=sam).background.version
    source.assessments.save_details(
        assessment_id=assessment_id, expected_version=version, address=HOSTILE, reason=LONG, actor=sam
    )
    exported = source.families.export(family_id=family_id, actor=sam).to_json()

    from eha.localities import load_localities
    from eha.record import parse_record
    from storage.db import make_engine, upgrade
    from tests.support.eha import without_import_notes

    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(empty_url)
    target = Workbook(make_engine(empty_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    assert target.families.import_record(record=parse_record(exported), actor=sam) == family_id
    assert without_import_notes(target.families.export(family_id=family_id, actor=sam).to_json()) == exported
    # Importing twice is refused rather than duplicating the family.
    from eha.errors import ImportRefused

    with pytest.raises(ImportRefused, match="already in this database"):
        target.families.import_record(record=parse_record(exported), actor=sam)
