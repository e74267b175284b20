"""The record of sharing: Appendix 1's questions, consent, and the lawful basis."""

from datetime import UTC, date, datetime

import pytest

from eha.sharing import (
    Answer,
    ConsentStatus,
    Decider,
    Direction,
    LawfulBasis,
    Outcome,
    Questions,
    RecordedSharing,
    SharingDecision,
    Told,
    check_decision,
    consent_problem,
    next_question,
    walk,
)

Y, N, U = Answer.YES, Answer.NO, Answer.UNSURE
TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ({"legitimate_purpose": U}, Outcome.SEEK_ADVICE),
        ({"legitimate_purpose": N, "consent": N}, Outcome.DO_NOT_SHARE),
        ({"legitimate_purpose": N, "consent": Y}, Outcome.SEEK_ADVICE),
        ({"legitimate_purpose": Y, "consent": Y}, Outcome.SHARE),
        ({"legitimate_purpose": Y, "consent": U}, Outcome.SEEK_ADVICE),
        ({"legitimate_purpose": Y, "consent": N, "identifiable": N}, Outcome.SHARE),
        ({"legitimate_purpose": Y, "consent": N, "identifiable": U}, Outcome.SEEK_ADVICE),
        ({"legitimate_purpose": Y, "consent": N, "identifiable": Y, "lawful_reason_without_consent": Y}, Outcome.SHARE),
        (
            {"legitimate_purpose": Y, "consent": N, "identifiable": Y, "lawful_reason_without_consent": N},
            Outcome.DO_NOT_SHARE,
        ),
        (
            {"legitimate_purpose": Y, "consent": N, "identifiable": Y, "lawful_reason_without_consent": U},
            Outcome.SEEK_ADVICE,
        ),
    ],
)
def test_the_questions_lead_where_appendix_1_says(answers, outcome):
    assert walk(Questions(**answers)) is outcome
    assert next_question(Questions(**answers)) is None


def test_the_next_question_follows_the_answers():
    assert next_question(Questions()) == "legitimate_purpose"
    assert next_question(Questions(legitimate_purpose=Y)) == "consent"
    assert next_question(Questions(legitimate_purpose=N)) == "consent"
    assert next_question(Questions(legitimate_purpose=Y, consent=N)) == "identifiable"
    assert next_question(Questions(legitimate_purpose=Y, consent=N, identifiable=Y)) == (
        "lawful_reason_without_consent"
    )
    assert walk(Questions(legitimate_purpose=Y)) is None


def test_consent_must_be_given_and_cover_the_recipient():
    assert (
        consent_problem(consent=ConsentStatus.GIVEN, covered=("School nurse",), recipient="", agency="school NURSE")
        is None
    )
    assert (
        consent_problem(
            consent=ConsentStatus.GIVEN, covered=("Dr Zoë Ó Briain",), recipient="dr zoe o briain", agency=""
        )
        is None
    )
    assert "withdrawn" in (
        consent_problem(consent=ConsentStatus.WITHDRAWN, covered=("GP",), recipient="", agency="GP") or ""
    )
    assert "not cover" in (
        consent_problem(consent=ConsentStatus.GIVEN, covered=("GP",), recipient="", agency="Police") or ""
    )
    assert "not sought" in (
        consent_problem(consent=ConsentStatus.NOT_SOUGHT, covered=(), recipient="", agency="GP") or ""
    )


def decision(**changes) -> SharingDecision:
    base = {
        "decided_on": TODAY,
        "information": "Attendance since September",
        "recipient": "Dr Adaeze Okafor",
        "recipient_agency": "GP surgery",
        "purpose": "To plan support for Ayaan's health needs",
        "questions": Questions(legitimate_purpose=Y, consent=Y),
        "lawful_basis": LawfulBasis.CONSENT,
        "consent": ConsentStatus.GIVEN,
        "consent_covers": ("GP surgery",),
        "parent_told": Told.YES,
        "child_told": Told.YES,
    }
    return SharingDecision(**{**base, **changes})


def test_a_complete_decision_on_consent_is_accepted():
    assert check_decision(decision(), today=TODAY) == {}


def test_sharing_on_withdrawn_consent_is_refused_with_an_explanation():
    errors = check_decision(decision(consent=ConsentStatus.WITHDRAWN), today=TODAY)
    assert "withdrawn consent" in errors["lawful_basis"]
    assert "consent" in errors  # the answer "we have consent" contradicts the recorded status


def test_consent_that_does_not_cover_the_recipient_is_refused():
    errors = check_decision(decision(recipient="PC Smith", recipient_agency="Thames Valley Police"), today=TODAY)
    assert "does not cover this recipient" in errors["lawful_basis"]


def test_sharing_without_consent_needs_a_basis_and_a_reason():
    without = {
        "questions": Questions(legitimate_purpose=Y, consent=N, identifiable=Y, lawful_reason_without_consent=Y),
        "consent": ConsentStatus.WITHDRAWN,
        "consent_covers": (),
    }
    assert check_decision(decision(**without, lawful_basis=LawfulBasis.SAFEGUARDING), today=TODAY) == {}
    assert "lawful_basis" in check_decision(decision(**without, lawful_basis=None), today=TODAY)
    assert "purpose" in check_decision(
        decision(**without, lawful_basis=LawfulBasis.SAFEGUARDING, purpose=" "), today=TODAY
    )
    other = check_decision(decision(**without, lawful_basis=LawfulBasis.OTHER), today=TODAY)
    assert "lawful_basis_other" in other


def test_a_parent_not_told_needs_a_reason_and_unfinished_questions_are_refused():
    assert "parent_not_told_reason" in check_decision(decision(parent_told=Told.NO), today=TODAY)
    assert (
        check_decision(decision(parent_told=Told.NO, parent_not_told_reason="Would increase risk"), today=TODAY) == {}
    )
    assert "questions" in check_decision(decision(questions=Questions(legitimate_purpose=Y)), today=TODAY)


def test_when_sharing_the_parent_and_the_child_are_each_told_or_why_not():
    assert "parent_told" in check_decision(decision(parent_told=None), today=TODAY)
    assert "child_told" in check_decision(decision(child_told=None), today=TODAY)
    assert "child_not_told_reason" in check_decision(decision(child_told=Told.NO), today=TODAY)
    assert check_decision(decision(child_told=Told.NO, child_not_told_reason="She is two"), today=TODAY) == {}
    # "Could not be contacted" is the parent's answer; a child is told or not, and why not.
    assert check_decision(decision(parent_told=Told.COULD_NOT_CONTACT), today=TODAY) == {}
    assert "child_told" in check_decision(decision(child_told=Told.COULD_NOT_CONTACT), today=TODAY)
    # Not sharing: nobody is told of a share that did not happen.
    refusal = decision(questions=Questions(legitimate_purpose=N, consent=N), parent_told=None, child_told=None)
    assert check_decision(refusal, today=TODAY) == {}


def test_a_parent_who_could_not_be_contacted_gives_no_consent_to_share_on():
    errors = check_decision(
        decision(
            consent=ConsentStatus.COULD_NOT_CONTACT,
            questions=Questions(legitimate_purpose=Y, consent=N, identifiable=Y, lawful_reason_without_consent=Y),
        ),
        today=TODAY,
    )
    assert "could not be contacted" in errors["lawful_basis"]
    assert ConsentStatus.COULD_NOT_CONTACT.label == "Could not be contacted"
    on_safeguarding = decision(
        consent=ConsentStatus.COULD_NOT_CONTACT,
        consent_covers=(),
        questions=Questions(legitimate_purpose=Y, consent=N, identifiable=Y, lawful_reason_without_consent=Y),
        lawful_basis=LawfulBasis.SAFEGUARDING,
        parent_told=Told.COULD_NOT_CONTACT,
    )
    assert check_decision(on_safeguarding, today=TODAY) == {}


def test_another_professional_who_decided_is_named_with_role_and_agency():
    lead = Decider(name="Ann Lee", role="Designated safeguarding lead", agency="Cherwell School")
    assert check_decision(decision(decided_by=lead), today=TODAY) == {}
    for missing in ("name", "role", "agency"):
        errors = check_decision(decision(decided_by=lead.model_copy(update={missing: " "})), today=TODAY)
        assert list(errors) == [f"decided_by_{missing}"]
    too_long = check_decision(decision(decided_by=lead.model_copy(update={"name": "x" * 201})), today=TODAY)
    assert "200" in too_long["decided_by_name"]
    item = RecordedSharing(
        decision_id="d1",
        decision=decision(decided_by=lead),
        outcome=Outcome.SHARE,
        recorded_by="sam.worker",
        recorded_by_name="Sam Worker",
        recorded_at=datetime(2026, 11, 22, 10, tzinfo=UTC),
    )
    assert item.attribution == (
        "Decided by Ann Lee, Designated safeguarding lead, Cherwell School; recorded by Sam Worker (sam.worker)"
    )
    mine = RecordedSharing(**{**item.__dict__, "decision": decision()})
    assert mine.decided_by == "Sam Worker" and mine.attribution.startswith("Decided and recorded by Sam Worker")


def received(**changes) -> SharingDecision:
    base = {
        "decided_on": TODAY,
        "direction": Direction.IN,
        "information": "A police notification of a domestic incident on 19/11",
        "recipient": "",
        "recipient_agency": "",
        "received_from": "PC Jo Hart",
        "received_from_agency": "Thames Valley Police",
        "purpose": "For the TAF to know",
        "questions": Questions(),
        "consent": ConsentStatus.NOT_SOUGHT,
    }
    return SharingDecision(**{**base, **changes})


def test_information_received_is_recorded_not_decided():
    assert received().outcome is Outcome.RECEIVED
    # Neither the questions, nor consent, nor telling the family are asked of what came in.
    assert check_decision(received(), today=TODAY) == {}
    assert check_decision(received(received_from=""), today=TODAY) == {}  # the agency alone will do
    assert "received_from" in check_decision(received(received_from="", received_from_agency=" "), today=TODAY)
    assert "information" in check_decision(received(information=""), today=TODAY)
    assert "purpose" in check_decision(received(purpose=""), today=TODAY)
    assert "questions" in check_decision(received(questions=Questions(legitimate_purpose=Y)), today=TODAY)
    assert "recipient" in check_decision(received(recipient_agency="GP surgery"), today=TODAY)
    assert "lawful_basis_other" in check_decision(received(lawful_basis=LawfulBasis.OTHER), today=TODAY)
    assert received().other_party == "PC Jo Hart, Thames Valley Police"
    # and a share names no sender
    assert "received_from" in check_decision(decision(received_from="PC Jo Hart"), today=TODAY)


def test_an_older_decision_that_said_only_whether_the_family_was_told_still_reads():
    old = decision().model_dump(mode="json")
    for key in ("direction", "decided_by", "received_from", "received_from_agency", "document"):
        del old[key]
    for key in ("parent_told", "parent_not_told_reason", "child_told", "child_not_told_reason"):
        del old[key]
    read = SharingDecision.model_validate({**old, "family_told": False, "family_not_told_reason": "Risk"})
    assert read.direction is Direction.OUT and read.decided_by is None
    assert (read.parent_told, read.parent_not_told_reason, read.child_told) == (Told.NO, "Risk", None)
    # As recorded it stands; a new decision must say whether the child was told.
    assert check_decision(read, today=TODAY, recorded=True) == {}
    assert "child_told" in check_decision(read, today=TODAY)


def test_the_consent_check_is_one_step_that_can_be_replaced():
    seen = []

    def from_the_record(d: SharingDecision) -> dict[str, str]:
        seen.append(d.recipient_agency)
        return {"lawful_basis": "The consent record does not cover the GP surgery."}

    errors = check_decision(decision(), today=TODAY, consent_check=from_the_record)
    assert seen == ["GP surgery"] and errors == {"lawful_basis": "The consent record does not cover the GP surgery."}
    # Information received is not shared on anyone's consent: the step is not asked.
    assert check_decision(received(), today=TODAY, consent_check=from_the_record) == {}


def test_a_decision_not_to_share_needs_no_lawful_basis():
    refusal = decision(
        questions=Questions(legitimate_purpose=N, consent=N), lawful_basis=None, consent=ConsentStatus.NOT_GIVEN
    )
    assert refusal.outcome is Outcome.DO_NOT_SHARE
    assert check_decision(refusal, today=TODAY) == {}
