"""The record of sharing on its page and on Check your answers (AppTest): a decision made by
another professional, information received, a parent who could not be contacted."""

from __future__ import annotations

from eha.sharing import Answer, ConsentStatus, Decider, Direction, LawfulBasis, Questions, SharingDecision, Told
from storage.services import Workbook
from tests.support.hostile import HOSTILE
from tests.ui.conftest import ACTOR
from tests.ui.test_access_matrix import shown

RECORD = "FormSubmitter:form:sharing:0-Record the decision"


def test_a_decision_made_by_another_professional_is_recorded_with_who_decided_and_who_recorded(
    open_page, workbook: Workbook, family
):
    at = open_page("pages/sharing.py", family=family[0])
    at.radio(key="sharing:0:legitimate_purpose").set_value(Answer.YES).run()
    at.radio(key="sharing:0:consent").set_value(Answer.NO).run()
    at.radio(key="sharing:0:identifiable").set_value(Answer.YES).run()
    at.radio(key="sharing:0:lawful_reason_without_consent").set_value(Answer.YES).run()
    at.radio(key="sharing:0:who").set_value("other").run()
    at.text_input(key="sharing:0:decider_name").input(HOSTILE)
    at.text_input(key="sharing:0:decider_agency").input("Cherwell School")
    at.text_area[0].input("Bruising seen at school on 20/11")
    at.text_input[3].input("MASH")  # the recipient's agency, after the three about who decided
    at.text_area[1].input("Risk of significant harm")
    at.selectbox[0].set_value(LawfulBasis.SAFEGUARDING)
    at.radio(key="sharing:0:consent_status").set_value(ConsentStatus.COULD_NOT_CONTACT)
    at.radio(key="sharing:0:parent_told").set_value(Told.COULD_NOT_CONTACT)
    at.text_area(key="sharing:0:parent_not_told_reason").input("Phoned twice and visited")
    at.radio(key="sharing:0:child_told").set_value(Told.NO)
    at.text_area(key="sharing:0:child_not_told_reason").input("Too young to understand")
    at.button(key=RECORD).click().run()
    # The role of who decided is missing: said on the form, nothing recorded.
    assert any("Say their role" in m.value for m in at.markdown)
    assert workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions == ()
    at.text_input(key="sharing:0:decider_role").input("Designated safeguarding lead")
    at.button(key=RECORD).click().run()
    assert not at.exception
    (item,) = workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions
    assert item.decision.decided_by == Decider(
        name=HOSTILE, role="Designated safeguarding lead", agency="Cherwell School"
    )
    assert (item.decision.consent, item.decision.parent_told, item.decision.child_told) == (
        ConsentStatus.COULD_NOT_CONTACT,
        Told.COULD_NOT_CONTACT,
        Told.NO,
    )
    page = shown(at)
    assert "Shared by us · Share" in page
    assert f"Decided by {HOSTILE}, Designated safeguarding lead, Cherwell School; recorded by Demo" in page
    assert "Parent: could not be contacted: Phoned twice and visited" in page
    assert "Child: not told: Too young to understand" in page


def test_information_received_is_recorded_without_the_questions(open_page, workbook: Workbook, family):
    at = open_page("pages/sharing.py", family=family[0])
    at.radio(key="sharing:0:direction").set_value(Direction.IN).run()
    assert not [r for r in at.radio if r.key and r.key.endswith(":legitimate_purpose")]
    assert "recorded, not decided" in shown(at)
    at.text_area[0].input("A police notification of a domestic incident")
    at.text_area[1].input("For the TAF to know")
    at.button(key="FormSubmitter:form:sharing:0-Record the information received").click().run()
    assert any("Say who sent it" in m.value for m in at.markdown)
    at.text_input(key="sharing:0:received_from_agency").input("Thames Valley Police")
    at.button(key="FormSubmitter:form:sharing:0-Record the information received").click().run()
    assert not at.exception
    (item,) = workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions
    assert item.decision.direction is Direction.IN and item.decision.questions == Questions()
    page = shown(at)
    assert "Received from another agency · Received" in page
    assert "From: Thames Valley Police" in page


def test_check_your_answers_lists_the_family_record_of_sharing(open_page, workbook: Workbook, family):
    at = open_page("pages/check_answers.py", assessment=family[1])
    assert "Record of sharing · 0 recorded" in shown(at)
    workbook.sharing.record_decision(
        family_id=family[0],
        decision=SharingDecision(
            decided_on=workbook.today(),
            decided_by=Decider(name="Ann Lee", role="Designated safeguarding lead", agency="Cherwell School"),
            information="Attendance",
            recipient="Dr Okafor",
            recipient_agency="GP surgery",
            purpose="Health plan",
            questions=Questions(legitimate_purpose=Answer.NO, consent=Answer.NO),
            consent=ConsentStatus.NOT_GIVEN,
        ),
        actor=ACTOR,
    )
    at = open_page("pages/check_answers.py", assessment=family[1])
    page = shown(at)
    assert "Record of sharing · 1 recorded" in page
    assert (
        f"{workbook.today():%d/%m/%Y} · Shared by us · Do not share · with Dr Okafor, GP surgery · "
        "Decided by Ann Lee, Designated safeguarding lead, Cherwell School; recorded by Demo (demo.practitioner)"
    ) in page
    assert any(link.label == "See the record of sharing" for link in at.get("page_link"))
