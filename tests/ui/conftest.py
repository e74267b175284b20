from collections.abc import Callable, Iterator
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.localities import load_localities
from storage.db import make_engine, upgrade
from storage.services import Workbook

APP = "../../app.py"  # AppTest resolves paths against this file
ACTOR = Actor(username="demo.practitioner", display_name="Demo", role=Role.PRACTITIONER)


@pytest.fixture
def workbook(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workbook]:
    """The database the app under test uses, and a service layer to arrange and check it."""
    monkeypatch.setenv("EHA_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("EHA_ACTING_USER", ACTOR.username)
    upgrade(sqlite_url)
    st.cache_resource.clear()  # the app's engine is cached per process: start from this database
    engine = make_engine(sqlite_url)
    yield Workbook(engine, localities=load_localities())
    engine.dispose()
    st.cache_resource.clear()


@pytest.fixture
def family(workbook: Workbook) -> tuple[str, str]:
    return workbook.create_family(
        locality="central",
        address="4 Cowley Road\nOxford",
        main_carer=Carer(name="Maryam Khan", relationship="Mother"),
        child=Child(name="Ayaan Khan", date_of_birth=date(2017, 9, 14)),
        actor=ACTOR,
    )


@pytest.fixture
def open_page() -> Callable[..., AppTest]:
    def open_(page: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        at.run()
        if page:
            at.switch_page(page)
            for key, value in params.items():
                at.query_params[key] = value
            at.run()
        assert not at.exception, at.exception
        return at

    return open_
