"""The contact log through the service layer, on SQLite and PostgreSQL: recording, listing,
removing with a reason, who may do what, the audit trail, hostile text, export and import."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from eha.actor import Actor
from eha.contacts import Contact, ContactKind
from eha.errors import AccessDenied, ImportRefused, NotFound, ValidationFailed
from eha.family import AssessmentStatus
from eha.record import parse_record
from eha.taf import ClosureReason
from storage.services import Workbook
from tests.support.eha import add_people, completed_family
from tests.support.hostile import HOSTILE, SAMPLES

OPERATOR = Actor.system("test")
READ_ONLY = r"^LCSS reviewers can read this record but not change it\."
NO_ACCESS = r"^You don't have access to this record\.$"


@pytest.fixture
def people(workbook: Workbook) -> dict[str, Actor]:
    return add_people(workbook)


@pytest.fixture
def family(workbook: Workbook, people: dict[str, Actor]) -> tuple[str, str]:
    return completed_family(workbook, people["author"])


def visit(workbook: Workbook, *, days_ago: int = 0, **changes) -> Contact:
    fields = {
        "contact_on": workbook.today() - timedelta(days=days_ago),
        "kind": ContactKind.VISIT,
        "who": "Maryam (mum) and Ayaan",
        "note": "Home visit: the morning chart is working.",
    }
    return Contact(**{**fields, **changes})


def entries_of(workbook: Workbook, family_id: str, username: str) -> list:
    return [
        line
        for line in workbook.audit.trail(actor=OPERATOR, person=username)
        if line.entry.family_id == family_id and line.entry.action != "viewed"
    ]


def test_a_recorded_contact_is_listed_with_who_recorded_it(workbook: Workbook, people, family):
    sam = people["author"]
    saved = workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=sam)
    assert saved.contact == visit(workbook)
    assert (saved.recorded_by, saved.recorded_by_name) == ("sam.worker", "sam.worker")
    assert saved.recorded_at == workbook.now() and saved.removal is None
    assert workbook.contacts.entries(family_id=family[0], actor=sam) == (saved,)
    # The family's page reads the log with the family.
    assert workbook.families.get(family_id=family[0], actor=sam).contacts == (saved,)


def test_the_log_is_newest_first_and_on_one_day_the_last_recorded_first(workbook: Workbook, people, family, clock):
    sam = people["author"]
    old = workbook.contacts.record(family_id=family[0], contact=visit(workbook, days_ago=9), actor=sam)
    call = visit(workbook, days_ago=2, kind=ContactKind.PHONE_CALL)
    newer = workbook.contacts.record(family_id=family[0], contact=call, actor=sam)
    clock.offset += timedelta(minutes=1)
    newest = workbook.contacts.record(family_id=family[0], contact=call, actor=sam)
    assert workbook.contacts.entries(family_id=family[0], actor=sam) == (newest, newer, old)


def test_bad_input_is_refused_field_by_field_and_nothing_is_recorded(workbook: Workbook, people, family):
    sam = people["author"]
    bad = visit(workbook, contact_on=workbook.today() + timedelta(days=1), who=" ", note="", kind=ContactKind.OTHER)
    with pytest.raises(ValidationFailed) as caught:
        workbook.contacts.record(family_id=family[0], contact=bad, actor=sam)
    assert set(caught.value.errors) == {"contact_on", "who", "note", "kind_other"}
    assert workbook.contacts.entries(family_id=family[0], actor=sam) == ()


def test_what_kind_is_kept_only_for_another_kind(workbook: Workbook, people, family):
    sam = people["author"]
    call = workbook.contacts.record(
        family_id=family[0], contact=visit(workbook, kind=ContactKind.PHONE_CALL, kind_other="stray"), actor=sam
    )
    assert call.contact.kind_other == ""
    other = workbook.contacts.record(
        family_id=family[0], contact=visit(workbook, kind=ContactKind.OTHER, kind_other="Drop-in"), actor=sam
    )
    assert other.kind_label == "Other: Drop-in"


@pytest.mark.parametrize("text", [pytest.param(s, id=k) for k, s in SAMPLES.items() if s.strip() and len(s) <= 1_000])
def test_hostile_text_round_trips_through_the_database_and_the_export(workbook: Workbook, people, family, text):
    sam = people["author"]
    contact = visit(workbook, who=text, note=text, kind=ContactKind.OTHER, kind_other=text[:200])
    workbook.contacts.record(family_id=family[0], contact=contact, actor=sam)
    (stored,) = workbook.contacts.entries(family_id=family[0], actor=sam)
    assert stored.contact == contact
    exported = parse_record(workbook.families.export(family_id=family[0], actor=sam).to_json())
    assert exported.contacts[0].contact == contact


def test_a_contact_can_be_recorded_after_the_taf_has_closed(workbook: Workbook, people, family):
    sam = people["author"]
    workbook.taf.close(
        assessment_id=family[1],
        reason=ClosureReason.OUTCOMES_ACHIEVED,
        family_comments="Thank you",
        evaluation="Went well",
        closed_on=workbook.today(),
        actor=sam,
    )
    assert workbook.families.get(family_id=family[0], actor=sam).assessments[0].status is AssessmentStatus.CLOSED
    call = visit(workbook, kind=ContactKind.PHONE_CALL, note="Mum rang after closure; things are holding up.")
    workbook.contacts.record(family_id=family[0], contact=call, actor=sam)
    assert [c.contact for c in workbook.contacts.entries(family_id=family[0], actor=sam)] == [call]


def test_removing_needs_a_reason_and_keeps_the_contact_marked_removed(workbook: Workbook, people, family, clock):
    sam = people["author"]
    saved = workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=sam)
    with pytest.raises(ValidationFailed) as caught:
        workbook.contacts.remove(contact_id=saved.id, reason="  ", actor=sam)
    assert caught.value.errors == {"reason": "Enter why this contact is being removed."}
    assert workbook.contacts.entries(family_id=family[0], actor=sam) == (saved,)

    clock.offset += timedelta(minutes=5)
    removed = workbook.contacts.remove(contact_id=saved.id, reason="Recorded on the wrong family", actor=sam)
    assert removed.removal is not None
    assert removed.removal.reason == "Recorded on the wrong family"
    assert (removed.removal.removed_by, removed.removal.removed_at) == ("sam.worker", workbook.now())
    assert removed.contact == saved.contact  # kept, not deleted
    assert workbook.contacts.entries(family_id=family[0], actor=sam) == (removed,)
    assert workbook.families.export(family_id=family[0], actor=sam).contacts == (removed,)
    with pytest.raises(ValidationFailed, match="already been removed"):
        workbook.contacts.remove(contact_id=saved.id, reason="Again", actor=sam)


def test_recording_and_removing_are_audited_with_what_and_why(workbook: Workbook, people, family):
    sam = people["author"]
    saved = workbook.contacts.record(family_id=family[0], contact=visit(workbook, note=HOSTILE), actor=sam)
    workbook.contacts.remove(contact_id=saved.id, reason="Wrong day", actor=sam)
    removal, recording = entries_of(workbook, family[0], "sam.worker")[:2]
    assert recording.entry.action == "created"
    assert recording.entry.record == f"family:{family[0]}/contact:{saved.id}"
    assert recording.details["contact"]["note"] == HOSTILE
    assert removal.entry.action == "changed"
    assert removal.details["reason"] == "Wrong day" and removal.details["removed"]["note"] == HOSTILE
    assert workbook.audit.verify(actor=OPERATOR)[1] is None


def test_reading_the_log_is_one_view(workbook: Workbook, people, family):
    sam = people["author"]
    workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=sam)
    before = workbook.audit.trail(actor=OPERATOR, person="sam.worker").total
    workbook.contacts.entries(family_id=family[0], actor=sam)
    lines = workbook.audit.trail(actor=OPERATOR, person="sam.worker")
    assert lines.total == before + 1 and lines[0].entry.action == "viewed"
    assert lines[0].entry.record == f"family:{family[0]}/contacts"


def test_an_lcss_reviewer_reads_the_log_and_may_not_change_it(workbook: Workbook, people, family):
    sam, lee = people["author"], people["lcss_same"]
    saved = workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=sam)
    assert workbook.contacts.entries(family_id=family[0], actor=lee) == (saved,)
    assert workbook.families.get(family_id=family[0], actor=lee).contacts == (saved,)
    with pytest.raises(AccessDenied, match=READ_ONLY):
        workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=lee)
    with pytest.raises(AccessDenied, match=READ_ONLY):
        workbook.contacts.remove(contact_id=saved.id, reason="Reviewer", actor=lee)
    assert workbook.contacts.entries(family_id=family[0], actor=sam) == (saved,)
    assert workbook.audit.trail(actor=OPERATOR, person="lee.central", per_page=1)[0].entry.action == "access_refused"


@pytest.mark.parametrize("who", ["lcss_other", "admin"])
def test_outside_the_family_the_log_is_refused_like_any_record(workbook: Workbook, people, family, who):
    saved = workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=people["author"])
    stranger = people[who]
    for call in (
        lambda: workbook.contacts.entries(family_id=family[0], actor=stranger),
        lambda: workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=stranger),
        lambda: workbook.contacts.remove(contact_id=saved.id, reason="x", actor=stranger),
    ):
        with pytest.raises(AccessDenied, match=NO_ACCESS):
            call()


def test_an_unknown_contact_is_refused_like_someone_elses(workbook: Workbook, people, family):
    sam = people["author"]
    for unknown in ("no-such-contact", "\ud800"):
        with pytest.raises(AccessDenied, match=NO_ACCESS):
            workbook.contacts.remove(contact_id=unknown, reason="x", actor=sam)
    with pytest.raises(NotFound):
        workbook.contacts.remove(contact_id="no-such-contact", reason="x", actor=OPERATOR)


def test_another_practitioner_cannot_remove_a_contact_of_a_family_they_do_not_work_with(
    workbook: Workbook, people, family
):
    sam = people["author"]
    kim = Actor(username="kim.worker", display_name="Kim", role=sam.role)
    other_family, _ = completed_family(workbook, kim, child="Oliver Smith")
    saved = workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=sam)
    with pytest.raises(AccessDenied, match=NO_ACCESS):
        workbook.contacts.remove(contact_id=saved.id, reason="Not mine", actor=kim)
    assert workbook.contacts.entries(family_id=other_family, actor=kim) == ()


# -- export and import ------------------------------------------------------------------------


def exported_with_contacts(workbook: Workbook, sam: Actor, family_id: str) -> str:
    kept = workbook.contacts.record(family_id=family_id, contact=visit(workbook, days_ago=3, note=HOSTILE), actor=sam)
    mistake = workbook.contacts.record(family_id=family_id, contact=visit(workbook, who="Wrong family"), actor=sam)
    workbook.contacts.remove(contact_id=mistake.id, reason="Recorded on the wrong family", actor=sam)
    assert kept
    return workbook.families.export(family_id=family_id, actor=sam).to_json()


def as_another_family(raw: dict) -> dict:
    """The exported family made another one (its ids, reference and child), so that the same
    database takes it; its contacts keep their ids unless the test changes them."""
    raw["id"], raw["reference"] = "11111111-1111-4111-8111-111111111111", "EH-BCDFGH"
    for n, a in enumerate(raw["assessments"]):
        a["id"] = f"a-{n}"
        a["sections"]["background"]["data"]["children"][0]["name"] = "Another Child"
    return raw


def test_contacts_come_back_on_import_with_their_removals(make_workbook: Callable[[], Workbook], people, family):
    source = make_workbook()
    sam = people["author"]
    document = exported_with_contacts(source, sam, family[0])
    record = parse_record(document)
    assert [c.removed for c in record.contacts] == [True, False]  # newest first
    raw = as_another_family(json.loads(document))
    raw["contacts"][0]["id"], raw["contacts"][1]["id"] = "c-1", "c-2"
    family_id = source.families.import_record(record=parse_record(json.dumps(raw)), actor=sam)
    back = source.contacts.entries(family_id=family_id, actor=sam)
    assert [c.model_dump(mode="json") for c in back] == raw["contacts"]


def test_an_imported_contact_whose_id_is_taken_is_refused_naming_it(workbook: Workbook, people, family):
    sam = people["author"]
    raw = as_another_family(json.loads(exported_with_contacts(workbook, sam, family[0])))
    raw["contacts"][0]["id"] = "fresh-id"  # the second keeps the id already in the database
    with pytest.raises(ImportRefused, match=r"^contact 2: a record with this id is already in this database\.$"):
        workbook.families.import_record(record=parse_record(json.dumps(raw)), actor=sam)
    assert len(workbook.families.all(actor=sam)) == 1


def test_an_imported_contact_in_the_future_is_refused_and_nothing_is_written(workbook: Workbook, people, family):
    sam = people["author"]
    raw = as_another_family(json.loads(exported_with_contacts(workbook, sam, family[0])))
    raw["contacts"][0]["id"], raw["contacts"][1]["id"] = "c-1", "c-2"
    raw["contacts"][1]["contact"]["contact_on"] = (workbook.today() + timedelta(days=1)).isoformat()
    with pytest.raises(ImportRefused, match=r"^contact 2, 'contact_on': The date of the contact must be today"):
        workbook.families.import_record(record=parse_record(json.dumps(raw)), actor=sam)
    assert len(workbook.families.all(actor=sam)) == 1


def test_a_family_removed_takes_its_contacts_with_it(workbook: Workbook, people, family, database_url):
    from sqlalchemy import text

    from storage.db import make_engine

    workbook.contacts.record(family_id=family[0], contact=visit(workbook), actor=people["author"])
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM families WHERE id = :id"), {"id": family[0]})
        assert conn.execute(text("SELECT COUNT(*) FROM family_contacts")).scalar_one() == 0
    engine.dispose()
