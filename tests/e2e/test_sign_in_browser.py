"""Signing in, staying signed in across a refresh, and signing out, in a real browser."""

import re

from playwright.sync_api import Page, expect

from pages._ui import SIGN_IN_ROUTE, SIGN_OUT_ROUTE
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

    # The page hands the server a one-time code; the server's answer sets the cookie.
    with page.expect_response(lambda r: r.url.endswith(SIGN_IN_ROUTE) and r.status == 204):
        sign_in(page)
    expect(page.get_by_role("heading", name="Families", exact=True)).to_be_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    token = cookies["eha_sign_in"]
    assert token["httpOnly"] is True and token["sameSite"] == "Strict" and token["path"] == "/"
    assert token["secure"] is False  # served over plain http here; Secure over https (serve.py)
    # No page script can read it, and the page never held the token.
    assert "eha_sign_in" not in page.evaluate("document.cookie")
    assert token["value"] not in page.content()
    # The token is in the cookie only: never in the address, nor anything about the person.
    assert token["value"] not in page.url and "demo" not in page.url and PASSWORD not in page.url

    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Families", exact=True)).to_be_visible()
    expect(page.get_by_text("Signed in as demo.practitioner")).to_be_visible()

    with page.expect_response(lambda r: r.url.endswith(SIGN_OUT_ROUTE) and r.status == 204):
        page.get_by_role("link", name="Sign out").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=SIGN_IN_HEADING)).to_be_visible()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert "eha_sign_in" not in {c["name"] for c in page.context.cookies()}
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=SIGN_IN_HEADING)).to_be_visible()
    assert re.search(r"token|eha_sign_in", page.url) is None


def test_the_cookie_routes_refuse_another_sites_request_and_a_used_or_made_up_code(
    streamlit_server, page: Page, tmp_path
):
    base_url = streamlit_server(env={"EHA_DATABASE_URL": database_with_account(tmp_path)})
    request = page.context.request
    made_up = request.post(base_url + SIGN_IN_ROUTE, data="not-a-code", headers={"Sec-Fetch-Site": "same-origin"})
    assert made_up.status == 400 and "set-cookie" not in made_up.headers
    other_site = request.post(base_url + SIGN_OUT_ROUTE, headers={"Sec-Fetch-Site": "cross-site"})
    assert other_site.status == 403
