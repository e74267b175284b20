"""Team Around the Family through the service layer, on SQLite and on a real PostgreSQL: meetings
saved part by part and finalised, the lead professional's history, closure, My families."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from eha.actor import Actor, Role, TeamRole
from eha.audit import AuditAction
from eha.background import Carer, Child
from eha.errors import AccessDenied, ActiveAssessmentExists, StaleRecord, ValidationFailed
from eha.family import AssessmentStatus
from eha.plan import PlanAction
from eha.record import parse_record
from eha.taf import ActionProgress, Attendance, ClosureReason, LeadProfessional, Participant, ReviewDue
from star import CompletedBy, OccasionKind
from storage.models import AuditEntryRow
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.clock import Clock
from tests.support.eha import completed_family, without_import_notes
from tests.support.hostile import HOSTILE, LONG

OPERATOR = Actor.system("test")
LEAD = LeadProfessional(name="Jo Bloggs", agency="Cherwell Primary School", role="SENCo")


def agree_lead(workbook: Workbook, assessment_id: str, actor: Actor, lead: LeadProfessional = LEAD, **kw) -> None:
    version = workbook.assessments.open(assessment_id=assessment_id, actor=actor).taf.lead_version
    workbook.taf.agree_lead_professional(
        assessment_id=assessment_id, expected_version=version, lead=lead, from_on=workbook.today(), actor=actor, **kw
    )


def write_up(workbook: Workbook, meeting_id: str, version: int, actor: Actor, *, next_in: int | None = 42) -> int:
    """Every part of a meeting a finalised record needs; returns the version to save against."""
    taf_day = workbook.today()
    version = workbook.taf.save_participant(
        meeting_id=meeting_id,
        expected_version=version,
        participant=Participant(name="Maryam Khan", agency="Family", role="Mother"),
        actor=actor,
    ).version
    version = workbook.taf.save_meeting_views(
        meeting_id=meeting_id,
        expected_version=version,
        family_view="Mornings are calmer.",
        child_view="I got a star at school.",
        working_well="The routine chart.",
        worries="Bedtime.",
        actor=actor,
    ).version
    version = workbook.taf.save_next_review(
        meeting_id=meeting_id,
        expected_version=version,
        next_review_on=taf_day + timedelta(days=next_in) if next_in else None,
        reason="",
        closing=next_in is None,
        actor=actor,
    ).version
    return workbook.taf.save_minutes(
        meeting_id=meeting_id, expected_version=version, minutes="We met and agreed the plan.", actor=actor
    ).version


def test_the_first_meeting_makes_the_taf_active_and_starts_from_the_plan(workbook: Workbook, sam: Actor):
    _, assessment_id = completed_family(workbook, sam)
    saved = workbook.taf.start_meeting(
        assessment_id=assessment_id, held_on=workbook.today(), where="At school", actor=sam
    )
    taf = workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf
    assert taf.status is AssessmentStatus.TAF_ACTIVE
    assert saved.number == 1
    assert [r.action.action for r in saved.meeting.progress] == ["Morning routine chart"]
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).status is AssessmentStatus.TAF_ACTIVE


def test_a_draft_assessment_has_no_taf_meetings(workbook: Workbook, sam: Actor):
    _, assessment_id = workbook.families.create(
        locality="north",
        address="1 High Street",
        main_carer=Carer(name="A B", relationship="Mother"),
        child=Child(name="C D", date_of_birth=date(2019, 1, 1)),
        actor=sam,
    )
    with pytest.raises(ValidationFailed, match="once the assessment is completed"):
        workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)


def test_dates_that_make_no_sense_are_refused_with_a_message(workbook: Workbook, sam: Actor, clock: Clock):
    _, assessment_id = completed_family(workbook, sam)
    started = workbook.assessments.open(assessment_id=assessment_id, actor=sam).started_on
    assert started is not None
    with pytest.raises(ValidationFailed) as before_start:
        workbook.taf.start_meeting(
            assessment_id=assessment_id, held_on=started - timedelta(days=1), where="x", actor=sam
        )
    assert "before the assessment started" in before_start.value.errors["held_on"]
    with pytest.raises(ValidationFailed) as future:
        workbook.taf.start_meeting(
            assessment_id=assessment_id, held_on=workbook.today() + timedelta(days=1), where="x", actor=sam
        )
    assert "today or in the past" in future.value.errors["held_on"]

    agree_lead(workbook, assessment_id, sam)
    first = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    version = write_up(workbook, first.meeting_id, first.version, sam)
    with pytest.raises(ValidationFailed) as past:
        workbook.taf.save_next_review(
            meeting_id=first.meeting_id,
            expected_version=version,
            next_review_on=workbook.today() - timedelta(days=1),
            reason="",
            closing=False,
            actor=sam,
        )
    assert past.value.errors == {"next_review_on": "The next review date must be today or later."}
    workbook.taf.finalise_meeting(meeting_id=first.meeting_id, expected_version=version, actor=sam)

    clock.offset += timedelta(days=42)
    with pytest.raises(ValidationFailed) as earlier:
        workbook.taf.start_meeting(
            assessment_id=assessment_id, held_on=workbook.today() - timedelta(days=43), where="x", actor=sam
        )
    assert "before the previous TAF meeting" in earlier.value.errors["held_on"]


def test_a_next_review_more_than_12_weeks_on_needs_a_reason(workbook: Workbook, sam: Actor):
    _, assessment_id = completed_family(workbook, sam)
    m = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    far = workbook.today() + timedelta(days=85)
    with pytest.raises(ValidationFailed) as refused:
        workbook.taf.save_next_review(
            meeting_id=m.meeting_id, expected_version=m.version, next_review_on=far, reason="", closing=False, actor=sam
        )
    assert "more than 12 weeks" in refused.value.errors["next_review_reason"]
    saved = workbook.taf.save_next_review(
        meeting_id=m.meeting_id,
        expected_version=m.version,
        next_review_on=far,
        reason="Summer holidays: the school is closed.",
        closing=False,
        actor=sam,
    )
    assert saved.version == m.version + 1


def test_two_reviews_carry_open_actions_forward_and_the_star_follows(workbook: Workbook, sam: Actor, clock: Clock):
    _, assessment_id = completed_family(workbook, sam)
    agree_lead(workbook, assessment_id, sam)
    first = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    original = first.meeting.progress[0].action
    version = workbook.taf.save_action_progress(
        meeting_id=first.meeting_id,
        expected_version=first.version,
        progress={original.id: (ActionProgress.IN_PROGRESS, "Chart made; mornings still hard.")},
        actor=sam,
    ).version
    outcome_id = workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf.plan.outcomes[0].id
    added = PlanAction(
        action="Bedtime routine", who="Maryam", by_when=workbook.today() + timedelta(days=20), outcome_id=outcome_id
    )
    version = workbook.taf.save_meeting_action(
        meeting_id=first.meeting_id, expected_version=version, action=added, actor=sam
    ).version
    # The star is re-scored at the meeting, before its record is finalised (which locks it).
    reading = workbook.star.start(
        assessment_id=assessment_id,
        taken_on=workbook.today(),
        occasion=OccasionKind.REVIEW,
        review_number=1,
        completed_by=CompletedBy.TOGETHER,
        actor=sam,
    )
    version = write_up(workbook, first.meeting_id, version, sam)
    workbook.taf.finalise_meeting(meeting_id=first.meeting_id, expected_version=version, actor=sam)

    clock.offset += timedelta(days=42)
    second = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    assert second.number == 2
    assert [(r.action.action, r.progress) for r in second.meeting.progress] == [
        ("Morning routine chart", ActionProgress.IN_PROGRESS),
        ("Bedtime routine", ActionProgress.NOT_STARTED),
    ]
    version = workbook.taf.save_action_progress(
        meeting_id=second.meeting_id,
        expected_version=second.version,
        progress={original.id: (ActionProgress.DONE, ""), added.id: (ActionProgress.NO_LONGER_NEEDED, HOSTILE)},
        actor=sam,
    ).version
    taf = workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf
    assert taf.meetings[1].meeting.updated_plan == ()
    assert taf.meetings[1].meeting.progress[1].comment == HOSTILE
    # A meeting with nothing left in the plan is the one that agrees to close.
    version = write_up(workbook, second.meeting_id, version, sam, next_in=None)
    workbook.taf.finalise_meeting(meeting_id=second.meeting_id, expected_version=version, actor=sam)
    readings = workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_readings
    assert reading.reading.id in [r.reading.id for r in readings]


def test_a_meeting_is_finalised_only_when_complete_and_then_never_changes(workbook: Workbook, sam: Actor):
    _, assessment_id = completed_family(workbook, sam)
    m = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    with pytest.raises(ValidationFailed) as gaps:
        workbook.taf.finalise_meeting(meeting_id=m.meeting_id, expected_version=m.version, actor=sam)
    message = gaps.value.errors[""]
    for gap in ("who attended", "the family's view", "the lead professional", "the next review date", "the minutes"):
        assert gap in message
    with pytest.raises(ValidationFailed, match="not finalised yet"):
        workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    agree_lead(workbook, assessment_id, sam)
    version = write_up(workbook, m.meeting_id, m.version, sam)
    workbook.taf.finalise_meeting(meeting_id=m.meeting_id, expected_version=version, actor=sam)
    with pytest.raises(ValidationFailed, match="finalised"):
        workbook.taf.save_minutes(meeting_id=m.meeting_id, expected_version=version + 1, minutes="later", actor=sam)


def test_a_stale_meeting_save_is_refused_and_keeps_the_first(make_workbook, sam: Actor):
    mine, theirs = make_workbook(), make_workbook()
    _, assessment_id = completed_family(mine, sam)
    m = mine.taf.start_meeting(assessment_id=assessment_id, held_on=mine.today(), where="x", actor=sam)
    theirs.taf.save_minutes(meeting_id=m.meeting_id, expected_version=m.version, minutes="theirs", actor=sam)
    with pytest.raises(StaleRecord):
        mine.taf.save_minutes(meeting_id=m.meeting_id, expected_version=m.version, minutes="mine", actor=sam)
    assert mine.assessments.open(assessment_id=assessment_id, actor=sam).taf.meetings[0].meeting.minutes == "theirs"


def test_hostile_and_long_text_round_trips_in_a_meeting(workbook: Workbook, sam: Actor):
    _, assessment_id = completed_family(workbook, sam)
    m = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where=HOSTILE, actor=sam)
    big = HOSTILE + LONG
    v = workbook.taf.save_meeting_views(
        meeting_id=m.meeting_id,
        expected_version=m.version,
        family_view=big,
        child_view=big,
        working_well=HOSTILE,
        worries=HOSTILE,
        actor=sam,
    ).version
    person = Participant(name=HOSTILE[:200], agency=HOSTILE[:200], role=HOSTILE[:200], attendance=Attendance.APOLOGIES)
    workbook.taf.save_participant(meeting_id=m.meeting_id, expected_version=v, participant=person, actor=sam)
    meeting = workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf.meetings[0].meeting
    assert meeting.where == HOSTILE and meeting.family_view == big and meeting.child_view == big
    assert meeting.participants == (person,)


def test_the_lead_professional_history_is_kept_and_a_username_joins_the_team(workbook: Workbook, sam: Actor, clock):
    workbook.accounts.add(
        username="jo.lead",
        display_name="Jo",
        role="practitioner",
        locality=None,
        password="a long password 1",
        actor=OPERATOR,
    )
    family_id, assessment_id = completed_family(workbook, sam)
    jo = Actor(username="jo.lead", display_name="Jo", role=Role.PRACTITIONER)
    with pytest.raises(AccessDenied):
        workbook.assessments.open(assessment_id=assessment_id, actor=jo)
    with pytest.raises(ValidationFailed) as unknown:
        agree_lead(workbook, assessment_id, sam, LEAD.model_copy(update={"username": "nobody.here"}))
    assert "no practitioner account" in unknown.value.errors["username"]
    agree_lead(workbook, assessment_id, sam, LEAD.model_copy(update={"username": "jo.lead"}))
    assert ("jo.lead", TeamRole.LEAD) in workbook.families.team(family_id=family_id, actor=sam)
    assert workbook.assessments.open(assessment_id=assessment_id, actor=jo).taf.lead.current is not None
    with pytest.raises(ValidationFailed) as same:
        agree_lead(workbook, assessment_id, sam, LEAD.model_copy(update={"username": "jo.lead"}))
    assert same.value.errors["name"] == "They are already the lead professional."

    clock.offset += timedelta(days=10)
    m = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    other = LeadProfessional(name="Sam Worker", agency="Family support", role="Family worker")
    agree_lead(workbook, assessment_id, sam, other, meeting_number=m.number)
    history = workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf.lead
    assert [(t.lead.name, t.agreed_at_meeting) for t in history.terms] == [("Jo Bloggs", None), ("Sam Worker", 1)]
    with pytest.raises(ValidationFailed) as backwards:
        workbook.taf.agree_lead_professional(
            assessment_id=assessment_id,
            expected_version=workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf.lead_version,
            lead=LEAD,
            from_on=workbook.today() - timedelta(days=5),
            actor=sam,
        )
    assert "before the current lead professional took over" in backwards.value.errors["from_on"]


def close(workbook: Workbook, assessment_id: str, actor: Actor, **overrides):
    fields = {
        "reason": ClosureReason.OUTCOMES_ACHIEVED,
        "family_comments": "It helped us.",
        "evaluation": "Outcomes met.",
        "closed_on": workbook.today(),
        **overrides,
    }
    return workbook.taf.close(assessment_id=assessment_id, actor=actor, **fields)


def test_closing_the_taf_makes_the_record_read_only_and_a_new_assessment_may_start(workbook: Workbook, sam: Actor):
    family_id, assessment_id = completed_family(workbook, sam)
    agree_lead(workbook, assessment_id, sam)
    m = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    with pytest.raises(ValidationFailed, match="not finalised"):
        close(workbook, assessment_id, sam)
    version = write_up(workbook, m.meeting_id, m.version, sam, next_in=None)
    workbook.taf.finalise_meeting(meeting_id=m.meeting_id, expected_version=version, actor=sam)
    with pytest.raises(ValidationFailed) as refused:
        close(
            workbook,
            assessment_id,
            sam,
            reason=ClosureReason.MOVED_AREA,
            closed_on=workbook.today() - timedelta(days=1),
        )
    assert set(refused.value.errors) == {"new_area", "new_area_consent", "closed_on"}
    with pytest.raises(ValidationFailed) as other:
        close(workbook, assessment_id, sam, reason=ClosureReason.OTHER, family_comments="", evaluation=HOSTILE)
    assert set(other.value.errors) == {"reason_other", "family_comments"}
    close(workbook, assessment_id, sam, reason=ClosureReason.CHILD_PROTECTION, family_comments=HOSTILE)
    taf = workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf
    assert taf.status is AssessmentStatus.CLOSED
    assert taf.closure is not None and taf.closure.family_comments == HOSTILE
    assert taf.closure.reason is ClosureReason.CHILD_PROTECTION

    # Every TAF write refuses a closed record.
    closed = "closed and can no longer be changed"
    with pytest.raises(ValidationFailed, match=closed):
        workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    with pytest.raises(ValidationFailed, match=closed):
        workbook.taf.save_minutes(meeting_id=m.meeting_id, expected_version=version + 1, minutes="x", actor=sam)
    with pytest.raises(ValidationFailed, match=closed):
        agree_lead(workbook, assessment_id, sam, LeadProfessional(name="New", agency="A", role="R"))
    with pytest.raises(ValidationFailed, match=closed):
        close(workbook, assessment_id, sam)
    with pytest.raises(ValidationFailed):
        workbook.star.start(
            assessment_id=assessment_id,
            taken_on=workbook.today(),
            occasion=OccasionKind.CLOSURE,
            completed_by=CompletedBy.TOGETHER,
            actor=sam,
        )

    new_id = workbook.assessments.start(family_id=family_id, actor=sam)
    statuses = [a.status for a in workbook.families.get(family_id=family_id, actor=sam).assessments]
    assert statuses == [AssessmentStatus.CLOSED, AssessmentStatus.DRAFT]
    with pytest.raises(ActiveAssessmentExists):
        workbook.assessments.start(family_id=family_id, actor=sam)
    assert new_id != assessment_id


def test_a_completed_assessment_can_close_before_any_meeting_but_not_before_it_was_completed(
    workbook: Workbook, sam: Actor
):
    _, assessment_id = completed_family(workbook, sam)
    with pytest.raises(ValidationFailed) as early:
        close(workbook, assessment_id, sam, closed_on=workbook.today() - timedelta(days=1))
    assert "the date the assessment was completed" in early.value.errors["closed_on"]
    close(workbook, assessment_id, sam, reason=ClosureReason.MOVED_AREA, new_area="Swindon", new_area_consent=True)
    closure = workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf.closure
    assert closure is not None and closure.new_area == "Swindon" and closure.new_area_consent is True


def test_my_families_puts_overdue_and_due_this_week_first(workbook: Workbook, sam: Actor, clock: Clock):
    _, later = completed_family(workbook, sam, child="Child Later")
    _, soon = completed_family(workbook, sam, child="Child Soon")
    _, overdue = completed_family(workbook, sam, child="Child Overdue")
    # Completed today with a review in 28 days: move the clock so one is due, then re-set others.
    clock.offset += timedelta(days=24)
    agree_lead(workbook, later, sam)
    m = workbook.taf.start_meeting(assessment_id=later, held_on=workbook.today(), where="x", actor=sam)
    version = write_up(workbook, m.meeting_id, m.version, sam, next_in=42)
    workbook.taf.finalise_meeting(meeting_id=m.meeting_id, expected_version=version, actor=sam)
    clock.offset += timedelta(days=5)  # the other two were due on day 28: now overdue by one day
    agree_lead(workbook, soon, sam)
    m = workbook.taf.start_meeting(assessment_id=soon, held_on=workbook.today(), where="x", actor=sam)
    version = write_up(workbook, m.meeting_id, m.version, sam, next_in=3)
    workbook.taf.finalise_meeting(meeting_id=m.meeting_id, expected_version=version, actor=sam)

    entries = workbook.taf.my_families(actor=sam)
    by_assessment = {e.assessment_id: e for e in entries}
    assert [e.assessment_id for e in entries] == [overdue, soon, later]
    assert by_assessment[overdue].due is ReviewDue.OVERDUE
    assert by_assessment[soon].due is ReviewDue.THIS_WEEK
    assert by_assessment[later].due is ReviewDue.LATER
    assert by_assessment[later].status_label == "TAF active" and by_assessment[later].lead == "Jo Bloggs"
    assert by_assessment[overdue].status_label == "Completed" and by_assessment[overdue].last_review is None
    # The counts and filters are the database's, and agree with what each entry shows.
    assert entries.due == {ReviewDue.OVERDUE: 1, ReviewDue.THIS_WEEK: 1, ReviewDue.LATER: 1}
    assert [e.assessment_id for e in workbook.taf.my_families(actor=sam, due=ReviewDue.OVERDUE)] == [overdue]
    assert [e.assessment_id for e in workbook.taf.my_families(actor=sam, due=ReviewDue.THIS_WEEK)] == [soon]
    taf_active = workbook.taf.my_families(actor=sam, status=AssessmentStatus.TAF_ACTIVE)
    assert [e.assessment_id for e in taf_active] == [soon, later] and taf_active.total == 2
    assert [e.assessment_id for e in workbook.taf.my_families(actor=sam, page=2, per_page=2)] == [later]
    stranger = Actor(username="someone.else", display_name="S", role=Role.PRACTITIONER)
    assert workbook.taf.my_families(actor=stranger).total == 0
    with pytest.raises(AccessDenied):
        workbook.taf.my_families(actor=Actor(username="ada", display_name="Ada", role=Role.ADMIN))


def test_my_families_lines_say_what_the_assessment_itself_says(workbook: Workbook, sam: Actor, clock: Clock):
    """Each line of My families is read from columns and SQL; the assessment's own read model
    (its TAF overview) is the rule: a review set at completion, one set by a finalised meeting,
    a meeting being written up (nothing due), a closed TAF, a draft and no assessment at all."""
    _, at_completion = completed_family(workbook, sam, child="Child Completed")
    _, finalised = completed_family(workbook, sam, child="Child Finalised")
    agree_lead(workbook, finalised, sam)
    m = workbook.taf.start_meeting(assessment_id=finalised, held_on=workbook.today(), where="x", actor=sam)
    version = write_up(workbook, m.meeting_id, m.version, sam, next_in=20)
    workbook.taf.finalise_meeting(meeting_id=m.meeting_id, expected_version=version, actor=sam)
    _, writing_up = completed_family(workbook, sam, child="Child Writing")
    workbook.taf.start_meeting(assessment_id=writing_up, held_on=workbook.today(), where="x", actor=sam)
    clock.offset += timedelta(days=3)

    entries = workbook.taf.my_families(actor=sam)
    assert len(entries) == 3
    for entry in entries:
        assert entry.assessment_id is not None
        taf = workbook.assessments.open(assessment_id=entry.assessment_id, actor=sam).taf
        current = taf.lead.current
        assert entry.next_review == taf.next_review
        assert entry.status_label == taf.status.label
        assert entry.lead == (current.lead.name if current else None)
        assert entry.last_review == (taf.meetings[-1].meeting.held_on if taf.meetings else None)
    by_assessment = {e.assessment_id: e for e in entries}
    assert by_assessment[writing_up].next_review is None and by_assessment[writing_up].due is ReviewDue.NONE
    assert by_assessment[finalised].lead == "Jo Bloggs" and by_assessment[finalised].due is ReviewDue.LATER
    assert by_assessment[at_completion].next_review is not None
    assert [e.assessment_id for e in entries][-1] == writing_up  # nothing due: last


def test_every_taf_write_and_view_is_audited(workbook: Workbook, sam: Actor):
    _, assessment_id = completed_family(workbook, sam)
    m = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    workbook.taf.save_minutes(meeting_id=m.meeting_id, expected_version=m.version, minutes="Short.", actor=sam)
    workbook.assessments.open(assessment_id=assessment_id, actor=sam)  # the TAF is read with its assessment
    with workbook._core.unit() as session:
        entries = [(e.action, e.record) for e in session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq))]
    assert (AuditAction.CREATED.value, f"taf_meeting:{m.meeting_id}") in entries
    assert (AuditAction.CHANGED.value, f"taf_meeting:{m.meeting_id}") in entries
    assert entries[-1] == (AuditAction.VIEWED.value, f"assessment:{assessment_id}")
    assert workbook.audit.verify(actor=OPERATOR)[1] is None
    stranger = Actor(username="someone.else", display_name="S", role=Role.PRACTITIONER)
    with pytest.raises(AccessDenied):
        workbook.taf.save_minutes(meeting_id=m.meeting_id, expected_version=2, minutes="x", actor=stranger)
    with pytest.raises(AccessDenied):
        workbook.taf.save_minutes(meeting_id="not-a-meeting", expected_version=1, minutes="x", actor=stranger)


def test_export_import_export_carries_meetings_lead_and_closure(make_workbook, sam: Actor, tmp_path):
    source = make_workbook()
    family_id, assessment_id = completed_family(source, sam)
    agree_lead(source, assessment_id, sam)
    m = source.taf.start_meeting(assessment_id=assessment_id, held_on=source.today(), where=HOSTILE, actor=sam)
    version = write_up(source, m.meeting_id, m.version, sam, next_in=None)
    source.taf.finalise_meeting(meeting_id=m.meeting_id, expected_version=version, actor=sam)
    close(source, assessment_id, sam, family_comments=HOSTILE + LONG)
    exported = source.families.export(family_id=family_id, actor=sam).to_json()
    record = parse_record(exported)
    assert len(record.assessments[0].taf_meetings) == 1
    assert {"lead_professional", "closure"} <= set(record.assessments[0].sections)

    from eha.localities import load_localities
    from storage.db import make_engine, upgrade

    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(empty_url)
    target = Workbook(make_engine(empty_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    assert target.families.import_record(record=record, actor=sam) == family_id
    assert without_import_notes(target.families.export(family_id=family_id, actor=sam).to_json()) == exported
    taf = target.assessments.open(assessment_id=assessment_id, actor=sam).taf
    assert taf.status is AssessmentStatus.CLOSED and taf.meetings[0].meeting.where == HOSTILE


def test_an_import_with_meetings_out_of_order_is_refused(workbook: Workbook, sam: Actor):
    family_id, assessment_id = completed_family(workbook, sam)
    workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="x", actor=sam)
    text = workbook.families.export(family_id=family_id, actor=sam).to_json()
    from eha.errors import ImportRefused

    with pytest.raises(ImportRefused, match="out of order"):
        parse_record(text.replace('"number": 1', '"number": 2'))
