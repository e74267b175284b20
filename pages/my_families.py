"""My families: the families a practitioner works with, whose review is overdue or due this
week first, with each family's status, lead professional, last and next review."""

from __future__ import annotations

import streamlit as st

from eha.taf import CaseloadEntry, ReviewDue
from pages import _addresses, _pager, _ui
from pages import _taf_shared as _taf

wb = _ui.workbook()
actor = _ui.current_actor()
today = wb.today()

st.title("My families")
entries = _ui.guarded(lambda: wb.taf.my_families(actor=actor, page=_pager.requested()))
if not entries.total:
    st.info(
        "No families yet. Find or create a family to start an assessment."
        if _ui.may_write(actor)
        else "No families yet: none of your locality's families is recorded."
    )
    st.page_link(_addresses.FAMILIES.path, label=_ui.FIND_LABEL[_ui.may_write(actor)], icon=":material/search:")
else:
    # Counted over the whole caseload in the database, not from this page's rows.
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
