"""The contact log's rules: what a contact needs, a removal's reason, the log's order, and the
contacts in an exported family record."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from eha.contacts import (
    NOTE_MAX,
    Contact,
    ContactKind,
    RecordedContact,
    Removal,
    check_contact,
    check_removal,
    cleaned,
    newest_first,
)
from eha.errors import ImportRefused
from eha.record import FamilyRecord, parse_record
from eha.record_rules import check_record
from tests.support.hostile import HOSTILE, SAMPLES

TODAY = date(2026, 11, 22)
AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def contact(**changes) -> Contact:
    fields = {
        "contact_on": TODAY,
        "kind": ContactKind.VISIT,
        "who": "Maryam (mum) and Ayaan",
        "note": "Home visit: mornings are going better; agreed a chart.",
    }
    return Contact(**{**fields, **changes})


def recorded(n: int = 1, *, on: date = TODAY, at: datetime = AT, **changes) -> RecordedContact:
    return RecordedContact(
        id=f"c{n}",
        contact=contact(contact_on=on),
        recorded_at=at,
        recorded_by="sam.worker",
        recorded_by_name="Sam Worker",
        **changes,
    )


def test_a_complete_contact_of_today_has_no_problems():
    assert check_contact(contact(), today=TODAY) == {}
    assert check_contact(contact(contact_on=TODAY - timedelta(days=400)), today=TODAY) == {}


def test_a_contact_in_the_future_is_refused_beside_its_date():
    errors = check_contact(contact(contact_on=TODAY + timedelta(days=1)), today=TODAY)
    assert errors == {"contact_on": "The date of the contact must be today or in the past."}


@pytest.mark.parametrize("blank", ["", "   \n"])
def test_who_was_involved_and_the_note_are_required(blank: str):
    errors = check_contact(contact(who=blank, note=blank), today=TODAY)
    assert errors == {"who": "Enter who was involved.", "note": "Enter a short note of the contact."}


def test_another_kind_of_contact_says_what_kind():
    assert check_contact(contact(kind=ContactKind.OTHER), today=TODAY) == {
        "kind_other": "Say what kind of contact it was."
    }
    assert check_contact(contact(kind=ContactKind.OTHER, kind_other="A letter from the school"), today=TODAY) == {}


def test_only_another_kind_keeps_what_kind_it_was():
    assert cleaned(contact(kind=ContactKind.PHONE_CALL, kind_other="stray")).kind_other == ""
    kept = contact(kind=ContactKind.OTHER, kind_other="Drop-in at the children's centre")
    assert cleaned(kept) == kept


def test_the_note_is_short_and_the_limit_is_said():
    assert check_contact(contact(note="x" * NOTE_MAX), today=TODAY) == {}
    errors = check_contact(contact(note="x" * (NOTE_MAX + 1)), today=TODAY)
    assert errors == {"note": "A short note of the contact must be 2,000 characters or fewer (it is 2,001)."}


def test_text_that_cannot_be_stored_is_refused_beside_its_field():
    errors = check_contact(contact(who="Jo \ud83d", note="a\x00b", kind_other="\ud800"), today=TODAY)
    assert set(errors) == {"who", "note", "kind_other"}
    assert "isn't valid text" in errors["who"] and "NUL" in errors["note"]


@pytest.mark.parametrize("text", [pytest.param(s, id=k) for k, s in SAMPLES.items() if s.strip() and len(s) <= 1_000])
def test_hostile_text_is_a_valid_contact(text: str):
    assert check_contact(contact(who=text, note=text), today=TODAY) == {}


def test_a_removal_needs_a_reason():
    assert check_removal("Recorded on the wrong family") == {}
    assert check_removal(" ") == {"reason": "Enter why this contact is being removed."}
    assert "1,000 characters or fewer" in check_removal("x" * 1_001)["reason"]


def test_the_log_is_newest_first_and_on_one_day_the_last_recorded_first():
    older = recorded(1, on=TODAY - timedelta(days=3))
    first_today = recorded(2, at=AT)
    second_today = recorded(3, at=AT + timedelta(minutes=5))
    assert newest_first([older, first_today, second_today]) == (second_today, first_today, older)


def test_what_kind_is_said_in_words():
    assert recorded().kind_label == "Visit"
    other = recorded().model_copy(update={"contact": contact(kind=ContactKind.OTHER, kind_other=HOSTILE)})
    assert other.kind_label == f"Other: {HOSTILE}"


# -- the contact log in an exported family record ------------------------------------------


def family_record(*contacts: RecordedContact) -> FamilyRecord:
    return FamilyRecord(
        id="f1",
        reference="EH-BCDFGH",
        locality="central",
        created_at=AT,
        created_by="sam.worker",
        updated_at=AT,
        updated_by="sam.worker",
        assessments=(),
        contacts=contacts,
    )


def test_a_record_exported_before_the_log_existed_still_reads_with_no_contacts():
    raw = json.loads(family_record().to_json())
    del raw["contacts"]
    assert parse_record(json.dumps(raw)).contacts == ()


def test_contacts_and_removals_round_trip_through_the_document():
    removal = Removal(removed_at=AT + timedelta(hours=1), removed_by="sam.worker", removed_by_name="Sam", reason="Oops")
    record = family_record(recorded(1), recorded(2, removal=removal))
    assert parse_record(record.to_json()) == record
    check_record(record, today=TODAY, upload_limit=1_000)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (recorded(1, on=TODAY + timedelta(days=1)), r"^contact 1, 'contact_on': The date of the contact must be today"),
        (
            recorded(1).model_copy(update={"contact": contact(note="")}),
            r"^contact 1, 'note': Enter a short note of the contact\.$",
        ),
        (
            recorded(1).model_copy(update={"contact": contact(kind_other="stray")}),
            r"^contact 1, 'kind_other': only a contact of the kind 'other'",
        ),
        (recorded(1).model_copy(update={"id": "not an id!"}), r"^contact 1: its id must be"),
        (recorded(1).model_copy(update={"recorded_by": ""}), r"^contact 1, 'recorded_by': Enter who recorded it\.$"),
        (
            recorded(1, removal=Removal(removed_at=AT, removed_by="sam.worker", removed_by_name="Sam", reason="")),
            r"^contact 1, removal, 'reason': Enter why this contact is being removed\.$",
        ),
        (
            recorded(
                1, removal=Removal(removed_at=AT - timedelta(days=1), removed_by="x", removed_by_name="X", reason="y")
            ),
            r"^contact 1, removal: it was removed before it was recorded\.$",
        ),
    ],
)
def test_an_imported_contact_is_held_to_the_forms_rules_and_the_place_is_named(broken, message):
    with pytest.raises(ImportRefused, match=message):
        check_record(family_record(broken), today=TODAY, upload_limit=1_000)


def test_two_contacts_with_one_id_are_refused():
    with pytest.raises(ImportRefused, match=r"^contact 2: another contact in the file has the same id\.$"):
        check_record(family_record(recorded(1), recorded(1)), today=TODAY, upload_limit=1_000)


def test_a_contact_of_an_unknown_kind_is_refused_naming_the_contact():
    raw = json.loads(family_record(recorded(1)).to_json())
    raw["contacts"][0]["contact"]["kind"] = "telepathy"
    with pytest.raises(ImportRefused, match=r"^contact 1, at kind: Input should be"):
        parse_record(json.dumps(raw))
