"""The browser fixtures drive a real `streamlit run` in Debian's Chromium."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.support.browser import open_app, wait_for_app
from tests.support.hostile import HOSTILE

ECHO_APP = textwrap.dedent(
    """
    import os

    import streamlit as st

    st.title("Echo")
    text = st.text_input("Say something")
    if st.button("Show it"):
        st.code(text, language=None)
    st.caption("db=" + os.environ.get("EHA_DATABASE_URL", "(none)"))
    """
)


@pytest.fixture
def echo_app(tmp_path: Path) -> str:
    path = tmp_path / "echo_app.py"
    path.write_text(ECHO_APP, encoding="utf-8")
    return str(path)


def test_fill_click_and_read_back(
    streamlit_server: Callable[..., str], page: Page, echo_app: str, request: pytest.FixtureRequest
) -> None:
    assert request.node.get_closest_marker("browser") is not None  # added automatically
    base_url = streamlit_server(app=echo_app)
    open_app(page, base_url)

    box = page.get_by_label("Say something")
    box.fill(HOSTILE)
    box.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Show it").click()
    wait_for_app(page)

    shown = page.locator('[data-testid="stCode"] code')
    assert shown.inner_text() == HOSTILE
    # The app got a throwaway database URL, never a developer's real one.
    assert "db=sqlite:///" in page.locator('[data-testid="stCaptionContainer"]').inner_text()


@pytest.mark.parametrize("page", [(390, 844)], indirect=True)
def test_page_viewport_by_indirect_param(page: Page) -> None:
    assert page.viewport_size == {"width": 390, "height": 844}


def test_make_page_and_env(streamlit_server: Callable[..., str], make_page: Callable[..., Page], echo_app: str) -> None:
    base_url = streamlit_server(env={"EHA_DATABASE_URL": "sqlite:///given.db"}, app=echo_app)
    tablet = make_page(820, 1180, has_touch=True)
    assert tablet.viewport_size == {"width": 820, "height": 1180}
    open_app(tablet, base_url)
    assert tablet.locator('[data-testid="stCaptionContainer"]').inner_text() == "db=sqlite:///given.db"
