"""The family's contact log, drawn on the family's page (not a page: app.py routes with
st.navigation): visits, calls, messages and meetings outside the TAF, newest first, a form to
record one, and removal with a reason.

The contacts come with the family's one read (`wb.families.get`), so drawing the log adds no
second view to the audit trail. A refused form keeps what was typed, with the errors beside
the fields; a recorded contact starts the form afresh. An LCSS reviewer sees the log only.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from eha.actor import Actor
from eha.contacts import Contact, ContactKind, RecordedContact
from eha.errors import ValidationFailed
from eha.family import FamilySummary
from pages import _ui
from storage.services import Workbook

FORM = "contact"
REMOVE_FORM = "contact-remove"
GENERATION = "contact:generation"
REMOVING = "contact:removing"  # the id of the contact whose removal is being asked for

LABELS = {
    "contact_on": "Date of the contact",
    "kind": "Type of contact",
    "kind_other": "If other, what kind",
    "who": "Who was involved",
    "note": "A short note",
}
REMOVE_LABELS = {"reason": "Why is it being removed?"}


def draw(wb: Workbook, family: FamilySummary, actor: Actor) -> None:
    """The log, with the form and the removals for those who may write case content."""
    st.subheader("Contact log")
    st.caption("Visits, phone calls, messages and meetings with the family outside the TAF meetings.")
    writer = _ui.may_write(actor)
    if writer:
        _record_form(wb, family, actor)
    current = [c for c in family.contacts if not c.removed]
    removed = [c for c in family.contacts if c.removed]
    if not current:
        st.info("No contacts recorded yet.")
    for item in current:
        _show(wb, item, actor, writer=writer)
    if removed:
        with st.expander(f"Removed contacts ({len(removed)})"):
            for item in removed:
                _show_removed(item)


def _record_form(wb: Workbook, family: FamilySummary, actor: Actor) -> None:
    today = wb.today()
    generation: int = st.session_state.get(GENERATION, 0)
    key = f"contact:{generation}"
    with st.form(f"form:{FORM}:{generation}"):
        st.markdown("**Record a contact**")
        _ui.error_summary(FORM, LABELS)
        left, right = st.columns(2)
        contact_on = left.date_input(
            LABELS["contact_on"],
            value=today,
            format="DD/MM/YYYY",
            key=f"{key}:contact_on",
            **_ui.date_limits(today, latest=today),
        )
        with left:
            _ui.field_error(FORM, "contact_on")
        kind = right.selectbox(LABELS["kind"], list(ContactKind), format_func=lambda k: k.label, key=f"{key}:kind")
        kind_other = right.text_input(LABELS["kind_other"], key=f"{key}:kind_other")
        with right:
            _ui.field_error(FORM, "kind")
            _ui.field_error(FORM, "kind_other")
        who = st.text_input(LABELS["who"], key=f"{key}:who", help="For example: Mum and Ayaan; the school nurse.")
        _ui.field_error(FORM, "who")
        note = st.text_area(LABELS["note"], key=f"{key}:note", help="What happened and what was agreed.")
        _ui.field_error(FORM, "note")
        submitted = st.form_submit_button("Record the contact", type="primary")
    if submitted:
        contact = Contact(
            contact_on=contact_on if isinstance(contact_on, date) else today,
            kind=kind or ContactKind.VISIT,
            kind_other=kind_other or "",
            who=who or "",
            note=note or "",
        )
        try:
            wb.contacts.record(family_id=family.family_id, contact=contact, actor=actor)
        except ValidationFailed as exc:
            _ui.set_errors(FORM, exc.errors)  # the form keeps what was typed: same widget keys
        else:
            _ui.mark_saved(FORM, wb.now())
            st.session_state[GENERATION] = generation + 1  # a fresh, empty form
        st.rerun()
    _ui.saved_note(FORM)


def _show(wb: Workbook, item: RecordedContact, actor: Actor, *, writer: bool) -> None:
    c = item.contact
    with st.container(border=True):
        st.markdown(f"**{c.contact_on:%d %b %Y} · {_ui.literal(item.kind_label)}**")
        st.text(f"Who: {c.who}\n{c.note}")
        st.caption(
            f"Recorded by {_ui.literal(item.recorded_by_name)} ({_ui.literal(item.recorded_by)}), "
            f"{_ui.at_time(item.recorded_at)}"
        )
        if not writer:
            return
        if st.session_state.get(REMOVING) != item.id:
            if st.button("Remove", key=f"contact:remove:{item.id}", icon=":material/delete:"):
                st.session_state[REMOVING] = item.id
                _ui.set_errors(REMOVE_FORM, {})
                st.rerun()
            return
        _remove_form(wb, item, actor)


def _remove_form(wb: Workbook, item: RecordedContact, actor: Actor) -> None:
    st.warning(
        "Remove this contact only if it was recorded by mistake. It stays in the family's record, "
        "marked removed, with your name and the reason.",
        icon=":material/warning:",
    )
    with st.form(f"form:{REMOVE_FORM}:{item.id}"):
        _ui.error_summary(REMOVE_FORM, REMOVE_LABELS)
        reason = st.text_area(
            REMOVE_LABELS["reason"],
            key=f"contact:remove-reason:{item.id}",
            help="For example: recorded on the wrong family; the visit did not happen.",
        )
        _ui.field_error(REMOVE_FORM, "reason")
        _ui.field_error(REMOVE_FORM, "")
        confirm, cancel = st.columns(2)
        submitted = confirm.form_submit_button("Remove this contact", type="primary")
        cancelled = cancel.form_submit_button("Keep it")
    if cancelled:
        st.session_state.pop(REMOVING, None)
        _ui.set_errors(REMOVE_FORM, {})
        st.rerun()
    if submitted:
        try:
            wb.contacts.remove(contact_id=item.id, reason=reason or "", actor=actor)
        except ValidationFailed as exc:
            _ui.set_errors(REMOVE_FORM, exc.errors)
        else:
            st.session_state.pop(REMOVING, None)
            _ui.set_errors(REMOVE_FORM, {})
        st.rerun()


def _show_removed(item: RecordedContact) -> None:
    c, r = item.contact, item.removal
    assert r is not None  # only removed contacts are drawn here
    st.text(
        f"{c.contact_on:%d %b %Y} · {item.kind_label} · recorded by {item.recorded_by_name}\n"
        f"Removed by {r.removed_by_name} ({r.removed_by}), {_ui.at_time(r.removed_at)}: {r.reason}"
    )
