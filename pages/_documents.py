"""Making a PDF of one document from the page it belongs to (not a page: app.py routes with
st.navigation).

`panel(a, kind, item=...)`, once opened, asks whom the document is for and says at once whether the
family's consent covers them; the PDF is made only when "Make the PDF" is pressed (never on
a rerun), which records its sharing, and is then offered for download once. A refusal is
shown next to the field it concerns, with nothing recorded and nothing made.
"""

from __future__ import annotations

import streamlit as st

from eha.actor import Actor
from eha.assessment import Assessment
from eha.documents import Audience, DocumentKind, Sending, items_of, unavailable, usual_purpose
from eha.errors import AccessDenied, ValidationFailed
from eha.sharing import LawfulBasis
from pages import _sharing_parts, _ui

LABELS = {
    "document": "The document",
    "item": "Which one",
    "recipient": "The professional or agency",
    "purpose": "Why it is being sent",
    "lawful_basis": "Lawful basis",
    "lawful_basis_other": "Which lawful basis",
    "parent_told": "Was the parent told it is being sent?",
    "parent_not_told_reason": "Why the parent was not told",
    "child_told": "Was the child told it is being sent?",
    "child_not_told_reason": "Why the child was not told",
    "password": "Password",
    "": "The PDF",
}


def panel(a: Assessment, kind: DocumentKind, *, actor: Actor, item_id: str | None = None) -> None:
    """One document's "Make a PDF" box for the signed-in `actor` (the page's: asking again
    would draw the sidebar again), `item_id` the child, professional or meeting it is about."""
    item = next((i for i in items_of(a, kind) if i.id == item_id), None)
    wb = _ui.workbook()
    key = f"pdf:{a.assessment_id}:{kind.value}:{item.id if item else ''}"
    title = f"Make a PDF: {kind.label}" + (f" · {item.label}" if item else "")
    # Drawn only while open: a closed panel asks the database nothing and holds no widgets
    # (a page with one per child or per professional paid for every one on every run).
    panel_box = st.expander(
        _ui.label_text(title), icon=":material/picture_as_pdf:", key=f"{key}:open", on_change="rerun"
    )
    with panel_box:
        if not panel_box.open:
            return
        why_not = unavailable(a, kind)
        if why_not:
            st.info(_ui.literal(why_not), icon=":material/info:")
            return
        ready = st.session_state.get(f"{key}:ready")
        if ready is not None:
            name, content, note = ready
            st.success(_ui.literal(note), icon=":material/check_circle:")
            st.download_button(
                "Download the PDF",
                data=content,
                file_name=name,
                mime="application/pdf",
                type="primary",
                icon=":material/download:",
                key=f"{key}:download",
                # Offered once: the bytes leave the session when downloaded.
                on_click=lambda: st.session_state.pop(f"{key}:ready", None),
            )
        locality = next((loc for loc in wb.localities if loc.key == a.locality), None)
        audiences = list(Audience) if _ui.may_write(actor) else [Audience.SELF]

        def audience_label(audience: Audience) -> str:
            if audience is Audience.LCSS and locality is not None:
                return f"LCSS {locality.name}, who review it"
            return audience.label

        audience = st.radio(
            "Who is it for?",
            audiences,
            format_func=lambda x: _ui.label_text(audience_label(x)),
            key=f"{key}:audience",
        )
        recipient = None
        if audience is Audience.PROFESSIONAL:
            _chosen, recipient = _sharing_parts.pick_recipient(
                wb.documents.recipients(assessment_id=a.assessment_id, actor=actor),
                label=LABELS["recipient"],
                key=key,
            )
        _ui.field_error(key, "recipient")
        coverage = (
            wb.documents.coverage(assessment_id=a.assessment_id, audience=audience, recipient=recipient, actor=actor)
            if audience in (Audience.LCSS, Audience.PROFESSIONAL)
            else None
        )
        if coverage is not None:
            if coverage.covered:
                st.success(_ui.literal(coverage.line), icon=":material/check_circle:")
            else:
                st.warning(
                    _ui.literal(coverage.line) + " To send it anyway, choose another lawful basis below and say why.",
                    icon=":material/block:",
                )
        elif audience is Audience.FAMILY:
            st.caption("It is the family's own information: their copy is recorded in the record of sharing.")
        elif audience is Audience.SELF:
            st.caption("Not shared with anyone, so not in the record of sharing; the audit trail records it.")

        with st.form(f"form:{key}"):
            _ui.error_summary(key, LABELS)
            shares = audience in (Audience.LCSS, Audience.PROFESSIONAL)
            basis, basis_other, purpose = LawfulBasis.CONSENT, "", ""
            told = _sharing_parts.WhoWasTold(None, "", None, "")
            if shares:
                basis = st.selectbox(
                    "Lawful basis",
                    list(LawfulBasis),
                    format_func=lambda b: b.label,
                    index=0 if coverage is None or coverage.covered else 1,
                    key=f"{key}:basis",
                )
                _ui.field_error(key, "lawful_basis")
                basis_other = st.text_input("Which lawful basis, and why (when it is not consent)", key=f"{key}:other")
                _ui.field_error(key, "lawful_basis_other")
                purpose = st.text_input(
                    "Why it is being sent", placeholder=usual_purpose(kind, audience), key=f"{key}:purpose"
                )
                _ui.field_error(key, "purpose")
                told = _sharing_parts.who_was_told(form=key, key=key, labels=LABELS)
            password = st.text_input(
                "Password to open it (optional: tell the recipient separately)", type="password", key=f"{key}:pw"
            )
            _ui.field_error(key, "password")
            make = st.form_submit_button("Make the PDF", type="primary", icon=":material/picture_as_pdf:")
        if make:
            sending = Sending(
                audience=audience,
                recipient=recipient,
                purpose=purpose,
                lawful_basis=basis,
                lawful_basis_other=basis_other,
                parent_told=told.parent_told,
                parent_not_told_reason=told.parent_not_told_reason,
                child_told=told.child_told,
                child_not_told_reason=told.child_not_told_reason,
            )
            _ui.set_errors(key, {})
            try:
                made = wb.documents.make(
                    assessment_id=a.assessment_id,
                    kind=kind,
                    item_id=item.id if item else None,
                    sending=sending,
                    password=password or None,
                    actor=actor,
                )
            except ValidationFailed as exc:
                _ui.set_errors(key, dict(exc.errors))
            except AccessDenied as exc:
                _ui.set_errors(key, {"": str(exc)})
            else:
                shared = " and recorded in the record of sharing" if made.sharing_id else ""
                whom = audience_label(audience) if recipient is None else recipient.label
                protected = ", protected with the password" if password else ""
                st.session_state[f"{key}:ready"] = (
                    made.filename,
                    made.content,
                    f"Made {_ui.at_time(wb.now())} for {whom}{shared}{protected}: {made.filename}",
                )
            st.rerun()
