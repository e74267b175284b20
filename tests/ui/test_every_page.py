"""Every screen of a whole family record opens, whatever the record holds: dates long past
(a record written a year ago and reopened today) and names and words that look like markdown."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from eha.actor import Actor
from eha.background import Carer, Child
from eha.family import AssessmentStatus
from eha.sharing import ConsentStatus, Decider, Direction, Questions, SharingDecision
from eha.taf import ClosureReason, LeadProfessional, Participant
from star import CompletedBy, OccasionKind
from storage.services import Workbook
from tests.support.clock import Clock
from tests.support.eha import add_professional, make_ready, review_in, sharing_on_consent
from tests.support.hostile import MARKDOWN, MARKDOWN_CONSTRUCTS
from tests.ui.conftest import ACTOR

A_YEAR = timedelta(days=365)


def whole_record(workbook: Workbook, actor: Actor, *, state: AssessmentStatus, text: str = "") -> dict[str, str]:
    """A family taken as far as `state` (Completed, TAF active or Closed) by today's clock, with
    a first star reading, a finalised TAF meeting with its review reading (TAF active and
    Closed) and a closure (Closed). Returns the ids the pages are opened with.

    With `text`, every name and the free text of the family, the TAF and the closure carry
    it (each field's own wording follows it, so the fields stay distinct)."""

    def t(words: str) -> str:
        return f"{text} {words}" if text else words

    family_id, assessment_id = workbook.families.create(
        locality="central",
        address=t("4 Cowley Road\nOxford"),
        main_carer=Carer(name=t("Maryam Khan"), relationship=t("Mother")),
        child=Child(name=t("Ayaan Khan"), date_of_birth=date(2017, 9, 14)),
        actor=actor,
    )
    if text:
        add_professional(workbook, assessment_id, actor, name=t("Dr Okafor"))
    make_ready(workbook, assessment_id, actor)
    workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 28), actor=actor)
    today = workbook.today()
    # The record of sharing: a share decided by another professional, and information received.
    shared = sharing_on_consent(today).model_copy(
        update={
            "decided_by": Decider(name=t("Ann Lee"), role=t("Designated safeguarding lead"), agency=t("Hill School")),
            "purpose": t("Health plan"),
        }
    )
    workbook.sharing.record_decision(family_id=family_id, decision=shared, actor=actor)
    came_in = SharingDecision(
        decided_on=today,
        direction=Direction.IN,
        information=t("A police notification"),
        recipient="",
        recipient_agency="",
        received_from=t("PC Jo Hart"),
        received_from_agency=t("Thames Valley Police"),
        purpose=t("For the TAF"),
        questions=Questions(),
        consent=ConsentStatus.NOT_SOUGHT,
    )
    workbook.sharing.record_decision(family_id=family_id, decision=came_in, actor=actor)
    first = workbook.star.start(
        assessment_id=assessment_id,
        taken_on=today - timedelta(days=2),
        occasion=OccasionKind.FIRST,
        completed_by=CompletedBy.TOGETHER,
        actor=actor,
    )
    ids = {"family": family_id, "assessment": assessment_id, "reading": first.reading.id}
    if state is AssessmentStatus.COMPLETED:
        return ids
    version = workbook.assessments.open(assessment_id=assessment_id, actor=actor).taf.lead_version
    workbook.taf.agree_lead_professional(
        assessment_id=assessment_id,
        expected_version=version,
        lead=LeadProfessional(name=t("Jo Bloggs"), agency=t("Cherwell Primary School"), role=t("SENCo")),
        from_on=today,
        actor=actor,
    )
    m = workbook.taf.start_meeting(assessment_id=assessment_id, held_on=today, where=t("School"), actor=actor)
    workbook.star.start(
        assessment_id=assessment_id,
        taken_on=today,
        occasion=OccasionKind.REVIEW,
        review_number=1,
        completed_by=CompletedBy.TOGETHER,
        actor=actor,
    )
    version = workbook.taf.save_participant(
        meeting_id=m.meeting_id,
        expected_version=m.version,
        participant=Participant(name=t("Maryam Khan"), agency=t("Family"), role=t("Mother")),
        actor=actor,
    ).version
    version = workbook.taf.save_meeting_views(
        meeting_id=m.meeting_id,
        expected_version=version,
        family_view=t("Mornings are calmer."),
        child_view=t("I got a star at school."),
        working_well=t("The routine chart."),
        worries=t("Bedtime."),
        actor=actor,
    ).version
    closing = state is AssessmentStatus.CLOSED
    version = workbook.taf.save_next_review(
        meeting_id=m.meeting_id,
        expected_version=version,
        next_review_on=None if closing else today + timedelta(days=42),
        reason="",
        closing=closing,
        actor=actor,
    ).version
    version = workbook.taf.save_minutes(
        meeting_id=m.meeting_id, expected_version=version, minutes=t("We met and agreed the plan."), actor=actor
    ).version
    workbook.taf.finalise_meeting(meeting_id=m.meeting_id, expected_version=version, actor=actor)
    ids["meeting"] = m.meeting_id
    if closing:
        workbook.taf.close(
            assessment_id=assessment_id,
            reason=ClosureReason.OUTCOMES_ACHIEVED,
            family_comments=t("It helped us."),
            evaluation=t("Outcomes met."),
            closed_on=today,
            actor=actor,
        )
    assert workbook.assessments.open(assessment_id=assessment_id, actor=actor).taf.status is state
    return ids


def every_page(ids: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """Each screen of the record, with the query parameters it is reached with."""
    a = {"assessment": ids["assessment"]}
    pages = [
        ("pages/families.py", {}),
        ("pages/my_families.py", {}),
        ("pages/family.py", {"family": ids["family"]}),
        ("pages/sharing.py", {"family": ids["family"]}),
        *(
            (f"pages/{name}.py", a)
            for name in (
                "background",
                "carers_views",
                "childs_view",
                "professional_views",
                "plan",
                "consent",
                "check_answers",
                "star",
                "star_quick",
                "star_chart",
                "taf",
                "taf_close",
            )
        ),
        ("pages/star.py", {**a, "reading": ids["reading"]}),
        ("pages/star_quick.py", {**a, "reading": ids["reading"]}),
    ]
    if "meeting" in ids:
        pages.append(("pages/taf_meeting.py", {**a, "meeting": ids["meeting"]}))
    return pages


def open_every_page(open_page: Callable[..., AppTest], ids: dict[str, str]) -> list[AppTest]:
    opened = []
    for page, params in every_page(ids):
        try:
            at = open_page(page, **params)  # asserts the page raised nothing
        except AssertionError as failed:
            raise AssertionError(f"{page} {params}: {failed}") from None
        opened.append(at)
    return opened


@pytest.mark.parametrize(
    "state", [AssessmentStatus.COMPLETED, AssessmentStatus.TAF_ACTIVE, AssessmentStatus.CLOSED], ids=lambda s: s.name
)
def test_every_page_opens_on_a_record_whose_dates_are_a_year_past(
    open_page, workbook: Workbook, clock: Clock, state: AssessmentStatus
):
    clock.offset = -A_YEAR
    ids = whole_record(workbook, ACTOR, state=state)
    clock.offset = timedelta()
    # Every date of the record (started, consent, review, actions by-when, star readings,
    # meeting, next review, closure) is now at least 10 months old.
    record = workbook.assessments.open(assessment_id=ids["assessment"], actor=ACTOR)
    assert record.review_date is not None and record.review_date < workbook.today() - timedelta(days=300)
    opened = open_every_page(open_page, ids)
    check = opened[[p for p, _ in every_page(ids)].index("pages/check_answers.py")]
    # The stored review date is shown, not replaced by a default.
    assert check.date_input(key="complete:review_date").value == record.review_date


# Names below are MARKDOWN: every markdown construct a name could smuggle in.
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash-escaped ASCII punctuation mark


def drawn_as_markdown(at: AppTest) -> Iterator[str]:
    """Every piece of markdown the page hands the browser: text elements, alerts, and the
    labels, options and help of widgets, expanders and links."""

    def walk(node) -> Iterator[object]:
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    for node in walk(at._tree):
        kind = getattr(node, "type", "")
        value = getattr(node, "value", None) if kind in {"markdown", "caption", "latex"} else None
        proto = getattr(node, "proto", None)
        if kind in {"title", "header", "subheader", "alert", "info", "warning", "error", "success"} or value:
            body = getattr(proto, "body", None)
            if isinstance(body, str):
                yield body
        if isinstance(value, str):
            yield value
        for name in ("label", "help"):
            field = getattr(proto, name, None)
            if isinstance(field, str) and field:
                yield field
        options = getattr(proto, "options", None)
        if kind == "radio" and options is not None:
            yield from (str(o) for o in options)


def interpreted(markdown: str) -> list[str]:
    """The hostile constructs still live once escaped characters are set aside."""
    bare = ESCAPED.sub("", markdown)
    return [c for c in MARKDOWN_CONSTRUCTS if c in bare]


def test_names_and_words_that_look_like_markdown_are_drawn_exactly_on_every_page(open_page, workbook: Workbook):
    ids = whole_record(workbook, ACTOR, state=AssessmentStatus.TAF_ACTIVE, text=MARKDOWN)
    shown_somewhere: set[str] = set()
    for (page, _), at in zip(every_page(ids), open_every_page(open_page, ids), strict=True):
        for markdown in drawn_as_markdown(at):
            assert not interpreted(markdown), f"{page} draws user text as markdown: {markdown!r}"
            if MARKDOWN in ESCAPED.sub(r"\1", markdown):
                shown_somewhere.add(page)
        # Text shown as text (st.text, widget values) carries the characters as typed.
        for element in [*at.text, *at.text_input, *at.text_area]:
            if isinstance(element.value, str) and "javascript" in element.value:
                assert MARKDOWN in element.value
    # Check your answers labels each view with the person's name, escaped: the reported defect.
    assert "pages/check_answers.py" in shown_somewhere
    assert {"pages/consent.py", "pages/taf.py"} <= shown_somewhere, shown_somewhere
