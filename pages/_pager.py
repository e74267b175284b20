"""The pager under a long list: "Showing 51–100 of 1,234", Previous and Next. The page number
is in the address (`?page=2`), so a refresh or a link shared with a colleague keeps it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from eha.paging import Page
from pages import _ui

PARAM = "page"


def requested() -> int:
    """The page asked for in the address; 1 when none (or not a number)."""
    value = st.query_params.get(PARAM, "")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def restart() -> None:
    """Back to the first page: a new search or filter starts from the top of its list."""
    if PARAM in st.query_params:
        del st.query_params[PARAM]


def go_to(number: int) -> None:
    if number <= 1:
        restart()
    else:
        st.query_params[PARAM] = str(number)


def pager(page: Page[Any], *, key: str) -> None:
    """The count and, when there is more than one page, Previous and Next. A page number past
    the last has been shown as the last: the address is brought in line with it."""
    if page.page != requested() and PARAM in st.query_params:
        go_to(page.page)
    where = f"{page.showing()} · page {page.page:,} of {page.pages:,}" if page.pages > 1 else page.showing()
    st.caption(_ui.literal(where))
    if page.pages <= 1:
        return
    previous, following, _rest = st.columns([1, 1, 4])
    if previous.button("Previous", key=f"{key}:previous", disabled=not page.has_previous, icon=":material/arrow_back:"):
        go_to(page.page - 1)
        st.rerun()
    if following.button("Next", key=f"{key}:next", disabled=not page.has_next, icon=":material/arrow_forward:"):
        go_to(page.page + 1)
        st.rerun()
