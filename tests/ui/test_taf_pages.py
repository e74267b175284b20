"""The Team Around the Family pages through Streamlit's AppTest: the TAF page, a meeting written
up part by part and finalised, closing, and My families."""

from datetime import timedelta

from eha.family import AssessmentStatus
from eha.taf import ActionProgress, LeadProfessional, Participant
from star import CompletedBy, OccasionKind
from storage.services import Workbook
from tests.support.eha import make_ready
from tests.support.hostile import HOSTILE
from tests.ui.conftest import ACTOR
from tests.ui.test_assessment_pages import red, submit, texts


def shown_errors(at) -> str:
    """The messages beside the fields, as the person reads them (markdown escapes dropped)."""
    return " ".join(red(at)).replace("\\", "")


def complete(workbook: Workbook, assessment_id: str) -> None:
    make_ready(workbook, assessment_id, ACTOR)
    workbook.assessments.complete(
        assessment_id=assessment_id, review_date=workbook.today() + timedelta(days=28), actor=ACTOR
    )


def test_the_taf_page_of_a_draft_says_meetings_come_after_completion(open_page, family):
    at = open_page("pages/taf.py", assessment=family[1])
    assert "once the assessment is completed" in texts(at)
    assert not [b for b in at.button if b.label.startswith("Record TAF meeting")]


def test_agreeing_the_lead_and_recording_the_first_meeting(open_page, workbook, family):
    complete(workbook, family[1])
    at = open_page("pages/taf.py", assessment=family[1])
    assert "No lead professional agreed yet" in texts(at)
    submit(at, "lead-0", "Agree the lead professional")
    assert "Enter the lead professional's name." in shown_errors(at)
    assert "There is a problem" in texts(at)
    at.text_input(key="lead-0:name").input(HOSTILE[:200])
    at.text_input(key="lead-0:agency").input("School")
    at.text_input(key="lead-0:role").input("SENCo")
    submit(at, "lead-0", "Agree the lead professional")
    assert workbook.assessments.open(assessment_id=family[1], actor=ACTOR).taf.lead.current.lead.name == HOSTILE[:200]
    assert at.dataframe[0].value["Name"].tolist() == [HOSTILE[:200]]

    at.text_input(key="taf-start:where").input("At school")
    submit(at, "taf-start", "Record TAF meeting 1")
    assert not at.exception
    taf = workbook.assessments.open(assessment_id=family[1], actor=ACTOR).taf
    assert taf.status is AssessmentStatus.TAF_ACTIVE and len(taf.meetings) == 1


def test_a_meeting_is_written_up_part_by_part_and_finalised(open_page, workbook, family):
    complete(workbook, family[1])
    version = workbook.assessments.open(assessment_id=family[1], actor=ACTOR).taf.lead_version
    workbook.taf.agree_lead_professional(
        assessment_id=family[1],
        expected_version=version,
        lead=LeadProfessional(name="Jo", agency="School", role="SENCo"),
        from_on=workbook.today(),
        actor=ACTOR,
    )
    m = workbook.taf.start_meeting(assessment_id=family[1], held_on=workbook.today(), where="School", actor=ACTOR)
    at = open_page("pages/taf_meeting.py", assessment=family[1], meeting=m.meeting_id)
    assert at.title[0].value == "TAF meeting 1"
    assert "Morning routine chart" in texts(at)

    finalise = next(b for b in at.button if b.label == "Finalise the meeting record")
    finalise.click().run()
    assert "Still needed before the meeting can be finalised" in texts(at)

    at.text_input(key=f"new-person-0:name:{m.version}").input("Maryam Khan")
    submit(at, "new-person-0", "Add person")
    v = m.version + 1
    for field in ("family_view", "child_view", "working_well", "worries"):
        at.text_area(key=f"views:{field}:{v}").input(HOSTILE)
    submit(at, "views", "Save the views")
    v += 1
    at.selectbox(key=f"progress:{m.meeting.progress[0].action.id}:state:{v}").set_value(ActionProgress.IN_PROGRESS)
    submit(at, "progress", "Save progress")
    v += 1
    # Twelve weeks and a day on, without a reason: refused beside the field.
    at.date_input(key=f"next-review:next_review_on:{v}").set_value(workbook.today() + timedelta(days=85))
    submit(at, "next-review", "Save the next review")
    assert "more than 12 weeks" in shown_errors(at)
    at.date_input(key=f"next-review:next_review_on:{v}").set_value(workbook.today() + timedelta(days=42))
    submit(at, "next-review", "Save the next review")
    v += 1
    at.text_area(key=f"minutes:minutes:{v}").input("We agreed to keep going.")
    submit(at, "minutes", "Save the minutes")
    next(b for b in at.button if b.label == "Finalise the meeting record").click().run()
    assert not at.exception, at.exception

    meeting = workbook.assessments.open(assessment_id=family[1], actor=ACTOR).taf.meetings[0].meeting
    assert meeting.finalised and meeting.family_view == HOSTILE
    assert meeting.participants == (Participant(id=meeting.participants[0].id, name="Maryam Khan"),)
    assert "can be read but no longer changed" in texts(at)
    # Read as text now, with no form, shown exactly as typed: never as markdown.
    assert not at.text_area and not at.text_input
    assert any(t.value.startswith("The family's view at this meeting") and HOSTILE in t.value for t in at.text)


def test_closing_the_taf_through_the_page(open_page, workbook, family):
    complete(workbook, family[1])
    at = open_page("pages/taf_close.py", assessment=family[1])
    submit(at, "close", "Close the TAF")
    errors = shown_errors(at)
    assert "Choose why the TAF is closing." in errors and "Enter your evaluation." in errors
    at.radio(key="close:reason").set_value(at.radio(key="close:reason").options[1])
    at.text_area(key="close:family_comments").input(HOSTILE)
    at.text_area(key="close:evaluation").input("Good work.")
    submit(at, "close", "Close the TAF")
    assert "Record whether the family consented" in shown_errors(at)
    at.text_input(key="close:new_area").input("Swindon")
    at.radio(key="close:consent").set_value("Yes")
    submit(at, "close", "Close the TAF")
    taf = workbook.assessments.open(assessment_id=family[1], actor=ACTOR).taf
    assert taf.status is AssessmentStatus.CLOSED
    assert taf.closure is not None and taf.closure.family_comments == HOSTILE
    assert HOSTILE.strip() in [t.value for t in at.text]
    assert "The family consented" in texts(at)


def test_my_families_marks_an_overdue_review_in_words(open_page, workbook, family, clock):
    complete(workbook, family[1])
    clock.offset = timedelta(days=30)
    at = open_page("pages/my_families.py")
    assert at.title[0].value == "My families"
    assert "1 overdue" in texts(at)
    badges = [m.value for m in at.markdown if "badge[" in m.value]
    assert any("Review overdue by 2 days" in b and "warning" in b for b in badges), badges
    assert "Lead professional: not agreed yet" in texts(at)
    assert any(p.label == "My families" for p in at.sidebar.get("page_link"))


def test_an_lcss_reviewer_sees_their_localitys_families_and_an_admin_none(open_page, workbook, family):
    at = open_page("pages/my_families.py", as_="lcss.central")
    assert "1 family" in texts(at)
    at = open_page("pages/my_families.py", as_="lcss.north")
    assert "No families yet" in texts(at)
    at = open_page("pages/my_families.py", as_="ada.admin")
    assert "You don't have access to this record." in texts(at)


def test_the_star_chart_shows_the_first_reading_against_the_latest_review(open_page, workbook, family):
    complete(workbook, family[1])
    today = workbook.today()
    first = workbook.star.start(
        assessment_id=family[1],
        taken_on=today - timedelta(days=3),
        occasion=OccasionKind.FIRST,
        completed_by=CompletedBy.TOGETHER,
        actor=ACTOR,
    )
    m = workbook.taf.start_meeting(assessment_id=family[1], held_on=today, where="School", actor=ACTOR)
    at = open_page("pages/taf_meeting.py", assessment=family[1], meeting=m.meeting_id)
    next(b for b in at.button if b.label == "Score the star with the family for review 1").click().run()
    assert not at.exception, at.exception
    review = next(
        r
        for r in workbook.assessments.open(assessment_id=family[1], actor=ACTOR).star_readings
        if r.reading.occasion.review_number == 1
    )
    assert review.reading.taken_on == today
    at = open_page("pages/star_chart.py", assessment=family[1])
    assert at.multiselect(key=f"star-chart:{family[1]}").value == [first.reading.id, review.reading.id]
    at = open_page("pages/taf_meeting.py", assessment=family[1], meeting=m.meeting_id)
    assert any(p.label == "Open the review 1 reading" for p in at.get("page_link"))
