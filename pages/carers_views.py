"""EHA section 2: each parent's or carer's view, in their own words."""

from __future__ import annotations

from functools import partial

import streamlit as st

from eha.assessment import Section
from eha.family import Saved
from eha.views import CARER_VIEW_LABELS, CarerView
from pages import _addresses, _forms, _progress, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
a = _progress.open_from_url()
section = a.carers
pin = _forms.Pin(f"{a.assessment_id}:{Section.CARERS.value}", section.version)

_progress.heading(a, "2. Parents' and carers' views")
st.caption(
    "Write what each parent or carer says in their own words. Scoring the star as you go makes the "
    "Outcome Star quicker later."
)
pin.stale_notice()
gaps = a.gaps(Section.CARERS)
if gaps:
    st.info("Still to do before this section is complete:\n" + "\n".join(f"- {_ui.literal(g)}" for g in gaps))
carers = a.background.data.carers
if not carers:
    st.info("Add the parents and carers in section 1 first.")
    st.page_link(
        _addresses.SECTIONS[Section.BACKGROUND].path,
        label="1. Family background",
        query_params={"assessment": a.assessment_id},
    )

HINTS = {
    "own_words": "How do they see things? Use their words.",
    "not_given_reason": "Only if they could not or would not give their view.",
}


def save_view(view: CarerView, version: int) -> Saved:
    return wb.assessments.save_carer_view(
        assessment_id=a.assessment_id, expected_version=version, view=view, actor=actor
    )


for carer in carers:
    saved = section.data.for_carer(carer.id) or CarerView(carer_id=carer.id)
    form = f"carer-{carer.id}"
    st.header(_ui.literal(carer.name or "(no name yet)"))
    with st.form(f"form:{form}"):
        _ui.error_summary(form, CARER_VIEW_LABELS)
        typed = {
            field: _progress.text_box(
                form, field, label, getattr(saved, field), disabled=not a.editable, hint=HINTS.get(field, "")
            )
            for field, label in CARER_VIEW_LABELS.items()
        }
        submitted = st.form_submit_button("Save", type="primary", disabled=not a.editable)
    _ui.saved_note(form)
    if submitted:
        pin.save(form, partial(save_view, CarerView(carer_id=carer.id, **typed)))
