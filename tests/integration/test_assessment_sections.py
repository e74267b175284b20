"""The whole EHA through the service layer, on SQLite and on a real PostgreSQL."""

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from eha.actor import Actor, Role, TeamRole
from eha.assessment import Section
from eha.consent import ConsentKind, ConsentMethod, ConsentWording, DecisionAnswers, coverage
from eha.errors import (
    AccessDenied,
    ActiveAssessmentExists,
    ConsentWithdrawn,
    ImportRefused,
    NotReadyToComplete,
    StaleRecord,
    ValidationFailed,
)
from eha.family import AssessmentStatus, SectionStatus
from eha.plan import DesiredOutcome, PlanAction
from eha.recipients import Recipient, RecipientKind, professional_recipient
from eha.record import parse_record
from eha.threshold import SameDayConcern, ThresholdLevel
from eha.views import CarerView, ChildView, HowGathered, ProfessionalView
from storage.db import make_engine, upgrade
from storage.services import Workbook
from tests.integration.test_family_record import new_family
from tests.support import AUDIT_KEY
from tests.support.eha import (
    TINY_PDF,
    add_professional,
    give_consent,
    make_ready,
    review_in,
    tiny_png,
    without_import_notes,
)
from tests.support.hostile import HOSTILE, LONG


def test_a_new_assessment_has_every_section_not_started_except_the_background(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert a.status_of(Section.BACKGROUND) is SectionStatus.IN_PROGRESS
    for section in (Section.CARERS, Section.STAR, Section.CHILDREN, Section.PLAN, Section.CONSENT):
        assert a.status_of(section) is SectionStatus.NOT_STARTED, section
    # No professionals named yet: nothing to ask for in section 5.
    assert a.status_of(Section.PROFESSIONALS) is SectionStatus.COMPLETE
    assert "the threshold of need level" in a.gaps(Section.BACKGROUND)
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).star_status is SectionStatus.NOT_STARTED


def test_hostile_and_long_text_round_trips_in_every_free_text_field(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    professional_id = add_professional(workbook, assessment_id, sam)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    carer, child = a.background.data.carers[0], a.background.data.children[0]
    big = HOSTILE + LONG
    carer_view = CarerView(
        carer_id=carer.id, own_words=big, going_well=big, worries=big, would_like_to_change=big, not_given_reason=big
    )
    child_view = ChildView(
        child_id=child.id,
        own_words=big,
        observation=big,
        how_gathered=HowGathered.OTHER,
        how_gathered_other=HOSTILE,
        gathered_by=HOSTILE[:200],
        gathered_on=workbook.today(),
    )
    pro_view = ProfessionalView(
        professional_id=professional_id,
        agency=HOSTILE,
        role=HOSTILE,
        view=big,
        may_receive_others=HOSTILE,
        not_given_reason=big,
    )
    outcome = DesiredOutcome(text=HOSTILE)
    action = PlanAction(action=big, who=HOSTILE, by_when=workbook.today(), outcome_id=outcome.id)
    workbook.assessments.save_carer_view(assessment_id=assessment_id, expected_version=0, view=carer_view, actor=sam)
    workbook.assessments.save_child_view(assessment_id=assessment_id, expected_version=0, view=child_view, actor=sam)
    workbook.assessments.save_professional_view(
        assessment_id=assessment_id, expected_version=0, view=pro_view, actor=sam
    )
    v = workbook.assessments.save_analysis(
        assessment_id=assessment_id, expected_version=0, analysis=big, actor=sam
    ).version
    v = workbook.assessments.save_outcome(
        assessment_id=assessment_id, expected_version=v, outcome=outcome, actor=sam
    ).version
    workbook.assessments.save_action(assessment_id=assessment_id, expected_version=v, action=action, actor=sam)
    named = professional_recipient(
        workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.data.professionals[0]
    )
    given = DecisionAnswers(
        person_id=carer.id,
        kind=ConsentKind.GIVEN,
        method=ConsentMethod.VERBAL,
        decided_on=workbook.today(),
        share_with_professionals=True,
        recipients=(named,),
        must_not_see_text=HOSTILE,
        signed_consent_held_by=HOSTILE[:200],
        explained=big,
        council_storage=True,
    )
    v = workbook.assessments.record_consent_decision(
        assessment_id=assessment_id, expected_version=0, decision=given, actor=sam
    ).version
    workbook.assessments.record_consent_decision(
        assessment_id=assessment_id,
        expected_version=v,
        decision=DecisionAnswers(
            person_id=carer.id,
            kind=ConsentKind.WITHDRAWN,
            method=ConsentMethod.WRITTEN,
            decided_on=workbook.today(),
            explained=big,
        ),
        actor=sam,
    )
    t = workbook.assessments.open(assessment_id=assessment_id, actor=sam).threshold
    v = workbook.assessments.record_same_day_concerns(
        assessment_id=assessment_id,
        expected_version=t.version,
        concerns=(SameDayConcern.ABUSE,),
        note=big,
        actor=sam,
    ).version

    after = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert after.carers.data.views == (carer_view,)
    assert after.children.data.views == (child_view,)
    assert after.professionals.data.views == (pro_view,)
    assert after.plan.data.analysis == big
    assert after.plan.data.outcomes == (outcome,) and after.plan.data.actions == (action,)
    first, withdrawal = after.consent.data.decisions
    assert first.explained == big and first.must_not_see_text == HOSTILE and first.recipients == (named,)
    assert first.signed_consent_held_by == HOSTILE[:200]
    assert withdrawal.kind is ConsentKind.WITHDRAWN and withdrawal.explained == big
    assert after.threshold.data.mash_log[-1].note == big


def test_each_section_refuses_a_stale_save_and_keeps_the_first(make_workbook, sam: Actor):
    mine, theirs = make_workbook(), make_workbook()
    _, assessment_id = new_family(mine, sam)
    carer = mine.assessments.open(assessment_id=assessment_id, actor=sam).background.data.carers[0]
    theirs.assessments.save_carer_view(
        assessment_id=assessment_id,
        expected_version=0,
        view=CarerView(carer_id=carer.id, own_words="Theirs"),
        actor=sam,
    )
    with pytest.raises(StaleRecord, match="parents' and carers' views was changed by someone else"):
        mine.assessments.save_carer_view(
            assessment_id=assessment_id,
            expected_version=0,
            view=CarerView(carer_id=carer.id, own_words="Mine"),
            actor=sam,
        )
    v = theirs.assessments.save_analysis(
        assessment_id=assessment_id, expected_version=0, analysis="Theirs", actor=sam
    ).version
    with pytest.raises(StaleRecord):
        mine.assessments.save_analysis(assessment_id=assessment_id, expected_version=0, analysis="Mine", actor=sam)
    with pytest.raises(StaleRecord):
        mine.assessments.save_threshold(
            assessment_id=assessment_id, expected_version=5, level=None, started_on=mine.today(), actor=sam
        )
    a = mine.assessments.open(assessment_id=assessment_id, actor=sam)
    assert a.carers.data.views[0].own_words == "Theirs"
    assert a.plan.data.analysis == "Theirs" and a.plan.version == v


def test_completion_is_refused_with_every_reason_then_allowed_with_a_review_date_within_six_weeks(
    workbook: Workbook, sam: Actor, clock
):
    _, assessment_id = new_family(workbook, sam)
    with pytest.raises(NotReadyToComplete) as caught:
        workbook.assessments.complete(assessment_id=assessment_id, review_date=None, actor=sam)
    reasons = "\n".join(caught.value.reasons)
    for expected in (
        "1. Family background: the threshold of need level",
        "1. Family background: the reason for the assessment",
        "2. Parents' and carers' views",
        "4. Child's view",
        "6. Summary, plan and next steps: the analysis",
        "Consent: consent has not been recorded",
        "Set a review date",
    ):
        assert expected in reasons

    make_ready(workbook, assessment_id, sam)
    for bad, message in ((review_in(workbook, 43), "more than 6 weeks"), (review_in(workbook, -1), "today or later")):
        with pytest.raises(NotReadyToComplete, match=message):
            workbook.assessments.complete(assessment_id=assessment_id, review_date=bad, actor=sam)
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).status is AssessmentStatus.DRAFT

    clock.offset += timedelta(minutes=3)
    workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 42), actor=sam)
    done = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert done.status is AssessmentStatus.COMPLETED
    assert (done.completed_at, done.completed_by, done.review_date) == (
        clock(),
        "sam.worker",
        review_in(workbook, 42),
    )
    with pytest.raises(NotReadyToComplete, match="already completed"):
        workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 7), actor=sam)


def test_a_same_day_concern_stops_the_route_is_logged_and_needs_the_mash_advice_to_clear(
    workbook: Workbook, sam: Actor, clock
):
    _, assessment_id = new_family(workbook, sam)
    make_ready(workbook, assessment_id, sam)
    v = workbook.assessments.open(assessment_id=assessment_id, actor=sam).threshold.version
    v = workbook.assessments.record_same_day_concerns(
        assessment_id=assessment_id,
        expected_version=v,
        concerns=(SameDayConcern.FRIGHTENED_TO_GO_HOME,),
        note="",
        actor=sam,
    ).version
    with pytest.raises(NotReadyToComplete, match="same working day concern"):
        workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 7), actor=sam)
    with pytest.raises(ValidationFailed) as caught:
        workbook.assessments.record_same_day_concerns(
            assessment_id=assessment_id, expected_version=v, concerns=(), note=" ", actor=sam
        )
    assert "what the MASH advised" in caught.value.errors["note"]
    clock.offset += timedelta(hours=2)
    kit = Actor(username="kit.lead", display_name="Kit", role=Role.PRACTITIONER)
    # Kit leads the family's TAF: a colleague on the family's team, so the record is in scope.
    family_id = workbook.families.of_assessment(assessment_id=assessment_id, actor=sam)
    workbook.families.add_to_team(family_id=family_id, username=kit.username, team_role=TeamRole.LEAD, actor=sam)
    workbook.assessments.record_same_day_concerns(
        assessment_id=assessment_id,
        expected_version=v,
        concerns=(),
        note="MASH: no further action, continue with early help.",
        actor=kit,
    )
    log = workbook.assessments.open(assessment_id=assessment_id, actor=sam).threshold.data.mash_log
    assert [(e.kind, e.by) for e in log] == [("stopped", "sam.worker"), ("resumed", "kit.lead")]
    assert log[0].concerns == (SameDayConcern.FRIGHTENED_TO_GO_HOME,) and log[1].at == clock()
    workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 7), actor=sam)


def test_level_four_is_not_early_help_and_a_future_start_date_is_refused(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    make_ready(workbook, assessment_id, sam)
    v = workbook.assessments.open(assessment_id=assessment_id, actor=sam).threshold.version
    with pytest.raises(ValidationFailed) as caught:
        workbook.assessments.save_threshold(
            assessment_id=assessment_id,
            expected_version=v,
            level=ThresholdLevel.COMPLEX,
            started_on=workbook.today() + timedelta(days=1),
            actor=sam,
        )
    assert "started_on" in caught.value.errors
    workbook.assessments.save_threshold(
        assessment_id=assessment_id,
        expected_version=v,
        level=ThresholdLevel.CRITICAL,
        started_on=date(2026, 11, 1),
        actor=sam,
    )
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).started_on == date(2026, 11, 1)
    with pytest.raises(NotReadyToComplete, match="social care, not early help"):
        workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 7), actor=sam)


def test_each_decision_keeps_the_wording_it_saw_and_a_withdrawal_stops_completing_and_sharing(
    make_workbook, sam: Actor
):
    first = make_workbook()
    _, assessment_id = new_family(first, sam)
    make_ready(first, assessment_id, sam)
    original = first.assessments.consent_wording
    main = first.assessments.open(assessment_id=assessment_id, actor=sam).background.data.carers[0]
    # The council changes the wording later: a new server reads the new configuration.
    later = make_workbook()
    later.assessments.consent_wording = ConsentWording(version="2027-1", text="New wording <b>&</b>")
    a = later.assessments.open(assessment_id=assessment_id, actor=sam)
    later.assessments.record_consent_decision(
        assessment_id=assessment_id,
        expected_version=a.consent.version,
        decision=DecisionAnswers(
            person_id=main.id,
            kind=ConsentKind.WITHDRAWN,
            method=ConsentMethod.VERBAL,
            decided_on=later.today(),
            explained="Sharing with the school and the GP stops.",
        ),
        actor=sam,
    )
    with pytest.raises(ConsentWithdrawn, match="Agnieszka Nowak withdrew consent on 22 November 2026"):
        later.assessments.complete(assessment_id=assessment_id, review_date=review_in(later, 7), actor=sam)
    a = later.assessments.open(assessment_id=assessment_id, actor=sam)
    given, withdrawn = a.consent.data.decisions
    assert given.wording == original and withdrawn.wording.version == "2027-1"
    assert a.status_of(Section.CONSENT) is SectionStatus.IN_PROGRESS
    pro = a.professionals.data.views[0]
    with pytest.raises(ValidationFailed) as caught:
        later.assessments.save_professional_view(
            assessment_id=assessment_id,
            expected_version=a.professionals.version,
            view=pro.model_copy(update={"may_receive": (pro.professional_id,)}),
            actor=sam,
        )
    assert "cannot be shared: Agnieszka Nowak withdrew consent" in caught.value.errors["may_receive"]
    hub = Recipient(kind=RecipientKind.DIRECTORY, key="early-help-hub", name="Early Help Hub")
    assert not coverage(a.consent.data, hub, directory=later.directory, background=a.background.data).covered

    # Consent sought afresh: a new decision, with the wording of now, confirmed at the end.
    give_consent(later, assessment_id, sam, person_id=main.id, on=later.today(), confirm=True, recipients=(hub,))
    again = later.assessments.open(assessment_id=assessment_id, actor=sam)
    assert [d.kind for d in again.consent.data.decisions] == [
        ConsentKind.GIVEN,
        ConsentKind.WITHDRAWN,
        ConsentKind.GIVEN,
    ]
    assert again.consent.data.decisions[:2] == (given, withdrawn)
    housing = Recipient(kind=RecipientKind.DIRECTORY, key="housing", name="District Council Housing")
    assert coverage(again.consent.data, housing, directory=later.directory, background=again.background.data).covered
    later.assessments.complete(assessment_id=assessment_id, review_date=review_in(later, 7), actor=sam)


def test_a_refusal_is_recorded_and_the_main_carers_consent_is_essential_to_complete(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    make_ready(workbook, assessment_id, sam)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    main = a.background.data.carers[0]
    with pytest.raises(ValidationFailed) as caught:
        workbook.assessments.record_consent_decision(
            assessment_id=assessment_id,
            expected_version=a.consent.version,
            decision=DecisionAnswers(person_id=main.id, kind=ConsentKind.REFUSED, decided_on=workbook.today()),
            actor=sam,
        )
    assert set(caught.value.errors) == {"method", "explained"}
    workbook.assessments.record_consent_decision(
        assessment_id=assessment_id,
        expected_version=a.consent.version,
        decision=DecisionAnswers(
            person_id=main.id,
            kind=ConsentKind.REFUSED,
            method=ConsentMethod.VERBAL,
            decided_on=workbook.today(),
            explained="What the assessment is and who would see it.",
        ),
        actor=sam,
    )
    refused = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert refused.consent.version == a.consent.version + 1 and len(refused.consent.data.decisions) == 2
    with pytest.raises(NotReadyToComplete) as not_ready:
        workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 7), actor=sam)
    assert any("refused verbally on" in r and "essential" in r for r in not_ready.value.reasons)
    with pytest.raises(ValidationFailed) as mistaken:
        workbook.assessments.confirm_consent(
            assessment_id=assessment_id,
            expected_version=refused.consent.version,
            decision_id=refused.consent.data.decisions[-1].id,
            confirmed_on=workbook.today(),
            actor=sam,
        )
    assert "Only consent given" in mistaken.value.errors[""]
    # Recorded for the wrong family: marked, kept, and no longer counted.
    workbook.assessments.mark_consent_decision_in_error(
        assessment_id=assessment_id,
        expected_version=refused.consent.version,
        decision_id=refused.consent.data.decisions[-1].id,
        reason="Recorded on the wrong family's assessment.",
        actor=sam,
    )
    workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 7), actor=sam)
    done = workbook.assessments.open(assessment_id=assessment_id, actor=sam).consent.data
    assert len(done.decisions) == 2 and done.in_error[0].reason == "Recorded on the wrong family's assessment."


def test_only_one_active_assessment_and_a_new_one_copies_the_latest_background(
    workbook: Workbook, sam: Actor, database_url
):
    family_id, assessment_id = new_family(workbook, sam)
    v = workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.version
    workbook.assessments.save_details(
        assessment_id=assessment_id, expected_version=v, address="A", reason=HOSTILE, actor=sam
    )
    with pytest.raises(ActiveAssessmentExists) as caught:
        workbook.assessments.start(family_id=family_id, actor=sam)
    assert caught.value.assessment_id == assessment_id
    assert "Draft" in str(caught.value) and "led by sam.worker" in str(caught.value)

    engine = make_engine(database_url)
    with engine.begin() as conn:  # closing a TAF belongs to another part of the workbook
        conn.execute(text("UPDATE assessments SET status='closed' WHERE id=:id"), {"id": assessment_id})
    engine.dispose()
    with pytest.raises(ValidationFailed, match="closed"):
        workbook.assessments.save_analysis(assessment_id=assessment_id, expected_version=0, analysis="x", actor=sam)

    new_id = workbook.assessments.start(family_id=family_id, actor=sam)
    new = workbook.assessments.open(assessment_id=new_id, actor=sam)
    assert new.status is AssessmentStatus.DRAFT and new.started_on == workbook.today()
    assert new.background.data == workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.data
    assert new.background.data.reason == HOSTILE
    assert new.plan.version == 0 and new.consent.data.decisions == ()
    with pytest.raises(ActiveAssessmentExists):
        workbook.assessments.start(family_id=family_id, actor=sam)


def test_childs_work_is_checked_by_content_and_size_and_round_trips_through_export(make_workbook, sam: Actor, tmp_path):
    source = make_workbook()
    source.assessments.upload_limit = 64 * 1024
    family_id, assessment_id = new_family(source, sam)
    child = source.assessments.open(assessment_id=assessment_id, actor=sam).background.data.children[0]
    with pytest.raises(ValidationFailed, match="PNG or JPEG, or a PDF"):
        source.assessments.add_child_work(
            assessment_id=assessment_id, child_id=child.id, filename="drawing.png", content=b"<html>", actor=sam
        )
    with pytest.raises(ValidationFailed, match="must be 64 KB or smaller"):
        source.assessments.add_child_work(
            assessment_id=assessment_id,
            child_id=child.id,
            filename="big.png",
            content=tiny_png() + b"\0" * 70_000,
            actor=sam,
        )
    png = source.assessments.add_child_work(
        assessment_id=assessment_id,
        child_id=child.id,
        filename="C:\\Users\\sam/<i>house & 😀.png",
        content=tiny_png(),
        actor=sam,
    )
    pdf = source.assessments.add_child_work(
        assessment_id=assessment_id, child_id=child.id, filename="wishes.pdf", content=TINY_PDF, actor=sam
    )
    assert (png.media_type, png.filename, png.is_image) == ("image/png", "<i>house & 😀.png", True)
    assert (
        source.assessments.child_work_file(assessment_id=assessment_id, attachment_id=pdf.id, actor=sam)[1] == TINY_PDF
    )
    make_ready(source, assessment_id, sam)
    source.assessments.complete(assessment_id=assessment_id, review_date=review_in(source, 10), actor=sam)
    exported = source.families.export(family_id=family_id, actor=sam).to_json()

    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(empty_url)
    from eha.localities import load_localities

    target = Workbook(make_engine(empty_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    target.families.import_record(record=parse_record(exported), actor=sam)
    assert without_import_notes(target.families.export(family_id=family_id, actor=sam).to_json()) == exported
    assert (
        target.assessments.child_work_file(assessment_id=assessment_id, attachment_id=png.id, actor=sam)[1]
        == tiny_png()
    )
    assert target.assessments.open(assessment_id=assessment_id, actor=sam).status is AssessmentStatus.COMPLETED

    source.assessments.remove_child_work(assessment_id=assessment_id, attachment_id=pdf.id, actor=sam)
    assert [w.id for w in source.assessments.open(assessment_id=assessment_id, actor=sam).child_work] == [png.id]


def test_an_import_with_a_disguised_attachment_is_refused(make_workbook, sam: Actor, tmp_path):
    source = make_workbook()
    family_id, assessment_id = new_family(source, sam)
    child = source.assessments.open(assessment_id=assessment_id, actor=sam).background.data.children[0]
    source.assessments.add_child_work(
        assessment_id=assessment_id, child_id=child.id, filename="a.png", content=tiny_png(), actor=sam
    )
    record = source.families.export(family_id=family_id, actor=sam)
    import base64
    import json

    raw = json.loads(record.to_json())
    script = b"#!/bin/sh\nrm -rf /\n"
    raw["assessments"][0]["attachments"][0] |= {"data_base64": base64.b64encode(script).decode(), "size": len(script)}
    empty_url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(empty_url)
    from eha.localities import load_localities

    target = Workbook(make_engine(empty_url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    with pytest.raises(ImportRefused, match=r"attachment 1, 'file': The file must be a photo"):
        target.families.import_record(record=parse_record(json.dumps(raw)), actor=sam)
    assert target.families.all(actor=sam).total == 0


def test_people_without_a_case_role_cannot_open_or_change_the_assessment(workbook: Workbook, sam: Actor):
    family_id, assessment_id = new_family(workbook, sam)
    admin = Actor(username="ada.admin", display_name="Ada", role=Role.ADMIN)
    for call in (
        lambda: workbook.assessments.open(assessment_id=assessment_id, actor=admin),
        lambda: workbook.assessments.open(assessment_id=assessment_id, actor=admin).star_status,
        lambda: workbook.assessments.save_analysis(
            assessment_id=assessment_id, expected_version=0, analysis="x", actor=admin
        ),
        lambda: workbook.assessments.start(family_id=family_id, actor=admin),
        lambda: workbook.assessments.complete(assessment_id=assessment_id, review_date=None, actor=admin),
    ):
        with pytest.raises(AccessDenied):
            call()
