"""The first visit to a freshly started server, straight to a deep link (a shared link, a
bookmark): Streamlit's first run treats pages/ as an old-style pages folder. The link must
still land on its page, behind the sign-in, with no "Page not found"."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.localities import load_localities
from pages import _addresses
from storage.db import make_engine
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.browser import open_app
from tests.support.sign_in import database_with_account, sign_in

ACTOR = Actor(username="demo.practitioner", display_name="Demo", role=Role.PRACTITIONER)


def published_path(script: str) -> str:
    """The address app.py gives a page (from pages/_addresses.py): what links, bookmarks and
    shared URLs carry."""
    found = [a.url_path for a in _addresses.ALL if a.path == f"pages/{script}"]
    assert found, f"pages/{script} has no address in pages/_addresses.py"
    return found[0]


@pytest.mark.parametrize(
    ("script", "heading"),
    [
        ("star_chart.py", "Family Star Plus chart"),
        ("star_quick.py", "Family Star Plus: quick entry"),
        ("check_answers.py", "Check your answers"),
        ("my_families.py", "My families"),
    ],
)
def test_a_deep_link_is_the_first_request_after_a_start(streamlit_server, page: Page, tmp_path, script, heading):
    path = published_path(script)
    url = database_with_account(tmp_path, ACTOR.username)
    engine = make_engine(url)
    try:
        _, assessment_id = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode()).families.create(
            locality="north",
            address="1 High Street\nBanbury",
            main_carer=Carer(name="Zofia Nowak", relationship="Mother"),
            child=Child(name="Jakub Nowak", date_of_birth=date(2018, 6, 1)),
            actor=ACTOR,
        )
    finally:
        engine.dispose()
    base_url = streamlit_server(env={"EHA_DATABASE_URL": url})

    open_app(page, base_url, f"{path}?assessment={assessment_id}")
    # The pop-up, when it comes, arrives after the first run has finished: let it settle, then
    # count (an auto-retrying "expect none" would pass before it could appear).
    page.wait_for_timeout(2500)
    assert page.get_by_text("Page not found").count() == 0
    expect(page.get_by_role("textbox", name="Username", exact=True)).to_be_visible()
    # Nothing of the family before signing in.
    expect(page.get_by_text("Nowak")).to_have_count(0)

    sign_in(page, ACTOR.username)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert page.url.endswith(f"/{path}?assessment={assessment_id}")
    assert page.get_by_text("Page not found").count() == 0
