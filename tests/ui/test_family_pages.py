"""The families, family and background pages through Streamlit's AppTest."""

from datetime import date, timedelta

from eha.background import Child
from storage.services import Workbook
from tests.support.hostile import HOSTILE, LONG
from tests.ui.conftest import ACTOR


def texts(at) -> str:
    return "\n".join(
        [e.value for e in at.markdown]
        + [e.value for e in at.text]
        + [e.value for e in at.caption]
        + [e.value for e in at.title]
        + [e.value for e in at.header]
        + [e.value for e in at.subheader]
    )


def fill_create_form(at, *, carer: str, child: str, born: date) -> None:
    at.text_input(key="create:carer.name").input(carer)
    at.text_input(key="create:carer.relationship").input("Mother")
    at.text_input(key="create:child.name").input(child)
    at.date_input(key="create:dob").set_value(born)
    at.text_area(key="create:address").input("1 High Street\nBanbury")


def test_search_finds_a_family_by_a_childs_name(open_page, workbook, family):
    at = open_page()
    at.text_input(key="search:query").input("ayaan")
    at.button[0].click().run()
    assert "1 family found" in texts(at)
    assert "Ayaan Khan" in texts(at)
    at.text_input(key="search:query").input("nobody-here")
    at.button[0].click().run()
    assert "No family matches" in "\n".join(i.value for i in at.info)


def test_creating_a_family_opens_its_background_section(open_page, workbook: Workbook):
    at = open_page()
    fill_create_form(at, carer="Ioana Popescu", child=HOSTILE, born=date(2019, 5, 1))
    at.button(key="FormSubmitter:create-Create family").click().run()
    assert not at.exception
    families = workbook.families.all(actor=ACTOR)
    assert len(families) == 1
    assert families[0].children == (HOSTILE,)
    assert at.title[0].value == "1. Family background and reason for assessment"


def test_a_known_child_shows_the_existing_family_instead_of_a_duplicate(open_page, workbook, family):
    at = open_page()
    fill_create_form(at, carer="Someone Else", child="ayaan khan", born=date(2017, 9, 14))
    at.button(key="FormSubmitter:create-Create family").click().run()
    reference = workbook.families.get(family_id=family[0], actor=ACTOR).reference
    assert any(reference in w.value for w in at.warning)
    assert any(b.label == f"Open family {reference}" for b in at.button)
    assert len(workbook.families.all(actor=ACTOR)) == 1


def test_create_form_errors_appear_next_to_the_fields(open_page, workbook):
    at = open_page()
    at.date_input(key="create:dob").set_value(date(2027, 1, 1))
    at.button(key="FormSubmitter:create-Create family").click().run()
    summary = at.error[0].value
    assert summary.startswith("There is a problem")
    assert "Main carer" in summary and "Child" in summary
    red = [m.value for m in at.markdown if m.value.startswith(":red[")]
    assert any("today or in the past" in m for m in red)
    assert any("Enter a name" in m for m in red)
    assert workbook.families.all(actor=ACTOR).total == 0


def test_the_family_page_lists_people_and_assessments(open_page, workbook, family):
    at = open_page("pages/family.py", family=family[0])
    shown = texts(at)
    assert "Ayaan Khan" in shown and "Maryam Khan" in shown
    assert "Draft" in shown
    assert any(b.label == "Open" for b in at.button)


def test_background_details_save_and_say_when(open_page, workbook, family):
    at = open_page("pages/background.py", assessment=family[1])
    reason = "Reason with " + HOSTILE + LONG
    at.text_area(key="details:reason:0").input(reason)
    at.button(key="FormSubmitter:form:details-Save").click().run()
    assert not at.exception
    assert any(s.value.startswith("Saved at ") for s in at.success)
    assert workbook.assessments.open(assessment_id=family[1], actor=ACTOR).background.data.reason == reason
    assert at.text_area(key="details:reason:0").value == reason


def test_adding_a_child_with_a_future_birth_date_shows_the_error_and_keeps_the_input(open_page, workbook, family):
    at = open_page("pages/background.py", assessment=family[1])
    assert not at.text_input  # saved people are summaries: no form is open until asked for
    at.button(key="add:child").click().run()
    assert at.query_params["edit"] == "new-child"  # in the URL: a refresh keeps the form open
    at.text_input(key="new-child-0:0:name").input("Amelia Khan")
    at.date_input(key="new-child-0:0:date_of_birth").set_value(workbook.today() + timedelta(days=30))
    at.button(key="FormSubmitter:form:new-child-0:0-Add child").click().run()
    red = [m.value for m in at.markdown if m.value.startswith(":red[")]
    assert any("today or in the past" in m for m in red)
    assert at.text_input(key="new-child-0:0:name").value == "Amelia Khan"
    assert len(workbook.assessments.open(assessment_id=family[1], actor=ACTOR).background.data.children) == 1

    at.date_input(key="new-child-0:0:date_of_birth").set_value(date(2022, 3, 3))
    at.button(key="FormSubmitter:form:new-child-0:0-Add child").click().run()
    children = workbook.assessments.open(assessment_id=family[1], actor=ACTOR).background.data.children
    assert [c.name for c in children] == ["Ayaan Khan", "Amelia Khan"]
    # The form closes; the new child's summary shows what was saved and says so.
    assert not at.text_input
    assert "Date of birth: 03/03/2022" in [t.value.splitlines()[1] for t in at.text if "\n" in t.value]
    assert any(s.value.startswith("Saved at ") for s in at.success)
    # An add form opened again starts afresh; the saved child's own form holds what was saved.
    at.button(key="add:child").click().run()
    assert at.text_input(key="new-child-1:0:name").value == ""
    at.button(key=f"edit:{children[1].id}").click().run()
    assert at.text_input(key=f"{children[1].id}:0:name").value == "Amelia Khan"
    assert at.query_params["edit"] == children[1].id


def test_a_stale_save_is_refused_on_screen_and_keeps_both_versions(open_page, workbook, family):
    at = open_page("pages/background.py", assessment=family[1])
    version = workbook.assessments.open(assessment_id=family[1], actor=ACTOR).background.version
    workbook.assessments.save_details(
        assessment_id=family[1], expected_version=version, address="Their address", reason="Their reason", actor=ACTOR
    )
    at.text_area(key="details:reason:0").input("My reason")
    at.button(key="FormSubmitter:form:details-Save").click().run()
    assert any("changed by someone else since you opened it" in e.value for e in at.error)
    assert at.text_area(key="details:reason:0").value == "My reason"
    assert workbook.assessments.open(assessment_id=family[1], actor=ACTOR).background.data.reason == "Their reason"
    reload = next(b for b in at.button if b.label == "Load the latest version")
    reload.click().run()
    assert at.text_area(key="details:reason:1").value == "Their reason"


def test_removing_a_person_asks_first(open_page, workbook, family):
    view = workbook.assessments.open(assessment_id=family[1], actor=ACTOR)
    extra = Child(name="Baby Khan", born=False, due_date=workbook.today() + timedelta(days=90))
    workbook.assessments.save_member(
        assessment_id=family[1], expected_version=view.background.version, member=extra, actor=ACTOR
    )
    at = open_page("pages/background.py", assessment=family[1])
    at.button(key=f"edit:{extra.id}").click().run()
    at.button(key=f"FormSubmitter:form:{extra.id}:0-Remove child").click().run()
    assert any("Remove Baby Khan" in w.value for w in at.warning)
    assert len(workbook.assessments.open(assessment_id=family[1], actor=ACTOR).background.data.children) == 2
    at.button(key=f"yes-remove:{extra.id}").click().run()
    assert [
        c.name for c in workbook.assessments.open(assessment_id=family[1], actor=ACTOR).background.data.children
    ] == ["Ayaan Khan"]


def test_an_unknown_assessment_in_the_url_is_refused_like_someone_elses_without_crashing(open_page, workbook):
    at = open_page("pages/background.py", assessment="not-a-real-id")
    assert [e.value for e in at.error] == ["You don't have access to this record."]


def test_a_search_that_is_too_long_is_refused_with_a_message_and_the_page_still_opens(open_page, workbook, family):
    at = open_page()
    at.text_input(key="search:query").input("Ayaan " * 200)
    at.button[0].click().run()
    assert not at.exception
    assert "What you searched for must be 1,000 characters or fewer" in "\n".join(e.value for e in at.error)
    assert "Recently changed families" in texts(at)
