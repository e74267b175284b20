"""Saving a form against the version it was opened at (not a page: app.py routes with
st.navigation).

Every screen that changes a versioned record saves the same way:
- `Pin(record, current)` is the version this browser edits against, kept in the session from
  the first time the record is drawn: a save over someone else's newer one is refused by the
  service, never merged.
- `pin.stale_notice()` says when someone else has saved since, with a button that loads the
  latest version (fresh widget keys through `generation()`; field errors and "Saved at" notes
  are cleared).
- `pin.save(form, call)` runs a save: field errors go beside the fields with a summary at the
  top, a stale save keeps what was typed, a success moves the pin on and says "Saved at 14:02";
  then the page is drawn again.
- `save(form, call)` is the same for a save against the version drawn this run (no pin).
- `attempt(call)` is the outcome of a save with nothing drawn, for a screen that saves on every
  tap and says so in its own place (the star).

A screen with one form per person or per item (section 1's people, each child's view, each
professional's view) shows what is saved as a summary and opens one form at a time: `editing()`
is the item whose form is open, named in the URL (`?edit=<id>`) so a refresh keeps it open;
`edit_button` opens one, `close_form` closes it (after a successful save, or without saving).
A page of live forms for every item made each run slow: each text widget walks the whole
session state, so a page's cost grew with the square of its fields (BENCHMARKS.md, "Screens").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn, Protocol, TypeVar

import streamlit as st

from eha.errors import ConsentWithdrawn, StaleRecord, ValidationFailed
from pages import _ui

GENERATION = "generation"
EDIT = "edit"  # the URL's name for the one form open on a page


def editing() -> str | None:
    """The item whose form is open on this page, if any."""
    return _ui.param(EDIT)


def open_form(item: str) -> NoReturn:
    st.query_params[EDIT] = item
    st.rerun()


def close_form() -> None:
    if EDIT in st.query_params:
        del st.query_params[EDIT]


def edit_button(item: str, label: str = "Edit") -> None:
    """The button that opens `item`'s form (`label` names it: "Edit <name>")."""
    if st.button(label, key=f"edit:{item}", icon=":material/edit:"):
        open_form(item)


def close_button(item: str) -> None:
    """Closes the open form, dropping what was typed in it (nothing was saved)."""
    if st.button("Close without saving", key=f"close:{item}"):
        close_form()
        st.rerun()


class Stored(Protocol):
    """What a service's save returns: the new version to edit against, and when."""

    @property
    def version(self) -> int: ...

    @property
    def saved_at(self) -> datetime: ...


S = TypeVar("S", bound=Stored)


@dataclass(frozen=True)
class Refused:
    """A save the service refused: field -> message ("" for the form as a whole)."""

    errors: dict[str, str]
    stale: bool = False  # someone else saved first

    @property
    def message(self) -> str:
        return " ".join(self.errors.values())


def attempt(call: Callable[[], S]) -> S | Refused:
    """Run a save and sort its outcome: what was saved, or why it was refused."""
    try:
        return call()
    except ValidationFailed as exc:
        return Refused(dict(exc.errors))
    except StaleRecord as exc:
        return Refused({"": str(exc)}, stale=True)
    except ConsentWithdrawn as exc:
        return Refused({"": str(exc)})


def save(form: str, call: Callable[[], S], on_success: Callable[[S], object] | None = None) -> NoReturn:
    """Run a form's save: errors beside its fields, or "Saved at" under it; then redraw."""
    outcome = attempt(call)
    if isinstance(outcome, Refused):
        _ui.set_errors(form, outcome.errors)
    else:
        _ui.mark_saved(form, outcome.saved_at)
        if on_success is not None:
            on_success(outcome)
    st.rerun()


def generation() -> int:
    """Part of every form widget's key: loading the latest version draws fresh widgets."""
    found: int = st.session_state.get(GENERATION, 0)
    return found


def fresh_widgets() -> None:
    """Forget what was typed, and the errors and notes about it: widgets start from the record."""
    st.session_state[GENERATION] = generation() + 1
    for key in [k for k in st.session_state if str(k).startswith(("errors:", "saved:"))]:
        del st.session_state[key]


@dataclass(frozen=True)
class Pin:
    """The version of one record this browser edits against.

    `record` names the record (an assessment's section, a TAF meeting, a star reading);
    `current` is the version stored now; `what` names it in the stale notice.
    """

    record: str
    current: int
    what: str = "this section"

    @property
    def _key(self) -> str:
        return f"version:{self.record}"

    @property
    def version(self) -> int:
        if self._key not in st.session_state:
            st.session_state[self._key] = self.current
        pinned: int = st.session_state[self._key]
        return pinned

    @property
    def stale(self) -> bool:
        return self.version != self.current

    def moved_to(self, version: int) -> None:
        st.session_state[self._key] = version

    def stale_notice(self) -> None:
        if not self.stale:
            return
        st.warning(f"Someone else has saved changes to {_ui.literal(self.what)} since you opened it.")
        if st.button("Load the latest version", icon=":material/refresh:", key=f"reload:{self.record}"):
            self.moved_to(self.current)
            fresh_widgets()
            st.rerun()

    def save(self, form: str, call: Callable[[int], S], on_success: Callable[[S], object] | None = None) -> NoReturn:
        """Save against the pinned version; a success pins the version it produced."""

        def saved(outcome: S) -> None:
            self.moved_to(outcome.version)
            if on_success is not None:
                on_success(outcome)

        save(form, lambda: call(self.version), saved)
