"""Parts of a form that records information leaving the workbook, shared by the record of
sharing and the PDF box (not a page: app.py routes with st.navigation): whom it goes to, picked
from the family's professionals and the local directory or typed; and whether the parent and the
child were told, or why not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from eha.recipients import Recipient, RecipientKind, typed_recipient
from eha.sharing import Told
from pages import _ui

SOMEONE_ELSE = "other"


def pick_recipient(offered_list: tuple[Recipient, ...], *, label: str, key: str) -> tuple[str | None, Recipient | None]:
    """A picker of the family's professionals, then the local directory, then "someone else"
    (their name and agency typed). Returns what was chosen (an option's key, or None) and the
    recipient it names (None until chosen). Widget keys start with `key`."""
    offered = {f"{r.kind.value}:{r.key}": r for r in offered_list}

    def option_label(option: str) -> str:
        # A selectbox draws its options as plain text: names go as typed.
        if option == SOMEONE_ELSE:
            return "Someone else (not in the family background or the directory)"
        r = offered[option]
        where = "the family's professional" if r.kind is RecipientKind.PROFESSIONAL else "local directory"
        return f"{r.label} · {where}"

    chosen = st.selectbox(
        label,
        [*offered, SOMEONE_ELSE],
        format_func=option_label,
        index=None,
        placeholder="Choose from the family's professionals, then the local directory",
        key=f"{key}:party",
    )
    if chosen == SOMEONE_ELSE:
        c1, c2 = st.columns(2)
        name = c1.text_input("Their name", key=f"{key}:other_name")
        agency = c2.text_input("Their agency", key=f"{key}:other_agency")
        return chosen, typed_recipient(name or "", agency or "")
    return chosen, offered.get(chosen) if chosen else None


@dataclass(frozen=True)
class WhoWasTold:
    parent_told: Told | None
    parent_not_told_reason: str
    child_told: Told | None
    child_not_told_reason: str


def who_was_told(*, form: str, key: str, labels: Mapping[str, str], parent_hint: str = "") -> WhoWasTold:
    """Whether the parent and the child were told, each with why not; errors of the form
    `form` beside each. `labels` names the four fields (parent_told, parent_not_told_reason,
    child_told, child_not_told_reason)."""
    parent_told = st.radio(
        labels["parent_told"],
        list(Told),
        format_func=lambda t: t.label,
        horizontal=True,
        index=None,
        key=f"{key}:parent_told",
    )
    _ui.field_error(form, "parent_told")
    parent_reason = st.text_area(
        labels["parent_not_told_reason"] + (parent_hint or " (if not told)"), key=f"{key}:parent_not_told_reason"
    )
    _ui.field_error(form, "parent_not_told_reason")
    child_told = st.radio(
        labels["child_told"],
        [Told.YES, Told.NO],
        format_func=lambda t: t.label,
        horizontal=True,
        index=None,
        key=f"{key}:child_told",
    )
    _ui.field_error(form, "child_told")
    child_reason = st.text_area(labels["child_not_told_reason"] + " (if not told)", key=f"{key}:child_not_told_reason")
    _ui.field_error(form, "child_not_told_reason")
    return WhoWasTold(parent_told, parent_reason or "", child_told, child_reason or "")
