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
from eha.consent import ConsentAnswers
from eha.errors import AccessDenied
from eha.plan import PlanAction
from eha.record import parse_record
from eha.sharing import SharingDecision
from eha.taf import ActionProgress, ClosureReason, LeadProfessional, Participant
from eha.threshold import SameDayConcern, ThresholdLevel
from eha.views import CarerView, ChildView, HowGathered, ProfessionalView
from star import CompletedBy, OccasionKind
from storage.services import Workbook
from tests.support.eha import add_people, completed_family, sharing_on_consent, tiny_png

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


@pytest.fixture
def people(workbook: Workbook) -> dict[str, Actor]:
    return add_people(workbook)


@pytest.fixture
def case(workbook: Workbook, people: dict[str, Actor]) -> Case:
    sam = people["author"]
    family_id, assessment_id = completed_family(workbook, sam)
    today = workbook.today()
    a = workbook.open_eha(assessment_id=assessment_id, actor=sam)
    background = a.background.data
    child = background.children[0]
    work = workbook.add_child_work(
        assessment_id=assessment_id, child_id=child.id, filename="house.png", content=tiny_png(), actor=sam
    )
    first = workbook.start_star_reading(
        assessment_id=assessment_id,
        taken_on=today - timedelta(days=2),
        occasion=OccasionKind.FIRST,
        completed_by=CompletedBy.TOGETHER,
        actor=sam,
    )
    workbook.agree_lead_professional(
        assessment_id=assessment_id,
        expected_version=0,
        lead=LeadProfessional(name="Sam Worker", agency="School", role="SENCo", username="sam.worker"),
        from_on=today,
        actor=sam,
    )
    meeting = workbook.start_taf_meeting(assessment_id=assessment_id, held_on=today, where="At school", actor=sam)
    person = Participant(name="Maryam Khan", agency="", role="Mother")
    workbook.save_participant(
        meeting_id=meeting.meeting_id, expected_version=meeting.version, participant=person, actor=sam
    )
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
    )


def _decision(today: date) -> SharingDecision:
    return sharing_on_consent(today)


Call = Callable[[Workbook, Case, Actor], Any]
TODAY: Callable[[Workbook], date] = lambda wb: wb.today()  # noqa: E731

# Every public write, called with arguments that are valid for the case above, so that only
# the permission can refuse it. Versions are whatever is current: a stale one must not be what
# stops an LCSS reviewer either.
WRITES: dict[str, Call] = {
    "create_family": lambda wb, c, who: wb.create_family(
        locality="central",
        address="1 New Road",
        main_carer=Carer(name="Jo Bloggs", relationship="Mother"),
        child=Child(name="Ana Bloggs", date_of_birth=date(2019, 1, 1)),
        actor=who,
    ),
    "import_family": lambda wb, c, who: wb.import_family(
        record=parse_record(wb.export_family(family_id=c.family_id, actor=OPERATOR).to_json()), actor=who
    ),
    "add_team_member": lambda wb, c, who: wb.add_team_member(
        family_id=c.family_id, username="nia.north", team_role=TeamRole.TAF_MEMBER, actor=who
    ),
    "save_member": lambda wb, c, who: wb.save_member(
        assessment_id=c.assessment_id,
        expected_version=_background_version(wb, c),
        member=Child(name="Łukasz Khan", date_of_birth=date(2021, 7, 7)),
        actor=who,
    ),
    "remove_member": lambda wb, c, who: wb.remove_member(
        assessment_id=c.assessment_id,
        expected_version=_background_version(wb, c),
        member_id=c.professional_id,
        actor=who,
    ),
    "save_details": lambda wb, c, who: wb.save_details(
        assessment_id=c.assessment_id,
        expected_version=_background_version(wb, c),
        address="Somewhere else",
        reason="Changed by a reviewer",
        actor=who,
    ),
    "save_threshold": lambda wb, c, who: wb.save_threshold(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).threshold.version,
        level=ThresholdLevel.COMPLEX,
        started_on=TODAY(wb) - timedelta(days=4),
        actor=who,
    ),
    "record_same_day_concerns": lambda wb, c, who: wb.record_same_day_concerns(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).threshold.version,
        concerns=(SameDayConcern.ABANDONED,),
        note="",
        actor=who,
    ),
    "save_carer_view": lambda wb, c, who: wb.save_carer_view(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).carers.version,
        view=CarerView(carer_id=c.carer_id, own_words="Rewritten"),
        actor=who,
    ),
    "save_child_view": lambda wb, c, who: wb.save_child_view(
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
    "save_professional_view": lambda wb, c, who: wb.save_professional_view(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).professionals.version,
        view=ProfessionalView(professional_id=c.professional_id, agency="GP surgery", role="GP", view="Rewritten"),
        actor=who,
    ),
    "add_child_work": lambda wb, c, who: wb.add_child_work(
        assessment_id=c.assessment_id, child_id=c.child_id, filename="x.png", content=tiny_png(), actor=who
    ),
    "remove_child_work": lambda wb, c, who: wb.remove_child_work(
        assessment_id=c.assessment_id, attachment_id=c.attachment_id, actor=who
    ),
    "save_analysis": lambda wb, c, who: wb.save_analysis(
        assessment_id=c.assessment_id, expected_version=_eha(wb, c).plan.version, analysis="Rewritten", actor=who
    ),
    "save_outcome": lambda wb, c, who: wb.save_outcome(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).plan.version,
        outcome=_eha(wb, c).plan.data.outcomes[0].model_copy(update={"text": "Rewritten"}),
        actor=who,
    ),
    "remove_outcome": lambda wb, c, who: wb.remove_outcome(
        assessment_id=c.assessment_id, expected_version=_eha(wb, c).plan.version, outcome_id=c.outcome_id, actor=who
    ),
    "save_action": lambda wb, c, who: wb.save_action(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).plan.version,
        action=_eha(wb, c).plan.data.actions[0].model_copy(update={"who": "Dad"}),
        actor=who,
    ),
    "remove_action": lambda wb, c, who: wb.remove_action(
        assessment_id=c.assessment_id, expected_version=_eha(wb, c).plan.version, action_id=c.action_id, actor=who
    ),
    "save_consent": lambda wb, c, who: wb.save_consent(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).consent.version,
        answers=_consent_answers(wb, c),
        actor=who,
    ),
    "withdraw_consent": lambda wb, c, who: wb.withdraw_consent(
        assessment_id=c.assessment_id,
        expected_version=_eha(wb, c).consent.version,
        withdrawn_on=TODAY(wb),
        withdrawn_by="Maryam Khan",
        stops="Sharing with the school",
        actor=who,
    ),
    "start_assessment": lambda wb, c, who: wb.start_assessment(family_id=c.family_id, actor=who),
    "complete_assessment": lambda wb, c, who: wb.complete_assessment(
        assessment_id=c.assessment_id, review_date=TODAY(wb) + timedelta(days=28), actor=who
    ),
    "record_sharing_decision": lambda wb, c, who: wb.record_sharing_decision(
        family_id=c.family_id, decision=_decision(TODAY(wb)), actor=who
    ),
    "start_star_reading": lambda wb, c, who: wb.start_star_reading(
        assessment_id=c.assessment_id,
        taken_on=TODAY(wb),
        occasion=OccasionKind.REVIEW,
        review_number=1,
        completed_by=CompletedBy.TOGETHER,
        actor=who,
    ),
    "score_star_area": lambda wb, c, who: wb.score_star_area(
        reading_id=c.reading_id, expected_version=_reading_version(wb, c), area="physical_health", agreed=4, actor=who
    ),
    "save_star_scores": lambda wb, c, who: wb.save_star_scores(
        reading_id=c.reading_id,
        expected_version=_reading_version(wb, c),
        scores={"physical_health": 5},
        notes={},
        actor=who,
    ),
    "set_star_completed_by": lambda wb, c, who: wb.set_star_completed_by(
        reading_id=c.reading_id,
        expected_version=_reading_version(wb, c),
        completed_by=CompletedBy.WORKER_ONLY,
        actor=who,
    ),
    "correct_star_score": lambda wb, c, who: wb.correct_star_score(
        reading_id=c.reading_id, area="physical_health", score=5, reason="Typed the wrong number", actor=who
    ),
    "agree_lead_professional": lambda wb, c, who: wb.agree_lead_professional(
        assessment_id=c.assessment_id,
        expected_version=wb.taf(assessment_id=c.assessment_id, actor=OPERATOR).lead_version,
        lead=LeadProfessional(name="Lee Reviewer", agency="LCSS", role="Reviewer"),
        from_on=TODAY(wb),
        actor=who,
    ),
    "start_taf_meeting": lambda wb, c, who: wb.start_taf_meeting(
        assessment_id=c.assessment_id, held_on=TODAY(wb), where="Online", actor=who
    ),
    "save_meeting_details": lambda wb, c, who: wb.save_meeting_details(
        meeting_id=c.meeting_id, expected_version=_meeting_version(wb, c), held_on=TODAY(wb), where="Home", actor=who
    ),
    "save_participant": lambda wb, c, who: wb.save_participant(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        participant=Participant(name="Lee Reviewer", agency="LCSS", role="Reviewer"),
        actor=who,
    ),
    "remove_participant": lambda wb, c, who: wb.remove_participant(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        participant_id=c.participant_id,
        actor=who,
    ),
    "save_meeting_views": lambda wb, c, who: wb.save_meeting_views(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        family_view="Rewritten",
        child_view="",
        working_well="",
        worries="",
        actor=who,
    ),
    "save_action_progress": lambda wb, c, who: wb.save_action_progress(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        progress={c.action_id: (ActionProgress.DONE, "Rewritten")},
        actor=who,
    ),
    "save_meeting_action": lambda wb, c, who: wb.save_meeting_action(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        action=PlanAction(
            action="Reviewer's action", who="Mum", by_when=TODAY(wb) + timedelta(days=7), outcome_id=c.outcome_id
        ),
        actor=who,
    ),
    "remove_meeting_action": lambda wb, c, who: wb.remove_meeting_action(
        meeting_id=c.meeting_id, expected_version=_meeting_version(wb, c), action_id="any", actor=who
    ),
    "save_next_review": lambda wb, c, who: wb.save_next_review(
        meeting_id=c.meeting_id,
        expected_version=_meeting_version(wb, c),
        next_review_on=TODAY(wb) + timedelta(days=42),
        reason="",
        closing=False,
        actor=who,
    ),
    "save_minutes": lambda wb, c, who: wb.save_minutes(
        meeting_id=c.meeting_id, expected_version=_meeting_version(wb, c), minutes="Rewritten", actor=who
    ),
    "finalise_taf_meeting": lambda wb, c, who: wb.finalise_taf_meeting(
        meeting_id=c.meeting_id, expected_version=_meeting_version(wb, c), actor=who
    ),
    "close_taf": lambda wb, c, who: wb.close_taf(
        assessment_id=c.assessment_id,
        reason=ClosureReason.OUTCOMES_ACHIEVED,
        family_comments="Thanks",
        evaluation="Went well",
        closed_on=TODAY(wb),
        actor=who,
    ),
}

NEW_FAMILY = {"create_family", "import_family"}

# Reads of case data: an LCSS reviewer of the family's locality may make every one.
READS: dict[str, Call] = {
    "family": lambda wb, c, who: wb.family(family_id=c.family_id, actor=who),
    "team": lambda wb, c, who: wb.team(family_id=c.family_id, actor=who),
    "search_families": lambda wb, c, who: wb.search_families(query="Khan", actor=who),
    "list_families": lambda wb, c, who: wb.list_families(actor=who),
    "my_families": lambda wb, c, who: wb.my_families(actor=who),
    "open_assessment": lambda wb, c, who: wb.open_assessment(assessment_id=c.assessment_id, actor=who),
    "open_eha": lambda wb, c, who: wb.open_eha(assessment_id=c.assessment_id, actor=who),
    "family_of_assessment": lambda wb, c, who: wb.family_of_assessment(assessment_id=c.assessment_id, actor=who),
    "export_family": lambda wb, c, who: wb.export_family(family_id=c.family_id, actor=who),
    "sharing_record": lambda wb, c, who: wb.sharing_record(family_id=c.family_id, actor=who),
    "child_work_file": lambda wb, c, who: wb.child_work_file(
        assessment_id=c.assessment_id, attachment_id=c.attachment_id, actor=who
    ),
    "star_section_status": lambda wb, c, who: wb.star_section_status(assessment_id=c.assessment_id, actor=who),
    "star_readings": lambda wb, c, who: wb.star_readings(assessment_id=c.assessment_id, actor=who),
    "star_reading": lambda wb, c, who: wb.star_reading(reading_id=c.reading_id, actor=who),
    "taf": lambda wb, c, who: wb.taf(assessment_id=c.assessment_id, actor=who),
}

# Not case content: accounts (admins), signing in, the audit trail, the clock, and a helper
# that is given an open database session by the other services.
NEITHER = {
    "actor_for",
    "add_account",
    "disable_account",
    "list_accounts",
    "sign_in",
    "sign_in_with_email",
    "resume",
    "sign_out",
    "audit_trail",
    "verify_audit_trail",
    "audit_anchor",
    "searches_for",
    "issue_sign_in_code",
    "redeem_sign_in_code",
    "today",
    "now",
    "find_duplicate_child",
}


def _eha(wb: Workbook, c: Case):
    return wb.open_eha(assessment_id=c.assessment_id, actor=OPERATOR)


def _background_version(wb: Workbook, c: Case) -> int:
    return wb.open_assessment(assessment_id=c.assessment_id, actor=OPERATOR).background_version


def _reading_version(wb: Workbook, c: Case) -> int:
    return wb.star_reading(reading_id=c.reading_id, actor=OPERATOR).version


def _meeting_version(wb: Workbook, c: Case) -> int:
    meeting = wb.taf(assessment_id=c.assessment_id, actor=OPERATOR).meeting(c.meeting_id)
    assert meeting is not None
    return meeting.version


def _consent_answers(wb: Workbook, c: Case) -> ConsentAnswers:
    consent = _eha(wb, c).consent.data.current
    assert consent is not None
    return ConsentAnswers(
        carers=consent.carers,
        share_with_professionals=consent.share_with_professionals,
        named_recipients="Only the GP surgery",
        council_storage=consent.council_storage,
        confirmed_on=consent.confirmed_on,
    )


def everything(wb: Workbook, c: Case) -> tuple[str, ...]:
    """All there is to see of the family and of the families there are, as the operator."""
    return (
        wb.export_family(family_id=c.family_id, actor=OPERATOR).to_json(),
        repr(wb.team(family_id=c.family_id, actor=OPERATOR)),
        repr(wb.sharing_record(family_id=c.family_id, actor=OPERATOR).decisions),
        repr(sorted(f.family_id for f in wb.list_families(actor=OPERATOR))),
    )


def test_every_public_service_method_is_a_read_a_write_or_neither():
    public = {name for name, _ in inspect.getmembers(Workbook, inspect.isfunction) if not name.startswith("_")}
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
    refusal = workbook.audit_trail(actor=OPERATOR, person="lee.central", limit=1)[0].entry
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
    WRITES["save_details"](workbook, case, sam)
    WRITES["record_sharing_decision"](workbook, case, sam)
    WRITES["save_minutes"](workbook, case, sam)
    WRITES["score_star_area"](workbook, case, sam)
    assert workbook.open_assessment(assessment_id=case.assessment_id, actor=sam).background.reason == (
        "Changed by a reviewer"
    )
    assert len(workbook.sharing_record(family_id=case.family_id, actor=sam).decisions) == 1


def test_what_the_service_hands_an_lcss_reviewer_is_marked_read_only(workbook: Workbook, people, case: Case):
    lee, sam = people["lcss_same"], people["author"]
    assert not workbook.open_assessment(assessment_id=case.assessment_id, actor=lee).editable
    assert not workbook.open_eha(assessment_id=case.assessment_id, actor=lee).editable
    assert not workbook.taf(assessment_id=case.assessment_id, actor=lee).editable
    assert workbook.open_assessment(assessment_id=case.assessment_id, actor=sam).editable
    assert workbook.open_eha(assessment_id=case.assessment_id, actor=sam).editable
    assert workbook.taf(assessment_id=case.assessment_id, actor=sam).editable
    assert Role.LCSS is lee.role
