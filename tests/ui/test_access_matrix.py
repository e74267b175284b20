"""Every role against every page, through the screens (AppTest).

One Central family, authored by demo.practitioner. The service layer decides; the pages only
show its answer, which for a refusal is the same plain message whether or not the record exists.
"""

import re

import pytest

from eha.sharing import Answer, ConsentStatus, LawfulBasis, Questions, SharingDecision
from storage.services import Workbook
from tests.ui.conftest import ACTOR

REFUSED = "You don't have access to this record."
ROLES = ("demo.practitioner", "other.practitioner", "lcss.central", "lcss.north", "ada.admin")
# page -> who may open it for the Central family (families: who finds it in the list).
MATRIX = {
    "families": {"demo.practitioner", "lcss.central"},
    "family": {"demo.practitioner", "lcss.central"},
    "background": {"demo.practitioner", "lcss.central"},
    "sharing": {"demo.practitioner", "lcss.central"},
    # The audit page opens for LCSS and admins; the family's entries are shown to these two.
    "audit": {"lcss.central", "ada.admin"},
}
AUDIT_PAGE_OPENS = {"lcss.central", "lcss.north", "ada.admin"}


def shown(at) -> str:
    """Everything on screen as it reads: markdown escapes (user text goes through _ui.literal) dropped."""
    parts = [e.value for kind in ("title", "markdown", "text", "caption", "subheader") for e in at.get(kind)]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", "\n".join(parts))


@pytest.fixture
def reference(workbook: Workbook, family) -> str:
    return workbook.family(family_id=family[0], actor=ACTOR).reference


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", list(MATRIX))
def test_every_role_on_every_page(open_page, workbook: Workbook, family, reference, who: str, page: str):
    family_id, assessment_id = family
    targets = {
        "families": ("pages/families.py", {}),
        "family": ("pages/family.py", {"family": family_id}),
        "background": ("pages/background.py", {"assessment": assessment_id}),
        "sharing": ("pages/sharing.py", {"family": family_id}),
        "audit": ("pages/audit.py", {}),
    }
    path, params = targets[page]
    at = open_page(path, as_=who, **params)
    errors = [e.value for e in at.error]
    allowed = who in MATRIX[page]
    if page == "families":
        if who == "ada.admin":
            assert errors == [REFUSED]
        else:
            assert errors == []
            assert (reference in shown(at)) is allowed
    elif page == "audit":
        assert (errors == []) is (who in AUDIT_PAGE_OPENS)
        if errors:
            assert errors == [REFUSED]
        else:
            assert (reference in shown(at)) is allowed
    elif allowed:
        assert errors == []
        assert reference in shown(at)
    else:
        assert errors == [REFUSED]
        assert reference not in shown(at)
        assert "Ayaan" not in shown(at) and "Maryam" not in shown(at)


@pytest.mark.parametrize("page", ["pages/family.py", "pages/sharing.py"])
def test_a_made_up_id_looks_exactly_like_someone_elses_record(open_page, workbook, family, page):
    theirs = open_page(page, as_="other.practitioner", family=family[0])
    made_up = open_page(page, as_="other.practitioner", family="00000000-0000-4000-8000-000000000000")
    assert [e.value for e in theirs.error] == [e.value for e in made_up.error] == [REFUSED]
    refusals = [
        line
        for line in workbook.audit_trail(actor=_operator(), person="other.practitioner")
        if line.entry.action == "access_refused"
    ]
    assert len(refusals) == 2


def _operator():
    from tests.ui.conftest import OPERATOR

    return OPERATOR


def test_recording_a_sharing_decision_through_the_page(open_page, workbook: Workbook, family):
    at = open_page("pages/sharing.py", family=family[0])
    at.radio(key="sharing:0:legitimate_purpose").set_value(Answer.YES).run()
    at.radio(key="sharing:0:consent").set_value(Answer.NO).run()
    at.radio(key="sharing:0:identifiable").set_value(Answer.YES).run()
    at.radio(key="sharing:0:lawful_reason_without_consent").set_value(Answer.YES).run()
    assert any("You can share" in s.value for s in at.success)
    at.text_area[0].input("Bruising seen at school on 20/11")
    at.text_input[0].input("Duty social worker")
    at.text_input[1].input("MASH")
    at.text_area[1].input("Risk of significant harm")
    at.selectbox[0].set_value(LawfulBasis.SAFEGUARDING)
    at.radio[-2].set_value(ConsentStatus.WITHDRAWN)
    at.radio[-1].set_value("No")
    at.button(key="FormSubmitter:form:sharing:0-Record the decision").click().run()
    # Not telling the family needs a reason: the form says so and nothing is recorded yet.
    assert any("Say why the family was not told" in m.value for m in at.markdown)
    assert workbook.sharing_record(family_id=family[0], actor=ACTOR).decisions == ()
    at.text_area[-1].input("Telling the family could increase the risk to Ayaan")
    at.button(key="FormSubmitter:form:sharing:0-Record the decision").click().run()
    assert not at.exception
    decisions = workbook.sharing_record(family_id=family[0], actor=ACTOR).decisions
    assert len(decisions) == 1
    saved = decisions[0].decision
    assert saved.lawful_basis is LawfulBasis.SAFEGUARDING and saved.consent is ConsentStatus.WITHDRAWN
    assert saved.questions == Questions(
        legitimate_purpose=Answer.YES,
        consent=Answer.NO,
        identifiable=Answer.YES,
        lawful_reason_without_consent=Answer.YES,
    )
    assert decisions[0].decided_by == ACTOR.username
    assert "Risk of significant harm" in shown(at)


def test_sharing_on_withdrawn_consent_is_refused_on_the_page(open_page, workbook: Workbook, family):
    at = open_page("pages/sharing.py", family=family[0])
    at.radio(key="sharing:0:legitimate_purpose").set_value(Answer.YES).run()
    at.radio(key="sharing:0:consent").set_value(Answer.YES).run()
    at.text_area[0].input("School report")
    at.text_input[1].input("School nurse")
    at.text_area[1].input("Health plan")
    at.selectbox[0].set_value(LawfulBasis.CONSENT)
    at.radio[-2].set_value(ConsentStatus.WITHDRAWN)
    at.button(key="FormSubmitter:form:sharing:0-Record the decision").click().run()
    assert any("withdrawn consent" in m.value for m in at.markdown)
    assert workbook.sharing_record(family_id=family[0], actor=ACTOR).decisions == ()
    decision = SharingDecision(
        decided_on=workbook.today(),
        information="x",
        recipient="",
        recipient_agency="School nurse",
        purpose="y",
        questions=Questions(legitimate_purpose=Answer.YES, consent=Answer.YES),
        lawful_basis=LawfulBasis.CONSENT,
        consent=ConsentStatus.GIVEN,
        consent_covers=("School nurse",),
        family_told=True,
    )
    workbook.record_sharing_decision(family_id=family[0], decision=decision, actor=ACTOR)


def test_the_audit_page_filters_by_record_and_person(open_page, workbook: Workbook, family, reference):
    workbook.family(family_id=family[0], actor=ACTOR)
    at = open_page("pages/audit.py", as_="lcss.central")
    at.text_input(key="audit:record").input(reference)
    at.text_input(key="audit:person").input("demo.practitioner")
    at.button(key="FormSubmitter:audit-filter-Show entries").click().run()
    frame = at.dataframe[0].value
    assert len(frame) >= 2
    assert set(frame["Who"]) == {"demo.practitioner"}
    assert set(frame["Family"]) == {reference}
