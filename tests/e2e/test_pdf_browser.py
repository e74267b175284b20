"""A practitioner in a real browser completes an assessment on Check your answers, then makes the
full PDF for LCSS from the same page and downloads it; the file is read back and its text
checked, and the record of sharing holds the entry."""

from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.localities import load_localities
from storage.db import make_engine
from storage.services import Workbook
from tests.e2e.test_whole_assessment_browser import TODAY, submit, type_date
from tests.support import AUDIT_KEY
from tests.support.browser import open_app, wait_for_app
from tests.support.eha import make_ready
from tests.support.pdf import pdf_pages
from tests.support.sign_in import database_with_account, sign_in

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ME = Actor(username="demo.practitioner", display_name="demo.practitioner", role=Role.PRACTITIONER)
MUM, CHILD = "Łucja Wiśniewska-Nguyễn", "Ayaan <b>Khan</b> & co"


def ready_family(url: str) -> tuple[Workbook, str, str]:
    engine = make_engine(url)
    wb = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
    family_id, assessment_id = wb.families.create(
        locality="central",
        address="4 Cowley Road\nOxford",
        main_carer=Carer(name=MUM, relationship="Mother"),
        child=Child(name=CHILD, date_of_birth=date(TODAY.year - 8, 3, 1)),
        actor=ME,
    )
    make_ready(wb, assessment_id, ME)
    return wb, family_id, assessment_id


def test_complete_then_download_the_full_pdf_for_lcss(streamlit_server, make_page, tmp_path):
    url = database_with_account(tmp_path)
    wb, family_id, assessment_id = ready_family(url)
    page: Page = make_page(1366, 900)
    base = streamlit_server(env={"EHA_DATABASE_URL": url})
    open_app(page, base)
    sign_in(page)
    page.goto(f"{base}/check_answers?assessment={assessment_id}")
    wait_for_app(page)

    type_date(
        page,
        f"Review date, agreed with the family (within 6 weeks: by {TODAY + timedelta(days=42):%d/%m/%Y})",
        TODAY + timedelta(days=28),
    )
    submit(page, "Complete the assessment")
    expect(page.get_by_text("Completed", exact=False).first).to_be_visible()

    page.get_by_text("Make a PDF: Early Help Assessment", exact=True).click()
    wait_for_app(page)
    box = page.locator("[data-testid=stExpander]").filter(has_text="Make a PDF: Early Help Assessment")
    box.get_by_text("LCSS Central, who review it", exact=True).click()
    wait_for_app(page)
    expect(box.get_by_text("Covered:", exact=False).first).to_be_visible()
    form = box.locator("[data-testid=stForm]")
    form.locator("[data-testid=stRadio]").nth(0).get_by_text("Told", exact=True).click()
    form.locator("[data-testid=stRadio]").nth(1).get_by_text("Told", exact=True).click()
    box.get_by_role("button", name="Make the PDF").click()
    wait_for_app(page)
    wait_for_app(page)
    expect(box.get_by_text("recorded in the record of sharing", exact=False)).to_be_visible()
    with page.expect_download() as download_info:
        box.get_by_role("button", name="Download the PDF").click()
    download = download_info.value
    reference = wb.families.get(family_id=family_id, actor=ME).reference
    assert download.suggested_filename == f"{reference}_early-help-assessment_{TODAY.isoformat()}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "pdf-downloaded.png"), full_page=True)

    pages = pdf_pages(saved.read_bytes())
    assert len(pages) > 3
    for n, text in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in text and reference in text and f"Page {n} of {len(pages)}" in text
    whole = " ".join(pages)
    assert MUM in whole and CHILD in whole and "LCSS Central" in whole and "DRAFT" not in whole
    (entry,) = wb.sharing.history(family_id=family_id, actor=ME).decisions
    assert entry.decision.document == "Early Help Assessment (PDF)"
