"""Accounts for browser tests, and signing in through the real sign-in screen."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from eha.actor import Actor
from eha.localities import load_localities
from pages._ui import COOKIE as SIGN_IN_COOKIE
from storage.db import make_engine, upgrade
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.browser import wait_for_app

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "a long browser-test password"


def database_with_account(
    directory: Path, username: str = "demo.practitioner", *, role: str = "practitioner", locality: str | None = None
) -> str:
    """A migrated SQLite database in `directory` with one account (password PASSWORD); its URL,
    to hand to `streamlit_server(env={"EHA_DATABASE_URL": url})`."""
    url = f"sqlite:///{directory / 'eha-browser.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode()).accounts.add(
            username=username,
            display_name=username,
            role=role,
            locality=locality,
            password=PASSWORD,
            actor=Actor.system("tests"),
        )
    finally:
        engine.dispose()
    return url


def sign_in(page: Page, username: str = "demo.practitioner", password: str = PASSWORD) -> None:
    """Fill in the sign-in screen on the current page and wait for the workbook to answer."""
    page.get_by_role("textbox", name="Username", exact=True).fill(username)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_for_app(page)
    page.get_by_text(f"Signed in as {username}").wait_for()
    # The name shows early in the run that draws the page; let that run finish, or the next
    # tap can land on a button that is about to be redrawn and be lost.
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", state="attached")
    # The page hands the sign-in to the server, which sets the HttpOnly cookie, a moment after
    # it is drawn: a test that goes to another address straight away (a new session, which
    # reads the cookie) must wait for it, as a person's next click always has.
    deadline = time.monotonic() + 15
    while not any(c["name"] == SIGN_IN_COOKIE for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise AssertionError("the sign-in cookie was never set")
        page.wait_for_timeout(100)
