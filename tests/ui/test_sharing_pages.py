"""The record of sharing on its page and on Check your answers (AppTest): the recipient picked
and whether the family's consent covers them shown before recording, a decision made by
another professional, information received, a parent who could not be contacted."""

from __future__ import annotations

from eha.consent import CoverageState
from eha.recipients import typed_recipient
from eha.sharing import Answer, Decider, Direction, LawfulBasis, Questions, SharingDecision, Told
from storage.services import Workbook
from tests.support.eha import GP_SURGERY, add_professional, give_consent
from tests.support.hostile import HOSTILE
from tests.ui.conftest import ACTOR
from tests.ui.test_access_matrix import shown

RECORD = "FormSubmitter:form:sharing:0-Record the decision"
PARTY = "sharing:0:out:party"


def plain(markdown: str) -> str:
    """What a reader sees of a message drawn literally (its markdown escapes taken off)."""
    return markdown.replace("\\", "")


def test_a_decision_made_by_another_professional_is_recorded_with_who_decided_and_who_recorded(
    open_page, workbook: Workbook, family
):
    at = open_page("pages/sharing.py", family=family[0])
    at.selectbox(key=PARTY).set_value("other").run()
    at.text_input(key="sharing:0:out:other_agency").input("MASH").run()
    assert any("cannot cover them" in w for w in map(plain, (x.value for x in at.warning)))
    at.radio(key="sharing:0:legitimate_purpose").set_value(Answer.YES).run()
    at.radio(key="sharing:0:consent").set_value(Answer.NO).run()
    at.radio(key="sharing:0:identifiable").set_value(Answer.YES).run()
    at.radio(key="sharing:0:lawful_reason_without_consent").set_value(Answer.YES).run()
    at.radio(key="sharing:0:who").set_value("other").run()
    at.text_input(key="sharing:0:decider_name").input(HOSTILE)
    at.text_input(key="sharing:0:decider_agency").input("Cherwell School")
    at.text_area[0].input("Bruising seen at school on 20/11")
    at.text_area[1].input("Risk of significant harm")
    at.selectbox[1].set_value(LawfulBasis.SAFEGUARDING)
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
    assert item.decision.recipient == typed_recipient("", "MASH")
    assert item.decision.consent is not None and not item.decision.consent.covered
    assert (item.decision.parent_told, item.decision.child_told) == (Told.COULD_NOT_CONTACT, Told.NO)
    page = shown(at)
    assert "Shared by us · Share" in page
    assert f"Decided by {HOSTILE}, Designated safeguarding lead, Cherwell School; recorded by Demo" in page
    assert "Parent: could not be contacted: Phoned twice and visited" in page
    assert "Child: not told: Too young to understand" in page
    assert "With: MASH" in page and "Consent at the time: Not covered: " in page


def test_information_received_is_recorded_without_the_questions(open_page, workbook: Workbook, family):
    at = open_page("pages/sharing.py", family=family[0])
    at.radio(key="sharing:0:direction").set_value(Direction.IN).run()
    assert not [r for r in at.radio if r.key and r.key.endswith(":legitimate_purpose")]
    assert "recorded, not decided" in shown(at)
    at.text_area[0].input("A police notification of a domestic incident")
    at.text_area[1].input("For the TAF to know")
    at.button(key="FormSubmitter:form:sharing:0-Record the information received").click().run()
    assert any("Say who sent it" in m.value for m in at.markdown)
    at.selectbox(key="sharing:0:in:party").set_value("other").run()
    at.text_input(key="sharing:0:in:other_agency").input("Thames Valley Police").run()
    assert not at.warning and not at.success  # consent is not worked out for what came in
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
            recipient=typed_recipient("Dr Okafor", "GP surgery"),
            purpose="Health plan",
            questions=Questions(legitimate_purpose=Answer.NO, consent=Answer.NO),
        ),
        actor=ACTOR,
    )
    at = open_page("pages/check_answers.py", assessment=family[1])
    page = shown(at)
    assert "Record of sharing · 1 recorded" in page
    assert (
        f"{workbook.today():%d/%m/%Y} · Shared by us · Do not share · with Dr Okafor (GP surgery) · "
        "Decided by Ann Lee, Designated safeguarding lead, Cherwell School; recorded by Demo (demo.practitioner)"
    ) in page
    assert any(link.label == "See the record of sharing" for link in at.get("page_link"))


def test_the_recipient_is_picked_and_whether_consent_covers_them_is_shown_before_recording(
    open_page, workbook: Workbook, family
):
    family_id, assessment_id = family
    doctor_id = add_professional(workbook, assessment_id, ACTOR, name=HOSTILE)
    at = open_page("pages/sharing.py", family=family_id)
    options = at.selectbox(key=PARTY).options
    # the family's professionals first (names as typed), then the directory, then someone else
    assert options[0] == f"{HOSTILE} (GP, GP surgery) · the family's professional"
    assert "Early Help Hub · local directory" in options and options[-1].startswith("Someone else")
    # No consent is recorded yet: not covered, said as soon as the recipient is picked.
    at.selectbox(key=PARTY).set_value("directory:school-nursing").run()
    assert any(
        w.startswith("Not covered: No consent decision of Maryam Khan")
        for w in map(plain, (x.value for x in at.warning))
    )
    # answering "Yes, we have consent" is contradicted at once, and refused on recording
    at.radio(key="sharing:0:legitimate_purpose").set_value(Answer.YES).run()
    at.radio(key="sharing:0:consent").set_value(Answer.YES).run()
    assert any("does not cover this recipient" in plain(e.value) for e in at.error)
    at.text_area[0].input("Attendance")
    at.text_area[1].input("Health plan")
    at.selectbox[1].set_value(LawfulBasis.CONSENT)
    at.radio(key="sharing:0:parent_told").set_value(Told.YES)
    at.radio(key="sharing:0:child_told").set_value(Told.YES)
    at.button(key=RECORD).click().run()
    assert any("You answered that you have consent" in m.value for m in at.markdown)
    assert any("Consent is not the basis to share with them" in m.value for m in at.markdown)
    assert workbook.sharing.history(family_id=family_id, actor=ACTOR).decisions == ()

    # The main carer's consent names the Early Help Hub: school nursing, a member, is covered.
    main = workbook.assessments.open(assessment_id=assessment_id, actor=ACTOR).background.data.main_carer()
    assert main is not None
    hub = workbook.directory.get("early-help-hub")
    assert hub is not None
    give_consent(workbook, assessment_id, ACTOR, person_id=main.id, on=workbook.today(), recipients=(hub.recipient(),))
    at = open_page("pages/sharing.py", family=family_id)
    at.selectbox(key=PARTY).set_value("directory:school-nursing").run()
    (covered,) = [plain(x.value) for x in at.success]
    assert covered.startswith("Covered: Maryam Khan (the main carer) gave consent on")
    assert "School Health Nursing (as part of Early Help Hub)" in covered
    # a professional whose agency the consent does not name is not covered
    at.selectbox(key=PARTY).set_value(f"professional:{doctor_id}").run()
    assert any(w.startswith("Not covered:") for w in map(plain, (x.value for x in at.warning))) and not at.success
    at.selectbox(key=PARTY).set_value("directory:school-nursing").run()
    at.radio(key="sharing:0:legitimate_purpose").set_value(Answer.YES).run()
    at.radio(key="sharing:0:consent").set_value(Answer.YES).run()
    at.text_area[0].input("Attendance")
    at.text_area[1].input("Health plan")
    at.selectbox[1].set_value(LawfulBasis.CONSENT)
    at.radio(key="sharing:0:parent_told").set_value(Told.YES)
    at.radio(key="sharing:0:child_told").set_value(Told.YES)
    at.button(key=RECORD).click().run()
    assert not at.exception
    (item,) = workbook.sharing.history(family_id=family_id, actor=ACTOR).decisions
    assert item.decision.recipient is not None and item.decision.recipient.key == "school-nursing"
    assert item.decision.consent is not None and item.decision.consent.state is CoverageState.GIVEN
    page = shown(at)
    assert "With: School Health Nursing" in page
    assert "Consent at the time: Covered: Maryam Khan (the main carer) gave consent on" in page


def test_a_decision_recorded_with_typed_consent_still_shows(open_page, workbook: Workbook, family):
    workbook.sharing.record_decision(
        family_id=family[0],
        decision=SharingDecision(
            decided_on=workbook.today(),
            information="Attendance",
            recipient=GP_SURGERY,
            purpose="Health plan",
            questions=Questions(legitimate_purpose=Answer.NO, consent=Answer.NO),
        ),
        actor=ACTOR,
    )
    at = open_page("pages/sharing.py", family=family[0])
    assert "With: GP surgery" in shown(at) and "Consent at the time: Not covered" in shown(at)
