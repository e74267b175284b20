"""The guidance's "should"s as prompts with a reason, through the services, on SQLite and
PostgreSQL: a review later than 6 weeks with its reason, a child's view not gathered and why;
both exported, imported and checked on import."""

import json

import pytest
from sqlalchemy import text

from eha.actor import Actor
from eha.errors import ImportRefused, NotReadyToComplete, ValidationFailed
from eha.family import AssessmentStatus
from eha.localities import load_localities
from eha.record import parse_record
from eha.views import ChildView, HowGathered
from storage.db import make_engine, upgrade
from storage.services import Workbook
from tests.integration.test_family_record import new_family
from tests.support import AUDIT_KEY
from tests.support.eha import make_ready, review_in, without_import_notes
from tests.support.hostile import HOSTILE

REASON = "The family are away until the end of January; agreed at the visit. " + HOSTILE
NOT_GATHERED = "Zoë's parents and her school agree she needs no support; " + HOSTILE


def holds(value: object, wanted: str) -> bool:
    """Whether `wanted` is one of the texts (or a part of one) anywhere in `value`."""
    if isinstance(value, dict):
        return any(holds(v, wanted) for v in value.values())
    if isinstance(value, list):
        return any(holds(v, wanted) for v in value)
    return isinstance(value, str) and wanted in value


def mark_not_gathered(workbook: Workbook, assessment_id: str, actor: Actor, reason: str) -> None:
    a = workbook.assessments.open(assessment_id=assessment_id, actor=actor)
    child = a.background.data.children[0]
    workbook.assessments.save_child_view(
        assessment_id=assessment_id,
        expected_version=a.children.version,
        view=ChildView(child_id=child.id, not_gathered=True, not_gathered_reason=reason),
        actor=actor,
    )


def test_a_later_review_needs_its_reason_and_is_kept_with_it(workbook: Workbook, sam: Actor, database_url: str):
    _, assessment_id = new_family(workbook, sam)
    make_ready(workbook, assessment_id, sam)
    later = review_in(workbook, 70)
    with pytest.raises(NotReadyToComplete, match=r"more than 6 weeks after completing.*say why"):
        workbook.assessments.complete(assessment_id=assessment_id, review_date=later, actor=sam)
    with pytest.raises(NotReadyToComplete, match="1,000 characters or fewer"):
        workbook.assessments.complete(
            assessment_id=assessment_id, review_date=later, review_date_reason="x" * 1_001, actor=sam
        )
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).status is AssessmentStatus.DRAFT

    workbook.assessments.complete(assessment_id=assessment_id, review_date=later, review_date_reason=REASON, actor=sam)
    done = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert (done.status, done.review_date, done.review_date_reason) == (
        AssessmentStatus.COMPLETED,
        later,
        REASON.strip(),
    )
    assert REASON.strip() in done.review
    with make_engine(database_url).connect() as conn:
        details = conn.execute(
            text("SELECT details FROM audit_log WHERE record = :r AND action = 'changed'"),
            {"r": f"assessment:{assessment_id}"},
        ).scalar_one()
    assert json.loads(details)["review_date_reason"] == REASON.strip()


def test_a_reason_given_with_a_date_within_six_weeks_is_not_kept(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    make_ready(workbook, assessment_id, sam)
    workbook.assessments.complete(
        assessment_id=assessment_id, review_date=review_in(workbook, 42), review_date_reason="left over", actor=sam
    )
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).review_date_reason == ""


def test_a_child_not_gathered_needs_the_reason_then_the_assessment_completes(workbook: Workbook, sam: Actor):
    _, assessment_id = new_family(workbook, sam)
    make_ready(workbook, assessment_id, sam)
    with pytest.raises(ValidationFailed) as refused:
        mark_not_gathered(workbook, assessment_id, sam, "  ")
    assert refused.value.errors == {"not_gathered_reason": "Say why the child's view was not gathered."}
    # make_ready recorded the child's words: ticking "not gathered" over them is refused, not guessed at.
    with pytest.raises(ValidationFailed, match="untick 'not gathered'"):
        a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
        workbook.assessments.save_child_view(
            assessment_id=assessment_id,
            expected_version=a.children.version,
            view=a.children.data.views[0].model_copy(
                update={"not_gathered": True, "not_gathered_reason": NOT_GATHERED}
            ),
            actor=sam,
        )
    mark_not_gathered(workbook, assessment_id, sam, NOT_GATHERED)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    assert a.children.data.views[0].not_gathered_reason == NOT_GATHERED
    assert a.reasons_not_to_complete(review_date=review_in(workbook, 14), today=workbook.today()) == []
    workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 14), actor=sam)


def test_a_view_given_later_replaces_the_note_and_the_audit_keeps_the_note(
    workbook: Workbook, sam: Actor, database_url: str
):
    _, assessment_id = new_family(workbook, sam)
    mark_not_gathered(workbook, assessment_id, sam, NOT_GATHERED)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    note = a.children.data.views[0]
    workbook.assessments.save_child_view(
        assessment_id=assessment_id,
        expected_version=a.children.version,
        # As the screen sends it: the box still ticked, the child's words now typed below.
        view=note.model_copy(
            update={
                "own_words": "I want to walk to school with my friend.",
                "how_gathered": HowGathered.WISHES_AND_FEELINGS,
                "gathered_by": "Sam Worker",
                "gathered_on": workbook.today(),
            }
        ),
        actor=sam,
    )
    view = workbook.assessments.open(assessment_id=assessment_id, actor=sam).children.data.views[0]
    assert (view.not_gathered, view.not_gathered_reason, view.own_words) == (
        False,
        "",
        "I want to walk to school with my friend.",
    )
    with make_engine(database_url).connect() as conn:
        trail = [
            r[0]
            for r in conn.execute(
                text("SELECT details FROM audit_log WHERE record = :r ORDER BY seq"),
                {"r": f"assessment:{assessment_id}/child_views"},
            )
        ]
    # The entry of the change that replaced the note holds the note as it was before.
    assert holds(json.loads(trail[-1]), NOT_GATHERED) and holds(json.loads(trail[-1]), "I want to walk")


def test_both_export_import_and_are_checked_on_import(make_workbook, sam: Actor, tmp_path):
    source = make_workbook()
    family_id, assessment_id = new_family(source, sam)
    make_ready(source, assessment_id, sam)
    a = source.assessments.open(assessment_id=assessment_id, actor=sam)
    child = a.background.data.children[0]
    source.assessments.save_child_view(
        assessment_id=assessment_id,
        expected_version=a.children.version,
        view=ChildView(child_id=child.id, not_gathered=True, not_gathered_reason=NOT_GATHERED),
        actor=sam,
    )
    later = review_in(source, 60)
    source.assessments.complete(assessment_id=assessment_id, review_date=later, review_date_reason=REASON, actor=sam)
    exported = source.families.export(family_id=family_id, actor=sam).to_json()
    doc = json.loads(exported)
    record = doc["assessments"][0]
    assert record["review_date_reason"] == REASON.strip()
    assert record["sections"]["child_views"]["data"]["views"][0]["not_gathered_reason"] == NOT_GATHERED

    def target(name: str) -> Workbook:
        url = f"sqlite:///{tmp_path / name}"
        upgrade(url)
        return Workbook(make_engine(url), localities=load_localities(), audit_key=AUDIT_KEY.encode())

    copy = target("copy.db")
    copy.families.import_record(record=parse_record(exported), actor=sam)
    assert without_import_notes(copy.families.export(family_id=family_id, actor=sam).to_json()) == exported
    assert copy.assessments.open(assessment_id=assessment_id, actor=sam).review_date_reason == REASON.strip()

    no_reason = json.loads(exported)
    no_reason["assessments"][0]["review_date_reason"] = ""
    with pytest.raises(ImportRefused, match=r"assessment 1, 'review_date_reason': The review date is more than 6"):
        target("a.db").families.import_record(record=parse_record(json.dumps(no_reason)), actor=sam)
    bare = json.loads(exported)
    bare["assessments"][0]["sections"]["child_views"]["data"]["views"][0]["not_gathered_reason"] = " "
    with pytest.raises(ImportRefused, match=r"child_views', view 1, 'not_gathered_reason': Say why"):
        target("b.db").families.import_record(record=parse_record(json.dumps(bare)), actor=sam)
    older = json.loads(exported)
    del older["assessments"][0]["review_date_reason"]
    older["assessments"][0]["review_date"] = str(review_in(source, 30))
    target("c.db").families.import_record(record=parse_record(json.dumps(older)), actor=sam)
