"""The record of sharing: Appendix 1's questions, consent, and the lawful basis."""

from datetime import date

import pytest

from eha.sharing import (
    Answer,
    ConsentStatus,
    LawfulBasis,
    Outcome,
    Questions,
    SharingDecision,
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
        "family_told": True,
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


def test_a_family_not_told_needs_a_reason_and_unfinished_questions_are_refused():
    assert "family_not_told_reason" in check_decision(decision(family_told=False), today=TODAY)
    assert check_decision(decision(family_told=False, family_not_told_reason="Would increase risk"), today=TODAY) == {}
    assert "questions" in check_decision(decision(questions=Questions(legitimate_purpose=Y)), today=TODAY)


def test_a_decision_not_to_share_needs_no_lawful_basis():
    refusal = decision(
        questions=Questions(legitimate_purpose=N, consent=N), lawful_basis=None, consent=ConsentStatus.NOT_GIVEN
    )
    assert refusal.outcome is Outcome.DO_NOT_SHARE
    assert check_decision(refusal, today=TODAY) == {}
