"""Family Star Plus quick entry for the worker: all ten areas on one screen, saved together.

For typing up a star scored on paper, or scores agreed at a TAF meeting. The family's and the
worker's separate scores, where recorded on the scoring screen, are kept.
"""

from __future__ import annotations

import streamlit as st

from pages import _addresses, _forms, _ui
from pages import _star_shared as _star
from star import AREAS

FORM = "star-quick"

wb, actor, a, text, readings = _star.open_page()

st.caption(f"Family {_ui.label_text(a.reference)} · Early Help Assessment · {a.status.label}")
st.title("Family Star Plus: quick entry")
saved = _star.reading_for_page(readings, _ui.param("reading"))
if saved is None:
    if readings:
        st.subheader("Readings so far")
        _star.reading_list(a, readings, page=_addresses.STAR_QUICK.path, action="Enter scores")
    st.subheader("Start a reading" if readings else "Start the first reading")
    _star.start_form(a, readings, today=wb.today(), page=_addresses.STAR_QUICK.path)
    _star.attribution(text)
    st.stop()

reading_id = saved.reading.id
# The version this form was opened against: a save over someone else's newer scores is
# refused (and what was typed stays in the form), never merged.
pin = _forms.Pin(f"star:{reading_id}", saved.version, "this reading")
generation = _forms.generation()

st.markdown(f"**{saved.reading.label}** · {saved.reading.completed_by.label} · {_star.scored_count(saved)}")
st.caption(f"Last saved {_ui.at_time(saved.saved_at)} by {_ui.literal(saved.saved_by)}")
editable = a.editable and saved.locked is None
_star.notice(a, saved)
pin.stale_notice()

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
    pin.save(
        FORM,
        lambda v: wb.star.save_scores(
            reading_id=reading_id, expected_version=v, scores=scores, notes=notes, actor=actor
        ),
    )

st.page_link(
    _addresses.STAR_CHART.path,
    label="See the star chart",
    icon=":material/radar:",
    query_params={"assessment": a.assessment_id},
)
_star.attribution(text)
