"""Find a family by a child's or carer's name, date of birth or reference; or create one."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from eha.background import Carer, Child
from eha.errors import DuplicateFamily, ValidationFailed
from eha.family import FamilySummary
from eha.paging import PER_PAGE, Page
from pages import _addresses, _pager, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
today = wb.today()
localities = {loc.key: loc.name for loc in wb.localities}

st.title("Families")

with st.form("search"):
    query = st.text_input(
        "Search by a child's or carer's name, a date of birth (DD/MM/YYYY) or the family reference",
        key="search:query",
    )
    if st.form_submit_button("Search", icon=":material/search:"):
        _pager.restart()  # a new search starts at its first page

query = st.session_state.get("search:query", "") or ""
results: Page[FamilySummary]
try:
    results = _ui.guarded(lambda: wb.families.search(query=query, actor=actor, page=_pager.requested()))
except ValidationFailed as refused:
    st.error(_ui.literal(refused.errors.get("query", str(refused))))
    query, results = "", Page((), total=0, page=1, per_page=PER_PAGE)


def family_row(family: FamilySummary) -> None:
    with st.container(border=True):
        left, right = st.columns([5, 1])
        latest = family.latest_assessment
        status = latest.status.label if latest else "No assessment"
        left.markdown(
            f"**{_ui.label_text(family.reference)}** · "
            f"{_ui.literal(localities.get(family.locality, family.locality))} · {status}"
        )
        left.text(
            "Children: "
            + (", ".join(family.children) or "none recorded")
            + "\nParents/carers: "
            + (", ".join(family.carers) or "none recorded")
        )
        if right.button("Open", key=f"open:{family.family_id}"):
            st.switch_page(_addresses.FAMILY.path, query_params={"family": family.family_id})


if query.strip():
    st.subheader(f"{results.total:,} famil{'y' if results.total == 1 else 'ies'} found")
    if not results:
        st.info(
            "No family matches. Check the spelling, try part of a name"
            + (", or create the family below." if _ui.may_write(actor) else ".")
        )
else:
    st.subheader("Recently changed families")
for found in results:
    family_row(found)
if results.total:
    _pager.pager(results, key="families")

if not _ui.may_write(actor):
    # LCSS reviewers read their locality's families; practitioners create them.
    st.stop()
st.divider()
st.header("Create a family")
st.caption(
    "Start with the main carer and one child; you can add everyone else in the family background. "
    "If the child is already known, you will be shown their family instead."
)
FORM = "create"
labels = {
    "locality": "LCSS locality",
    "carer.name": "Main carer's full name",
    "carer.relationship": "Relationship to the child",
    "child.name": "Child's full name",
    "child.date_of_birth": "Child's date of birth",
    "child.due_date": "Expected due date",
    "address": "Family's main address",
}
with st.form(FORM):
    _ui.error_summary(FORM, labels)
    locality = st.selectbox(
        labels["locality"], list(localities), format_func=localities.__getitem__, key="create:locality"
    )
    _ui.field_error(FORM, "locality")
    carer_name = st.text_input(labels["carer.name"], key="create:carer.name")
    _ui.field_error(FORM, "carer.name")
    relationship = st.text_input(
        labels["carer.relationship"], placeholder="Mother, father, grandparent…", key="create:carer.relationship"
    )
    _ui.field_error(FORM, "carer.relationship")
    child_name = st.text_input(labels["child.name"], key="create:child.name")
    _ui.field_error(FORM, "child.name")
    born = st.radio("Born yet?", ["Born", "Not born yet"], horizontal=True, key="create:born")
    dob = st.date_input(
        labels["child.date_of_birth"],
        value=None,
        format="DD/MM/YYYY",
        key="create:dob",
        **_ui.date_limits(None, earliest=date(1900, 1, 1), latest=today + timedelta(days=3 * 365)),
    )
    _ui.field_error(FORM, "child.date_of_birth")
    due = st.date_input(
        labels["child.due_date"],
        value=None,
        format="DD/MM/YYYY",
        key="create:due",
        **_ui.date_limits(None, earliest=today - timedelta(days=365), latest=today + timedelta(days=3 * 365)),
    )
    _ui.field_error(FORM, "child.due_date")
    address = st.text_area(labels["address"], key="create:address", height=100)
    _ui.field_error(FORM, "address")
    create = st.form_submit_button("Create family", type="primary")

duplicate = st.session_state.get("create:duplicate")
if duplicate:
    family_id, reference = duplicate
    st.warning(
        f"A child with this name and date of birth is already recorded in family **{_ui.label_text(reference)}**. "
        "Open that family rather than creating a second record."
    )
    if st.button(f"Open family {_ui.label_text(reference)}", type="primary"):
        st.session_state.pop("create:duplicate", None)
        st.switch_page(_addresses.FAMILY.path, query_params={"family": family_id})

if create:
    st.session_state.pop("create:duplicate", None)
    try:
        _family_id, assessment_id = wb.families.create(
            locality=locality or "",
            address=address or "",
            main_carer=Carer(name=carer_name or "", relationship=relationship or "", main_carer=True),
            child=Child(
                name=child_name or "",
                born=born == "Born",
                date_of_birth=dob if born == "Born" else None,
                due_date=due if born != "Born" else None,
            ),
            actor=actor,
        )
    except ValidationFailed as exc:
        _ui.set_errors(FORM, exc.errors)
        st.rerun()
    except DuplicateFamily as exc:
        _ui.set_errors(FORM, {})
        st.session_state["create:duplicate"] = (exc.family_id, exc.reference)
        st.rerun()
    else:
        _ui.set_errors(FORM, {})
        st.switch_page(_addresses.BACKGROUND.path, query_params={"assessment": assessment_id})
