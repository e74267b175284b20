"""A parent scores the whole star with a finger on a tablet, in a real browser."""

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.localities import load_localities
from star import AREA_KEYS, AREAS
from storage.db import make_engine
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.browser import open_app, wait_for_app
from tests.support.hostile import HOSTILE
from tests.support.sign_in import database_with_account, sign_in

ACTOR = Actor(username="demo.practitioner", display_name="Demo", role=Role.PRACTITIONER)
SCORES = [4, 7, 5, 8, 3, 6, 2, 9, 5, 10]
SCREENSHOT = Path(__file__).resolve().parents[2] / "test-artifacts" / "star-tablet.png"


def no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths[0]}px wide in a {widths[1]}px window"


def test_scoring_all_ten_areas_by_tapping_on_a_tablet(streamlit_server, make_page, tmp_path):
    url = database_with_account(tmp_path, ACTOR.username)
    engine = make_engine(url)
    workbook = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
    _, assessment_id = workbook.families.create(
        locality="south",
        address="3 Mill Street\nWantage",
        main_carer=Carer(name="Maryam Haddad", relationship="Mother"),
        child=Child(name="Yusuf Haddad", date_of_birth=date(2016, 4, 9)),
        actor=ACTOR,
    )
    base_url = streamlit_server(env={"EHA_DATABASE_URL": url})
    page = make_page(768, 1024, has_touch=True)
    # The link to the star keeps its address through signing in.
    open_app(page, base_url, f"star?assessment={assessment_id}")
    sign_in(page, ACTOR.username)

    expect(page.get_by_role("heading", name="Family Star Plus")).to_be_visible()
    page.get_by_role("button", name="Start scoring", exact=True).tap()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/star\?assessment=[0-9a-f-]{36}&reading=[0-9a-f-]{36}&area=1$"))
    assert "Haddad" not in page.url

    scores = page.locator(".st-key-star-scores")
    for area, score in zip(AREAS, SCORES, strict=True):
        expect(page.get_by_text(f"{area.number} of 10", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name=area.label)).to_be_visible()
        button = scores.get_by_role("button", name=str(score), exact=True)
        box = button.bounding_box()
        assert box is not None and box["height"] >= 56, f"number buttons must be big enough for a finger: {box}"
        button.tap()
        wait_for_app(page)
        expect(page.get_by_text(re.compile(r"^Saved at \d\d:\d\d$"))).to_be_visible()
        if area.key == "routine":
            page.get_by_role("textbox", name="Note for this area (optional)").fill(HOSTILE)
            page.get_by_role("button", name="Save note", exact=True).tap()
            wait_for_app(page)
        if area.number == 5:
            no_horizontal_scroll(page)
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        page.get_by_role("button", name="Next" if area.number < 10 else "Finish").tap()
        wait_for_app(page)

    expect(page.get_by_text("All ten areas are scored.")).to_be_visible()
    no_horizontal_scroll(page)
    chart = page.locator("[data-testid=stPlotlyChart]")
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".scatterlayer .trace")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOT.with_name("star-tablet-finished.png")))

    readings = workbook.assessments.open(assessment_id=assessment_id, actor=ACTOR).star_readings
    assert len(readings) == 1
    reading = readings[0].reading
    assert reading.agreed_scores() == dict(zip(AREA_KEYS, SCORES, strict=True))
    assert reading.score_for("routine").note == HOSTILE
    assert readings[0].version == 12  # started, ten taps and a note: each saved on its own

    # The same reading opened afresh (the tablet slept; a new browser session) is all there.
    page.reload()
    wait_for_app(page)
    expect(page.get_by_text("All ten areas are scored.")).to_be_visible()
    expect(page.get_by_role("button", name="Back to the last area")).to_be_visible()
    # A TAF review scored later: the chart shows first against latest, with the numbers.
    review = workbook.star.start(
        assessment_id=assessment_id,
        taken_on=workbook.today(),
        occasion="review",
        review_number=1,
        completed_by="worker_and_family",
        actor=ACTOR,
    )
    version = review.version
    for key, score in zip(AREA_KEYS, SCORES, strict=True):
        version = workbook.star.score_area(
            reading_id=review.reading.id, expected_version=version, area=key, agreed=min(10, score + 1), actor=ACTOR
        ).version
    page.reload()
    wait_for_app(page)
    page.get_by_role("link", name="See the star chart").tap()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Family Star Plus chart")).to_be_visible()
    expect(page.locator("[data-testid=stPlotlyChart] .scatterlayer .trace")).to_have_count(2)
    no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOT.with_name("star-chart-tablet.png")))
    engine.dispose()
