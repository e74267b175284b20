"""EHA section 5: each professional's view, and whom the family agree may receive it."""

from __future__ import annotations

import streamlit as st

from eha.assessment import Section
from eha.background import Professional
from eha.consent import sharing_refusal
from eha.documents import DocumentKind
from eha.views import ProfessionalView
from pages import _documents, _forms, _progress, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
a = _progress.open_from_url()
section = a.professionals
pin = _forms.Pin(f"{a.assessment_id}:{Section.PROFESSIONALS.value}", section.version)

_progress.heading(a, "5. Professional views")
st.caption(
    "Write nothing here you would not say openly to the family. The family decide who may receive "
    "each professional's view."
)
pin.stale_notice()
refusal = sharing_refusal(a.consent.data, a.background.data)
if refusal:
    st.warning(f"Sharing is not possible now: {_ui.literal(refusal)}", icon=":material/block:")
gaps = a.gaps(Section.PROFESSIONALS)
if gaps:
    st.info("Still to do before this section is complete:\n" + "\n".join(f"- {_ui.literal(g)}" for g in gaps))
professionals = a.background.data.professionals
names = {p.id: p.name for p in professionals}
if not professionals:
    st.info("No professionals are named in section 1. Add them there if any are involved with the family.")

LABELS = {
    "agency": "Agency",
    "role": "Role",
    "view": "Their view",
    "may_receive": "The family agree these professionals may receive it",
    "may_receive_others": "Anyone else the family agree may receive it",
    "not_given_reason": "If no view was given, why",
}


def view_summary(professional: Professional) -> None:
    """What is saved of this professional's view, shown exactly (st.text), with the Edit that opens its form."""
    saved = section.data.for_professional(professional.id)
    form = f"professional-{professional.id}"
    if saved is None:
        st.caption("No view recorded yet.")
    else:
        _ui.summary(
            [
                (LABELS["agency"], saved.agency),
                (LABELS["role"], saved.role),
                (LABELS["view"], saved.view),
                (LABELS["may_receive"], ", ".join(names.get(p, p) for p in saved.may_receive)),
                (LABELS["may_receive_others"], saved.may_receive_others),
                (LABELS["not_given_reason"], saved.not_given_reason),
            ]
        )
    _ui.saved_note(form)
    if a.editable:
        _forms.edit_button(professional.id, f"Edit {_ui.label_text(professional.name or 'this professional')}'s view")


def view_form(professional: Professional) -> None:
    saved = section.data.for_professional(professional.id) or ProfessionalView(
        professional_id=professional.id, agency=professional.agency, role=professional.role
    )
    form = f"professional-{professional.id}"
    g = _forms.generation()
    disabled = not a.editable
    with st.form(f"form:{form}"):
        _ui.error_summary(form, LABELS)
        agency = st.text_input(LABELS["agency"], value=saved.agency, key=f"{form}:agency:{g}", disabled=disabled)
        _ui.field_error(form, "agency")
        role = st.text_input(LABELS["role"], value=saved.role, key=f"{form}:role:{g}", disabled=disabled)
        _ui.field_error(form, "role")
        view = _progress.text_box(form, "view", LABELS["view"], saved.view, disabled=disabled, height=200)
        others = [p for p in names if p != professional.id]
        receivers = st.multiselect(
            LABELS["may_receive"],
            others,
            default=[p for p in saved.may_receive if p in others],
            format_func=lambda pid: names.get(pid, pid),
            key=f"{form}:may_receive:{g}",
            disabled=disabled,
        )
        _ui.field_error(form, "may_receive")
        extra = st.text_input(
            LABELS["may_receive_others"],
            value=saved.may_receive_others,
            key=f"{form}:may_receive_others:{g}",
            disabled=disabled,
        )
        _ui.field_error(form, "may_receive_others")
        reason = _progress.text_box(
            form, "not_given_reason", LABELS["not_given_reason"], saved.not_given_reason, disabled=disabled, height=80
        )
        submitted = st.form_submit_button("Save", type="primary", disabled=disabled)
    _ui.saved_note(form)
    _forms.close_button(form)
    if submitted:
        candidate = ProfessionalView(
            professional_id=professional.id,
            agency=agency or "",
            role=role or "",
            view=view,
            may_receive=tuple(receivers),
            may_receive_others=extra or "",
            not_given_reason=reason,
        )
        pin.save(
            form,
            lambda v: wb.assessments.save_professional_view(
                assessment_id=a.assessment_id, expected_version=v, view=candidate, actor=actor
            ),
            lambda _saved: _forms.close_form(),
        )


for professional in professionals:
    st.header(_ui.literal(professional.name or "(no name yet)"))
    if a.editable and _forms.editing() == professional.id:
        view_form(professional)
    else:
        view_summary(professional)
    _documents.panel(a, DocumentKind.PROFESSIONAL, actor=actor, item_id=professional.id)
