from collections.abc import Callable, Iterator
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.localities import load_localities
from pages import _ui
from storage.db import make_engine, upgrade
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.clock import Clock

APP = "../../app.py"  # AppTest resolves paths against this file
PASSWORD = "a long test password"
ACTOR = Actor(username="demo.practitioner", display_name="Demo", role=Role.PRACTITIONER)
# (username, role, locality): everyone the access tests sign in as.
PEOPLE = (
    (ACTOR.username, "practitioner", None),
    ("other.practitioner", "practitioner", None),
    ("lcss.central", "lcss", "central"),
    ("lcss.north", "lcss", "north"),
    ("ada.admin", "admin", None),
)
OPERATOR = Actor.system("test")


@pytest.fixture
def clock() -> Clock:
    """The real time, moved on by however far a test moves it (idle sign-out, lockouts)."""
    return Clock()


@pytest.fixture
def workbook(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Iterator[Workbook]:
    """The service layer the app under test uses (the same object, so the test's clock is the
    app's clock), with an account for each of PEOPLE."""
    monkeypatch.setenv("EHA_DATABASE_URL", sqlite_url)
    upgrade(sqlite_url)
    st.cache_resource.clear()
    engine = make_engine(sqlite_url)
    wb = Workbook(engine, localities=load_localities(), clock=clock, audit_key=AUDIT_KEY.encode())
    wb.accounts._sleep = lambda _seconds: None  # the slow-down is tested on its own; here it only costs time
    monkeypatch.setattr(_ui, "workbook", lambda: wb)
    for username, role, locality in PEOPLE:
        name = "Demo" if username == ACTOR.username else username
        wb.accounts.add(
            username=username, display_name=name, role=role, locality=locality, password=PASSWORD, actor=OPERATOR
        )
    yield wb
    engine.dispose()
    st.cache_resource.clear()


@pytest.fixture
def family(workbook: Workbook) -> tuple[str, str]:
    return workbook.families.create(
        locality="central",
        address="4 Cowley Road\nOxford",
        main_carer=Carer(name="Maryam Khan", relationship="Mother"),
        child=Child(name="Ayaan Khan", date_of_birth=date(2017, 9, 14)),
        actor=ACTOR,
    )


def sign_in_as(at: AppTest, workbook: Workbook, username: str) -> None:
    """Start a sign-in the way the sign-in form does, and hand it to this AppTest's browser."""
    at.session_state[_ui.SIGN_IN] = workbook.accounts.sign_in(username=username, password=PASSWORD).token


@pytest.fixture
def open_page(workbook: Workbook) -> Callable[..., AppTest]:
    """`open_page(page=None, as_="demo.practitioner", **query)`: an AppTest signed in as `as_`
    (None: not signed in) showing `page` with the query parameters."""

    def open_(page: str | None = None, as_: str | None = ACTOR.username, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        if as_ is not None:
            sign_in_as(at, workbook, as_)
        at.run()
        if page:
            at.switch_page(page)
            for key, value in params.items():
                at.query_params[key] = value
            at.run()
        assert not at.exception, at.exception
        return at

    return open_


def open_pdf_panels(at: AppTest) -> AppTest:
    """Open every "Make a PDF" panel on the page, as a person clicking each would: a panel
    draws its fields only while open (pages/_documents.py)."""
    for expander in at.expander:
        element_id = expander.proto.id  # "$$ID-<hash>-<key>" for a keyed expander
        key = element_id.split("-", 2)[2] if element_id.startswith("$$ID-") else ""
        if key.startswith("pdf:"):
            at.session_state[key] = True
    return at.run()
