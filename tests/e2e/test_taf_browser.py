"""A practitioner in a real browser takes a completed assessment through two TAF reviews to
closure: the lead professional, each meeting written up and finalised, the star re-scored for a
review, a meeting date that makes no sense refused, and the TAF closed."""

import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from eha.actor import Actor, Role
from eha.localities import load_localities
from storage.db import make_engine
from storage.services import Workbook
from tests.e2e.test_whole_assessment_browser import TODAY, submit, textbox, type_date
from tests.support import AUDIT_KEY
from tests.support.browser import open_app, wait_for_app
from tests.support.eha import completed_family
from tests.support.hostile import HOSTILE
from tests.support.sign_in import database_with_account, sign_in

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

ME = Actor(username="demo.practitioner", display_name="demo.practitioner", role=Role.PRACTITIONER)


def write_up_meeting(page: Page, *, closing: bool) -> None:
    textbox(page, "Name").fill("Maryam Khan")
    submit(page, "Add person")
    expect(textbox(page, "Name")).to_have_value("Maryam Khan")
    textbox(page, "The family's view at this meeting").fill(HOSTILE)
    textbox(page, "The child's view at this meeting").fill("I like my new routine.")
    submit(page, "Save the views")
    if closing:
        page.get_by_text("This meeting agreed to close the TAF (no next review)", exact=True).click()
    submit(page, "Save the next review")
    textbox(page, "Minutes").fill("We met at school and agreed what happens next.")
    submit(page, "Save the minutes")
    submit(page, "Finalise the meeting record")
    expect(
        page.get_by_text(re.compile(r"^Finalised .* this record can be read but no longer changed")).first
    ).to_be_visible()


def test_two_reviews_then_closure_in_a_real_browser(streamlit_server, page: Page, tmp_path):
    url = database_with_account(tmp_path)
    engine = make_engine(url)
    try:
        completed_family(Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode()), ME)
    finally:
        engine.dispose()
    open_app(page, streamlit_server(env={"EHA_DATABASE_URL": url}))
    sign_in(page)
    sidebar = page.locator("[data-testid=stSidebar]")

    # My families: the completed assessment, its first review set for four weeks on.
    sidebar.get_by_role("link", name="My families").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"Completed"))).to_be_visible()
    page.screenshot(path=str(ARTEFACTS / "taf-my-families.png"))
    page.get_by_role("link", name="TAF").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Team Around the Family")).to_be_visible()

    # The lead professional, agreed before the first meeting.
    textbox(page, "Lead professional's name").fill("Jo Bloggs")
    textbox(page, "Their agency").fill("Cherwell Primary School")
    textbox(page, "Their role").fill("SENCo")
    submit(page, "Agree the lead professional")
    expect(page.get_by_text("Lead professional:", exact=False).first).to_be_visible()

    # Review 1, written up part by part; the star re-scored with the family.
    textbox(page, "Where and how it was held").fill("At school")
    submit(page, "Record TAF meeting 1")
    expect(page.get_by_role("heading", name="TAF meeting 1")).to_be_visible()
    meeting_url = page.url
    page.get_by_role("button", name="Score the star with the family for review 1").click()
    wait_for_app(page)
    # The reading's heading, not the star's legend (which carries the same words once drawn).
    expect(page.get_by_role("strong").filter(has_text=re.compile(r"^Review 1 — "))).to_be_visible()
    page.goto(meeting_url)
    # A new document: wait for its own first run, not the old page's settled state.
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    expect(page.get_by_role("link", name="Open the review 1 reading")).to_be_visible()
    write_up_meeting(page, closing=False)
    page.reload()
    wait_for_app(page)
    # Finalised: read as text, exactly as typed.
    views = page.locator("[data-testid=stText]").filter(has_text="The family's view at this meeting")
    expect(views).to_contain_text(HOSTILE)
    page.screenshot(path=str(ARTEFACTS / "taf-meeting.png"))

    # Review 2: a date before the assessment started is refused, saying why.
    page.get_by_role("link", name="Back to the Team Around the Family").click()
    wait_for_app(page)
    expect(page.get_by_text("TAF active").first).to_be_visible()
    type_date(page, "Date of the meeting", TODAY - timedelta(days=30))
    textbox(page, "Where and how it was held").fill("At home")
    submit(page, "Record TAF meeting 2")
    expect(page.get_by_text(re.compile("cannot be before the assessment started")).first).to_be_visible()
    type_date(page, "Date of the meeting", TODAY)
    submit(page, "Record TAF meeting 2")
    expect(page.get_by_role("heading", name="TAF meeting 2")).to_be_visible()
    write_up_meeting(page, closing=True)

    # Closing the TAF: the record becomes read-only.
    page.get_by_role("link", name="Back to the Team Around the Family").click()
    wait_for_app(page)
    page.get_by_role("link", name="Close the TAF").click()
    wait_for_app(page)
    page.get_by_text("Desired outcomes achieved", exact=True).click()
    textbox(page, "The family's final comments on their experience").fill(HOSTILE)
    textbox(page, "Your evaluation").fill("Mornings are calm; attendance is back to normal.")
    submit(page, "Close the TAF")
    expect(page.get_by_text(re.compile(r"^Closed on "))).to_be_visible()
    expect(page.get_by_text(HOSTILE.strip()).first).to_be_visible()
    expect(sidebar.get_by_text("Early Help Assessment · Closed")).to_be_visible()
    page.screenshot(path=str(ARTEFACTS / "taf-closed.png"))
