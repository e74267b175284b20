"""The demo families a newcomer clicks through, loaded as `eha demo` loads them: consent
histories, contact logs and a completed assessment, each as the screens would have saved it."""

from eha.actor import Actor
from eha.assessment import Section
from eha.consent import ConsentKind, DecisionAnswers, check_decision, current_position, problems
from eha.demo import DEMO_PRACTITIONER, generate_families
from eha.family import AssessmentStatus
from storage.services import Workbook
from tests.support.eha import add_people


def test_a_dozen_demo_families_show_consent_histories_contacts_and_a_completed_assessment(workbook: Workbook):
    add_people(workbook, {"demo": (DEMO_PRACTITIONER, "practitioner", None)})
    operator = Actor.system("tests")
    today = workbook.today()
    records = generate_families(
        count=12, seed=1, today=today, wording=workbook.assessments.consent_wording, directory=workbook.directory
    )
    for record in records:
        workbook.families.import_record(record=record, actor=operator, author=DEMO_PRACTITIONER)

    kinds_in_order, second_parents, children, limited, completed = [], 0, 0, 0, []
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
        if a.status is AssessmentStatus.COMPLETED:
            completed.append(a)

    given = (ConsentKind.GIVEN,)
    assert sum(k == given for k in kinds_in_order) >= 6  # most: the main carer gave consent
    assert kinds_in_order.count((ConsentKind.REFUSED, ConsentKind.GIVEN)) >= 1
    assert () in kinds_in_order  # one family where nothing is recorded yet
    assert second_parents >= 1 and children >= 1 and limited >= 1
    (done,) = completed
    assert done.review_date_reason and "later than 6 weeks" in done.review
    assert problems(done.consent.data, done.background.data) == []
    assert all(not done.gaps(s) for s in Section)
