import json
from datetime import date

import pytest

from eha import background as bg
from eha.background import FamilyBackground
from eha.demo import generate_families
from eha.errors import ImportRefused
from eha.record import parse_record

TODAY = date(2026, 11, 22)


def test_the_same_seed_gives_the_same_families_and_another_seed_others():
    first = generate_families(count=6, seed=42, today=TODAY)
    again = generate_families(count=6, seed=42, today=TODAY)
    other = generate_families(count=6, seed=43, today=TODAY)
    assert [f.to_json() for f in first] == [f.to_json() for f in again]
    assert {f.id for f in first}.isdisjoint({f.id for f in other})


def test_demo_families_obey_every_rule_the_screens_enforce():
    for family in generate_families(count=40, seed=7, today=TODAY):
        background = FamilyBackground.model_validate(family.assessments[0].sections["background"].data)
        assert bg.missing(background) == []
        for member in background.members():
            assert bg.check_member(member, today=TODAY) == {}, member


def test_demo_names_come_from_many_origins_with_diacritics_and_several_children():
    families = generate_families(count=40, seed=3, today=TODAY)
    backgrounds = [FamilyBackground.model_validate(f.assessments[0].sections["background"].data) for f in families]
    names = [m.name for b in backgrounds for m in b.members()]
    assert any(not n.isascii() for n in names)
    assert max(len(b.children) for b in backgrounds) >= 3
    assert all(b.professionals for b in backgrounds)
    assert {f.locality for f in families} == {"north", "central", "south"}


def test_an_exported_document_parses_back_to_the_same_record():
    record = generate_families(count=1, seed=9, today=TODAY)[0]
    assert parse_record(record.to_json()) == record


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "not an eha-family-record"),
        ('{"schema_name": "eha-family-record", "schema_version": 99}', "schema version 99"),
    ],
)
def test_documents_that_are_not_family_records_are_refused_with_the_reason(text: str, message: str):
    with pytest.raises(ImportRefused, match=message):
        parse_record(text)


def test_a_document_with_an_invalid_section_is_refused_naming_the_place():
    raw = json.loads(generate_families(count=1, seed=9, today=TODAY)[0].to_json())
    raw["assessments"][0]["sections"]["background"]["data"]["children"][0]["date_of_birth"] = "yesterday"
    with pytest.raises(ImportRefused, match="date_of_birth"):
        parse_record(json.dumps(raw))
    raw["assessments"][0]["sections"]["mystery"] = raw["assessments"][0]["sections"]["background"]
    with pytest.raises(ImportRefused):
        parse_record(json.dumps(raw))


def test_each_demo_family_has_a_complete_first_star_reading_after_the_start():
    from star import OccasionKind, StarReading

    for family in generate_families(count=10, seed=4, today=TODAY):
        assessment = family.assessments[0]
        record, *later = assessment.star_readings
        assert len(later) >= len(assessment.taf_meetings)  # re-scored at each TAF meeting
        reading = StarReading.from_dict(record.reading)
        assert reading.occasion.kind is OccasionKind.FIRST
        assert reading.is_complete
        assert assessment.started_on is not None and reading.taken_on > assessment.started_on
        assert reading.taken_on <= TODAY


def test_no_two_people_in_a_demo_family_share_a_first_name():
    for family in generate_families(count=60, seed=8, today=TODAY):
        background = FamilyBackground.model_validate(family.assessments[0].sections["background"].data)
        people = [*background.carers, *background.children, *background.adults]
        firsts = [p.name.split()[0] for p in people if not p.name.startswith("Baby ") and " " in p.name]
        assert len(firsts) == len(set(firsts)), firsts


def test_four_hundred_demo_families_have_no_duplicate_child_and_spread_over_three_years_and_every_stage():
    from eha.family import AssessmentStatus
    from eha.text import fold

    families = generate_families(count=400, seed=1, today=TODAY)
    children = [
        (fold(c.name), c.date_of_birth)
        for f in families
        for c in FamilyBackground.model_validate(f.assessments[0].sections["background"].data).children
        if c.date_of_birth is not None
    ]
    assert len(children) > 800
    assert len(children) == len(set(children))
    assert len({f.reference for f in families}) == len({f.id for f in families}) == 400
    started = [f.assessments[0].started_on for f in families if f.assessments[0].started_on]
    assert (TODAY - min(started)).days > 2 * 365 and max(started) <= TODAY
    statuses = [f.assessments[0].status for f in families]
    assert {s: statuses.count(s) > 20 for s in AssessmentStatus} == dict.fromkeys(AssessmentStatus, True)
    meetings = {len(f.assessments[0].taf_meetings) for f in families}
    assert meetings == set(range(7))  # none (just completed, or closed before a first) to six
    # Authored by several practitioners, in each family's own locality.
    assert len({f.created_by for f in families}) == 6
    # Still reproducible: the same seed gives the same families.
    assert [f.to_json() for f in generate_families(count=400, seed=1, today=TODAY)] == [f.to_json() for f in families]


def test_the_large_family_is_the_same_every_time_and_obeys_every_rule_of_an_import():
    from eha.demo import large_family
    from eha.record_rules import check_record

    family = large_family(today=TODAY)
    assert family.to_json() == large_family(today=TODAY).to_json()  # its drawings too, byte for byte
    check_record(family, today=TODAY, upload_limit=10 * 1024 * 1024)
    assert parse_record(family.to_json()) == family
    # Counted back from the day it is loaded: a later day moves every date, not the people.
    later = large_family(today=date(2027, 3, 1))
    assert later.id == family.id and later.assessments[0].started_on != family.assessments[0].started_on
    check_record(later, today=date(2027, 3, 1), upload_limit=10 * 1024 * 1024)
