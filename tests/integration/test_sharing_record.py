"""The fuller record of sharing through the service layer, on SQLite and on PostgreSQL: who
decided and who recorded it, information received, the parent and the child told, older
decisions, the export and import of the record, and a document the workbook sends. Whether
the family's consent covers the recipient is worked out from the consent record and kept."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from eha.actor import Actor
from eha.consent import ConsentKind, CoverageState
from eha.errors import AccessDenied, ImportRefused, ValidationFailed
from eha.localities import load_localities
from eha.recipients import Recipient, RecipientKind, professional_recipient, typed_recipient
from eha.record import parse_record
from eha.sharing import (
    NO_ASSESSMENT,
    Answer,
    ConsentStatus,
    Decider,
    Direction,
    LawfulBasis,
    Outcome,
    Questions,
    SharingDecision,
    Told,
)
from storage.db import make_engine, upgrade
from storage.models import SharingDecisionRow
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.eha import (
    GP_SURGERY,
    add_people,
    completed_family,
    give_consent,
    sharing_on_consent,
    without_import_notes,
)
from tests.support.hostile import HOSTILE, LONG

LEAD = Decider(name="Ann Lee", role="Designated safeguarding lead", agency="Cherwell School")


def without_consent(workbook: Workbook, **changes) -> SharingDecision:
    base = {
        "decided_on": workbook.today(),
        "decided_by": LEAD,
        "information": "Bruising seen at school on 20/11",
        "recipient": typed_recipient("Duty social worker", "MASH"),
        "purpose": "Risk of significant harm",
        "questions": Questions(
            legitimate_purpose=Answer.YES,
            consent=Answer.NO,
            identifiable=Answer.YES,
            lawful_reason_without_consent=Answer.YES,
        ),
        "lawful_basis": LawfulBasis.SAFEGUARDING,
        "parent_told": Told.COULD_NOT_CONTACT,
        "parent_not_told_reason": "Phoned twice and visited; no answer",
        "child_told": Told.NO,
        "child_not_told_reason": "Too young to understand",
    }
    return SharingDecision(**{**base, **changes})


def received(workbook: Workbook, **changes) -> SharingDecision:
    base = {
        "decided_on": workbook.today() - timedelta(days=1),
        "direction": Direction.IN,
        "information": "A police notification of a domestic incident",
        "received_from": typed_recipient("PC Jo Hart", "Thames Valley Police"),
        "purpose": "For the TAF to know",
        "questions": Questions(),
    }
    return SharingDecision(**{**base, **changes})


def test_who_decided_who_recorded_and_which_way_are_kept_and_shown(workbook: Workbook, sam: Actor):
    family_id, assessment_id = completed_family(workbook, sam)
    workbook.sharing.record_decision(family_id=family_id, decision=without_consent(workbook), actor=sam)
    workbook.sharing.record_decision(family_id=family_id, decision=received(workbook), actor=sam)
    history = workbook.sharing.history(family_id=family_id, actor=sam).decisions
    assert [(i.decision.direction, i.outcome) for i in history] == [
        (Direction.OUT, Outcome.SHARE),
        (Direction.IN, Outcome.RECEIVED),
    ]
    shared, came_in = history
    assert shared.recorded_by == "sam.worker" and shared.recorded_by_name == "Sam Worker"
    assert shared.attribution == (
        "Decided by Ann Lee, Designated safeguarding lead, Cherwell School; recorded by Sam Worker (sam.worker)"
    )
    assert shared.decision.parent_told is Told.COULD_NOT_CONTACT
    assert came_in.decision.other_party == "PC Jo Hart (Thames Valley Police)"
    assert came_in.decision.consent is None  # consent decides nothing for what came in
    assert shared.decision.consent is not None and not shared.decision.consent.covered
    # The opened assessment carries the same record, for Check your answers.
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).sharing == history


def test_another_decider_without_a_role_and_information_received_without_a_sender_are_refused(
    workbook: Workbook, sam: Actor
):
    family_id, _ = completed_family(workbook, sam)
    with pytest.raises(ValidationFailed) as refused:
        workbook.sharing.record_decision(
            family_id=family_id,
            decision=without_consent(workbook, decided_by=LEAD.model_copy(update={"role": ""})),
            actor=sam,
        )
    assert set(refused.value.errors) == {"decided_by_role"}
    with pytest.raises(ValidationFailed) as refused:
        workbook.sharing.record_decision(
            family_id=family_id,
            decision=received(workbook, received_from=None),
            actor=sam,
        )
    assert set(refused.value.errors) == {"received_from"}
    assert workbook.sharing.history(family_id=family_id, actor=sam).decisions == ()


def test_hostile_and_long_text_round_trips_exactly(workbook: Workbook, sam: Actor):
    family_id, _ = completed_family(workbook, sam)
    hostile = without_consent(
        workbook,
        decided_by=Decider(name=HOSTILE, role=HOSTILE, agency=HOSTILE),
        information=LONG,
        recipient=typed_recipient(HOSTILE, HOSTILE),
        purpose=LONG,
        parent_not_told_reason=LONG,
        child_not_told_reason=HOSTILE,
    )
    came_in = received(workbook, received_from=typed_recipient(HOSTILE, HOSTILE), information=LONG)
    workbook.sharing.record_decision(family_id=family_id, decision=hostile, actor=sam)
    workbook.sharing.record_decision(family_id=family_id, decision=came_in, actor=sam)
    kept = [i.decision for i in workbook.sharing.history(family_id=family_id, actor=sam).decisions]
    assert [d.model_copy(update={"consent": None}) for d in kept] == [hostile, came_in]
    hostile = kept[0]
    assert hostile.recipient is not None and hostile.recipient.name == HOSTILE
    assert hostile.consent is not None and HOSTILE.strip() in hostile.consent.message
    exported = parse_record(workbook.families.export(family_id=family_id, actor=sam).to_json())
    assert [SharingDecision.model_validate(e.decision) for e in exported.sharing] == [came_in, hostile]


def _empty_workbook(tmp_path) -> Workbook:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    return Workbook(make_engine(url), localities=load_localities(), audit_key=AUDIT_KEY.encode())


def test_the_record_of_sharing_is_exported_and_imported_with_the_family(workbook: Workbook, sam: Actor, tmp_path):
    family_id, _ = completed_family(workbook, sam)
    workbook.sharing.record_decision(family_id=family_id, decision=sharing_on_consent(workbook.today()), actor=sam)
    workbook.sharing.record_decision(family_id=family_id, decision=without_consent(workbook), actor=sam)
    workbook.sharing.record_decision(family_id=family_id, decision=received(workbook), actor=sam)
    exported = workbook.families.export(family_id=family_id, actor=sam).to_json()
    assert [e["decision"]["direction"] for e in json.loads(exported)["sharing"]] == ["in", "out", "out"]

    target = _empty_workbook(tmp_path)
    assert target.families.import_record(record=parse_record(exported), actor=sam) == family_id
    assert without_import_notes(target.families.export(family_id=family_id, actor=sam).to_json()) == exported
    assert target.sharing.history(family_id=family_id, actor=sam) == workbook.sharing.history(
        family_id=family_id, actor=sam
    )
    # The consent each was recorded with is exported as it was worked out, not worked out again.
    # (Both were shared at the same moment of the test's clock: found by their lawful basis.)
    (on_consent,) = [
        e["decision"] for e in json.loads(exported)["sharing"] if e["decision"].get("lawful_basis") == "consent"
    ]
    assert on_consent["recipient"] == GP_SURGERY.model_dump(mode="json")
    assert on_consent["consent"]["covered"] is True and on_consent["consent"]["state"] == "given"
    assert on_consent["consent"]["rested_on"][0]["kind"] == "given"
    # Imported by someone else, who recorded each decision stays who it was.
    (tmp_path / "other").mkdir()
    other = _empty_workbook(tmp_path / "other")
    kit = Actor(username="kit.worker", display_name="Kit Worker", role=sam.role)
    other.families.import_record(record=parse_record(exported), actor=kit)
    again = json.loads(other.families.export(family_id=family_id, actor=kit).to_json())
    assert again["created_by"] == "kit.worker" and again["sharing"] == json.loads(exported)["sharing"]


def test_an_import_checks_the_record_of_sharing_like_the_rest(workbook: Workbook, sam: Actor, tmp_path):
    family_id, _ = completed_family(workbook, sam)
    workbook.sharing.record_decision(family_id=family_id, decision=without_consent(workbook), actor=sam)
    raw = json.loads(workbook.families.export(family_id=family_id, actor=sam).to_json())
    target = _empty_workbook(tmp_path)

    def refused(change) -> str:
        doc = json.loads(json.dumps(raw))
        change(doc)
        with pytest.raises(ImportRefused) as exc:
            target.families.import_record(record=parse_record(json.dumps(doc)), actor=sam)
        return str(exc.value)

    def no_role(doc):
        doc["sharing"][0]["decision"]["decided_by"]["role"] = " "

    def in_the_future(doc):
        doc["sharing"][0]["decision"]["decided_on"] = str(target.today() + timedelta(days=1))

    def not_a_decision(doc):
        doc["sharing"][0]["decision"]["direction"] = "sideways"

    assert refused(no_role).startswith("the record of sharing, entry 1, 'decided_by_role':")
    assert "today or in the past" in refused(in_the_future)
    assert refused(not_a_decision).startswith("the record of sharing, entry 1, at direction:")
    # A file exported before the record of sharing was exported still imports.
    del raw["sharing"]
    assert target.families.import_record(record=parse_record(json.dumps(raw)), actor=sam) == family_id
    assert target.sharing.history(family_id=family_id, actor=sam).decisions == ()


OLD_SHAPE = {
    "decided_on": "2026-11-20",
    "information": "Attendance",
    "recipient": "",
    "recipient_agency": "GP surgery",
    "purpose": "Health plan",
    "questions": {
        "legitimate_purpose": "yes",
        "consent": "yes",
        "identifiable": None,
        "lawful_reason_without_consent": None,
    },
    "lawful_basis": "consent",
    "lawful_basis_other": "",
    "consent": "given",
    "consent_covers": ["GP surgery"],
    "family_told": False,
    "family_not_told_reason": "Telling them would increase the risk",
}


def test_a_decision_stored_before_the_fuller_record_still_reads_exports_and_imports(
    workbook: Workbook, sam: Actor, database_url: str, tmp_path
):
    family_id, assessment_id = completed_family(workbook, sam)
    engine = make_engine(database_url)
    with engine.begin() as conn:  # as the workbook stored a decision before
        conn.execute(
            insert(SharingDecisionRow).values(
                id="0b5e2b4c-0000-4000-8000-000000000001",
                family_id=family_id,
                decided_on=datetime(2026, 11, 20).date(),
                outcome="share",
                decision=OLD_SHAPE,
                decided_by="sam.worker",
                decided_by_name="Sam Worker",
                recorded_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
            )
        )
    engine.dispose()
    (old,) = workbook.sharing.history(family_id=family_id, actor=sam).decisions
    d = old.decision
    assert (d.direction, d.decided_by, d.parent_told, d.parent_not_told_reason, d.child_told) == (
        Direction.OUT,
        None,
        Told.NO,
        "Telling them would increase the risk",
        None,
    )
    assert old.attribution == "Decided and recorded by Sam Worker (sam.worker)"
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).sharing == (old,)
    exported = workbook.families.export(family_id=family_id, actor=sam).to_json()
    target = _empty_workbook(tmp_path)
    target.families.import_record(record=parse_record(exported), actor=sam)
    assert target.sharing.history(family_id=family_id, actor=sam).decisions[0].decision == d
    # It reads as someone else, typed, with the consent as it was typed then.
    assert d.recipient == Recipient(kind=RecipientKind.OTHER, key="", name="", agency="GP surgery")
    assert d.consent is not None and not d.consent.worked_out and d.consent.typed_status is ConsentStatus.GIVEN
    assert d.consent.covered and d.consent.typed_covers == ("GP surgery",)


def test_a_file_exported_with_decisions_of_the_typed_shape_still_imports(workbook: Workbook, sam: Actor, tmp_path):
    family_id, _ = completed_family(workbook, sam)
    workbook.sharing.record_decision(family_id=family_id, decision=received(workbook), actor=sam)
    raw = json.loads(workbook.families.export(family_id=family_id, actor=sam).to_json())
    came_in = {
        "decided_on": "2026-11-19",
        "direction": "in",
        "information": "A police notification",
        "recipient": "",
        "recipient_agency": "",
        "received_from": "PC Jo Hart",
        "received_from_agency": "Thames Valley Police",
        "purpose": "For the TAF to know",
        "questions": {},
        "consent": "not_sought",
        "consent_covers": [],
    }
    raw["sharing"][0]["decision"] = came_in
    raw["sharing"].append({**raw["sharing"][0], "id": "0b5e2b4c-0000-4000-8000-000000000002", "decision": OLD_SHAPE})
    target = _empty_workbook(tmp_path)
    assert target.families.import_record(record=parse_record(json.dumps(raw)), actor=sam) == family_id
    read = [i.decision for i in target.sharing.history(family_id=family_id, actor=sam).decisions]
    by_direction = {d.direction: d for d in read}
    assert by_direction[Direction.IN].received_from == typed_recipient("PC Jo Hart", "Thames Valley Police")
    assert by_direction[Direction.OUT].recipient == typed_recipient("", "GP surgery")
    assert by_direction[Direction.OUT].consent is not None
    assert by_direction[Direction.OUT].consent.typed_covers == ("GP surgery",)


def test_a_document_the_workbook_sends_is_recorded_as_a_share_with_consent_as_it_stood(workbook: Workbook, sam: Actor):
    family_id, _ = completed_family(workbook, sam)
    sent = {
        "family_id": family_id,
        "document": "Early Help Assessment (PDF)",
        "recipient": GP_SURGERY,
        "purpose": "To plan support for Ayaan's health",
        "lawful_basis": LawfulBasis.CONSENT,
        "parent_told": Told.YES,
        "child_told": Told.NO,
        "child_not_told_reason": "Asleep when it was sent; told the next day",
        "actor": sam,
    }
    entry_id = workbook.sharing.record_document_sent(**sent)
    (item,) = workbook.sharing.history(family_id=family_id, actor=sam).decisions
    assert item.decision_id == entry_id and item.outcome is Outcome.SHARE
    d = item.decision
    assert (d.document, d.information, d.decided_on, d.direction) == (
        "Early Help Assessment (PDF)",
        "Early Help Assessment (PDF)",
        workbook.today(),
        Direction.OUT,
    )
    assert d.questions == Questions(legitimate_purpose=Answer.YES, consent=Answer.YES)
    assert d.lawful_basis is LawfulBasis.CONSENT and d.recipient == GP_SURGERY
    assert d.consent is not None and d.consent.covered and d.consent.state is CoverageState.GIVEN
    trail = workbook.audit.trail(actor=Actor.system("test"), record=f"sharing:{entry_id}")
    assert [line.entry.action for line in trail] == ["sharing_recorded"]
    # Consent that does not cover the recipient stops it, as it stops a decision recorded on the page.
    police = typed_recipient("PC Smith", "Police")
    with pytest.raises(ValidationFailed) as refused:
        workbook.sharing.record_document_sent(**{**sent, "recipient": police})
    assert "cannot cover them" in refused.value.errors["lawful_basis"]
    # Without consent, on another basis, the questions record a lawful reason to share.
    second = workbook.sharing.record_document_sent(
        **{**sent, "recipient": police, "lawful_basis": LawfulBasis.SAFEGUARDING}
    )
    decisions = workbook.sharing.history(family_id=family_id, actor=sam).decisions
    # Both were recorded at the same moment of the test's clock: find the second by its id.
    newest = next(item.decision for item in decisions if item.decision_id == second)
    assert newest.questions.lawful_reason_without_consent is Answer.YES
    assert len(workbook.sharing.history(family_id=family_id, actor=sam).decisions) == 2


def test_an_lcss_reviewer_reads_the_record_of_sharing_but_does_not_add_to_it(workbook: Workbook):
    people = add_people(workbook)
    sam, lee = people["author"], people["lcss_same"]
    family_id, assessment_id = completed_family(workbook, sam)
    workbook.sharing.record_decision(family_id=family_id, decision=without_consent(workbook), actor=sam)
    seen = workbook.sharing.history(family_id=family_id, actor=lee).decisions
    assert [i.decided_by for i in seen] == ["Ann Lee, Designated safeguarding lead, Cherwell School"]
    assert workbook.assessments.open(assessment_id=assessment_id, actor=lee).sharing == seen
    with pytest.raises(AccessDenied):
        workbook.sharing.record_decision(family_id=family_id, decision=received(workbook), actor=lee)
    with pytest.raises(AccessDenied):
        workbook.sharing.record_document_sent(
            family_id=family_id,
            document="Early Help Assessment (PDF)",
            recipient=typed_recipient("", "MASH"),
            purpose="Referral",
            lawful_basis=LawfulBasis.SAFEGUARDING,
            parent_told=Told.YES,
            child_told=Told.YES,
            actor=lee,
        )
    assert workbook.sharing.history(family_id=family_id, actor=sam).decisions == seen


# -- whether the family's consent covers the recipient, worked out from the consent record ------


def on_consent(workbook: Workbook, recipient: Recipient, **changes) -> SharingDecision:
    return sharing_on_consent(workbook.today()).model_copy(update={"recipient": recipient, **changes})


def entry(workbook: Workbook, key: str) -> Recipient:
    found = workbook.directory.get(key)
    assert found is not None
    return found.recipient()


def test_a_share_with_an_agency_of_a_consented_service_is_accepted_on_consent(workbook: Workbook, sam: Actor):
    family_id, assessment_id = completed_family(workbook, sam)
    nursing = entry(workbook, "school-nursing")
    # The consent names the GP surgery only: school nursing is not covered, and "Yes" is refused.
    with pytest.raises(ValidationFailed) as refused:
        workbook.sharing.record_decision(family_id=family_id, decision=on_consent(workbook, nursing), actor=sam)
    assert set(refused.value.errors) == {"lawful_basis", "consent"}
    assert "names nobody that includes School Health Nursing" in refused.value.errors["lawful_basis"]
    # Consent sought afresh names the Early Help Hub, whose member school nursing is.
    main = workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.data.main_carer()
    assert main is not None
    hub = entry(workbook, "early-help-hub")
    give_consent(workbook, assessment_id, sam, person_id=main.id, on=workbook.today(), recipients=(hub,))
    shown = workbook.sharing.history(family_id=family_id, actor=sam)
    assert shown.coverage_of(nursing).covered
    assert [r.label for r in shown.recipients][:1] == ["Dr Adaeze Okafor (GP, GP surgery)"]
    entry_id = workbook.sharing.record_decision(family_id=family_id, decision=on_consent(workbook, nursing), actor=sam)
    (item,) = workbook.sharing.history(family_id=family_id, actor=sam).decisions
    assert item.decision_id == entry_id and item.decision.recipient == nursing
    kept = item.decision.consent
    latest = workbook.assessments.open(assessment_id=assessment_id, actor=sam).consent.data.decisions[-1]
    assert kept is not None and kept.covered and kept.state is CoverageState.GIVEN
    assert "Early Help Hub" in kept.message and [r.decision_id for r in kept.rested_on] == [latest.id]


def test_a_share_with_an_excluded_professional_on_consent_is_refused_but_not_sharing_is_recorded(
    workbook: Workbook, sam: Actor
):
    family_id, assessment_id = completed_family(workbook, sam)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    main = a.background.data.main_carer()
    assert main is not None
    doctor = professional_recipient(a.background.data.professionals[0])
    give_consent(
        workbook,
        assessment_id,
        sam,
        person_id=main.id,
        on=workbook.today(),
        kind=ConsentKind.LIMITED,
        excluded=(doctor,),
        explained="Not the GP.",
    )
    with pytest.raises(ValidationFailed) as refused:
        workbook.sharing.record_decision(family_id=family_id, decision=on_consent(workbook, doctor), actor=sam)
    assert "must not go to Dr Adaeze Okafor" in refused.value.errors["lawful_basis"]
    do_not_share = on_consent(
        workbook,
        doctor,
        questions=Questions(
            legitimate_purpose=Answer.YES,
            consent=Answer.NO,
            identifiable=Answer.YES,
            lawful_reason_without_consent=Answer.NO,
        ),
        purpose="The family asked that the GP is not told",
        parent_told=None,
        child_told=None,
    )
    workbook.sharing.record_decision(family_id=family_id, decision=do_not_share, actor=sam)
    (item,) = workbook.sharing.history(family_id=family_id, actor=sam).decisions
    assert item.outcome is Outcome.DO_NOT_SHARE
    assert item.decision.consent is not None and item.decision.consent.state is CoverageState.LIMITED_AGAINST


def test_with_no_assessment_there_is_no_consent_to_share_on_but_safeguarding_stays_possible(
    workbook: Workbook, sam: Actor, database_url: str
):
    family_id, _ = completed_family(workbook, sam)
    engine = make_engine(database_url)
    with engine.begin() as conn:  # the family's assessment is closed: none is in progress
        from storage.models import AssessmentRow

        conn.execute(AssessmentRow.__table__.update().values(status="closed"))
    engine.dispose()
    with pytest.raises(ValidationFailed) as refused:
        workbook.sharing.record_decision(family_id=family_id, decision=sharing_on_consent(workbook.today()), actor=sam)
    assert NO_ASSESSMENT in refused.value.errors["lawful_basis"]
    assert workbook.sharing.history(family_id=family_id, actor=sam).recipients == workbook.directory.recipients()
    safeguarding = without_consent(workbook, recipient=GP_SURGERY)
    workbook.sharing.record_decision(family_id=family_id, decision=safeguarding, actor=sam)
    (item,) = workbook.sharing.history(family_id=family_id, actor=sam).decisions
    assert item.decision.lawful_basis is LawfulBasis.SAFEGUARDING and item.decision.purpose
    assert item.decision.consent is not None and item.decision.consent.message == NO_ASSESSMENT


def test_a_recipient_not_offered_is_refused_and_typed_consent_is_not_taken(workbook: Workbook, sam: Actor):
    family_id, _ = completed_family(workbook, sam)
    stranger = Recipient(kind=RecipientKind.PROFESSIONAL, key="not-in-section-1", name="Dr Nobody")
    with pytest.raises(ValidationFailed) as refused:
        workbook.sharing.record_decision(
            family_id=family_id, decision=without_consent(workbook, recipient=stranger), actor=sam
        )
    assert set(refused.value.errors) == {"recipient"}
    # Consent typed with the decision is not believed: the workbook works it out again.
    from eha.sharing import ConsentAtTheTime

    claimed = ConsentAtTheTime(covered=True, state=CoverageState.GIVEN, message="Covered: trust me.")
    typed = on_consent(workbook, typed_recipient("PC Smith", "GP surgery"), consent=claimed)
    with pytest.raises(ValidationFailed) as refused:
        workbook.sharing.record_decision(family_id=family_id, decision=typed, actor=sam)
    assert "cannot cover them" in refused.value.errors["lawful_basis"]
