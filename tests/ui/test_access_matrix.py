"""Every role against every page, through the screens (AppTest).

One Central family, authored by demo.practitioner. The service layer decides; the pages only
show its answer, which for a refusal is the same plain message whether or not the record exists.
"""

import re

import pytest

from eha.recipients import typed_recipient
from eha.sharing import Answer, LawfulBasis, Questions, Told
from storage.services import Workbook
from tests.ui.conftest import ACTOR, open_pdf_panels

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
    return workbook.families.get(family_id=family[0], actor=ACTOR).reference


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
        for line in workbook.audit.trail(actor=_operator(), person="other.practitioner")
        if line.entry.action == "access_refused"
    ]
    assert len(refusals) == 2


def _operator():
    from tests.ui.conftest import OPERATOR

    return OPERATOR


def test_recording_a_sharing_decision_through_the_page(open_page, workbook: Workbook, family):
    at = open_page("pages/sharing.py", family=family[0])
    at.selectbox(key="sharing:0:out:party").set_value("other").run()
    at.text_input(key="sharing:0:out:other_name").input("Duty social worker")
    at.text_input(key="sharing:0:out:other_agency").input("MASH").run()
    at.radio(key="sharing:0:legitimate_purpose").set_value(Answer.YES).run()
    at.radio(key="sharing:0:consent").set_value(Answer.NO).run()
    at.radio(key="sharing:0:identifiable").set_value(Answer.YES).run()
    at.radio(key="sharing:0:lawful_reason_without_consent").set_value(Answer.YES).run()
    assert any("You can share" in s.value for s in at.success)
    at.text_area[0].input("Bruising seen at school on 20/11")
    at.text_area[1].input("Risk of significant harm")
    at.selectbox[1].set_value(LawfulBasis.SAFEGUARDING)
    at.radio(key="sharing:0:parent_told").set_value(Told.NO)
    at.radio(key="sharing:0:child_told").set_value(Told.YES)
    at.button(key="FormSubmitter:form:sharing:0-Record the decision").click().run()
    # Not telling the parent needs a reason: the form says so and nothing is recorded yet.
    assert any("Say why the parent was not told" in m.value for m in at.markdown)
    assert workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions == ()
    at.text_area(key="sharing:0:parent_not_told_reason").input("Telling the parent could increase the risk to Ayaan")
    at.button(key="FormSubmitter:form:sharing:0-Record the decision").click().run()
    assert not at.exception
    decisions = workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions
    assert len(decisions) == 1
    saved = decisions[0].decision
    assert saved.lawful_basis is LawfulBasis.SAFEGUARDING and saved.recipient == typed_recipient(
        "Duty social worker", "MASH"
    )
    assert saved.consent is not None and not saved.consent.covered
    assert saved.questions == Questions(
        legitimate_purpose=Answer.YES,
        consent=Answer.NO,
        identifiable=Answer.YES,
        lawful_reason_without_consent=Answer.YES,
    )
    assert decisions[0].recorded_by == ACTOR.username and decisions[0].decision.decided_by is None
    assert saved.parent_told is Told.NO and saved.child_told is Told.YES
    assert "Risk of significant harm" in shown(at)


def test_sharing_on_consent_not_recorded_is_refused_on_the_page(open_page, workbook: Workbook, family):
    at = open_page("pages/sharing.py", family=family[0])
    at.selectbox(key="sharing:0:out:party").set_value("directory:school-nursing").run()
    at.radio(key="sharing:0:legitimate_purpose").set_value(Answer.YES).run()
    at.radio(key="sharing:0:consent").set_value(Answer.NO).run()
    at.radio(key="sharing:0:identifiable").set_value(Answer.YES).run()
    at.radio(key="sharing:0:lawful_reason_without_consent").set_value(Answer.YES).run()
    at.text_area[0].input("School report")
    at.text_area[1].input("Health plan")
    at.selectbox[1].set_value(LawfulBasis.CONSENT)
    at.radio(key="sharing:0:parent_told").set_value(Told.YES)
    at.radio(key="sharing:0:child_told").set_value(Told.YES)
    at.button(key="FormSubmitter:form:sharing:0-Record the decision").click().run()
    assert any("No consent decision of Maryam Khan" in m.value for m in at.markdown)
    assert workbook.sharing.history(family_id=family[0], actor=ACTOR).decisions == ()


def test_the_audit_page_filters_by_record_and_person(open_page, workbook: Workbook, family, reference):
    workbook.families.get(family_id=family[0], actor=ACTOR)
    at = open_page("pages/audit.py", as_="lcss.central")
    at.text_input(key="audit:record").input(reference)
    at.text_input(key="audit:person").input("demo.practitioner")
    at.button(key="FormSubmitter:audit-filter-Show entries").click().run()
    frame = at.dataframe[0].value
    assert len(frame) >= 2
    assert set(frame["Who"]) == {"demo.practitioner"}
    assert set(frame["Family"]) == {reference}


# -- an LCSS reviewer reads every screen of a record and is offered nothing that changes it ----

# Buttons that only move around or search: live for everyone.
NAVIGATION = {"Search", "Open", "Back", "Next", "Finish", "Back to the last area"}


def _records(workbook: Workbook, family) -> dict[str, tuple[str, dict[str, str]]]:
    """A draft assessment (the family fixture's) and a completed one with a TAF meeting being
    written up, a locked first reading and a review reading, both Central, by demo.practitioner."""
    from datetime import timedelta

    from star import AREA_KEYS, CompletedBy, OccasionKind
    from tests.support.eha import completed_family, make_ready

    family_id, draft = family
    make_ready(workbook, draft, ACTOR)
    _, done = completed_family(workbook, ACTOR, child="Zoë Nowak")
    today = workbook.today()
    readings = []
    for occasion, review, taken_on in (
        (OccasionKind.FIRST, None, today - timedelta(days=2)),
        (OccasionKind.REVIEW, 1, today),
    ):
        saved = workbook.star.start(
            assessment_id=done,
            taken_on=taken_on,
            occasion=occasion,
            review_number=review,
            completed_by=CompletedBy.TOGETHER,
            actor=ACTOR,
        )
        workbook.star.save_scores(
            reading_id=saved.reading.id,
            expected_version=saved.version,
            scores=dict.fromkeys(AREA_KEYS, 5),
            notes={},
            actor=ACTOR,
        )
        readings.append(saved.reading.id)
    meeting = workbook.taf.start_meeting(assessment_id=done, held_on=today, where="School", actor=ACTOR)
    on_draft = {"assessment": draft}
    on_done = {"assessment": done}
    return {
        "families": ("pages/families.py", {}),
        "my_families": ("pages/my_families.py", {}),
        "family": ("pages/family.py", {"family": family_id}),
        "sharing": ("pages/sharing.py", {"family": family_id}),
        "background": ("pages/background.py", on_draft),
        "carers_views": ("pages/carers_views.py", on_draft),
        "childs_view": ("pages/childs_view.py", on_draft),
        "professional_views": ("pages/professional_views.py", on_draft),
        "plan": ("pages/plan.py", on_draft),
        "consent": ("pages/consent.py", on_draft),
        "check_answers": ("pages/check_answers.py", on_draft),
        "star": ("pages/star.py", on_draft),
        "star_review": ("pages/star.py", {**on_done, "reading": readings[1], "area": "1"}),
        "star_quick": ("pages/star_quick.py", {**on_done, "reading": readings[1]}),
        "star_chart": ("pages/star_chart.py", on_done),
        "taf": ("pages/taf.py", on_done),
        "taf_meeting": ("pages/taf_meeting.py", {**on_done, "meeting": meeting.meeting_id}),
        "taf_close": ("pages/taf_close.py", on_done),
    }


def _live(at) -> set[str]:
    """The labels of buttons that could change something and are not disabled."""
    return {b.label for b in at.button if not b.disabled and b.label not in NAVIGATION}


def test_an_lcss_reviewer_is_offered_no_change_on_any_page(open_page, workbook: Workbook, family):
    pages = _records(workbook, family)
    for name, (path, params) in pages.items():
        at = open_pdf_panels(open_page(path, as_="lcss.central", **params))
        assert [e.value for e in at.error] == [], name
        # A copy for their own records is theirs to make (only that: tests/ui/test_document_pages.py).
        assert _live(at) - {"Make the PDF"} == set(), name
        assert at.get("file_uploader") == [], name
        assert all(
            w.disabled
            for kind in ("text_area", "text_input", "radio", "checkbox")
            for w in at.get(kind)
            if not str(w.key or "").startswith(("search:", "pdf:"))
        ), name
        pdf_audiences = [r for r in at.radio if str(r.key or "").startswith("pdf:") and r.key.endswith(":audience")]
        assert all(r.options == ["For my own records"] for r in pdf_audiences), name
        headings = {h.value for h in at.header} | {h.value for h in at.subheader}
        assert not {"Create a family", "Record a decision", "Corrections"} & headings, name
        if name not in ("families", "my_families", "star_chart"):
            assert any("LCSS reviewers can read this record but not change it" in i.value for i in at.info), name
    family_page = open_page(*pages["family"][:1], as_="lcss.central", **pages["family"][1])
    assert "Start a new assessment" not in {b.label for b in family_page.button}


def test_the_author_is_offered_the_same_pages_to_change(open_page, workbook: Workbook, family):
    """The other side of the test above: as the author the same pages do offer changes, so
    the reviewer's empty set is the rule at work, not a page that offers nothing."""
    pages = _records(workbook, family)
    offers = {}
    for name, (path, params) in pages.items():
        at = open_page(path, as_=ACTOR.username, **params)
        assert [e.value for e in at.error] == [], name
        offers[name] = _live(at)
    nothing_to_change = {"my_families", "star_chart", "families"}
    assert {name for name, live in offers.items() if not live} <= nothing_to_change
    assert "Create family" in open_page("pages/families.py").button(key="FormSubmitter:create-Create family").label
    assert "Start a new assessment" in offers["family"]
    assert "Record the decision" in offers["sharing"]
    assert "Attach" in offers["childs_view"]
    assert "Complete the assessment" in offers["check_answers"]
    assert "Save the correction" in _live(open_page("pages/star_chart.py", **pages["star_chart"][1]))
