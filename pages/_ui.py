"""Shared screen helpers (not a page: app.py routes with st.navigation, so pages/ is not scanned).

Pages stay thin: they read through the service layer, draw widgets and call a service to save.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import streamlit as st

from eha.actor import Actor, Role
from eha.errors import AccessDenied, NotFound
from star import StarConfigError, StarText, load_star_text
from storage.bootstrap import open_workbook
from storage.services import Workbook
from storage.settings import load_settings

LONDON = ZoneInfo("Europe/London")
T = TypeVar("T")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


@st.cache_resource(show_spinner="Opening the workbook…")
def workbook() -> Workbook:
    """One engine per server process; sessions and query results are never cached."""
    wb, _engine = open_workbook(load_settings())
    return wb


@st.cache_resource(show_spinner=False)
def _star_text() -> StarText:
    # Configuration, not case data: the same for every user, read once per server process.
    return load_star_text(load_settings().star_text_file)


def star_text() -> StarText:
    """The Family Star Plus wording: the organisation's file if configured, else neutral wording.
    A broken file stops the page with the file's problem rather than showing half a star."""
    try:
        return _star_text()
    except StarConfigError as exc:
        st.error(f"The Family Star Plus text file cannot be used. {exc}", icon=":material/error:")
        st.stop()


def current_actor() -> Actor:
    """The person using the workbook on this machine."""
    username = os.environ.get("EHA_ACTING_USER", "demo.practitioner")
    return Actor(username=username, display_name=username, role=Role.PRACTITIONER)


def literal(text: str) -> str:
    """User text for a markdown context (labels, headings), shown exactly, never interpreted."""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return escaped.replace("\n", " ")


def at_time(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    today = datetime.now(LONDON).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d %b %Y %H:%M")


def saved_note(key: str) -> None:
    """Shows "Saved at 14:02" after a form's last successful save in this browser session."""
    message = st.session_state.get(f"saved:{key}")
    if message:
        st.success(message, icon=":material/check_circle:")


def mark_saved(key: str, moment: datetime) -> None:
    st.session_state[f"saved:{key}"] = f"Saved at {at_time(moment)}"
    st.session_state.pop(f"errors:{key}", None)


def set_errors(key: str, errors: dict[str, str]) -> None:
    st.session_state[f"errors:{key}"] = errors
    st.session_state.pop(f"saved:{key}", None)


def errors_for(key: str) -> dict[str, str]:
    found: dict[str, str] = st.session_state.get(f"errors:{key}", {})
    return found


def error_summary(key: str, labels: dict[str, str]) -> None:
    """GOV.UK-style summary at the top of a form: what is wrong, in the order of the fields."""
    errors = errors_for(key)
    if not errors:
        return
    lines = [f"- **{literal(labels.get(field, 'This form'))}**: {literal(msg)}" for field, msg in errors.items()]
    st.error("There is a problem\n\n" + "\n".join(lines), icon=":material/error:")


def field_error(key: str, field: str) -> None:
    message = errors_for(key).get(field)
    if message:
        st.markdown(f":red[{literal(message)}]")


def param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value or None


def guarded(load: Callable[[], T]) -> T:
    """Load a record; a missing or forbidden one stops the page with a plain message."""
    try:
        return load()
    except AccessDenied:
        st.error("You don't have access to this record.")
        st.stop()
    except NotFound:
        st.error("This record could not be found. It may have been removed, or the link is incomplete.")
        st.page_link("pages/families.py", label="Find a family", icon=":material/search:")
        st.stop()


def widget_values(prefix: str, fields: list[str]) -> dict[str, Any]:
    return {f: st.session_state.get(f"{prefix}:{f}") for f in fields}
