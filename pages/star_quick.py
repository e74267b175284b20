"""Family Star Plus quick entry for the worker: all ten areas on one screen, saved together.

For typing up a star scored on paper, or scores agreed at a TAF meeting. The family's and the
worker's separate scores, where recorded on the scoring screen, are kept.
"""

from __future__ import annotations

import streamlit as st

from eha.errors import StaleRecord, ValidationFailed
from pages import _addresses, _ui
from pages import _star_shared as _star
from star import AREAS

FORM = "star-quick"

wb, actor, view, text, readings = _star.open_page()

st.caption(f"Family {_ui.label_text(view.reference)} · Early Help Assessment · {view.status.label}")
st.title("Family Star Plus: quick entry")
saved = _star.reading_for_page(readings, _ui.param("reading"))
if saved is None:
    if readings:
        st.subheader("Readings so far")
        _star.reading_list(view, readings, page=_addresses.STAR_QUICK.path, action="Enter scores")
    st.subheader("Start a reading" if readings else "Start the first reading")
    _star.start_form(view, readings, today=wb.today(), page=_addresses.STAR_QUICK.path)
    _star.attribution(text)
    st.stop()

reading_id = saved.reading.id
# The version this form was opened against: a save over someone else's newer scores is
# refused (and what was typed stays in the form), never merged.
VERSION = f"star-quick-version:{reading_id}"
if VERSION not in st.session_state:
    st.session_state[VERSION] = saved.version
generation = st.session_state.get(f"star-quick-generation:{reading_id}", 0)

st.markdown(f"**{saved.reading.label}** · {saved.reading.completed_by.label} · {_star.scored_count(saved)}")
st.caption(f"Last saved {_ui.at_time(saved.saved_at)} by {_ui.literal(saved.saved_by)}")
editable = view.editable and saved.locked is None
_star.notice(view, saved)
if st.session_state[VERSION] != saved.version:
    st.warning("These scores have been changed by someone else since you opened them.")
    if st.button("Load the latest version", icon=":material/refresh:"):
        st.session_state[VERSION] = saved.version
        st.session_state[f"star-quick-generation:{reading_id}"] = generation + 1
        _ui.set_errors(FORM, {})
        st.rerun()

labels = {}
for area in AREAS:
    labels[f"{area.key}.score"] = text.label(area.key)
    labels[f"{area.key}.note"] = f"Note for {text.label(area.key)}"
labels["area"] = "Area"

with st.form(FORM):
    _ui.error_summary(FORM, labels)
    st.caption("Each area is scored from 1 to 10. Leave a box empty for an area not scored yet.")
    for area in AREAS:
        current = saved.reading.score_for(area.key)
        score_box, note_box = st.columns([1, 2])
        score_box.number_input(
            _ui.literal(f"{area.number}. {text.label(area.key)}"),
            value=current.agreed,
            step=1,
            placeholder="1 to 10",
            key=f"quick:{reading_id}:{generation}:{area.key}:score",
            disabled=not editable,
        )
        with score_box:
            _ui.field_error(FORM, f"{area.key}.score")
        note_box.text_area(
            _ui.literal(f"Note for {text.label(area.key)}"),
            value=current.note or "",
            height=68,
            key=f"quick:{reading_id}:{generation}:{area.key}:note",
            disabled=not editable,
        )
        with note_box:
            _ui.field_error(FORM, f"{area.key}.note")
    submitted = st.form_submit_button("Save all scores", type="primary", disabled=not editable)
_ui.saved_note(FORM)

if submitted:
    prefix = f"quick:{reading_id}:{generation}"
    scores = {area.key: st.session_state.get(f"{prefix}:{area.key}:score") for area in AREAS}
    notes = {area.key: st.session_state.get(f"{prefix}:{area.key}:note") or None for area in AREAS}
    try:
        result = wb.save_star_scores(
            reading_id=reading_id,
            expected_version=st.session_state[VERSION],
            scores=scores,
            notes=notes,
            actor=actor,
        )
    except ValidationFailed as exc:
        _ui.set_errors(FORM, exc.errors)
    except StaleRecord as exc:
        _ui.set_errors(FORM, {"": str(exc)})
    else:
        st.session_state[VERSION] = result.version
        _ui.mark_saved(FORM, result.saved_at)
    st.rerun()

st.page_link(
    _addresses.STAR_CHART.path,
    label="See the star chart",
    icon=":material/radar:",
    query_params={"assessment": view.assessment_id},
)
_star.attribution(text)
