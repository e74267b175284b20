"""Every screen of a whole family record opens, whatever the record holds: dates long past
(a record written a year ago and reopened today) and names and words that look like markdown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from eha.actor import Actor
from eha.family import AssessmentStatus
from eha.taf import ClosureReason, LeadProfessional, Participant
from star import CompletedBy, OccasionKind
from storage.services import Workbook
from tests.support.eha import completed_family
from tests.ui.conftest import ACTOR, Clock

A_YEAR = timedelta(days=365)


def whole_record(workbook: Workbook, actor: Actor, *, state: AssessmentStatus) -> dict[str, str]:
    """A family taken as far as `state` (Completed, TAF active or Closed) by today's clock, with
    a first star reading, a finalised TAF meeting with its review reading (TAF active and
    Closed) and a closure (Closed). Returns the ids the pages are opened with."""
    family_id, assessment_id = completed_family(workbook, actor)
    today = workbook.today()
    first = workbook.start_star_reading(
        assessment_id=assessment_id,
        taken_on=today - timedelta(days=2),
        occasion=OccasionKind.FIRST,
        completed_by=CompletedBy.TOGETHER,
        actor=actor,
    )
    ids = {"family": family_id, "assessment": assessment_id, "reading": first.reading.id}
    if state is AssessmentStatus.COMPLETED:
        return ids
    version = workbook.taf(assessment_id=assessment_id, actor=actor).lead_version
    workbook.agree_lead_professional(
        assessment_id=assessment_id,
        expected_version=version,
        lead=LeadProfessional(name="Jo Bloggs", agency="Cherwell Primary School", role="SENCo"),
        from_on=today,
        actor=actor,
    )
    m = workbook.start_taf_meeting(assessment_id=assessment_id, held_on=today, where="School", actor=actor)
    workbook.start_star_reading(
        assessment_id=assessment_id,
        taken_on=today,
        occasion=OccasionKind.REVIEW,
        review_number=1,
        completed_by=CompletedBy.TOGETHER,
        actor=actor,
    )
    version = workbook.save_participant(
        meeting_id=m.meeting_id,
        expected_version=m.version,
        participant=Participant(name="Maryam Khan", agency="Family", role="Mother"),
        actor=actor,
    ).version
    version = workbook.save_meeting_views(
        meeting_id=m.meeting_id,
        expected_version=version,
        family_view="Mornings are calmer.",
        child_view="I got a star at school.",
        working_well="The routine chart.",
        worries="Bedtime.",
        actor=actor,
    ).version
    closing = state is AssessmentStatus.CLOSED
    version = workbook.save_next_review(
        meeting_id=m.meeting_id,
        expected_version=version,
        next_review_on=None if closing else today + timedelta(days=42),
        reason="",
        closing=closing,
        actor=actor,
    ).version
    version = workbook.save_minutes(
        meeting_id=m.meeting_id, expected_version=version, minutes="We met and agreed the plan.", actor=actor
    ).version
    workbook.finalise_taf_meeting(meeting_id=m.meeting_id, expected_version=version, actor=actor)
    ids["meeting"] = m.meeting_id
    if closing:
        workbook.close_taf(
            assessment_id=assessment_id,
            reason=ClosureReason.OUTCOMES_ACHIEVED,
            family_comments="It helped us.",
            evaluation="Outcomes met.",
            closed_on=today,
            actor=actor,
        )
    assert workbook.taf(assessment_id=assessment_id, actor=actor).status is state
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
    record = workbook.open_eha(assessment_id=ids["assessment"], actor=ACTOR)
    assert record.review_date is not None and record.review_date < workbook.today() - timedelta(days=300)
    opened = open_every_page(open_page, ids)
    check = opened[[p for p, _ in every_page(ids)].index("pages/check_answers.py")]
    # The stored review date is shown, not replaced by a default.
    assert check.date_input(key="complete:review_date").value == record.review_date
