"""Signing in, staying signed in across a refresh, and signing out, in a real browser."""

import re

from playwright.sync_api import Page, expect

from tests.support.browser import open_app, wait_for_app
from tests.support.sign_in import PASSWORD, database_with_account, sign_in

SIGN_IN_HEADING = "Sign in to the EHA workbook"


def test_sign_in_survives_a_refresh_and_signing_out_ends_it(streamlit_server, page: Page, tmp_path):
    base_url = streamlit_server(env={"EHA_DATABASE_URL": database_with_account(tmp_path)})
    open_app(page, base_url)
    expect(page.get_by_role("heading", name=SIGN_IN_HEADING)).to_be_visible()

    page.get_by_role("textbox", name="Username", exact=True).fill("demo.practitioner")
    page.get_by_role("textbox", name="Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Username or password is incorrect.")).to_be_visible()

    sign_in(page)
    expect(page.get_by_role("heading", name="Families", exact=True)).to_be_visible()
    page.wait_for_function("document.cookie.includes('eha_sign_in=')")
    cookies = {c["name"]: c for c in page.context.cookies()}
    token = cookies["eha_sign_in"]
    assert token["sameSite"] == "Strict" and token["path"] == "/"
    # The token is in the cookie only: never in the address, nor anything about the person.
    assert token["value"] not in page.url and "demo" not in page.url and PASSWORD not in page.url

    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Families", exact=True)).to_be_visible()
    expect(page.get_by_text("Signed in as demo.practitioner")).to_be_visible()

    page.get_by_role("link", name="Sign out").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=SIGN_IN_HEADING)).to_be_visible()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.wait_for_function("!document.cookie.includes('eha_sign_in=')")
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=SIGN_IN_HEADING)).to_be_visible()
    assert re.search(r"token|eha_sign_in", page.url) is None
