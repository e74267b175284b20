"""Check your answers and the child's view through AppTest: a review later than 6 weeks with
its reason, and a child's view recorded as not gathered, with the errors beside the fields."""

from datetime import timedelta

from eha.assessment import REVIEW_REASON_LABEL, Section
from eha.family import AssessmentStatus
from tests.support.eha import make_ready
from tests.support.hostile import HOSTILE
from tests.ui.conftest import ACTOR
from tests.ui.test_assessment_pages import eha, red, submit, texts

SHOWN = HOSTILE.replace("\\", "")  # texts() drops the markdown escapes, and with them HOSTILE's own backslash


def test_a_later_review_is_refused_beside_the_reason_until_one_is_given_then_shows_with_it(open_page, workbook, family):
    make_ready(workbook, family[1], ACTOR)
    later = workbook.today() + timedelta(days=63)
    at = open_page("pages/check_answers.py", assessment=family[1])
    at.date_input(key="complete:review_date").set_value(later)
    submit(at, "complete", "Complete the assessment")
    assert eha(workbook, family[1]).status is AssessmentStatus.DRAFT
    beside = [m for m in red(at) if "more than 6 weeks after completing" in m]
    assert len(beside) == 1 and "say why, as agreed with the family" in beside[0]
    summary = next(e.value for e in at.error if e.value.startswith("There is a problem"))
    assert REVIEW_REASON_LABEL in summary
    assert any("more than 6 weeks" in e.value for e in at.error if "has not been completed" in e.value)
    assert at.date_input(key="complete:review_date").value == later  # what was chosen is kept

    at.text_area(key="complete:review_date_reason").input(HOSTILE)
    submit(at, "complete", "Complete the assessment")
    a = eha(workbook, family[1])
    assert (a.status, a.review_date, a.review_date_reason) == (AssessmentStatus.COMPLETED, later, HOSTILE.strip())
    done = next(s.value for s in at.success if s.value.startswith("Completed "))
    assert f"later than 6 weeks: {SHOWN.strip()}" in done.replace("\\", "")
    assert not red(at)
    # Opened afresh, the reason is shown with the review date, and the form is closed.
    at = open_page("pages/check_answers.py", assessment=family[1])
    assert f"{later:%d %B %Y} (later than 6 weeks: {SHOWN.strip()})" in texts(at)
    assert at.text_area(key="complete:review_date_reason").disabled


def test_a_review_within_six_weeks_completes_without_a_reason(open_page, workbook, family):
    make_ready(workbook, family[1], ACTOR)
    at = open_page("pages/check_answers.py", assessment=family[1])
    at.date_input(key="complete:review_date").set_value(workbook.today() + timedelta(days=42))
    submit(at, "complete", "Complete the assessment")
    assert eha(workbook, family[1]).status is AssessmentStatus.COMPLETED and not red(at)


def test_a_child_not_gathered_needs_the_reason_beside_it_then_shows_on_check_your_answers(open_page, workbook, family):
    make_ready(workbook, family[1], ACTOR)
    child = eha(workbook, family[1]).background.data.children[0]
    form = f"child-{child.id}"
    at = open_page("pages/childs_view.py", assessment=family[1])
    at.button(key=f"edit:{child.id}").click().run()
    at.checkbox(key=f"{form}:not_gathered:0").check()
    submit(at, form, "Save")
    # make_ready recorded the child's words: the page says which to do, beside the box.
    assert any("untick 'not gathered'" in m for m in red(at))
    at.text_area(key=f"{form}:own_words:0").input("")
    submit(at, form, "Save")
    assert [m.replace("\\", "") for m in red(at)] == [":red[Say why the child's view was not gathered.]"]
    assert "Why their view was not gathered" in next(e.value for e in at.error if "There is a problem" in e.value)
    unsaved = eha(workbook, family[1]).children.data.for_child(child.id)
    assert unsaved is not None and not unsaved.not_gathered and unsaved.own_words  # nothing was saved

    at.text_area(key=f"{form}:not_gathered_reason:0").input(HOSTILE)
    submit(at, form, "Save")
    view = eha(workbook, family[1]).children.data.for_child(child.id)
    assert view is not None and view.not_gathered and view.not_gathered_reason == HOSTILE
    assert eha(workbook, family[1]).status_of(Section.CHILDREN).value == "complete"

    at = open_page("pages/check_answers.py", assessment=family[1])
    assert f"Not gathered: {HOSTILE.strip()}" in [t.value for t in at.text]
    assert not any("4. Child's view" in m for m in texts(at).splitlines() if m.startswith("- "))
    at.date_input(key="complete:review_date").set_value(workbook.today() + timedelta(days=14))
    submit(at, "complete", "Complete the assessment")
    assert eha(workbook, family[1]).status is AssessmentStatus.COMPLETED


def test_a_view_given_later_replaces_the_not_gathered_note(open_page, workbook, family):
    child = eha(workbook, family[1]).background.data.children[0]
    form = f"child-{child.id}"
    at = open_page("pages/childs_view.py", assessment=family[1])
    at.button(key=f"edit:{child.id}").click().run()
    at.checkbox(key=f"{form}:not_gathered:0").check()
    at.text_area(key=f"{form}:not_gathered_reason:0").input("Needs no support, agreed with the school")
    submit(at, form, "Save")
    at = open_page("pages/childs_view.py", assessment=family[1])
    note = next(i.value for i in at.info if i.value.startswith("Recorded as not gathered"))
    assert "Needs no support, agreed with the school" in note and "replaces this note" in note

    at.button(key=f"edit:{child.id}").click().run()
    at.text_area(key=f"{form}:own_words:0").input("I want to go to football club.")
    at.selectbox(key=f"{form}:how_gathered:0").select_index(0)
    at.text_input(key=f"{form}:gathered_by:0").set_value("Sam Worker")
    at.date_input(key=f"{form}:gathered_on:0").set_value(workbook.today())
    submit(at, form, "Save")
    view = eha(workbook, family[1]).children.data.for_child(child.id)
    assert view is not None and (view.not_gathered, view.own_words) == (False, "I want to go to football club.")
    at = open_page("pages/childs_view.py", assessment=family[1])
    assert not any(i.value.startswith("Recorded as not gathered") for i in at.info)
    at.button(key=f"edit:{child.id}").click().run()
    assert at.checkbox(key=f"{form}:not_gathered:0").value is False
