"""Consent as a history of decisions, and whom it covers: pure rules with `today` passed in."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from eha import consent as rules
from eha.background import Carer, Child, FamilyBackground, Professional
from eha.consent import (
    Consent,
    ConsentKind,
    ConsentMethod,
    ConsentWording,
    CoverageState,
    DecisionAnswers,
    coverage,
    current_position,
)
from eha.errors import ValidationFailed
from eha.recipients import (
    DirectoryConfigError,
    Recipient,
    RecipientKind,
    load_directory,
    professional_recipient,
    recipients_for,
)

TODAY = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 14, 2, tzinfo=UTC)
MUM = Carer(name="Maryam Khan", main_carer=True)
DAD = Carer(name="Imran Khan")
TEEN = Child(name="Zara Khan", date_of_birth=date(2012, 1, 5))  # 14
SMALL = Child(name="Ayaan Khan", date_of_birth=date(2019, 9, 14))  # 6
GP = Professional(name="Dr Okafor", agency="gp surgery", role="GP")
NURSE = Professional(name="Jo Bell", agency="School Héalth Nursing", role="School nurse")
TEACHER = Professional(name="Ms Reed", agency="Cherwell Primary", role="Teacher")
BACKGROUND = FamilyBackground(carers=(MUM, DAD), children=(TEEN, SMALL), professionals=(GP, NURSE, TEACHER))
DIRECTORY = load_directory()
WORDING = ConsentWording(version="2026-1", text="We agree.")


def entry(key: str) -> Recipient:
    found = DIRECTORY.get(key)
    assert found is not None
    return found.recipient()


HUB = entry("early-help-hub")
HOUSING = entry("housing")
CAMHS = entry("camhs")


def decide(consent: Consent, person: Carer | Child, kind: ConsentKind, on: date, **changes) -> Consent:
    fields = {
        "person_id": person.id,
        "kind": kind,
        "method": None if kind is ConsentKind.COULD_NOT_BE_CONTACTED else ConsentMethod.WRITTEN,
        "decided_on": on,
        "explained": "" if kind.agrees else "Explained what sharing means.",
        "understanding": "Understands who will be told and why." if isinstance(person, Child) else "",
    }
    if kind.agrees:
        fields |= {"share_with_professionals": True, "council_storage": True, "recipients": (HUB,)}
    answers = DecisionAnswers(**(fields | changes))
    return rules.record_decision(
        consent, answers, background=BACKGROUND, directory=DIRECTORY, today=TODAY, wording=WORDING, at=NOW, by="sam"
    )


def covered(consent: Consent, recipient: Recipient):
    return coverage(consent, recipient, directory=DIRECTORY, background=BACKGROUND)


def problems_of(**fields) -> dict[str, str]:
    answers = DecisionAnswers(**({"person_id": MUM.id, "kind": ConsentKind.GIVEN, "decided_on": TODAY} | fields))
    return rules.check_decision(answers, BACKGROUND, directory=DIRECTORY, today=TODAY)


# --- the rules of a decision ----------------------------------------------------------------------


def test_a_decision_needs_a_person_of_section_one_a_date_not_in_the_future_and_how_it_was_made():
    errors = problems_of(person_id="someone-else", decided_on=None)
    assert set(errors) == {"person_id", "decided_on", "method"}
    assert "listed in the family background" in errors["person_id"]
    future = problems_of(method=ConsentMethod.VERBAL, decided_on=TODAY + timedelta(days=1))
    assert future == {"decided_on": "The date of the decision must be today or in the past."}
    professional = problems_of(person_id=GP.id, method=ConsentMethod.VERBAL)
    assert set(professional) == {"person_id"}
    assert problems_of(method=ConsentMethod.VERBAL) == {}


def test_consent_given_to_share_names_at_least_one_recipient_and_limited_consent_an_exclusion():
    assert "recipients" in problems_of(method=ConsentMethod.WRITTEN, share_with_professionals=True)
    limited = problems_of(
        kind=ConsentKind.LIMITED, method=ConsentMethod.WRITTEN, share_with_professionals=True, recipients=(HUB,)
    )
    assert set(limited) == {"excluded"}
    both = problems_of(
        method=ConsentMethod.WRITTEN, share_with_professionals=True, recipients=(HUB,), must_not_see=(HUB,)
    )
    assert "cannot be both covered and excluded" in both["excluded"]
    unknown = Recipient(kind=RecipientKind.DIRECTORY, key="not-in-the-directory", name="Nobody")
    assert "recipients" in problems_of(
        method=ConsentMethod.WRITTEN, share_with_professionals=True, recipients=(unknown,)
    )


def test_a_refusal_a_withdrawal_and_could_not_be_contacted_say_what_was_explained_or_tried():
    for kind in (ConsentKind.REFUSED, ConsentKind.WITHDRAWN):
        assert "explained" in problems_of(kind=kind, method=ConsentMethod.VERBAL)
    tried = problems_of(kind=ConsentKind.COULD_NOT_BE_CONTACTED)
    assert tried == {"explained": "Enter how you tried to contact them."}
    with_method = problems_of(kind=ConsentKind.COULD_NOT_BE_CONTACTED, method=ConsentMethod.VERBAL, explained="x")
    assert set(with_method) == {"method"}
    sharing = problems_of(kind=ConsentKind.REFUSED, method=ConsentMethod.VERBAL, explained="x", recipients=(HUB,))
    assert set(sharing) == {"recipients"}


def test_a_childs_own_decision_needs_a_note_of_their_understanding():
    errors = problems_of(person_id=TEEN.id, method=ConsentMethod.VERBAL)
    assert errors == {"understanding": "Enter a short note of the child's understanding."}
    consent = decide(Consent(), TEEN, ConsentKind.GIVEN, TODAY)
    assert consent.decisions[0].understanding.startswith("Understands")


def test_texts_go_through_the_text_rules():
    errors = problems_of(method=ConsentMethod.VERBAL, explained="x" * 100_001, must_not_see_text="\x00")
    assert "100,000 characters or fewer" in errors["explained"] and "NUL" in errors["must_not_see_text"]


def test_a_refusal_is_a_valid_record_and_saving_it_is_accepted():
    consent = decide(Consent(), MUM, ConsentKind.REFUSED, TODAY, share_with_professionals=False)
    (decision,) = consent.decisions
    assert decision.kind is ConsentKind.REFUSED and decision.recorded_by == "sam" and decision.wording == WORDING
    assert rules.problems(consent, BACKGROUND) == [
        f"Maryam Khan (the main carer): refused in writing on {TODAY:%-d %B %Y}; their consent is essential"
    ]


def test_the_wording_each_decision_saw_is_kept_and_nothing_is_overwritten():
    first = decide(Consent(), MUM, ConsentKind.REFUSED, TODAY - timedelta(days=10))
    new_wording = ConsentWording(version="2026-2", text="New words.")
    second = rules.record_decision(
        first,
        DecisionAnswers(
            person_id=MUM.id,
            kind=ConsentKind.GIVEN,
            method=ConsentMethod.VERBAL,
            decided_on=TODAY,
            council_storage=True,
        ),
        background=BACKGROUND,
        directory=DIRECTORY,
        today=TODAY,
        wording=new_wording,
        at=NOW,
        by="lee",
    )
    assert second.decisions[0] == first.decisions[0]
    assert [d.wording.version for d in second.decisions] == ["2026-1", "2026-2"]


# --- the position as it stands --------------------------------------------------------------------


def test_refused_then_given_the_latest_decision_is_the_position_one_line_per_person():
    consent = decide(Consent(), MUM, ConsentKind.REFUSED, date(2026, 3, 3))
    consent = decide(consent, DAD, ConsentKind.GIVEN, date(2026, 3, 10))
    lines = [p.line for p in current_position(consent, BACKGROUND)]
    assert lines == [
        "Maryam Khan (main carer): refused in writing on 3 March 2026",
        "Imran Khan (parent or carer): given in writing on 10 March 2026",
    ]
    consent = decide(consent, MUM, ConsentKind.GIVEN, date(2026, 3, 12), method=ConsentMethod.VERBAL)
    assert current_position(consent, BACKGROUND)[0].line == "Maryam Khan (main carer): given verbally on 12 March 2026"
    assert len(consent.decisions) == 3
    assert covered(consent, HUB).covered


def test_a_decision_recorded_later_but_dated_earlier_does_not_replace_a_later_one():
    consent = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY)
    consent = decide(consent, MUM, ConsentKind.REFUSED, TODAY - timedelta(days=5))
    assert consent.latest(MUM.id).kind is ConsentKind.GIVEN


def test_children_old_enough_to_be_asked_are_suggested_and_a_childs_decision_is_listed():
    positions = current_position(Consent(), BACKGROUND, today=TODAY)
    assert [(p.name, p.suggested) for p in positions] == [
        ("Maryam Khan", False),
        ("Imran Khan", False),
        ("Zara Khan", True),
    ]
    consent = decide(Consent(), SMALL, ConsentKind.GIVEN, TODAY)
    assert current_position(consent, BACKGROUND)[-1].line == "Ayaan Khan (child): given in writing on 20 March 2026"


def test_a_decision_entered_in_error_stays_in_the_history_and_no_longer_counts():
    consent = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY)
    consent = decide(consent, MUM, ConsentKind.REFUSED, TODAY)
    wrong = consent.decisions[-1]
    with pytest.raises(ValidationFailed) as refused:
        rules.mark_in_error(consent, wrong.id, "  ", at=NOW, by="sam")
    assert set(refused.value.errors) == {"reason"}
    marked = rules.mark_in_error(consent, wrong.id, "Recorded for the wrong family", at=NOW, by="sam")
    assert marked.decisions == consent.decisions and marked.error_of(wrong) is not None
    assert marked.latest(MUM.id).kind is ConsentKind.GIVEN
    with pytest.raises(ValidationFailed, match="already marked"):
        rules.mark_in_error(marked, wrong.id, "again", at=NOW, by="sam")


# --- completion -----------------------------------------------------------------------------------


def test_completion_needs_the_main_carers_consent_to_store_and_share_confirmed_at_the_end():
    assert rules.problems(Consent(), BACKGROUND) == ["consent has not been recorded"]
    dad_only = decide(Consent(), DAD, ConsentKind.GIVEN, TODAY)
    assert rules.problems(dad_only, BACKGROUND) == ["the main carer (Maryam Khan) has not given consent"]
    partial = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY, council_storage=False, share_with_professionals=False)
    assert rules.problems(partial, BACKGROUND) == [
        "the family have not agreed to the council storing the assessment",
        "the family have not agreed to share it with the professionals named",
        "consent has not been confirmed with the family at the end of the assessment",
    ]
    given = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY - timedelta(days=2))
    decision = given.decisions[-1]
    with pytest.raises(ValidationFailed) as early:
        rules.confirm(given, decision.id, TODAY - timedelta(days=3), today=TODAY, at=NOW, by="sam")
    assert "cannot be before" in early.value.errors["confirmed_on"]
    confirmed = rules.confirm(given, decision.id, TODAY, today=TODAY, at=NOW, by="sam")
    assert rules.problems(confirmed, BACKGROUND) == []
    # Consent sought afresh needs confirming again.
    again = decide(confirmed, MUM, ConsentKind.LIMITED, TODAY, excluded=(CAMHS,))
    assert rules.problems(again, BACKGROUND) == [
        "consent has not been confirmed with the family at the end of the assessment"
    ]


def test_given_then_withdrawn_blocks_completion_and_sharing_saying_who_and_when():
    consent = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY - timedelta(days=7))
    consent = rules.confirm(consent, consent.decisions[-1].id, TODAY, today=TODAY, at=NOW, by="sam")
    consent = decide(consent, MUM, ConsentKind.WITHDRAWN, TODAY, explained="Sharing with the school stops.")
    (problem,) = rules.problems(consent, BACKGROUND)
    assert problem.startswith("Maryam Khan withdrew consent on 20 March 2026")
    assert rules.sharing_refusal(consent, BACKGROUND) == problem
    result = covered(consent, HUB)
    assert (result.covered, result.state) == (False, CoverageState.WITHDRAWN)
    assert "Maryam Khan withdrew consent on 20 March 2026" in result.message
    assert rules.withdrawals(consent, BACKGROUND)[0][0] == "Maryam Khan"


def test_sharing_refusal_before_anything_is_recorded_and_after_a_refusal():
    assert rules.sharing_refusal(Consent(), BACKGROUND) is None
    refused = decide(Consent(), DAD, ConsentKind.REFUSED, TODAY)
    assert rules.sharing_refusal(refused, BACKGROUND) == "Imran Khan refused consent on 20 March 2026."
    no_sharing = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY, share_with_professionals=False, recipients=())
    assert "have not agreed to share" in (rules.sharing_refusal(no_sharing, BACKGROUND) or "")
    assert rules.sharing_refusal(decide(Consent(), MUM, ConsentKind.GIVEN, TODAY), BACKGROUND) is None


# --- coverage -------------------------------------------------------------------------------------


def test_nothing_recorded_or_the_main_carer_not_contacted_covers_nobody():
    nothing = covered(Consent(), HUB)
    assert (nothing.covered, nothing.state) == (False, CoverageState.NOT_RECORDED)
    assert "Maryam Khan" in nothing.message
    away = decide(Consent(), MUM, ConsentKind.COULD_NOT_BE_CONTACTED, TODAY)
    result = covered(away, HUB)
    assert (result.covered, result.state) == (False, CoverageState.COULD_NOT_BE_CONTACTED)
    assert "could not be contacted on 20 March 2026" in result.message
    # Another carer who could not be contacted does not stop consent the main carer gave.
    both = decide(decide(Consent(), MUM, ConsentKind.GIVEN, TODAY), DAD, ConsentKind.COULD_NOT_BE_CONTACTED, TODAY)
    assert covered(both, HUB).covered


def test_a_service_covers_its_member_agencies_and_the_professionals_who_belong_to_them():
    consent = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY)
    housing = covered(consent, HOUSING)
    assert (housing.covered, housing.state) == (True, CoverageState.GIVEN)
    assert "as part of Early Help Hub" in housing.message and "Maryam Khan" in housing.message
    assert housing.decisions == (consent.decisions[-1],)
    # Jo Bell's agency is typed "School Héalth Nursing": folded, it is the hub's school nursing.
    assert covered(consent, professional_recipient(NURSE)).covered
    for outside in (CAMHS, professional_recipient(GP), professional_recipient(TEACHER)):
        result = covered(consent, outside)
        assert (result.covered, result.state) == (False, CoverageState.NOT_NAMED), outside


def test_consent_naming_a_professional_covers_them_alone():
    consent = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY, recipients=(professional_recipient(TEACHER),))
    assert covered(consent, professional_recipient(TEACHER)).covered
    assert not covered(consent, entry("gp")).covered
    agency = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY, recipients=(entry("gp"),))
    assert covered(agency, professional_recipient(GP)).covered  # "gp surgery" is the GP surgery


def test_limited_against_one_recipient_covers_the_rest():
    consent = decide(
        Consent(), MUM, ConsentKind.LIMITED, TODAY, excluded=(professional_recipient(NURSE),), recipients=(HUB,)
    )
    assert covered(consent, HOUSING).covered
    result = covered(consent, professional_recipient(NURSE))
    assert (result.covered, result.state) == (False, CoverageState.LIMITED_AGAINST)
    assert "Jo Bell" in result.message and "20 March 2026" in result.message


def test_someone_who_must_not_see_it_is_not_covered_whoever_said_so():
    consent = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY)
    consent = decide(consent, DAD, ConsentKind.GIVEN, TODAY, must_not_see=(HOUSING,), recipients=(CAMHS,))
    result = covered(consent, HOUSING)
    assert (result.covered, result.state) == (False, CoverageState.LIMITED_AGAINST)
    assert result.message.startswith("Imran Khan's consent")
    assert covered(consent, entry("childrens-centre")).covered


def test_two_parents_differing_the_refusal_wins_and_names_who_refused():
    consent = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY - timedelta(days=1))
    consent = decide(consent, DAD, ConsentKind.REFUSED, TODAY)
    result = covered(consent, HOUSING)
    assert (result.covered, result.state) == (False, CoverageState.REFUSED)
    assert result.message.startswith("Imran Khan refused consent on 20 March 2026")
    assert result.decisions == (consent.decisions[-1],)
    # The main carer's consent still lets the assessment be completed.
    confirmed = rules.confirm(consent, consent.decisions[0].id, TODAY, today=TODAY, at=NOW, by="sam")
    assert rules.problems(confirmed, BACKGROUND) == []


def test_a_childs_own_refusal_stops_sharing_on_consent():
    consent = decide(decide(Consent(), MUM, ConsentKind.GIVEN, TODAY), TEEN, ConsentKind.REFUSED, TODAY)
    result = covered(consent, HOUSING)
    assert (result.covered, result.state) == (False, CoverageState.REFUSED) and "Zara Khan" in result.message


def test_a_person_removed_from_section_one_no_longer_counts():
    consent = decide(decide(Consent(), MUM, ConsentKind.GIVEN, TODAY), DAD, ConsentKind.REFUSED, TODAY)
    without_dad = BACKGROUND.model_copy(update={"carers": (MUM,)})
    assert coverage(consent, HOUSING, directory=DIRECTORY, background=without_dad).covered


# --- the consent a sharing decision is recorded with ----------------------------------------------


def test_the_consent_at_the_time_of_sharing_is_worked_out_from_the_record():
    from eha.recipients import typed_recipient
    from eha.sharing import NO_ASSESSMENT, consent_at_the_time

    def at_the_time(consent, recipient):
        return consent_at_the_time(consent, recipient, directory=DIRECTORY, background=BACKGROUND)

    given = decide(Consent(), MUM, ConsentKind.GIVEN, TODAY)
    # the hub was named: its member agency, and a professional of that agency, are covered
    nursing = at_the_time(given, entry("school-nursing"))
    assert nursing.covered and nursing.state is CoverageState.GIVEN
    assert [r.decision_id for r in nursing.rested_on] == [given.decisions[-1].id]
    assert nursing.line.startswith("Covered:") and "Early Help Hub" in nursing.line
    assert at_the_time(given, professional_recipient(NURSE)).covered
    assert not at_the_time(given, CAMHS).covered
    # someone else, typed, is never covered, even typed as an agency the consent names
    other = at_the_time(given, typed_recipient("Jo Bell", "School Héalth Nursing"))
    assert not other.covered and "cannot cover them" in other.message
    assert other.line.startswith("Not covered:")
    # a refusal says who refused and when
    refused = at_the_time(decide(given, DAD, ConsentKind.REFUSED, date(2026, 3, 3)), HOUSING)
    assert not refused.covered and "Imran Khan refused consent on 3 March 2026" in refused.line
    # no assessment: no consent recorded
    none = at_the_time(None, HOUSING)
    assert (none.covered, none.state, none.message) == (False, CoverageState.NOT_RECORDED, NO_ASSESSMENT)


# --- reading the single consent record of before --------------------------------------------------

OLD_RECORD = {
    "carers": [{"carer_id": MUM.id, "method": "written", "given_on": "2026-01-10"}],
    "share_with_professionals": True,
    "named_recipients": "GP surgery; the school",
    "council_storage": True,
    "ons_opt_out": True,
    "must_not_see": "Uncle <b>Bob</b>",
    "signed_consent_held_by": "Cherwell Primary",
    "confirmed_on": "2026-02-01",
    "wording": {"version": "2025-1", "text": "Old words."},
    "recorded_at": "2026-01-10T10:00:00Z",
    "recorded_by": "sam.worker",
}


def test_an_old_consent_record_becomes_its_first_decisions_with_nothing_lost():
    withdrawn = OLD_RECORD | {
        "withdrawal": {
            "withdrawn_on": "2026-02-10",
            "withdrawn_by": "Maryam",
            "stops": "All sharing",
            "recorded_at": "2026-02-10T09:00:00Z",
            "recorded_by": "lee",
        }
    }
    again = OLD_RECORD | {
        "carers": [
            {"carer_id": MUM.id, "method": "verbal", "given_on": "2026-03-01"},
            {"carer_id": DAD.id, "method": "written", "given_on": "2026-03-02"},
        ],
        "confirmed_on": None,
        "recorded_at": "2026-03-01T10:00:00Z",
    }
    old = {"current": again, "earlier": [withdrawn]}
    consent = Consent.model_validate(old)
    kinds = [(d.person_id, d.kind, d.decided_on) for d in consent.decisions]
    assert kinds == [
        (MUM.id, ConsentKind.GIVEN, date(2026, 1, 10)),
        (MUM.id, ConsentKind.WITHDRAWN, date(2026, 2, 10)),
        (MUM.id, ConsentKind.GIVEN, date(2026, 3, 1)),
        (DAD.id, ConsentKind.GIVEN, date(2026, 3, 2)),
    ]
    first, withdrawal, *_ = consent.decisions
    assert first.method is ConsentMethod.WRITTEN and first.wording.version == "2025-1"
    assert first.recipients_text == "GP surgery; the school" and first.must_not_see_text == "Uncle <b>Bob</b>"
    assert first.ons_opt_out and first.signed_consent_held_by == "Cherwell Primary"
    assert (first.recorded_by, first.recorded_at) == ("sam.worker", datetime(2026, 1, 10, 10, tzinfo=UTC))
    assert consent.confirmation_of(first).confirmed_on == date(2026, 2, 1)
    assert withdrawal.explained == "Withdrawn by: Maryam\nWhat it now stops: All sharing"
    assert withdrawal.recorded_by == "lee"
    assert consent.earlier_form is not None and consent.earlier_form.model_dump(mode="json") == {
        "current": again | {"ons_opt_out": True, "withdrawal": None},
        "earlier": [withdrawn],
    }
    # Read twice, the same decisions (with the same ids), and the new shape reads as itself.
    assert Consent.model_validate(old) == consent
    assert Consent.model_validate(consent.model_dump(mode="json")) == consent
    assert current_position(consent, BACKGROUND)[0].line == "Maryam Khan (main carer): given verbally on 1 March 2026"
    # Recipients named in words are kept but never matched: the consent names nobody picked.
    result = covered(consent, entry("gp"))
    assert result.state is CoverageState.NOT_NAMED and "GP surgery; the school" in result.message


def test_an_empty_old_document_reads_as_no_decisions():
    consent = Consent.model_validate({"current": None, "earlier": []})
    assert consent.decisions == () and consent.earlier_form is not None


# --- the directory --------------------------------------------------------------------------------


def test_the_shipped_directory_has_services_containing_agencies():
    assert [e.key for e in DIRECTORY.services_containing("school-nursing")] == ["early-help-hub", "family-health"]
    assert DIRECTORY.get("housing") is not None and DIRECTORY.get("nope") is None
    offered = recipients_for(BACKGROUND, DIRECTORY)
    assert offered[:3] == tuple(professional_recipient(p) for p in (GP, NURSE, TEACHER))
    assert offered[3:] == DIRECTORY.recipients()
    assert professional_recipient(GP).label == "Dr Okafor (GP, gp surgery)" and HUB.label == "Early Help Hub"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "at least one"),
        ('[[entry]]\nkey = "a"\nname = "A"\n', "needs text for: kind"),
        ('[[entry]]\nkey = "a"\nname = "A"\nkind = "team"\n', 'kind must be "service" or "agency"'),
        ('[[entry]]\nkey = "a"\nname = "A"\nkind = "service"\nmembers = ["b"]\n', "not agencies in the file: b"),
        ('[[entry]]\nkey = "a"\nname = "A"\nkind = "agency"\nmembers = ["a"]\n', "only a service has members"),
        ('[[entry]]\nkey = "a"\nname = "A"\nkind = "agency"\n' * 2, "a appears twice"),
        ('[[entry]]\nkey = "a"\nname = "A"\nkind = "agency"\nphone = "1"\n', "unknown fields: phone"),
        ("not toml [", "Cannot read"),
    ],
)
def test_a_broken_directory_file_says_what_is_wrong(tmp_path: Path, text: str, message: str):
    path = tmp_path / "agencies.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DirectoryConfigError, match=message.replace("[", r"\[")) as exc:
        load_directory(path)
    assert str(path) in str(exc.value)
