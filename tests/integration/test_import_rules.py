"""Importing a family record goes through the rules the screens apply, on SQLite and PostgreSQL.

A rich record (every section, a star reading, a child's drawing, the lead professional, a TAF
meeting) is exported once from a source database; each test edits a copy of it the way a
hostile or careless file would, imports it into the database under test and looks at the
refusal and at what was (not) written.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from eha.actor import Actor, Role, TeamRole
from eha.contacts import Contact, ContactKind
from eha.errors import AccessDenied, DuplicateFamily, ImportRefused
from eha.localities import load_localities
from eha.record import parse_record
from star import CompletedBy
from storage.db import make_engine, upgrade
from storage.models import AuditEntryRow, FamilyRow
from storage.services import Workbook
from tests.integration.test_taf import agree_lead, write_up
from tests.support.clock import NOW, Clock
from tests.support.eha import completed_family, tiny_png
from tests.support.hostile import HOSTILE, LONG

SAM = Actor(username="sam.worker", display_name="Sam Worker", role=Role.PRACTITIONER)
KIM = Actor(username="kim.worker", display_name="Kim Worker", role=Role.PRACTITIONER)
OPERATOR = Actor.system("test")

Raw = dict[str, Any]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A family with something in every part of the record, exported by its author Sam."""
    url = f"sqlite:///{tmp_path_factory.mktemp('source') / 'source.db'}"
    upgrade(url)
    clock = Clock(NOW - timedelta(days=10))
    source = Workbook(make_engine(url), localities=load_localities(), clock=clock)
    family_id, assessment_id = completed_family(source, SAM)
    child = source.assessments.open(assessment_id=assessment_id, actor=SAM).background.data.children[0]
    source.assessments.add_child_work(
        assessment_id=assessment_id, child_id=child.id, filename="house.png", content=tiny_png(), actor=SAM
    )
    reading = source.star.start(
        assessment_id=assessment_id,
        taken_on=source.today(),
        occasion="first",
        completed_by=CompletedBy.TOGETHER,
        actor=SAM,
    )
    source.star.score_area(
        reading_id=reading.reading.id, expected_version=reading.version, area="routine", agreed=4, actor=SAM
    )
    agree_lead(source, assessment_id, SAM)
    meeting = source.taf.start_meeting(assessment_id=assessment_id, held_on=source.today(), where="School", actor=SAM)
    write_up(source, meeting.meeting_id, meeting.version, SAM)
    visit = Contact(contact_on=source.today(), kind=ContactKind.VISIT, who=HOSTILE, note="Home visit " + HOSTILE)
    source.contacts.record(family_id=family_id, contact=visit, actor=SAM)
    return source.families.export(family_id=family_id, actor=SAM).to_json()


@pytest.fixture
def raw(exported: str) -> Raw:
    return json.loads(exported)


@pytest.fixture
def target(make_workbook: Callable[[], Workbook]) -> Workbook:
    return make_workbook()


def section(raw: Raw, key: str) -> Raw:
    data: Raw = raw["assessments"][0]["sections"][key]["data"]
    return data


def nothing_written(workbook: Workbook) -> None:
    """No family, and no audit entry saying one was imported."""
    with workbook._core._sessions() as session:
        assert session.scalar(select(func.count()).select_from(FamilyRow)) == 0
        actions = session.scalars(select(AuditEntryRow.action)).all()
    assert "imported" not in actions


def refused(workbook: Workbook, raw: Raw, actor: Actor = SAM) -> str:
    """Import `raw`; it must be refused with a one-line message. Returns the message."""
    with pytest.raises(ImportRefused) as caught:
        workbook.families.import_record(record=parse_record(json.dumps(raw)), actor=actor)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    nothing_written(workbook)
    return message


# -- the same checks as typed text ------------------------------------------------------------

EDITS: dict[str, tuple[Callable[[Raw], None], tuple[str, ...]]] = {
    "a NUL in a carer's own words": (
        lambda r: section(r, "carers_views")["views"][0].update(own_words="Mornings\x00 are hard"),
        ("section 'carers_views'", "view 1", "NUL"),
    ),
    "200,000 characters of a carer's own words": (
        lambda r: section(r, "carers_views")["views"][0].update(own_words="x" * 200_000),
        ("section 'carers_views'", "view 1", "100,000 characters or fewer"),
    ),
    "a child's name of 201 characters": (
        lambda r: section(r, "background")["children"][0].update(name="A" * 201),
        ("section 'background'", "child 1", "200 characters or fewer"),
    ),
    "an empty carer's name": (
        lambda r: section(r, "background")["carers"][0].update(name="  "),
        ("section 'background'", "carer 1", "Enter a name"),
    ),
    "a child born tomorrow": (
        lambda r: section(r, "background")["children"][0].update(date_of_birth=str(NOW.date() + timedelta(days=1))),
        ("section 'background'", "child 1", "Date of birth must be today or in the past"),
    ),
    "a date that does not exist": (
        lambda r: section(r, "background")["children"][0].update(date_of_birth="2019-02-30"),
        ("section 'background'", "children", "date_of_birth"),
    ),
    "an unknown key in a section": (
        lambda r: section(r, "plan").update(secret="x"),
        ("section 'plan'", "secret", "not permitted"),
    ),
    "an unknown key in the record": (lambda r: r.update(owner="x"), ("owner", "not permitted")),
    "a plan analysis over the limit": (
        lambda r: section(r, "plan").update(analysis="Ω" * 100_001),
        ("section 'plan'", "100,000 characters or fewer"),
    ),
    "an action with nobody to do it": (
        lambda r: section(r, "plan")["actions"][0].update(who=""),
        ("section 'plan'", "action 1", "Enter who will do it"),
    ),
    "a NUL in what was explained when consent was given": (
        lambda r: section(r, "consent")["decisions"][0].update(explained="GP\x00"),
        ("section 'consent'", "decision 1", "'explained'", "NUL"),
    ),
    "consent given in the future": (
        lambda r: section(r, "consent")["decisions"][0].update(decided_on=str(NOW.date() + timedelta(days=3))),
        ("section 'consent'", "decision 1", "must be today or in the past"),
    ),
    "a confirmation of a decision not in the record": (
        lambda r: section(r, "consent")["confirmations"][0].update(decision_id="not-a-decision"),
        ("section 'consent'", "refers to a decision that is not in the record"),
    ),
    "a child's view gathered in the future": (
        lambda r: section(r, "child_views")["views"][0].update(gathered_on=str(NOW.date() + timedelta(days=3))),
        ("section 'child_views'", "view 1", "today or in the past"),
    ),
    "a professional's view over the limit": (
        lambda r: section(r, "professional_views")["views"][0].update(view="v" * 100_001),
        ("section 'professional_views'", "view 1", "100,000 characters or fewer"),
    ),
    "a lead professional without a name": (
        lambda r: section(r, "lead_professional")["terms"][0]["lead"].update(name=""),
        ("section 'lead_professional'", "term 1", "Enter the lead professional's name"),
    ),
    "a NUL in a star note": (
        lambda r: r["assessments"][0]["star_readings"][0]["reading"]["scores"][7].update(note="a\x00b"),
        ("star reading 1", "NUL"),
    ),
    "a star reading taken in the future": (
        lambda r: r["assessments"][0]["star_readings"][0]["reading"].update(
            taken_on=str(NOW.date() + timedelta(days=5))
        ),
        ("star reading 1", "today or in the past"),
    ),
    "a NUL in a TAF meeting's minutes": (
        lambda r: r["assessments"][0]["taf_meetings"][0]["data"].update(minutes="ok\x00"),
        ("TAF meeting 1", "NUL"),
    ),
    "a TAF meeting's worries over the limit": (
        lambda r: r["assessments"][0]["taf_meetings"][0]["data"].update(worries="w" * 100_001),
        ("TAF meeting 1", "100,000 characters or fewer"),
    ),
    "a participant without a name": (
        lambda r: r["assessments"][0]["taf_meetings"][0]["data"]["participants"][0].update(name=""),
        ("TAF meeting 1", "participant 1", "Enter their name"),
    ),
    "a review reading numbered beyond any integer column": (
        lambda r: r["assessments"][0]["star_readings"][0]["reading"].update(
            occasion={"kind": "review", "review_number": 10**20}
        ),
        ("star reading 1", "'review_number': The TAF review number must be from 1 to 99"),
    ),
    "a TAF meeting held in the future": (
        lambda r: r["assessments"][0]["taf_meetings"][0]["data"].update(held_on=str(NOW.date() + timedelta(days=5))),
        ("TAF meeting 1", "today or in the past"),
    ),
    "a NUL in who saved a section": (
        lambda r: r["assessments"][0]["sections"]["plan"].update(updated_by="sam\x00"),
        ("section 'plan'", "NUL"),
    ),
    "who saved a section, 201 characters long": (
        lambda r: r["assessments"][0]["sections"]["plan"].update(updated_by="s" * 201),
        ("section 'plan'", "200 characters or fewer"),
    ),
    "an assessment id too long for the database": (
        lambda r: r["assessments"][0].update(id="a" * 37),
        ("assessment 1", "id"),
    ),
    "a lone surrogate in the address": (
        # Refused as the file is read, before any rule: JSON can spell a lone surrogate as an escape.
        lambda r: section(r, "background").update(address="12 Church Lane \ud800"),
        ("isn't valid text", "sections.background.data.address"),
    ),
    "a contact in the future": (
        lambda r: r["contacts"][0]["contact"].update(contact_on=str(NOW.date() + timedelta(days=2))),
        ("contact 1", "'contact_on'", "today or in the past"),
    ),
    "a contact's note over the limit": (
        lambda r: r["contacts"][0]["contact"].update(note="n" * 2_001),
        ("contact 1", "'note'", "2,000 characters or fewer"),
    ),
    "a contact removed without a reason": (
        lambda r: r["contacts"][0].update(
            removal={"removed_at": NOW.isoformat(), "removed_by": "sam.worker", "removed_by_name": "Sam", "reason": ""}
        ),
        ("contact 1, removal", "'reason'", "Enter why this contact is being removed"),
    ),
    "an attachment's file that is not a picture": (
        lambda r: r["assessments"][0]["attachments"][0].update(data_base64="PGh0bWw+", size=6),
        ("attachment 1",),
    ),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edited_record_is_refused_saying_where_and_nothing_is_written(target: Workbook, raw: Raw, edit: str):
    change, expected = EDITS[edit]
    change(raw)
    message = refused(target, raw)
    for fragment in expected:
        assert fragment in message, (fragment, message)


def test_the_untouched_record_imports_and_hostile_text_round_trips(target: Workbook, raw: Raw):
    section(raw, "carers_views")["views"][0]["own_words"] = HOSTILE + LONG
    section(raw, "background")["address"] = HOSTILE
    family_id = target.families.import_record(record=parse_record(json.dumps(raw)), actor=SAM)
    again = json.loads(target.families.export(family_id=family_id, actor=SAM).to_json())
    assert section(again, "carers_views")["views"][0]["own_words"] == HOSTILE + LONG
    assert section(again, "background")["address"] == HOSTILE
    assert again["contacts"] == raw["contacts"] and again["contacts"][0]["contact"]["who"] == HOSTILE


def test_a_record_exported_with_the_single_consent_record_of_before_still_imports(target: Workbook, raw: Raw):
    consent = section(raw, "consent")
    (given,) = consent["decisions"]
    old = {
        "current": {
            "carers": [{"carer_id": given["person_id"], "method": "written", "given_on": given["decided_on"]}],
            "share_with_professionals": True,
            "named_recipients": "GP surgery; " + HOSTILE,
            "council_storage": True,
            "confirmed_on": consent["confirmations"][0]["confirmed_on"],
            "wording": given["wording"],
            "recorded_at": given["recorded_at"],
            "recorded_by": given["recorded_by"],
        },
        "earlier": [],
    }
    raw["assessments"][0]["sections"]["consent"]["data"] = old
    family_id = target.families.import_record(record=parse_record(json.dumps(raw)), actor=SAM)
    again = section(json.loads(target.families.export(family_id=family_id, actor=SAM).to_json()), "consent")
    (decision,) = again["decisions"]
    assert decision["kind"] == "given" and decision["recipients_text"] == "GP surgery; " + HOSTILE
    assert again["earlier_form"]["current"]["named_recipients"] == "GP surgery; " + HOSTILE
    assert again["confirmations"][0]["decision_id"] == decision["id"]


def test_a_record_built_in_code_is_checked_too(target: Workbook, raw: Raw):
    """The checks are in the import service, not only in reading the file."""
    record = parse_record(json.dumps(raw))
    plan = record.assessments[0].sections["plan"]
    bad_plan = plan.model_copy(update={"data": {**plan.data, "analysis": "a\x00"}})
    assessment = record.assessments[0].model_copy(
        update={"sections": {**record.assessments[0].sections, "plan": bad_plan}}
    )
    with pytest.raises(ImportRefused, match="section 'plan'"):
        target.families.import_record(record=record.model_copy(update={"assessments": (assessment,)}), actor=SAM)
    nothing_written(target)


# -- who becomes the author, and who may import -----------------------------------------------


def test_the_importer_becomes_the_author_and_the_files_author_is_kept_as_history(target: Workbook, raw: Raw):
    family_id = target.families.import_record(record=parse_record(json.dumps(raw)), actor=KIM)
    assert [f.family_id for f in target.families.all(actor=KIM)] == [family_id]
    assert target.families.all(actor=SAM).total == 0  # the file's author has no access here
    with pytest.raises(AccessDenied):
        target.families.export(family_id=family_id, actor=SAM)
    assert target.families.team(family_id=family_id, actor=KIM) == [("kim.worker", TeamRole.AUTHOR)]
    again = json.loads(target.families.export(family_id=family_id, actor=KIM).to_json())
    assert again["created_by"] == "kim.worker"
    assert again["assessments"][0]["created_by"] == "kim.worker"
    (note,) = section(again, "imported")["imports"]
    assert note["imported_by"] == "kim.worker"
    assert note["author"] == "sam.worker" and note["family_author"] == "sam.worker"
    assert note["imported_at"].startswith("2026-11-22")
    # Who wrote each part is history, and stays as it was.
    assert again["assessments"][0]["sections"]["plan"]["updated_by"] == "sam.worker"
    opened = target.assessments.open(assessment_id=again["assessments"][0]["id"], actor=KIM)
    assert opened.led_by == "kim.worker"


def test_importing_again_elsewhere_keeps_every_earlier_import_in_the_history(
    target: Workbook, raw: Raw, tmp_path: Path, clock: Clock
):
    family_id = target.families.import_record(record=parse_record(json.dumps(raw)), actor=KIM)
    once = target.families.export(family_id=family_id, actor=KIM).to_json()
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    upgrade(other_url)
    other = Workbook(make_engine(other_url), localities=load_localities(), clock=clock)
    other.families.import_record(record=parse_record(once), actor=SAM)
    twice = json.loads(other.families.export(family_id=family_id, actor=SAM).to_json())
    notes = section(twice, "imported")["imports"]
    assert [(n["imported_by"], n["author"]) for n in notes] == [
        ("kim.worker", "sam.worker"),
        ("sam.worker", "kim.worker"),
    ]


def test_the_operator_may_import_on_behalf_of_a_practitioner(target: Workbook, raw: Raw):
    target.accounts.add(
        username="kim.worker", display_name="Kim", role="practitioner", password="x" * 16, actor=OPERATOR
    )
    family_id = target.families.import_record(record=parse_record(json.dumps(raw)), actor=OPERATOR, author="kim.worker")
    assert [f.family_id for f in target.families.all(actor=KIM)] == [family_id]
    with pytest.raises(ImportRefused, match="no practitioner account"):
        target.families.import_record(record=parse_record(json.dumps(raw)), actor=OPERATOR, author="nobody.here")
    with pytest.raises(ImportRefused, match="Only the system operator"):
        target.families.import_record(record=parse_record(json.dumps(raw)), actor=SAM, author="kim.worker")


@pytest.mark.parametrize(
    ("who", "message"),
    [
        (Actor(username="lee.north", display_name="Lee", role=Role.LCSS, locality="north"), "LCSS reviewers can read"),
        (Actor(username="lee.central", display_name="Lee", role=Role.LCSS, locality="central"), "LCSS reviewers can"),
        (Actor(username="ada.admin", display_name="Ada", role=Role.ADMIN), "You don't have access to this record"),
    ],
)
def test_lcss_reviewers_and_administrators_may_not_import(target: Workbook, raw: Raw, who: Actor, message: str):
    # Importing writes case content: refused by the same rule, with the same words, as any change.
    assert raw["locality"] == "central"
    with pytest.raises(AccessDenied) as caught:
        target.families.import_record(record=parse_record(json.dumps(raw)), actor=who)
    assert message in str(caught.value)
    nothing_written(target)
    with target._core._sessions() as session:
        last = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc())).first()
    assert last is not None and (last.action, last.actor) == ("access_refused", who.username)


def test_a_family_in_an_unknown_locality_is_refused(target: Workbook, raw: Raw):
    raw["locality"] = "atlantis"
    assert "locality" in refused(target, raw)


# -- colliding ids ----------------------------------------------------------------------------


@pytest.fixture
def imported_once(target: Workbook, raw: Raw) -> Iterator[Raw]:
    """The record is in the database already; the test imports an edited copy beside it."""
    target.families.import_record(record=parse_record(json.dumps(raw)), actor=SAM)
    other = copy.deepcopy(raw)
    other["id"] = "11111111-1111-4111-8111-111111111111"
    other["reference"] = "EH-BCDFGH"
    # Another child, so that it is not refused as the same family.
    section(other, "background")["children"][0]["name"] = "Another Child"
    yield other


def fresh_ids(new: Raw) -> None:
    """Every id in the copy changed, except what the test collides on."""
    a = new["assessments"][0]
    a["id"] = "22222222-2222-4222-8222-222222222222"
    a["star_readings"][0]["reading"]["id"] = "33333333-3333-4333-8333-333333333333"
    a["taf_meetings"][0]["id"] = "44444444-4444-4444-8444-444444444444"
    a["attachments"][0]["id"] = "55555555-5555-4555-8555-555555555555"
    new["contacts"][0]["id"] = "66666666-6666-4666-8666-666666666666"


def _same_reading(a: Raw, old: Raw) -> None:
    a["star_readings"][0]["reading"]["id"] = old["star_readings"][0]["reading"]["id"]


@pytest.mark.parametrize(
    ("what", "keep", "fragment"),
    [
        ("assessment", lambda a, old: a.update(id=old["id"]), "assessment 1"),
        ("star reading", _same_reading, "star reading 1"),
        ("TAF meeting", lambda a, old: a["taf_meetings"][0].update(id=old["taf_meetings"][0]["id"]), "TAF meeting 1"),
        ("attachment", lambda a, old: a["attachments"][0].update(id=old["attachments"][0]["id"]), "attachment 1"),
    ],
)
def test_an_id_already_in_the_database_is_refused_naming_it(
    target: Workbook, raw: Raw, imported_once: Raw, what: str, keep: Callable[[Raw, Raw], None], fragment: str
):
    fresh_ids(imported_once)
    keep(imported_once["assessments"][0], raw["assessments"][0])
    with pytest.raises(ImportRefused) as caught:
        target.families.import_record(record=parse_record(json.dumps(imported_once)), actor=SAM)
    message = str(caught.value)
    assert fragment in message and "already in this database" in message, message
    assert len(target.families.all(actor=SAM)) == 1


def test_a_contact_whose_id_is_already_in_the_database_is_refused_naming_it(
    target: Workbook, raw: Raw, imported_once: Raw
):
    fresh_ids(imported_once)
    imported_once["contacts"][0]["id"] = raw["contacts"][0]["id"]
    with pytest.raises(ImportRefused, match=r"^contact 1: a record with this id is already in this database\.$"):
        target.families.import_record(record=parse_record(json.dumps(imported_once)), actor=SAM)
    assert len(target.families.all(actor=SAM)) == 1


def test_the_same_family_or_reference_or_child_is_refused(target: Workbook, raw: Raw, imported_once: Raw):
    fresh_ids(imported_once)
    same_id = {**imported_once, "id": raw["id"]}
    with pytest.raises(ImportRefused, match="already in this database"):
        target.families.import_record(record=parse_record(json.dumps(same_id)), actor=SAM)
    same_reference = {**imported_once, "reference": raw["reference"]}
    with pytest.raises(ImportRefused, match=f"reference {raw['reference']}"):
        target.families.import_record(record=parse_record(json.dumps(same_reference)), actor=SAM)
    same_child = copy.deepcopy(imported_once)
    section(same_child, "background")["children"][0]["name"] = section(raw, "background")["children"][0]["name"]
    with pytest.raises(DuplicateFamily):
        target.families.import_record(record=parse_record(json.dumps(same_child)), actor=SAM)
    assert len(target.families.all(actor=SAM)) == 1
    # With every id fresh, the other family imports beside the first.
    target.families.import_record(record=parse_record(json.dumps(imported_once)), actor=SAM)
    assert len(target.families.all(actor=SAM)) == 2


def test_two_parts_of_one_file_with_the_same_id_are_refused(target: Workbook, raw: Raw):
    a = raw["assessments"][0]
    second = copy.deepcopy(a["attachments"][0])
    a["attachments"].append(second)
    assert "attachment 2" in refused(target, raw)
