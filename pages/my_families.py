"""My families: the families a practitioner works with (an LCSS reviewer: their locality's), whose
review is overdue or due this week first, with each family's status, lead professional, last and
next review; filtered by review date, status and lead professional."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from eha.family import AssessmentStatus
from eha.taf import CaseloadEntry, ReviewDue
from pages import _addresses, _pager, _ui
from pages import _taf_shared as _taf

wb = _ui.workbook()
actor = _ui.current_actor()
today = wb.today()

# The filters are in the address (?due=overdue&status=taf_active&lead=<token>), so a refresh or
# a shared link keeps them; the lead only as the opaque token My families gives, never a name.
DUE_LABELS = {"": "Any review date", ReviewDue.OVERDUE.value: "Overdue", ReviewDue.THIS_WEEK.value: "Due this week"}
STATUS_LABELS = {"": "Any status", **{s.value: s.label for s in AssessmentStatus}}


def asked(param: str, allowed: Mapping[str, str]) -> str:
    """The filter's value from the address, or "" when none (or not one it can be)."""
    value = st.query_params.get(param, "")
    return value if value in allowed else ""


def refilter(param: str) -> None:
    """A filter changed: put it in the address, and start from the first page."""
    value = st.session_state[f"filter:{param}"]
    if value:
        st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]
    _pager.restart()


due, status = asked("due", DUE_LABELS), asked("status", STATUS_LABELS)
lead = st.query_params.get("lead", "")
lead = lead if lead.isalnum() and len(lead) <= 64 else ""

st.title("My families")
entries = _ui.guarded(
    lambda: wb.taf.my_families(
        actor=actor,
        due=ReviewDue(due) if due else None,
        status=AssessmentStatus(status) if status else None,
        lead=lead or None,
        page=_pager.requested(),
    )
)
leads = {c.token: f"{c.name} ({c.agency})" if c.agency else c.name for c in entries.leads}
if lead and lead not in leads:
    # A lead no longer in this caseload (an old link): show everyone's families instead.
    del st.query_params["lead"]
    st.rerun()

by_due, by_status, by_lead = st.columns(3)
by_due.selectbox(
    "Review",
    list(DUE_LABELS),
    index=list(DUE_LABELS).index(due),
    format_func=DUE_LABELS.__getitem__,
    key="filter:due",
    on_change=refilter,
    args=("due",),
)
by_status.selectbox(
    "Status",
    list(STATUS_LABELS),
    index=list(STATUS_LABELS).index(status),
    format_func=STATUS_LABELS.__getitem__,
    key="filter:status",
    on_change=refilter,
    args=("status",),
)
# A selectbox draws its options as plain text: names go as typed.
lead_options = ["", *leads]
by_lead.selectbox(
    "Lead professional",
    lead_options,
    index=lead_options.index(lead),
    format_func=lambda token: leads.get(token, "Any lead professional"),
    key="filter:lead",
    on_change=refilter,
    args=("lead",),
)
filtered = bool(due or status or lead)

if not entries.total:
    if filtered:
        st.info("No families match these filters.")
    else:
        st.info(
            "No families yet. Find or create a family to start an assessment."
            if _ui.may_write(actor)
            else "No families yet: none of your locality's families is recorded."
        )
        st.page_link(_addresses.FAMILIES.path, label=_ui.FIND_LABEL[_ui.may_write(actor)], icon=":material/search:")
else:
    # Counted over the whole caseload (as filtered) in the database, not from this page's rows.
    overdue, soon = entries.due.get(ReviewDue.OVERDUE, 0), entries.due.get(ReviewDue.THIS_WEEK, 0)
    st.caption(
        f"{entries.total:,} famil{'y' if entries.total == 1 else 'ies'} · {overdue:,} overdue · {soon:,} due this week"
    )


def entry_row(entry: CaseloadEntry) -> None:
    with st.container(border=True):
        info, links = st.columns([4, 1])
        with info:
            st.markdown(f"**{_ui.label_text(entry.reference)}** · {entry.status_label}")
            _taf.due_marker(entry.next_review, today)
            lines = [
                "Children: " + (", ".join(entry.children) or "none recorded"),
                "Lead professional: " + (entry.lead or "not agreed yet"),
                "Last review: " + (f"{entry.last_review:%d %b %Y}" if entry.last_review else "none yet"),
                "Next review: " + (f"{entry.next_review:%d %b %Y}" if entry.next_review else "–"),
            ]
            st.text("\n".join(lines))
        with links:
            st.page_link(
                _addresses.FAMILY.path, label="Family", icon=":material/home:", query_params={"family": entry.family_id}
            )
            if entry.assessment_id is not None:
                st.page_link(
                    _addresses.TAF.path,
                    label="TAF",
                    icon=":material/diversity_3:",
                    query_params={"assessment": entry.assessment_id},
                )


for found in entries:
    entry_row(found)
if entries.total:
    _pager.pager(entries, key="my_families")
