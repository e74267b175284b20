"""The people in the family background (parents/carers, children, adults, professionals).

Each saved person is shown as a read-only summary of what is saved; one form is open at a time
(an "Edit" under a person, or "Add ..." under a group), named in the URL (`?edit=<person id>`
or `?edit=new-child`, pages/_forms.py) so a refresh keeps it open.

The open form saves on submit against the version of the family background this browser edits
(pages/_forms.py): field errors appear under the field, with a summary at the top, and the form
stays open; a stale save keeps what was typed in the form. A successful save closes the form
and says "Saved at" under the person.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import streamlit as st

from eha.assessment import Assessment
from eha.background import Carer, Child, Member, Professional, SignificantAdult, new_id
from eha.family import Saved
from pages import _forms, _ui

# field -> (label, widget). Widgets: text, long, date, bool, born.
FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "carer": {
        "name": ("Full name", "text"),
        "relationship": ("Relationship to the children", "text"),
        "main_carer": ("Main carer", "bool"),
        "date_of_birth": ("Date of birth", "date"),
        "gender": ("Gender", "text"),
        "ethnicity": ("Ethnicity", "text"),
        "religion": ("Religion", "text"),
        "first_language": ("First language", "text"),
        "interpreter_needed": ("Needs an interpreter", "bool"),
        "contact": ("Phone or email", "text"),
        "lives_in_home": ("Lives in the family home", "bool"),
        "address_if_different": ("Address, if different from the family's", "long"),
    },
    "child": {
        "name": ("Full name", "text"),
        "born": ("Born yet?", "born"),
        "date_of_birth": ("Date of birth", "date"),
        "due_date": ("Expected due date (unborn baby)", "date"),
        "gender": ("Gender", "text"),
        "ethnicity": ("Ethnicity", "text"),
        "religion": ("Religion", "text"),
        "first_language": ("First language", "text"),
        "interpreter_needed": ("Needs an interpreter", "bool"),
        "school_or_setting": ("School or setting", "text"),
        "address_if_different": ("Address, if different from the family's", "long"),
    },
    "adult": {
        "name": ("Full name", "text"),
        "relationship": ("Relationship to the family", "text"),
        "lives_in_home": ("Lives in the family home", "bool"),
        "contact": ("Phone or email", "text"),
    },
    "professional": {
        "name": ("Full name", "text"),
        "agency": ("Agency", "text"),
        "role": ("Role", "text"),
        "contact": ("Phone or email", "text"),
    },
}
MODELS: dict[str, type[Carer] | type[Child] | type[SignificantAdult] | type[Professional]] = {
    "carer": Carer,
    "child": Child,
    "adult": SignificantAdult,
    "professional": Professional,
}
NOUN = {"carer": "parent or carer", "child": "child", "adult": "adult", "professional": "professional"}
ADD = {
    "carer": "Add a parent or carer",
    "child": "Add a child",
    "adult": "Add an adult",
    "professional": "Add a professional",
}
BORN, UNBORN = "Born", "Not born yet"


def close_form() -> None:
    st.session_state.pop("confirm_remove", None)
    _forms.close_form()


def _shown(widget: str, value: Any) -> str:
    if widget == "bool":
        return "Yes" if value else "No"
    if widget == "born":
        return BORN if value else UNBORN
    if widget == "date":
        return f"{value:%d/%m/%Y}" if isinstance(value, date) else ""
    return str(value or "")


def summary_lines(kind: str, member: Member) -> str:
    """What is saved for one person, one "Label: value" line per field that says something
    (a yes/no field always does), for st.text, which shows it exactly."""
    lines = []
    for field, (label, widget) in FIELDS[kind].items():
        if field == "name":
            continue
        value = getattr(member, field)
        if isinstance(member, Child) and (field == "due_date") == member.born:
            continue  # a born child's due date, an unborn one's birth date: not asked
        shown = _shown(widget, value)
        if shown:
            lines.append(f"{label}: {shown}")
    return "\n".join(lines)


def group(*, a: Assessment, pin: _forms.Pin, kind: str, heading: str, members: list[Member], today: date) -> None:
    """One group of people: a summary of each, with the one open form where it belongs."""
    st.header(heading)
    open_item = _forms.editing()
    if st.session_state.get("confirm_remove") not in (None, open_item):
        st.session_state.pop("confirm_remove")  # asked about someone whose form has closed since
    generation = _forms.generation()
    for member in members:
        with st.container(border=True):
            name = member.name or "(no name yet)"
            main = " · main carer" if isinstance(member, Carer) and member.main_carer else ""
            st.subheader(_ui.literal(name + main), anchor=False)
            if open_item == member.id:
                member_form(a=a, pin=pin, kind=kind, member=member, today=today)
                continue
            st.text(summary_lines(kind, member))
            _ui.saved_note(f"{member.id}:{generation}")
            if a.editable:
                # The name in the label: a screen reader hears whose form each "Edit" opens.
                _forms.edit_button(member.id, f"Edit {_ui.label_text(name)}")
    if not a.editable:
        if not members:
            st.caption("None recorded.")
        return
    add = f"new-{kind}"
    if open_item == add:
        with st.container(border=True):
            st.subheader(ADD[kind], anchor=False)
            member_form(a=a, pin=pin, kind=kind, member=None, today=today)
    elif st.button(ADD[kind], key=f"add:{kind}", icon=":material/person_add:"):
        _forms.open_form(add)


def _widget(prefix: str, field: str, label: str, kind: str, value: Any, today: date, disabled: bool) -> None:
    key = f"{prefix}:{field}"
    if kind == "text":
        st.text_input(label, value=value, key=key, disabled=disabled)
    elif kind == "long":
        st.text_area(label, value=value, key=key, disabled=disabled, height=80)
    elif kind == "bool":
        st.checkbox(label, value=bool(value), key=key, disabled=disabled)
    elif kind == "born":
        st.radio(label, [BORN, UNBORN], index=0 if value else 1, key=key, horizontal=True, disabled=disabled)
    elif kind == "date":
        st.date_input(
            label,
            value=value,
            key=key,
            format="DD/MM/YYYY",
            disabled=disabled,
            **_ui.date_limits(value, earliest=date(1900, 1, 1), latest=today + timedelta(days=3 * 365)),
        )


def member_form(*, a: Assessment, pin: _forms.Pin, kind: str, member: Member | None, today: date) -> None:
    """One person's form (or, with no member, the form that adds one), saved against `pin`,
    the version of the family background this browser edits."""
    generation = _forms.generation()
    if member is None:
        slot = st.session_state.get(f"adding:{kind}", 0)
        prefix = f"new-{kind}-{slot}:{generation}"
    else:
        prefix = f"{member.id}:{generation}"
    fields = FIELDS[kind]
    labels = {f: label for f, (label, _) in fields.items()}
    disabled = not a.editable
    with st.form(f"form:{prefix}", border=False):
        _ui.error_summary(prefix, labels)
        for field, (label, widget) in fields.items():
            value = getattr(member, field) if member is not None else MODELS[kind].model_fields[field].default
            if member is None and field == "main_carer":
                value = not a.background.data.carers
            _widget(prefix, field, label, widget, value, today, disabled)
            _ui.field_error(prefix, field)
        cols = st.columns([1, 1, 3])
        save = cols[0].form_submit_button("Save" if member else f"Add {NOUN[kind]}", type="primary", disabled=disabled)
        remove = member is not None and cols[1].form_submit_button(f"Remove {NOUN[kind]}", disabled=disabled)
    _ui.saved_note(prefix)
    if not disabled:
        _forms.close_button(prefix)
    if save:
        _save(a, pin, kind, member, prefix)
    if remove and member is not None:
        st.session_state["confirm_remove"] = member.id
        st.rerun()
    if member is not None and st.session_state.get("confirm_remove") == member.id:
        _confirm_remove(a, pin, member, prefix)


def _save(a: Assessment, pin: _forms.Pin, kind: str, member: Member | None, prefix: str) -> None:
    values = _ui.widget_values(prefix, list(FIELDS[kind]))
    if kind == "child":
        values["born"] = values["born"] == BORN
    values = {k: ("" if v is None and FIELDS[kind][k][1] in ("text", "long") else v) for k, v in values.items()}
    candidate = MODELS[kind](id=member.id if member else new_id(), **values)

    def saved(outcome: Saved) -> None:
        # The form closes; the person's summary says it was saved. An add form opened next
        # starts empty (fresh keys).
        if member is None:
            st.session_state[f"adding:{kind}"] = st.session_state.get(f"adding:{kind}", 0) + 1
            _ui.mark_saved(f"{candidate.id}:{_forms.generation()}", outcome.saved_at)
        close_form()

    pin.save(
        prefix,
        lambda v: _ui.workbook().assessments.save_member(
            assessment_id=a.assessment_id, expected_version=v, member=candidate, actor=_ui.acting()
        ),
        saved,
    )


def _confirm_remove(a: Assessment, pin: _forms.Pin, member: Member, prefix: str) -> None:
    st.warning(f"Remove {_ui.literal(member.name or 'this person')} from the family background?")
    yes, no, _ = st.columns([1, 1, 3])
    if yes.button("Yes, remove", key=f"yes-remove:{member.id}", type="primary"):
        st.session_state.pop("confirm_remove", None)
        pin.save(
            prefix,
            lambda v: _ui.workbook().assessments.remove_member(
                assessment_id=a.assessment_id, expected_version=v, member_id=member.id, actor=_ui.acting()
            ),
            lambda _outcome: close_form(),
        )
    if no.button("Cancel", key=f"no-remove:{member.id}"):
        st.session_state.pop("confirm_remove", None)
        st.rerun()
