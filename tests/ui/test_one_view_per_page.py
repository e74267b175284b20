"""Opening an assessment screen is one view of the assessment: every screen that reads an
assessment from its URL writes exactly one "viewed" entry to the audit trail per run, however
many parts of the record it draws (AppTest, as the practitioner who wrote the record)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from eha.audit import AuditAction
from eha.family import AssessmentStatus
from pages import _addresses
from storage.services import Workbook
from tests.ui.conftest import ACTOR, APP, OPERATOR, sign_in_as
from tests.ui.test_every_page import every_page, whole_record

ASSESSMENT_PAGES = [address for address in _addresses.ALL if address.opens_an_assessment]


def views_by(workbook: Workbook, username: str) -> list[int]:
    """The sequence numbers of the "viewed" entries written for this person, oldest first."""
    lines = workbook.audit.trail(actor=OPERATOR, person=username)
    return sorted(line.entry.seq for line in lines if line.entry.action == AuditAction.VIEWED.value)


def views_in_one_run(workbook: Workbook, address: _addresses.Address) -> int:
    """How many "viewed" entries one run of the screen writes, on a record with a TAF meeting
    and star readings, opened by the practitioner who wrote it."""
    ids = whole_record(workbook, ACTOR, state=AssessmentStatus.TAF_ACTIVE)
    at = AppTest.from_file(APP, default_timeout=30)
    sign_in_as(at, workbook, ACTOR.username)
    at.run()
    at.switch_page(address.path)
    for name in address.ids:
        at.query_params[name] = ids[name]
    before = views_by(workbook, ACTOR.username)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]  # the page drew the record, not a refusal
    return len([seq for seq in views_by(workbook, ACTOR.username) if seq not in before])


def test_every_screen_reached_with_an_assessment_is_counted():
    # Derived from the addresses, so a new assessment screen is counted without being listed:
    # the same screens as those a whole record is opened on with an assessment in the URL.
    ids = {"family": "f", "assessment": "a", "reading": "r", "meeting": "m"}
    reached = {page for page, params in every_page(ids) if "assessment" in params}
    assert reached == {address.path for address in ASSESSMENT_PAGES}


@pytest.mark.parametrize("address", ASSESSMENT_PAGES, ids=lambda a: a.url_path)
def test_one_run_of_an_assessment_screen_writes_one_viewed_entry(workbook: Workbook, address: _addresses.Address):
    written = views_in_one_run(workbook, address)
    assert written == 1, f"{address.path} wrote {written} viewed entries in one run"
