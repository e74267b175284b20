"""The family background section's rules, through the functions the service layer calls."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eha import background as bg
from eha.background import Carer, Child, FamilyBackground, Professional, SignificantAdult
from eha.errors import ValidationFailed
from tests.support.hostile import LONG, SAMPLES

TODAY = date(2026, 11, 22)


def add(background: FamilyBackground, member: object) -> FamilyBackground:
    return bg.with_member(background, member, today=TODAY)  # type: ignore[arg-type]


def refused(member: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        add(FamilyBackground(), member)
    return caught.value.errors


def test_a_child_born_in_the_future_is_refused_with_a_message_for_the_date_field():
    errors = refused(Child(name="Amelia", date_of_birth=TODAY + timedelta(days=1)))
    assert set(errors) == {"date_of_birth"}
    assert "today or in the past" in errors["date_of_birth"]


def test_an_unborn_baby_with_a_due_date_in_the_past_is_refused():
    errors = refused(Child(name="Baby Nowak", born=False, due_date=TODAY - timedelta(days=1)))
    assert set(errors) == {"due_date"}
    assert "in the past" in errors["due_date"]


def test_an_unborn_baby_needs_a_due_date_and_a_born_child_a_birth_date():
    assert set(refused(Child(name="Baby", born=False))) == {"due_date"}
    assert set(refused(Child(name="Amelia"))) == {"date_of_birth"}


def test_an_empty_or_blank_name_is_refused():
    assert refused(Child(name="   ", date_of_birth=date(2020, 1, 1))) == {"name": "Enter a name."}
    assert refused(Professional(name="")) == {"name": "Enter a name."}


def test_a_name_of_fifty_thousand_characters_is_refused_with_its_length():
    errors = refused(SignificantAdult(name=LONG))
    assert "200 characters or fewer (it is 50,000)" in errors["name"]


def test_a_nul_character_is_refused_because_postgresql_cannot_store_it():
    errors = refused(Carer(name="Anna\x00"))
    assert "NUL" in errors["name"]


def test_a_young_person_over_twenty_five_is_refused_as_a_likely_typing_slip():
    errors = refused(Child(name="Sam", date_of_birth=date(1990, 1, 1)))
    assert "over 25" in errors["date_of_birth"]


def test_a_due_date_more_than_44_weeks_away_is_refused():
    errors = refused(Child(name="Baby", born=False, due_date=TODAY + timedelta(weeks=45)))
    assert "44 weeks" in errors["due_date"]


@pytest.mark.parametrize("text", SAMPLES.values(), ids=SAMPLES)
def test_hostile_reason_and_address_text_is_kept_exactly(text: str):
    updated = bg.with_details(FamilyBackground(), address=text[:1000], reason=text)
    assert updated.reason == text
    assert updated.address == text[:1000]
    assert FamilyBackground.model_validate(updated.model_dump(mode="json")) == updated


@given(st.text(min_size=1, max_size=200).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_printable_name_round_trips_through_json_untouched(name: str):
    background = add(FamilyBackground(), Child(name=name, date_of_birth=date(2015, 5, 5)))
    again = FamilyBackground.model_validate_json(background.model_dump_json())
    assert again.children[0].name == name


def test_naming_a_new_main_carer_moves_the_role():
    first = Carer(name="Anna", main_carer=True)
    second = Carer(name="Piotr", main_carer=True)
    background = add(add(FamilyBackground(), first), second)
    assert [c.name for c in background.carers if c.main_carer] == ["Piotr"]
    assert background.main_carer() == second


def test_saving_a_person_again_replaces_them_in_place():
    child = Child(name="Amelia", date_of_birth=date(2019, 4, 1))
    background = add(add(FamilyBackground(), child), Child(name="Oliver", date_of_birth=date(2021, 1, 1)))
    renamed = child.model_copy(update={"name": "Amelia Rose"})
    background = add(background, renamed)
    assert [c.name for c in background.children] == ["Amelia Rose", "Oliver"]


def test_removing_a_person_keeps_everyone_else():
    child = Child(name="Amelia", date_of_birth=date(2019, 4, 1))
    pro = Professional(name="Dr Okafor", agency="GP surgery")
    background = add(add(FamilyBackground(), child), pro)
    background = bg.without_member(background, child.id)
    assert background.children == ()
    assert background.professionals == (pro,)
    assert bg.without_member(background, "no-such-id") == background


def test_missing_lists_what_the_section_still_needs_in_plain_words():
    assert bg.missing(FamilyBackground()) == [
        "the family's main address",
        "at least one parent or carer",
        "at least one child (or an unborn baby)",
        "the reason for the assessment",
    ]
    background = add(FamilyBackground(), Carer(name="Anna"))
    assert "which parent or carer is the main carer" in bg.missing(background)
    complete = bg.with_details(
        add(add(background, Carer(name="Anna B", main_carer=True)), Child(name="Zoë", date_of_birth=date(2020, 2, 2))),
        address="1 High Street",
        reason="Help with routines",
    )
    assert bg.missing(complete) == []


def test_age_is_counted_from_the_birthday():
    child = Child(name="Amelia", date_of_birth=date(2019, 11, 23))
    assert child.age_on(TODAY) == 6
    assert child.age_on(date(2026, 11, 23)) == 7
    assert Child(name="Baby", born=False, due_date=TODAY).age_on(TODAY) is None
