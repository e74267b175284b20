"""One family: who is in it, and its assessments (the current one and its history)."""

from __future__ import annotations

import streamlit as st

from eha.errors import ActiveAssessmentExists
from pages import _addresses, _contacts, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
family_id = _ui.required_param("family")
family = _ui.guarded(lambda: wb.families.get(family_id=family_id, actor=actor))
localities = {loc.key: loc.name for loc in wb.localities}

st.title(f"Family {_ui.label_text(family.reference)}")
st.caption(f"LCSS locality: {_ui.literal(localities.get(family.locality, family.locality))}")
_ui.read_only_notice(not _ui.may_write(actor))
left, right = st.columns(2)
left.subheader("Children")
left.text("\n".join(family.children) or "None recorded yet")
right.subheader("Parents and carers")
right.text("\n".join(family.carers) or "None recorded yet")

st.page_link(
    _addresses.SHARING.path,
    label="Record of sharing: decisions to share information, or not to",
    icon=":material/share:",
    query_params={"family": family.family_id},
)

st.subheader("Assessments")
for a in reversed(family.assessments):
    with st.container(border=True):
        info, action = st.columns([5, 1])
        started = a.started_on.strftime("%d %b %Y") if a.started_on else "not recorded"
        info.markdown(f"**Early Help Assessment** · started {started} · **{a.status.label}**")
        info.caption(f"Last changed {_ui.at_time(a.updated_at)}")
        if action.button("Open", key=f"open:{a.assessment_id}", type="primary"):
            st.switch_page(_addresses.BACKGROUND.path, query_params={"assessment": a.assessment_id})
        star_link, chart_link, taf_link, _ = info.columns([1, 1, 1, 1])
        star_link.page_link(
            _addresses.STAR.path,
            label="Family Star Plus",
            icon=":material/star:",
            query_params={"assessment": a.assessment_id},
        )
        chart_link.page_link(
            _addresses.STAR_CHART.path,
            label="Star chart",
            icon=":material/radar:",
            query_params={"assessment": a.assessment_id},
        )
        taf_link.page_link(
            _addresses.TAF.path,
            label="Team Around the Family",
            icon=":material/diversity_3:",
            query_params={"assessment": a.assessment_id},
        )

# Only one active EHA per family: the service refuses a second and says which one is active.
ACTIVE = f"start:active:{family.family_id}"
if _ui.may_write(actor) and st.button("Start a new assessment", icon=":material/add:"):
    try:
        new_id = wb.assessments.start(family_id=family.family_id, actor=actor)
    except ActiveAssessmentExists as exc:
        st.session_state[ACTIVE] = (exc.assessment_id, str(exc))
        st.rerun()
    else:
        st.session_state.pop(ACTIVE, None)
        st.switch_page(_addresses.BACKGROUND.path, query_params={"assessment": new_id})
active = st.session_state.get(ACTIVE)
if active:
    active_id, message = active
    st.warning(_ui.literal(message), icon=":material/info:")
    if st.button("Open the active assessment", type="primary"):
        st.session_state.pop(ACTIVE, None)
        st.switch_page(_addresses.BACKGROUND.path, query_params={"assessment": active_id})

# The contact log came with the family's one read above: drawing it is no second view.
_contacts.draw(wb, family, actor)
