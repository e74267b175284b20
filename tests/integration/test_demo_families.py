"""The demo families a newcomer clicks through, loaded as `eha demo` loads them: consent
histories, contact logs and a completed assessment, each as the screens would have saved it;
and the large family every load begins with, from the first visit to the closed TAF."""

import json

from eha.actor import Actor
from eha.assessment import Section
from eha.attachments import picture_problem
from eha.consent import ConsentKind, ConsentMethod, DecisionAnswers, check_decision, current_position, problems
from eha.demo import DEMO_PRACTITIONER, LARGE_FAMILY_ID, demo_families, generate_families
from eha.family import AssessmentStatus
from eha.record import parse_record
from eha.taf import ClosureReason
from star import progress
from storage.bootstrap import add_demo_accounts
from storage.services import Workbook
from tests.support.eha import add_people


def test_a_dozen_demo_families_show_every_status_consent_histories_contacts_and_readings_over_time(
    workbook: Workbook,
):
    add_demo_accounts(workbook, actor=Actor.system("tests"))
    operator = Actor.system("tests")
    today = workbook.today()
    records = generate_families(
        count=12, seed=1, today=today, wording=workbook.assessments.consent_wording, directory=workbook.directory
    )
    tally = workbook.families.import_records(records=records, actor=operator, file_authors=True)
    assert tally.imported == 12 and tally.already_here == tally.same_child == 0

    kinds_in_order, second_parents, children, limited, completed = [], 0, 0, 0, []
    statuses, meetings, closures = [], [], []
    for record in records:
        a = workbook.assessments.open(assessment_id=record.assessments[0].id, actor=operator)
        consent, background = a.consent.data, a.background.data
        assert workbook.contacts.entries(family_id=record.id, actor=operator), record.reference
        for d in consent.decisions:
            # Every decision is one the consent page would have recorded.
            answers = DecisionAnswers.model_validate(
                d.model_dump(exclude={"id", "wording", "recorded_at", "recorded_by"})
            )
            assert check_decision(answers, background, directory=workbook.directory, today=today) == {}
        main = background.main_carer()
        assert main is not None
        kinds_in_order.append(tuple(d.kind for d in consent.decisions if d.person_id == main.id))
        carers = {c.id for c in background.carers if not c.main_carer}
        second_parents += any(d.person_id in carers for d in consent.decisions)
        kids = {c.id for c in background.children}
        children += sum(1 for d in consent.decisions if d.person_id in kids and d.understanding.strip())
        limited += sum(1 for d in consent.decisions if d.kind is ConsentKind.LIMITED and d.excluded)
        lines = [p.line for p in current_position(consent, background, today=today)]
        assert lines[0].startswith(f"{main.name} (main carer): ")
        statuses.append(a.status)
        if a.status is AssessmentStatus.COMPLETED:
            completed.append(a)
        if a.status is AssessmentStatus.TAF_ACTIVE:
            meetings.append(len(a.taf.meetings))
            # The star re-scored at each meeting: a first reading and one for every review.
            assert len(a.star_readings) == 1 + len(a.taf.meetings)
            assert all(m.meeting.finalised for m in a.taf.meetings)
        if a.status is AssessmentStatus.CLOSED:
            assert a.taf.closure is not None
            closures.append(a.taf.closure.reason)

    given = (ConsentKind.GIVEN,)
    assert sum(k == given for k in kinds_in_order) >= 6  # most: the main carer gave consent
    assert kinds_in_order.count((ConsentKind.REFUSED, ConsentKind.GIVEN)) >= 1
    assert () in kinds_in_order  # one family where nothing is recorded yet
    assert second_parents >= 1 and children >= 1 and limited >= 1
    # Every status a newcomer should see, TAFs with several reviews, closures with reasons.
    assert {AssessmentStatus(s) for s in statuses} == set(AssessmentStatus)
    assert statuses.count(AssessmentStatus.DRAFT) >= 2 and max(meetings) >= 4 and len(meetings) >= 3
    assert ClosureReason.CHILD_IN_NEED in closures and ClosureReason.OUTCOMES_ACHIEVED in closures
    assert any(d.review_date_reason and "later than 6 weeks" in d.review for d in completed)
    for done in completed:
        assert problems(done.consent.data, done.background.data) == []
        assert all(not done.gaps(s) for s in Section)
    # demo.practitioner authors the dozen; another practitioner of the locality leads the TAFs.
    in_team = {u for r in records for u, _ in workbook.families.team(family_id=r.id, actor=operator)}
    assert DEMO_PRACTITIONER in in_team and len(in_team) >= 3
    mine = workbook.accounts.actor_for(username=DEMO_PRACTITIONER)
    assert workbook.families.all(actor=mine).total == 12
    # The bulk load wrote the name search's words and each assessment's lead, as one import does.
    for record in records:
        child = record.assessments[-1].sections[Section.BACKGROUND.value].data["children"][0]["name"]
        found = workbook.families.search(query=child.split()[-1].upper(), actor=operator, per_page=200)
        assert record.reference in {f.reference for f in found.items}, child
    caseload = workbook.taf.my_families(actor=mine)
    assert len(caseload.leads) >= 2
    for choice in caseload.leads:
        led = workbook.taf.my_families(actor=mine, lead=choice.token)
        assert 0 < led.total < 12 and {e.lead for e in led.items} == {choice.name}


def test_a_bulk_import_skips_and_counts_a_family_already_here_and_a_child_already_recorded(workbook: Workbook):
    add_demo_accounts(workbook, actor=Actor.system("tests"))
    operator = Actor.system("tests")
    first, second, third = generate_families(count=3, seed=4, today=workbook.today())
    workbook.families.import_record(record=first, actor=operator, author=DEMO_PRACTITIONER)
    # The same child as the second family's first, in another family with its own ids.
    raw = json.loads(third.to_json())
    twin = json.loads(second.to_json())["assessments"][0]["sections"]["background"]["data"]["children"][0]
    raw["assessments"][0]["sections"]["background"]["data"]["children"][0].update(
        name=twin["name"], date_of_birth=twin["date_of_birth"]
    )
    again = parse_record(json.dumps(raw))
    # One batch: the twin is found among the families written earlier in the same transaction.
    tally = workbook.families.import_records(records=[first, second, again], actor=operator, file_authors=True)
    assert (tally.imported, tally.already_here, tally.same_child) == (1, 1, 1)
    assert workbook.families.all(actor=operator).total == 2


def test_every_demo_load_begins_with_the_large_family_whatever_the_seed_and_count(workbook: Workbook):
    today = workbook.today()
    for seed, count in ((1, 1), (7, 12)):
        records = demo_families(count=count, seed=seed, today=today)
        assert records[0].id == LARGE_FAMILY_ID
        assert [r.to_json() for r in records[1:]] == [
            r.to_json() for r in generate_families(count=count, seed=seed, today=today)
        ]
    assert demo_families(count=0, seed=1, today=today) == []


def test_the_large_family_loads_whole_completed_reviewed_and_closed(workbook: Workbook):
    add_people(workbook, {"demo": (DEMO_PRACTITIONER, "practitioner", None)})
    operator = Actor.system("tests")
    today = workbook.today()
    record = demo_families(
        count=1, seed=3, today=today, wording=workbook.assessments.consent_wording, directory=workbook.directory
    )[0]
    workbook.families.import_record(record=record, actor=operator, author=DEMO_PRACTITIONER)
    a = workbook.assessments.open(assessment_id=record.assessments[0].id, actor=operator)
    background = a.background.data

    # The people: two carers, four children (the youngest under two), six professionals.
    assert len(background.carers) == 2 and len(background.professionals) == 6
    assert len(background.children) == 4
    assert min(c.age_on(today) or 0 for c in background.children) < 2
    assert any(not m.name.isascii() for m in background.members())

    # Completed, every section filled in, and closed.
    assert a.status is AssessmentStatus.CLOSED and a.completed_at is not None
    assert all(not a.gaps(s) for s in Section), {s: a.gaps(s) for s in Section if a.gaps(s)}
    carer_words = [v.own_words for v in a.carers.data.views]
    assert max(len(w) for w in carer_words) > 3000 and all("\n\n" in w for w in carer_words)
    assert all(v.view.count("\n\n") >= 1 for v in a.professionals.data.views)

    # Consent: given in writing by the main carer, council storage, some of the professionals, confirmed.
    main = background.main_carer()
    assert main is not None
    decision = a.consent.data.latest(main.id)
    assert decision is not None and decision.kind is ConsentKind.GIVEN and decision.method is ConsentMethod.WRITTEN
    assert decision.council_storage and decision.share_with_professionals
    covered = {r.key for r in decision.recipients}
    assert covered and covered < {p.id for p in background.professionals}
    assert a.consent.data.confirmation_of(decision) is not None

    # Five star readings: first, reviews 1 to 3, closure; mostly up, one area down.
    readings = [s.reading for s in a.star_readings]
    assert [r.occasion.label for r in readings] == ["First reading", "Review 1", "Review 2", "Review 3", "Closure"]
    change = progress(readings[0], readings[-1])
    assert sum(x.change > 0 for x in change.areas if x.change is not None) >= 8
    assert any(x.change is not None and x.change < 0 for x in change.areas)

    # Three finalised TAF meetings with everything a meeting records; the last agrees to close.
    taf = a.taf
    assert taf.lead.current is not None and taf.lead.current.from_on <= taf.meetings[0].meeting.held_on
    assert [m.number for m in taf.meetings] == [1, 2, 3]
    for saved in taf.meetings:
        m = saved.meeting
        assert m.finalised and m.participants and m.minutes and m.family_view and m.child_view
        assert m.progress and all(r.comment for r in m.progress)
    assert all(m.meeting.new_actions and m.meeting.next_review_on for m in taf.meetings[:2])
    assert taf.meetings[2].meeting.closing and taf.meetings[2].meeting.next_review_on is None

    # Two drawings, pictures of the youngest schoolchild's own work.
    (child,) = {w.child_id for w in a.child_work}
    assert len(a.work_of(child)) == 2
    for work in a.work_of(child):
        _, content = workbook.assessments.child_work_file(
            assessment_id=a.assessment_id, attachment_id=work.id, actor=operator
        )
        assert work.is_image and picture_problem(content) is None

    # Closed with a reason, the family's comments and an evaluation; every document can be made.
    assert taf.closure is not None and taf.closure.reason is ClosureReason.OUTCOMES_ACHIEVED
    assert taf.closure.family_comments and taf.closure.evaluation
    choices = workbook.documents.choices(assessment_id=a.assessment_id, actor=operator)
    assert all(c.unavailable is None for c in choices), [c.unavailable for c in choices]
