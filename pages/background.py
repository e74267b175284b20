"""EHA section 1: family background and the reason for the assessment."""

from __future__ import annotations

import streamlit as st

from eha import background as rules
from eha.errors import StaleRecord, ValidationFailed
from pages import _members, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
assessment_id = _ui.param("assessment")
if assessment_id is None:
    st.switch_page("pages/families.py")
view = _ui.guarded(lambda: wb.open_assessment(assessment_id=assessment_id, actor=actor))
today = wb.today()
background = view.background

with st.sidebar:
    st.page_link(
        "pages/family.py",
        label=f"Family {view.reference}",
        icon=":material/home:",
        query_params={"family": view.family_id},
    )
    st.page_link(
        "pages/star.py",
        label="Family Star Plus",
        icon=":material/star:",
        query_params={"assessment": view.assessment_id},
    )
    st.page_link(
        "pages/star_chart.py",
        label="Star chart",
        icon=":material/radar:",
        query_params={"assessment": view.assessment_id},
    )

st.caption(f"Family {view.reference} · Early Help Assessment · {view.status.label}")
st.title("1. Family background and reason for assessment")
if view.background_saved:
    st.caption(f"Last saved {_ui.at_time(view.background_saved.saved_at)} by {view.background_saved.saved_by}")

if st.session_state.pop("stale", False) or st.session_state.get("stale_message"):
    st.error(st.session_state.pop("stale_message", None) or str(StaleRecord("The family background")))
if _members.pinned_version(view) != view.background_version:
    st.warning("Someone else has saved changes to this section since you opened it.")
    if st.button("Load the latest version", icon=":material/refresh:"):
        _members.reload_latest(view)
        st.rerun()

gaps = rules.missing(background)
if gaps:
    st.info("Still to do before this section is complete:\n" + "\n".join(f"- {g}" for g in gaps))
else:
    st.success("This section has everything it needs.", icon=":material/task_alt:")

DETAILS = "details"
st.header("The family's address and the reason for the assessment")
generation = st.session_state.get("generation", 0)
with st.form(f"form:{DETAILS}"):
    _ui.error_summary(DETAILS, {"address": "Family's main address", "reason": "Reason for the assessment"})
    address = st.text_area(
        "Family's main address",
        value=background.address,
        height=100,
        key=f"details:address:{generation}",
        disabled=not view.editable,
    )
    _ui.field_error(DETAILS, "address")
    reason = st.text_area(
        "Reason for the assessment",
        value=background.reason,
        height=200,
        help="What is the concern, in the family's words as well as yours? What has already been tried?",
        key=f"details:reason:{generation}",
        disabled=not view.editable,
    )
    _ui.field_error(DETAILS, "reason")
    save_details = st.form_submit_button("Save", type="primary", disabled=not view.editable)
_ui.saved_note(DETAILS)
if save_details:
    try:
        saved = wb.save_details(
            assessment_id=view.assessment_id,
            expected_version=_members.pinned_version(view),
            address=address or "",
            reason=reason or "",
            actor=actor,
        )
    except ValidationFailed as exc:
        _ui.set_errors(DETAILS, exc.errors)
    except StaleRecord as exc:
        _ui.set_errors(DETAILS, {"": str(exc)})
    else:
        st.session_state[f"version:{view.assessment_id}:background"] = saved.version
        _ui.mark_saved(DETAILS, saved.saved_at)
    st.rerun()

GROUPS = (
    ("carer", "Parents and carers", background.carers),
    ("child", "Children", background.children),
    ("adult", "Other significant adults", background.adults),
    ("professional", "Professionals involved", background.professionals),
)
for kind, heading, members in GROUPS:
    st.header(heading)
    for member in members:
        summary = member.name or "(no name yet)"
        if kind == "carer" and member.main_carer:
            summary += " · main carer"
        with st.expander(_ui.literal(summary)):
            _members.member_form(view=view, kind=kind, member=member, today=today)
    with st.expander(_members.ADD[kind], icon=":material/person_add:"):
        _members.member_form(view=view, kind=kind, member=None, today=today)
