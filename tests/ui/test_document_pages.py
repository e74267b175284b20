"""Making a PDF from its page (AppTest): whether consent covers the recipient is said before
anything is made; "Make the PDF" records the sharing and offers the file once; a refusal is
shown beside its field with nothing recorded; a reviewer may only keep a copy."""

from __future__ import annotations

from datetime import timedelta

from eha.consent import ConsentKind, ConsentMethod, DecisionAnswers
from eha.documents import Audience
from eha.sharing import LawfulBasis, Told
from storage.services import Workbook
from tests.support.eha import make_ready
from tests.support.pdf import pdf_text
from tests.ui.conftest import ACTOR, open_pdf_panels
from tests.ui.test_sharing_pages import plain

FULL = "pdf:{a}:full:"


def completed(workbook: Workbook, family) -> str:
    _family_id, assessment_id = family
    make_ready(workbook, assessment_id, ACTOR)
    workbook.assessments.complete(
        assessment_id=assessment_id, review_date=workbook.today() + timedelta(days=28), actor=ACTOR
    )
    return assessment_id


def make(at, key: str) -> None:
    at.button(key=f"FormSubmitter:form:{key}-Make the PDF").click().run()


def test_the_full_pdf_for_lcss_is_made_on_the_button_and_recorded(open_page, workbook: Workbook, family):
    assessment_id = completed(workbook, family)
    key = FULL.format(a=assessment_id)
    at = open_pdf_panels(open_page("pages/check_answers.py", assessment=assessment_id))
    at.radio(key=f"{key}:audience").set_value(Audience.LCSS).run()
    assert any("Covered:" in plain(s.value) for s in at.success)
    assert f"{key}:ready" not in at.session_state  # nothing is made by drawing the page
    make(at, key)
    # Whether the parent and the child were told is asked, not assumed: nothing made yet.
    assert any("Say whether the parent was told" in plain(m.value) for m in at.markdown)
    assert f"{key}:ready" not in at.session_state
    assert workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions == ()
    at.radio(key=f"{key}:parent_told").set_value(Told.YES)
    at.radio(key=f"{key}:child_told").set_value(Told.YES)
    make(at, key)
    assert not at.exception
    name, content, _note = at.session_state[f"{key}:ready"]
    assert name.endswith(f"_early-help-assessment_{workbook.today().isoformat()}.pdf")
    assert "Maryam Khan" in pdf_text(content)
    assert any("recorded in the record of sharing" in plain(s.value) for s in at.success)
    (entry,) = workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions
    assert entry.decision.recipient is not None and entry.decision.recipient.name == "LCSS Central"


def test_withdrawn_consent_is_said_first_and_refused_beside_the_basis(open_page, workbook: Workbook, family):
    assessment_id = completed(workbook, family)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=ACTOR)
    main = a.background.data.main_carer()
    workbook.assessments.record_consent_decision(
        assessment_id=assessment_id,
        expected_version=a.consent.version,
        actor=ACTOR,
        decision=DecisionAnswers(
            person_id=main.id,
            kind=ConsentKind.WITHDRAWN,
            method=ConsentMethod.VERBAL,
            decided_on=workbook.today(),
            explained="It stops all sharing.",
        ),
    )
    key = FULL.format(a=assessment_id)
    at = open_pdf_panels(open_page("pages/check_answers.py", assessment=assessment_id))
    at.radio(key=f"{key}:audience").set_value(Audience.LCSS).run()
    assert any("withdrew consent" in plain(w.value) for w in at.warning)
    at.selectbox(key=f"{key}:basis").set_value(LawfulBasis.CONSENT)
    at.radio(key=f"{key}:parent_told").set_value(Told.YES)
    at.radio(key=f"{key}:child_told").set_value(Told.YES)
    make(at, key)
    assert any("withdrew consent" in plain(m.value) for m in at.markdown)
    assert f"{key}:ready" not in at.session_state
    assert workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions == ()


def test_an_lcss_reviewer_may_keep_a_copy_but_not_share_it(open_page, workbook: Workbook, family):
    assessment_id = completed(workbook, family)
    key = FULL.format(a=assessment_id)
    at = open_pdf_panels(open_page("pages/check_answers.py", as_="lcss.central", assessment=assessment_id))
    assert at.radio(key=f"{key}:audience").options == [Audience.SELF.label]
    make(at, key)
    assert not at.exception
    assert at.session_state[f"{key}:ready"][1].startswith(b"%PDF-")
    assert workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions == ()
