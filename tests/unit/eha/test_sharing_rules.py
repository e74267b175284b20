"""The record of sharing: Appendix 1's questions, consent, and the lawful basis."""

from datetime import UTC, date, datetime

import pytest

from eha.consent import CoverageState
from eha.recipients import Recipient, RecipientKind, typed_recipient
from eha.sharing import (
    Answer,
    ConsentAtTheTime,
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
    next_question,
    walk,
)
from eha.sharing import (
    typed_consent_problem as consent_problem,
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


def test_typed_consent_was_checked_as_given_and_covering_the_recipient():
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


GP = Recipient(kind=RecipientKind.DIRECTORY, key="gp", name="GP surgery")
COVERED = ConsentAtTheTime(
    covered=True,
    state=CoverageState.GIVEN,
    message="Covered: Maryam Khan (the main carer) gave consent on 10 March 2026 to share with GP surgery.",
)


def not_covered(state: CoverageState, message: str) -> ConsentAtTheTime:
    return ConsentAtTheTime(covered=False, state=state, message=message)


WITHDRAWN = not_covered(CoverageState.WITHDRAWN, "Maryam Khan withdrew consent on 12 March 2026.")
NOT_CONTACTED = not_covered(
    CoverageState.COULD_NOT_BE_CONTACTED, "Maryam Khan (the main carer) could not be contacted on 12 March 2026."
)
REFUSED = not_covered(CoverageState.REFUSED, "Imran Khan refused consent on 3 March 2026.")


def decision(**changes) -> SharingDecision:
    base = {
        "decided_on": TODAY,
        "information": "Attendance since September",
        "recipient": GP,
        "purpose": "To plan support for Ayaan's health needs",
        "questions": Questions(legitimate_purpose=Y, consent=Y),
        "lawful_basis": LawfulBasis.CONSENT,
        "consent": COVERED,
        "parent_told": Told.YES,
        "child_told": Told.YES,
    }
    return SharingDecision(**{**base, **changes})


def test_a_complete_decision_on_consent_is_accepted():
    assert check_decision(decision(), today=TODAY) == {}


def test_sharing_on_consent_that_does_not_cover_the_recipient_is_refused_saying_why():
    errors = check_decision(decision(consent=WITHDRAWN), today=TODAY)
    assert "Maryam Khan withdrew consent on 12 March 2026" in errors["lawful_basis"]
    # and the answer "we have consent" disagrees with it
    assert "does not cover" in errors["consent"] and "withdrew" in errors["consent"]
    on_consent_only = check_decision(
        decision(
            consent=REFUSED,
            questions=Questions(legitimate_purpose=Y, consent=N, identifiable=Y, lawful_reason_without_consent=Y),
        ),
        today=TODAY,
    )
    assert list(on_consent_only) == ["lawful_basis"] and "Imran Khan refused" in on_consent_only["lawful_basis"]


def test_answering_yes_to_do_you_have_consent_must_agree_with_the_coverage():
    errors = check_decision(decision(consent=REFUSED, lawful_basis=LawfulBasis.SAFEGUARDING), today=TODAY)
    assert list(errors) == ["consent"] and "Imran Khan refused consent on 3 March 2026" in errors["consent"]
    # even where Yes leads to "seek advice" rather than to sharing
    advice = decision(consent=REFUSED, questions=Questions(legitimate_purpose=N, consent=Y), lawful_basis=None)
    assert "consent" in check_decision(advice, today=TODAY)
    # a decision whose coverage was never worked out has no consent to agree with
    assert "consent" in check_decision(decision(consent=None, lawful_basis=LawfulBasis.SAFEGUARDING), today=TODAY)


def test_a_decision_not_to_share_with_someone_consent_does_not_cover_is_accepted():
    no = decision(
        consent=REFUSED,
        questions=Questions(legitimate_purpose=Y, consent=N, identifiable=Y, lawful_reason_without_consent=N),
        lawful_basis=LawfulBasis.CONSENT,
    )
    assert no.outcome is Outcome.DO_NOT_SHARE
    assert check_decision(no, today=TODAY) == {}


def test_a_recipient_must_be_picked_or_typed():
    assert "recipient" in check_decision(decision(recipient=None), today=TODAY)
    assert "recipient" in check_decision(decision(recipient=typed_recipient(" ", " ")), today=TODAY)
    assert "recipient_agency" in check_decision(decision(recipient=typed_recipient("Jo", "x" * 201)), today=TODAY)


def test_sharing_without_consent_needs_a_basis_and_a_reason():
    without = {
        "questions": Questions(legitimate_purpose=Y, consent=N, identifiable=Y, lawful_reason_without_consent=Y),
        "consent": WITHDRAWN,
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
            consent=NOT_CONTACTED,
            questions=Questions(legitimate_purpose=Y, consent=N, identifiable=Y, lawful_reason_without_consent=Y),
        ),
        today=TODAY,
    )
    assert "could not be contacted" in errors["lawful_basis"]
    on_safeguarding = decision(
        consent=NOT_CONTACTED,
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
        "received_from": typed_recipient("PC Jo Hart", "Thames Valley Police"),
        "purpose": "For the TAF to know",
        "questions": Questions(),
    }
    return SharingDecision(**{**base, **changes})


def test_information_received_is_recorded_not_decided():
    assert received().outcome is Outcome.RECEIVED
    # Neither the questions, nor consent, nor telling the family are asked of what came in.
    assert check_decision(received(), today=TODAY) == {}
    agency_alone = typed_recipient("", "Thames Valley Police")
    assert check_decision(received(received_from=agency_alone), today=TODAY) == {}
    assert check_decision(received(received_from=GP), today=TODAY) == {}  # or picked
    assert "received_from" in check_decision(received(received_from=typed_recipient("", " ")), today=TODAY)
    assert "information" in check_decision(received(information=""), today=TODAY)
    assert "purpose" in check_decision(received(purpose=""), today=TODAY)
    assert "questions" in check_decision(received(questions=Questions(legitimate_purpose=Y)), today=TODAY)
    assert "recipient" in check_decision(received(recipient=GP), today=TODAY)
    assert "lawful_basis_other" in check_decision(received(lawful_basis=LawfulBasis.OTHER), today=TODAY)
    assert received().other_party == "PC Jo Hart (Thames Valley Police)"
    # and a share names no sender
    assert "received_from" in check_decision(decision(received_from=typed_recipient("PC Jo Hart")), today=TODAY)


def test_an_older_decision_that_said_only_whether_the_family_was_told_still_reads():
    old = {
        "decided_on": TODAY.isoformat(),
        "information": "Attendance since September",
        "recipient": "Dr Adaeze Okafor",
        "recipient_agency": "GP surgery",
        "purpose": "To plan support",
        "questions": {"legitimate_purpose": "yes", "consent": "yes"},
        "lawful_basis": "consent",
        "consent": "given",
        "consent_covers": ["GP surgery"],
    }
    read = SharingDecision.model_validate({**old, "family_told": False, "family_not_told_reason": "Risk"})
    assert read.direction is Direction.OUT and read.decided_by is None
    assert (read.parent_told, read.parent_not_told_reason, read.child_told) == (Told.NO, "Risk", None)
    # As recorded it stands; a new decision must say whether the child was told.
    assert check_decision(read, today=TODAY, recorded=True) == {}
    assert "child_told" in check_decision(read, today=TODAY)


def test_the_consent_check_is_one_step_that_can_be_replaced():
    seen = []

    def from_the_record(d: SharingDecision) -> dict[str, str]:
        seen.append(d.recipient.label if d.recipient else None)
        return {"lawful_basis": "The consent record does not cover the GP surgery."}

    errors = check_decision(decision(), today=TODAY, consent_check=from_the_record)
    assert seen == ["GP surgery"] and errors == {"lawful_basis": "The consent record does not cover the GP surgery."}
    # Information received is not shared on anyone's consent: the step is not asked.
    assert check_decision(received(), today=TODAY, consent_check=from_the_record) == {}


def test_a_decision_not_to_share_needs_no_lawful_basis():
    refusal = decision(questions=Questions(legitimate_purpose=N, consent=N), lawful_basis=None, consent=REFUSED)
    assert refusal.outcome is Outcome.DO_NOT_SHARE
    assert check_decision(refusal, today=TODAY) == {}


def test_a_decision_of_the_typed_shape_reads_as_someone_else_with_the_consent_as_typed():
    old = {
        "decided_on": "2026-11-01",
        "information": "Attendance",
        "recipient": "*Dr* Okafor",
        "recipient_agency": "GP surgery",
        "received_from": "",
        "received_from_agency": "",
        "purpose": "Health plan",
        "questions": {"legitimate_purpose": "yes", "consent": "yes"},
        "lawful_basis": "consent",
        "consent": "given",
        "consent_covers": ["GP surgery"],
        "parent_told": "yes",
        "child_told": "yes",
    }
    read = SharingDecision.model_validate(old)
    assert read.recipient == Recipient(kind=RecipientKind.OTHER, key="", name="*Dr* Okafor", agency="GP surgery")
    assert read.received_from is None and read.other_party == "*Dr* Okafor (GP surgery)"
    c = read.consent
    assert c is not None and not c.worked_out
    assert (c.covered, c.typed_status, c.typed_covers) == (True, ConsentStatus.GIVEN, ("GP surgery",))
    assert c.line == "As typed then: Given (covering GP surgery)"
    # As recorded it stands, checked as it was checked then
    assert check_decision(read, today=TODAY, recorded=True) == {}
    # and it is written back in today's shape, which reads the same
    again = SharingDecision.model_validate(read.model_dump(mode="json"))
    assert again == read
    # typed consent that did not cover the recipient was refused then, and still is
    stray = SharingDecision.model_validate({**old, "consent_covers": ["Police"]})
    assert stray.consent is not None and not stray.consent.covered
    assert "does not cover" in check_decision(stray, today=TODAY, recorded=True)["lawful_basis"]
    # information received of the typed shape: the sender typed, no recipient
    came_in = SharingDecision.model_validate(
        {
            **old,
            "direction": "in",
            "recipient": "",
            "recipient_agency": "",
            "received_from": "PC Jo Hart",
            "received_from_agency": "Thames Valley Police",
            "questions": {},
            "lawful_basis": None,
            "consent": "not_sought",
            "consent_covers": [],
        }
    )
    assert came_in.recipient is None and came_in.received_from == typed_recipient("PC Jo Hart", "Thames Valley Police")
    assert check_decision(came_in, today=TODAY, recorded=True) == {}
