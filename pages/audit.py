"""The audit trail: who did what, when, to which record. LCSS reviewers see their locality's
families and their own actions; administrators see everything; practitioners are refused.
An entry about a family the reader may not see shows what changed, not the values (the
service layer has already replaced them)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from eha.audit import HIDDEN, AuditAction
from eha.errors import ValidationFailed
from pages import _pager, _ui

wb = _ui.workbook()
actor = _ui.current_actor()

st.title("Audit trail")
st.caption(
    "Every sign-in, view, change, export and refusal, newest first. Entries cannot be changed: "
    "each carries a hash of its content and of the entry before it."
)
with st.form("audit-filter"):
    left, middle = st.columns(2)
    record = left.text_input(
        "Record: a family reference such as EH-7KQ2MX, or part of a record name", key="audit:record"
    )
    person = middle.text_input("Person: a username", key="audit:person")
    since_col, until_col = st.columns(2)
    since = since_col.date_input(
        "From", value=None, format="DD/MM/YYYY", key="audit:since", **_ui.date_limits(None, latest=date(2100, 1, 1))
    )
    until = until_col.date_input(
        "To", value=None, format="DD/MM/YYYY", key="audit:until", **_ui.date_limits(None, latest=date(2100, 1, 1))
    )
    if st.form_submit_button("Show entries", icon=":material/filter_list:"):
        _pager.restart()  # new filters start at their first page

try:
    lines = _ui.guarded(
        lambda: wb.audit.trail(
            actor=actor,
            record=record or "",
            person=person or "",
            since=since if isinstance(since, date) else None,
            until=until if isinstance(until, date) else None,
            page=_pager.requested(),
        )
    )
except ValidationFailed as refused:
    for message in refused.errors.values():
        st.error(_ui.literal(message))
    st.stop()


def action_label(action: str) -> str:
    try:
        return AuditAction(action).label
    except ValueError:
        return action


VALUES_HIDDEN = "Value hidden: you can't see this family's record"

st.subheader(f"{lines.total:,} entr{'y' if lines.total == 1 else 'ies'}")
if any(line.values_hidden for line in lines):
    st.caption(
        "Some entries are about families whose record you can't see: they show what changed, who and "
        f"when, and each value reads {_ui.literal(HIDDEN)}."
    )
# A dataframe shows every value as plain text: nothing typed into a record is interpreted here.
st.dataframe(
    [
        {
            "When": _ui.at_time(line.entry.at),
            "Who": line.entry.actor,
            "Role": line.entry.actor_role,
            "What": action_label(line.entry.action),
            "Family": line.family_reference or "",
            "Record": line.entry.record,
            "Details": line.entry.details if line.entry.details != "{}" else "",
            "Values": VALUES_HIDDEN if line.values_hidden else "",
            "Entry": line.entry.seq,
        }
        for line in lines
    ],
    hide_index=True,
    width="stretch",
)
if lines.total:
    _pager.pager(lines, key="audit")
