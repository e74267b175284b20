"""EHA section 4: each child's view ("ensure the voice of the child is heard"), and their own work."""

from __future__ import annotations

import streamlit as st

from eha.assessment import Section
from eha.attachments import ACCEPTED_EXTENSIONS, picture_problem
from eha.background import Child
from eha.documents import DocumentKind
from eha.errors import NotFound, ValidationFailed
from eha.views import ChildView, HowGathered
from pages import _documents, _forms, _progress, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
a = _progress.open_from_url()
section = a.children
pin = _forms.Pin(f"{a.assessment_id}:{Section.CHILDREN.value}", section.version)
today = wb.today()

_progress.heading(a, "4. Child's view")
st.caption(
    "One for each child. Gather it directly, or with a tool such as Three Houses, Wizards and Fairies, "
    "Wishes and Feelings or Why Worry. For a child too young to say, record an observation instead. "
    "Where a child's view was not gathered, say why."
)
pin.stale_notice()
gaps = a.gaps(Section.CHILDREN)
if gaps:
    st.info("Still to do before this section is complete:\n" + "\n".join(f"- {_ui.literal(g)}" for g in gaps))

LABELS = {
    "too_young": "Too young to give their view",
    "own_words": "The child's view, in their own words",
    "observation": "Observation (for a child too young to give their view)",
    "how_gathered": "How the view was gathered",
    "how_gathered_other": "If another way, which",
    "gathered_by": "Who gathered it",
    "gathered_on": "When it was gathered",
    "not_gathered": "Their view was not gathered",
    "not_gathered_reason": "Why their view was not gathered",
}
WAYS = list(HowGathered)
DAMAGED = "This picture can't be shown (the file is damaged); remove it and upload it again."


def view_summary(child: Child, saved: ChildView | None) -> None:
    """What is saved of the child's view, shown exactly (st.text), with the Edit that opens its form."""
    form = f"child-{child.id}"
    if saved is None:
        st.caption("No view recorded yet.")
    else:
        how = saved.how_gathered.label if saved.how_gathered else ""
        if saved.how_gathered_other:
            how = f"{how}: {saved.how_gathered_other}" if how else saved.how_gathered_other
        _ui.summary(
            [
                (LABELS["too_young"], "Yes" if saved.too_young else ""),
                (LABELS["own_words"], saved.own_words),
                (LABELS["observation"], saved.observation),
                (LABELS["how_gathered"], how),
                (LABELS["gathered_by"], saved.gathered_by),
                (LABELS["gathered_on"], f"{saved.gathered_on:%d/%m/%Y}" if saved.gathered_on else ""),
            ]
        )
    _ui.saved_note(form)
    if a.editable:
        _forms.edit_button(child.id, f"Edit {_ui.label_text(child.name or 'the child')}'s view")


def view_form(child: Child) -> None:
    saved = section.data.for_child(child.id) or ChildView(child_id=child.id)
    form = f"child-{child.id}"
    g = _forms.generation()
    disabled = not a.editable
    with st.form(f"form:{form}"):
        _ui.error_summary(form, LABELS)
        too_young = st.checkbox(
            LABELS["too_young"], value=saved.too_young, key=f"{form}:too_young:{g}", disabled=disabled
        )
        own_words = _progress.text_box(form, "own_words", LABELS["own_words"], saved.own_words, disabled=disabled)
        observation = _progress.text_box(
            form, "observation", LABELS["observation"], saved.observation, disabled=disabled
        )
        how = st.selectbox(
            LABELS["how_gathered"],
            WAYS,
            index=WAYS.index(saved.how_gathered) if saved.how_gathered else None,
            format_func=lambda w: w.label,
            placeholder="Choose how",
            key=f"{form}:how_gathered:{g}",
            disabled=disabled,
        )
        _ui.field_error(form, "how_gathered")
        other = st.text_input(
            LABELS["how_gathered_other"],
            value=saved.how_gathered_other,
            key=f"{form}:how_gathered_other:{g}",
            disabled=disabled,
        )
        _ui.field_error(form, "how_gathered_other")
        by = st.text_input(
            LABELS["gathered_by"], value=saved.gathered_by, key=f"{form}:gathered_by:{g}", disabled=disabled
        )
        _ui.field_error(form, "gathered_by")
        on = st.date_input(
            LABELS["gathered_on"],
            value=saved.gathered_on,
            format="DD/MM/YYYY",
            **_ui.date_limits(saved.gathered_on, latest=today),
            key=f"{form}:gathered_on:{g}",
            disabled=disabled,
        )
        _ui.field_error(form, "gathered_on")
        not_gathered = st.checkbox(
            LABELS["not_gathered"],
            value=saved.not_gathered,
            help="For example, the family and professionals agree this child needs no support.",
            key=f"{form}:not_gathered:{g}",
            disabled=disabled,
        )
        _ui.field_error(form, "not_gathered")
        not_gathered_reason = _progress.text_box(
            form, "not_gathered_reason", LABELS["not_gathered_reason"], saved.not_gathered_reason, disabled=disabled
        )
        submitted = st.form_submit_button("Save", type="primary", disabled=disabled)
    _ui.saved_note(form)
    _forms.close_button(form)
    if submitted:
        view = ChildView(
            child_id=child.id,
            too_young=bool(too_young),
            own_words=own_words,
            observation=observation,
            how_gathered=how,
            how_gathered_other=other or "",
            gathered_by=by or "",
            gathered_on=on if not isinstance(on, tuple) else None,
            not_gathered=bool(not_gathered),
            not_gathered_reason=not_gathered_reason,
        )
        pin.save(
            form,
            lambda v: wb.assessments.save_child_view(
                assessment_id=a.assessment_id, expected_version=v, view=view, actor=actor
            ),
            lambda _saved: _forms.close_form(),
        )


def show_picture(content: bytes) -> None:
    """The picture, or a placeholder: files kept before uploads were decoded in full may be
    anything, and one of them must never stop the page."""
    if picture_problem(content) is None:
        try:
            st.image(content, width=320)
            return
        except Exception:  # noqa: S110 - a picture the decoder passed but Streamlit cannot draw
            pass
    st.warning(DAMAGED, icon=":material/broken_image:")


def child_work(child: Child) -> None:
    st.subheader("The child's own work")
    form = f"work-{child.id}"
    for work in a.work_of(child.id):
        with st.container(border=True):
            st.text(f"{work.filename} · {_ui.at_time(work.uploaded_at)} · {work.uploaded_by}")
            try:
                _, content = wb.assessments.child_work_file(
                    assessment_id=a.assessment_id, attachment_id=work.id, actor=actor
                )
            except NotFound:
                st.warning("This piece of work has just been removed.")
                continue
            # Download and Remove come before the picture: whatever a stored file holds, they
            # are always drawn, so a damaged file can be taken away.
            cols = st.columns([1, 1, 3])
            cols[0].download_button(
                "Download", content, file_name=work.filename, mime=work.media_type, key=f"download:{work.id}"
            )
            if a.editable and cols[1].button("Remove", key=f"remove:{work.id}"):
                st.session_state["confirm"] = f"work:{work.id}"
                st.rerun()

            def remove(work_id: str = work.id) -> None:
                wb.assessments.remove_child_work(assessment_id=a.assessment_id, attachment_id=work_id, actor=actor)
                st.rerun()

            _progress.confirm(f"work:{work.id}", "Remove this piece of the child's work?", remove)
            if work.is_image:
                show_picture(content)
    if not a.editable:
        return
    with st.form(f"form:{form}", clear_on_submit=True):
        _ui.error_summary(form, {"file": "Photo, drawing or PDF"})
        upload = st.file_uploader(
            f"Photo, drawing or PDF (PNG, JPEG or PDF, up to {wb.assessments.upload_limit // (1024 * 1024)} MB)",
            type=list(ACCEPTED_EXTENSIONS),
            key=f"{form}:file",
        )
        _ui.field_error(form, "file")
        attach = st.form_submit_button("Attach")
    _ui.saved_note(form)
    if attach:
        if upload is None:
            _ui.set_errors(form, {"file": "Choose a file to attach."})
        else:
            try:
                added = wb.assessments.add_child_work(
                    assessment_id=a.assessment_id,
                    child_id=child.id,
                    filename=upload.name,
                    content=upload.getvalue(),
                    actor=actor,
                )
            except ValidationFailed as exc:
                _ui.set_errors(form, exc.errors)
            else:
                _ui.mark_saved(form, added.uploaded_at)
        st.rerun()


children = a.background.data.children
if not children:
    st.info("Add the children in section 1 first.")
for child in children:
    st.header(_ui.literal(child.name or "(no name yet)"))
    if not child.born:
        st.caption("Not born yet: there is no view to record.")
        continue
    saved_view = section.data.for_child(child.id)
    if saved_view is not None and saved_view.not_gathered:
        st.info(
            f"Recorded as not gathered: {_ui.literal(saved_view.not_gathered_reason)}\n\n"
            "If the child gives their view later, write it in their view and save: it replaces this note, "
            "which stays in the record's history.",
            icon=":material/info:",
        )
    if a.editable and _forms.editing() == child.id:
        view_form(child)
    else:
        view_summary(child, saved_view)
    child_work(child)
    _documents.panel(a, DocumentKind.CHILD, actor=actor, item_id=child.id)
