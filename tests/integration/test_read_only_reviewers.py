"""LCSS reviewers read their locality's records and give feedback; they do not write case
content. Every public method of the service layer is listed below as a read, a write or
neither (accounts, signing in, the audit trail), so a new method has to be placed; every
write is then tried as an LCSS reviewer of the family's own locality, and refused with
nothing changed. On SQLite and PostgreSQL."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from eha.actor import Actor, Role, TeamRole, may_write_case_content
from eha.background import Carer, Child
from eha.consent import ConsentKind, ConsentMethod, DecisionAnswers
from eha.contacts import Contact, ContactKind
from eha.documents import Audience, DocumentKind, Sending
from eha.errors import AccessDenied
from eha.plan import PlanAction
from eha.record import parse_record
from eha.sharing import LawfulBasis, SharingDecision, Told
from eha.taf import ActionProgress, ClosureReason, LeadProfessional, Participant
from eha.threshold import SameDayConcern, ThresholdLevel
from eha.views import CarerView, ChildView, HowGathered, ProfessionalView
from star import CompletedBy, OccasionKind
from storage.services import Workbook
from tests.support.eha import GP_SURGERY, add_people, completed_family, sharing_on_consent, tiny_png

OPERATOR = Actor.system("test")
READ_ONLY = r"^LCSS reviewers can read this record but not change it\."
NO_ACCESS = r"^You don't have access to this record\.$"


@dataclass
class Case:
    """A Central family authored by sam.worker, with something of every kind to change."""

    family_id: str
    assessment_id: str
    reading_id: str
    meeting_id: str
    attachment_id: str
    carer_id: str
    child_id: str
    professional_id: str
    action_id: str
    outcome_id: str
    participant_id: str
    contact_id: str


@pytest.fixture
def people(workbook: Workbook) -> dict[str, Actor]:
    return add_people(workbook)


@pytest.fixture
def case(workbook: Workbook, people: dict[str, Actor]) -> Case:
    sam = people["author"]
    family_id, assessment_id = completed_family(workbook, sam)
    today = workbook.today()
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    background = a.background.data
    child = background.children[0]
    work = workbook.assessments.add_child_work(
        assessment_id=assessment_id, child_id=child.id, filename="house.png", content=tiny_png(), actor=sam
    )
    first = workbook.star.start(
        assessment_id=assessment_id,
        taken_on=today - timedelta(days=2),
        occasion=OccasionKind.FIRST,
        completed_by=CompletedBy.TOGETHER,
        actor=sam,
    )
    workbook.taf.agree_lead_professional(
        assessment_id=assessment_id,
        expected_version=0,
        lead=LeadProfessional(name="Sam Worker", agency="School", role="SENCo", username="sam.worker"),
        from_on=today,
        actor=sam,
    )
    meeting = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=today, where="At school", actor=sam)
    person = Participant(name="Maryam Khan", agency="", role="Mother")
    workbook.taf.save_participant(
        meeting_id=meeting.meeting_id, expected_version=meeting.version, participant=person, actor=sam
    )
    contact = workbook.contacts.record(family_id=family_id, contact=_contact(today), actor=sam)
    return Case(
        family_id=family_id,
        assessment_id=assessment_id,
        reading_id=first.reading.id,
        meeting_id=meeting.meeting_id,
        attachment_id=work.id,
        carer_id=background.carers[0].id,
        child_id=child.id,
        professional_id=background.professionals[0].id,
        action_id=a.plan.data.actions[0].id,
        outcome_id=a.plan.data.outcomes[0].id,
        participant_id=person.id,
        contact_id=contact.id,
    )


def _contact(today: date) -> Contact:
    return Contact(contact_on=today, kind=ContactKind.PHONE_CALL, who="Maryam Khan", note="Checked in by phone.")


def _decision(today: date) -> SharingDecision:
    return sharing_on_consent(today)


Call = Callable[[Workbook, Case, Actor], Any]
TODAY: Callable[[Workbook], date] = lambda wb: wb.today()  # noqa: E731

# Every public write, called with arguments that are valid for the case above, so that only
# the permission can refuse it. Versions are whatever is current: a stale one must not be what
# stops an LCSS reviewer either.
WRITES: dict[str, Call] = {
    "families.create": lambda wb, c, who: wb.families.create(
        locality="central",
        address="1 New Road",
        main_carer=Carer(name="Jo Bloggs", relationship="Mother"),
        child=Child(name="Ana Bloggs", date_of_birth=date(2019, 1, 1)),
        actor=who,
    ),
    "families.import_record": lambda wb, c, who: wb.families.import_record(
        record=parse_record(wb.families.export(family_id=c.family_id, actor=OPERATOR).to_json()), actor=who
    ),
    "families.import_records": lambda wb, c, who: wb.families.import_records(
        records=[parse_record(wb.families.export(family_id=c.family_id, actor=OPERATOR).to_json())], actor=who
    ),
    "families.add_to_team": lambda wb, c, who: wb.families.add_to_team(
        family_id=c.family_id, username="nia.north", team_role=TeamRole.TAF_MEMBER, actor=who
    ),
    "assessments.save_member": lambda wb, c, who: wb.assessments.save_member(
        assessment_id=c.assessment_id,
        expected_version=_background_version(wb, c),
        member=Child(name="Łukasz Khan", date_of_birth=date(2021, 7, 7)),
        actor=who,
    ),
    "assessments.remove_member": lambda wb, c, who: wb.assessments.remove_member(
        assessment_id=c.assessment_id,
        expected_version=_background_version(wb, c),
        member_id=c.professional_id,
        actor=who,
    ),
    "assessments.save_details": lambda wb, c, who: wb.assessments.save_details(
        assessment_id=c.assessment_id,
        expected_version=_background_version(wb, c),
        address="Somewhere else",
        reason="Changed by a reviewer",
        actor=who,
    ),
    "assessments.save_threshold": lambda wb, c, who: wb.assessments.save_threshold(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).threshold.version,
        level=ThresholdLevel.COMPLEX,
        started_on=TODAY(wb) - timedelta(days=4),
        actor=who,
    ),
    "assessments.record_same_day_concerns": lambda wb, c, who: wb.assessments.record_same_day_concerns(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).threshold.version,
        concerns=(SameDayConcern.ABANDONED,),
        note="",
        actor=who,
    ),
    "assessments.save_carer_view": lambda wb, c, who: wb.assessments.save_carer_view(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).carers.version,
        view=CarerView(carer_id=c.carer_id, own_words="Rewritten"),
        actor=who,
    ),
    "assessments.save_child_view": lambda wb, c, who: wb.assessments.save_child_view(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).children.version,
        view=ChildView(
            child_id=c.child_id,
            own_words="Rewritten",
            how_gathered=HowGathered.THREE_HOUSES,
            gathered_by="Lee",
            gathered_on=TODAY(wb),
        ),
        actor=who,
    ),
    "assessments.save_professional_view": lambda wb, c, who: wb.assessments.save_professional_view(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).professionals.version,
        view=ProfessionalView(professional_id=c.professional_id, agency="GP surgery", role="GP", view="Rewritten"),
        actor=who,
    ),
    "assessments.add_child_work": lambda wb, c, who: wb.assessments.add_child_work(
        assessment_id=c.assessment_id, child_id=c.child_id, filename="x.png", content=tiny_png(), actor=who
    ),
    "assessments.remove_child_work": lambda wb, c, who: wb.assessments.remove_child_work(
        assessment_id=c.assessment_id, attachment_id=c.attachment_id, actor=who
    ),
    "assessments.save_analysis": lambda wb, c, who: wb.assessments.save_analysis(
        assessment_id=c.assessment_id, expected_version=_eha(wb, c).plan.version, analysis="Rewritten", actor=who
    ),
    "assessments.save_outcome": lambda wb, c, who: wb.assessments.save_outcome(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).plan.version,
        outcome=_eha(wb, c).plan.data.outcomes[0].model_copy(update={"text": "Rewritten"}),
        actor=who,
    ),
    "assessments.remove_outcome": lambda wb, c, who: wb.assessments.remove_outcome(
        assessment_id=c.assessment_id, expected_version=_eha(wb, c).plan.version, outcome_id=c.outcome_id, actor=who
    ),
    "assessments.save_action": lambda wb, c, who: wb.assessments.save_action(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).plan.version,
        action=_eha(wb, c).plan.data.actions[0].model_copy(update={"who": "Dad"}),
        actor=who,
    ),
    "assessments.remove_action": lambda wb, c, who: wb.assessments.remove_action(
        assessment_id=c.assessment_id, expected_version=_eha(wb, c).plan.version, action_id=c.action_id, actor=who
    ),
    "assessments.record_consent_decision": lambda wb, c, who: wb.assessments.record_consent_decision(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).consent.version,
        decision=_consent_decision(wb, c),
        actor=who,
    ),
    "assessments.confirm_consent": lambda wb, c, who: wb.assessments.confirm_consent(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).consent.version,
        decision_id=_eha(wb, c).consent.data.decisions[-1].id,
        confirmed_on=TODAY(wb),
        actor=who,
    ),
    "assessments.mark_consent_decision_in_error": lambda wb, c, who: wb.assessments.mark_consent_decision_in_error(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).consent.version,
        decision_id=_eha(wb, c).consent.data.decisions[-1].id,
        reason="Recorded for the wrong person",
        actor=who,
    ),
    "assessments.start": lambda wb, c, who: wb.assessments.start(family_id=c.family_id, actor=who),
    "assessments.complete": lambda wb, c, who: wb.assessments.complete(
        assessment_id=c.assessment_id, review_date=TODAY(wb) + timedelta(days=28), actor=who
    ),
    "sharing.record_decision": lambda wb, c, who: wb.sharing.record_decision(
        family_id=c.family_id, decision=_decision(TODAY(wb)), actor=who
    ),
    "contacts.record": lambda wb, c, who: wb.contacts.record(
        family_id=c.family_id, contact=_contact(TODAY(wb)), actor=who
    ),
    "contacts.remove": lambda wb, c, who: wb.contacts.remove(
        contact_id=c.contact_id, reason="Recorded by mistake", actor=who
    ),
    "sharing.record_document_sent": lambda wb, c, who: wb.sharing.record_document_sent(
        family_id=c.family_id,
        document="Early Help Assessment (PDF)",
        recipient=GP_SURGERY,
        purpose="Health plan",
        lawful_basis=LawfulBasis.CONSENT,
        parent_told=Told.YES,
        child_told=Told.YES,
        actor=who,
    ),
    # Shared with LCSS: a reviewer may keep a copy for their own records (a read, below), not share one.
    "documents.make": lambda wb, c, who: wb.documents.make(
        assessment_id=c.assessment_id,
        kind=DocumentKind.FULL,
        sending=Sending(audience=Audience.LCSS, parent_told=Told.YES, child_told=Told.YES),
        actor=who,
    ),
    "star.start": lambda wb, c, who: wb.star.start(
        assessment_id=c.assessment_id,
        taken_on=TODAY(wb),
        occasion=OccasionKind.REVIEW,
        review_number=1,
        completed_by=CompletedBy.TOGETHER,
        actor=who,
    ),
    "star.score_area": lambda wb, c, who: wb.star.score_area(
        reading_id=c.reading_id, expected_version=_reading_version(wb, c), area="physical_health", agreed=4, actor=who
    ),
    "star.save_scores": lambda wb, c, who: wb.star.save_scores(
        reading_id=c.reading_id,
        expected_version=_reading_version(wb, c),
        scores={"physical_health": 5},
        notes={},
        actor=who,
    ),
    "star.set_completed_by": lambda wb, c, who: wb.star.set_completed_by(
        reading_id=c.reading_id,
        expected_version=_reading_version(wb, c),
        completed_by=CompletedBy.WORKER_ONLY,
        actor=who,
    ),
    "star.correct_score": lambda wb, c, who: wb.star.correct_score(
        reading_id=c.reading_id, area="physical_health", score=5, reason="Typed the wrong number", actor=who
    ),
    "taf.agree_lead_professional": lambda wb, c, who: wb.taf.agree_lead_professional(
        assessment_id=c.assessment_id,
        expected_version=wb.assessments.open(assessment_id=c.assessment_id, actor=OPERATOR).taf.lead_version,
        lead=LeadProfessional(name="Lee Reviewer", agency="LCSS", role="Reviewer"),
        from_on=TODAY(wb),
        actor=who,
    ),
    "taf.start_meeting": lambda wb, c, who: wb.taf.start_meeting(
        assessment_id=c.assessment_id, held_on=TODAY(wb), where="Online", actor=who
    ),
    "taf.save_meeting_details": lambda wb, c, who: wb.taf.save_meeting_details(
        meeting_id=c.meeting_id, expected_version=_meeting_version(wb, c), held_on=TODAY(wb), where="Home", actor=who
    ),
    "taf.save_participant": lambda wb, c, who: wb.taf.save_participant(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        participant=Participant(name="Lee Reviewer", agency="LCSS", role="Reviewer"),
        actor=who,
    ),
    "taf.remove_participant": lambda wb, c, who: wb.taf.remove_participant(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        participant_id=c.participant_id,
        actor=who,
    ),
    "taf.save_meeting_views": lambda wb, c, who: wb.taf.save_meeting_views(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        family_view="Rewritten",
        child_view="",
        working_well="",
        worries="",
        actor=who,
    ),
    "taf.save_action_progress": lambda wb, c, who: wb.taf.save_action_progress(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        progress={c.action_id: (ActionProgress.DONE, "Rewritten")},
        actor=who,
    ),
    "taf.save_meeting_action": lambda wb, c, who: wb.taf.save_meeting_action(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        action=PlanAction(
            action="Reviewer's action", who="Mum", by_when=TODAY(wb) + timedelta(days=7), outcome_id=c.outcome_id
        ),
        actor=who,
    ),
    "taf.remove_meeting_action": lambda wb, c, who: wb.taf.remove_meeting_action(
        meeting_id=c.meeting_id, expected_version=_meeting_version(wb, c), action_id="any", actor=who
    ),
    "taf.save_next_review": lambda wb, c, who: wb.taf.save_next_review(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        next_review_on=TODAY(wb) + timedelta(days=42),
        reason="",
        closing=False,
        actor=who,
    ),
    "taf.save_minutes": lambda wb, c, who: wb.taf.save_minutes(
        meeting_id=c.meeting_id, expected_version=_meeting_version(wb, c), minutes="Rewritten", actor=who
    ),
    "taf.finalise_meeting": lambda wb, c, who: wb.taf.finalise_meeting(
        meeting_id=c.meeting_id, expected_version=_meeting_version(wb, c), actor=who
    ),
    "taf.close": lambda wb, c, who: wb.taf.close(
        assessment_id=c.assessment_id,
        reason=ClosureReason.OUTCOMES_ACHIEVED,
        family_comments="Thanks",
        evaluation="Went well",
        closed_on=TODAY(wb),
        actor=who,
    ),
}

# The areas of the service layer (`workbook.<area>.<method>`).
AREAS = ("families", "assessments", "star", "taf", "sharing", "documents", "contacts", "accounts", "audit")

NEW_FAMILY = {"families.create", "families.import_record", "families.import_records"}

# Reads of case data: an LCSS reviewer of the family's locality may make every one.
READS: dict[str, Call] = {
    "families.get": lambda wb, c, who: wb.families.get(family_id=c.family_id, actor=who),
    "families.team": lambda wb, c, who: wb.families.team(family_id=c.family_id, actor=who),
    "families.search": lambda wb, c, who: wb.families.search(query="Khan", actor=who),
    "families.all": lambda wb, c, who: wb.families.all(actor=who),
    "taf.my_families": lambda wb, c, who: wb.taf.my_families(actor=who),
    "assessments.open": lambda wb, c, who: wb.assessments.open(assessment_id=c.assessment_id, actor=who),
    "families.of_assessment": lambda wb, c, who: wb.families.of_assessment(assessment_id=c.assessment_id, actor=who),
    "families.export": lambda wb, c, who: wb.families.export(family_id=c.family_id, actor=who),
    "sharing.history": lambda wb, c, who: wb.sharing.history(family_id=c.family_id, actor=who),
    "contacts.entries": lambda wb, c, who: wb.contacts.entries(family_id=c.family_id, actor=who),
    "assessments.child_work_file": lambda wb, c, who: wb.assessments.child_work_file(
        assessment_id=c.assessment_id, attachment_id=c.attachment_id, actor=who
    ),
    "star.reading": lambda wb, c, who: wb.star.reading(reading_id=c.reading_id, actor=who),
    "documents.choices": lambda wb, c, who: wb.documents.choices(assessment_id=c.assessment_id, actor=who),
    "documents.recipients": lambda wb, c, who: wb.documents.recipients(assessment_id=c.assessment_id, actor=who),
    "documents.coverage": lambda wb, c, who: wb.documents.coverage(
        assessment_id=c.assessment_id, audience=Audience.LCSS, recipient=None, actor=who
    ),
}

# Not case content: accounts (admins), signing in, the audit trail and the clock.
NEITHER = {
    "accounts.actor_for",
    "accounts.add",
    "accounts.disable",
    "accounts.all",
    "accounts.sign_in",
    "accounts.sign_in_with_email",
    "accounts.resume",
    "accounts.sign_out",
    "audit.trail",
    "audit.verify",
    "audit.anchor",
    "audit.searches_for",
    "accounts.issue_sign_in_code",
    "accounts.redeem_sign_in_code",
    "today",
    "now",
    # Inside another service's transaction (a document's making): that service checks access.
    "sharing.record_in",
}


def _eha(wb: Workbook, c: Case):
    return wb.assessments.open(assessment_id=c.assessment_id, actor=OPERATOR)


def _background_version(wb: Workbook, c: Case) -> int:
    return wb.assessments.open(assessment_id=c.assessment_id, actor=OPERATOR).background.version


def _reading_version(wb: Workbook, c: Case) -> int:
    return wb.star.reading(reading_id=c.reading_id, actor=OPERATOR).version


def _meeting_version(wb: Workbook, c: Case) -> int:
    meeting = wb.assessments.open(assessment_id=c.assessment_id, actor=OPERATOR).taf.meeting(c.meeting_id)
    assert meeting is not None
    return meeting.version


def _consent_decision(wb: Workbook, c: Case) -> DecisionAnswers:
    main = _eha(wb, c).background.data.main_carer()
    assert main is not None
    return DecisionAnswers(
        person_id=main.id,
        kind=ConsentKind.WITHDRAWN,
        method=ConsentMethod.VERBAL,
        decided_on=TODAY(wb),
        explained="Sharing with the school stops.",
    )


def everything(wb: Workbook, c: Case) -> tuple[str, ...]:
    """All there is to see of the family and of the families there are, as the operator."""
    return (
        wb.families.export(family_id=c.family_id, actor=OPERATOR).to_json(),
        repr(wb.families.team(family_id=c.family_id, actor=OPERATOR)),
        repr(wb.sharing.history(family_id=c.family_id, actor=OPERATOR).decisions),
        repr(sorted(f.family_id for f in wb.families.all(actor=OPERATOR))),
    )


def test_every_public_service_method_is_a_read_a_write_or_neither(workbook: Workbook):
    public = {name for name, _ in inspect.getmembers(Workbook, inspect.isfunction) if not name.startswith("_")}
    for area in AREAS:
        service = type(getattr(workbook, area))
        public |= {f"{area}.{name}" for name, _ in inspect.getmembers(service, inspect.isfunction) if name[0] != "_"}
    placed = set(WRITES) | set(READS) | NEITHER
    assert public - placed == set(), "place each new public method in WRITES, READS or NEITHER"
    assert placed - public == set(), "these are listed but are not service methods"
    assert not (set(WRITES) & set(READS)) and not ((set(WRITES) | set(READS)) & NEITHER)


def test_only_practitioners_and_the_command_line_write_case_content(people):
    assert may_write_case_content(people["author"]) and may_write_case_content(OPERATOR)
    for who in ("lcss_same", "lcss_other", "admin"):
        assert not may_write_case_content(people[who])
    assert not may_write_case_content(Actor.anonymous("someone"))


@pytest.mark.parametrize("method", sorted(WRITES))
def test_an_lcss_reviewer_of_the_locality_cannot_make_any_write(workbook: Workbook, people, case: Case, method):
    before = everything(workbook, case)
    with pytest.raises(AccessDenied, match=READ_ONLY):
        WRITES[method](workbook, case, people["lcss_same"])
    assert everything(workbook, case) == before
    refusal = workbook.audit.trail(actor=OPERATOR, person="lee.central", per_page=1)[0].entry
    assert refusal.action == "access_refused"
    # Outside their scope the answer is the usual one, which says nothing about the record;
    # a new family is no one's record yet, so any LCSS reviewer is told why they may not.
    with pytest.raises(AccessDenied, match=READ_ONLY if method in NEW_FAMILY else NO_ACCESS):
        WRITES[method](workbook, case, people["lcss_other"])
    with pytest.raises(AccessDenied, match=NO_ACCESS):
        WRITES[method](workbook, case, people["admin"])
    assert everything(workbook, case) == before


@pytest.mark.parametrize("method", sorted(READS))
def test_an_lcss_reviewer_of_the_locality_can_make_every_read(workbook: Workbook, people, case: Case, method):
    assert READS[method](workbook, case, people["lcss_same"]) is not None


def test_the_author_can_still_write(workbook: Workbook, people, case: Case):
    sam = people["author"]
    WRITES["assessments.save_details"](workbook, case, sam)
    WRITES["sharing.record_decision"](workbook, case, sam)
    WRITES["contacts.record"](workbook, case, sam)
    WRITES["contacts.remove"](workbook, case, sam)
    WRITES["sharing.record_document_sent"](workbook, case, sam)
    WRITES["taf.save_minutes"](workbook, case, sam)
    WRITES["star.score_area"](workbook, case, sam)
    assert workbook.assessments.open(assessment_id=case.assessment_id, actor=sam).background.data.reason == (
        "Changed by a reviewer"
    )
    assert len(workbook.sharing.history(family_id=case.family_id, actor=sam).decisions) == 2
    contacts = workbook.contacts.entries(family_id=case.family_id, actor=sam)
    assert len(contacts) == 2 and {c.removed for c in contacts if c.id != case.contact_id} == {False}
    assert [c.removed for c in contacts if c.id == case.contact_id] == [True]


def test_what_the_service_hands_an_lcss_reviewer_is_marked_read_only(workbook: Workbook, people, case: Case):
    lee, sam = people["lcss_same"], people["author"]
    assert not workbook.assessments.open(assessment_id=case.assessment_id, actor=lee).editable
    assert not workbook.assessments.open(assessment_id=case.assessment_id, actor=lee).editable
    assert not workbook.assessments.open(assessment_id=case.assessment_id, actor=lee).taf.editable
    assert workbook.assessments.open(assessment_id=case.assessment_id, actor=sam).editable
    assert workbook.assessments.open(assessment_id=case.assessment_id, actor=sam).editable
    assert workbook.assessments.open(assessment_id=case.assessment_id, actor=sam).taf.editable
    assert Role.LCSS is lee.role
