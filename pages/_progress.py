"""What every assessment screen shares: opening the assessment named in the URL (once per run,
the one read of it the screen makes), the sidebar (family, status, each section with its status
and a link, when it was last saved), and, on the section pages, the warnings that must never be
missed (consent withdrawn, same-day concerns).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from eha.assessment import Assessment, Section
from eha.config import MashContact
from eha.consent import NOTHING_RECORDED, sharing_refusal, withdrawals, withdrawn_message
from eha.family import AssessmentStatus, SectionStatus
from pages import _addresses, _forms, _ui

ICONS = {
    SectionStatus.NOT_STARTED: ":material/radio_button_unchecked:",
    SectionStatus.IN_PROGRESS: ":material/pending:",
    SectionStatus.COMPLETE: ":material/check_circle:",
}


def open_from_url() -> Assessment:
    """The assessment named in the URL, with the sidebar drawn. Every assessment screen calls
    this once per run: it is the screen's one view of the assessment (one "viewed" entry in
    the audit trail), and every section, status and version comes from it."""
    assessment_id = _ui.required_param("assessment")
    a = _ui.guarded(lambda: _ui.workbook().assessments.open(assessment_id=assessment_id, actor=_ui.acting()))
    sidebar(a)
    return a


def sidebar(a: Assessment) -> None:
    """Where you are and where you can go, the same on every assessment screen."""
    ids = {"assessment": a.assessment_id}
    with st.sidebar:
        st.page_link(
            _addresses.FAMILY.path,
            label=f"Family {_ui.label_text(a.reference)}",
            icon=":material/home:",
            query_params={"family": a.family_id},
        )
        st.caption(f"Early Help Assessment · {a.status.label}")
        for section in Section:
            status = a.status_of(section)
            label = f"{section.heading} · {status.value}"
            st.page_link(_addresses.SECTIONS[section].path, label=label, icon=ICONS[status], query_params=ids)
            if section is Section.STAR:
                st.page_link(
                    _addresses.STAR_CHART.path,
                    label="Star chart across reviews",
                    icon=":material/radar:",
                    query_params=ids,
                )
                st.page_link(
                    _addresses.STAR_QUICK.path, label="Star quick entry", icon=":material/edit_note:", query_params=ids
                )
        st.page_link(
            _addresses.CHECK_ANSWERS.path, label="Check your answers", icon=":material/fact_check:", query_params=ids
        )
        st.page_link(
            _addresses.TAF.path, label="Team Around the Family", icon=":material/diversity_3:", query_params=ids
        )
        saved = a.last_saved
        if saved is not None:
            st.caption(f"Saved {_ui.at_time(saved.saved_at)}")


def warnings(a: Assessment, mash: MashContact) -> None:
    """Shown at the top of every assessment page, so nobody works on past them unknowingly."""
    for name, decision in withdrawals(a.consent.data, a.background.data):
        note = f"\n\n{_ui.literal(decision.explained)}" if decision.explained.strip() else ""
        st.error(
            f"**Consent withdrawn.** {_ui.literal(withdrawn_message(name, decision))}{note}", icon=":material/block:"
        )
    if not a.consent.data.counted() and a.status is AssessmentStatus.DRAFT:
        st.warning(f"**No consent recorded.** {NOTHING_RECORDED}", icon=":material/info:")
    refusal = sharing_refusal(a.consent.data, a.background.data)
    if refusal is not None and not withdrawals(a.consent.data, a.background.data):  # a withdrawal says so above
        st.warning(
            f"**Nothing may be shared on the basis of consent.** {_ui.literal(refusal)} Share only if there is "
            "another lawful reason (a risk of harm), and record why on the record of sharing.",
            icon=":material/block:",
        )
    if a.threshold.data.stopped:
        mash_box(a, mash)
    if a.status is AssessmentStatus.CLOSED:
        st.info("This assessment is closed: it can be read but no longer changed.", icon=":material/lock:")
    else:
        _ui.read_only_notice(a.read_only)


def mash_box(a: Assessment, mash: MashContact) -> None:
    since = a.threshold.data.stopped_since
    when = f" (recorded {_ui.at_time(since.at)} by {_ui.literal(since.by)})" if since else ""
    st.error(
        f"**Contact the MASH today: this is not a case for early help.**{when}\n\n"
        "A same working day concern has been recorded. Phone the MASH now and follow their advice. "
        "The assessment cannot be completed while the concern stands.\n\n"
        f"{_ui.literal(mash.name)}: **{_ui.literal(mash.phone)}**  \n"
        f"Out of hours, {_ui.literal(mash.out_of_hours_name)}: **{_ui.literal(mash.out_of_hours_phone)}**  \n"
        f"Email: {_ui.literal(mash.email)}",
        icon=":material/emergency:",
    )


def heading(a: Assessment, title: str) -> None:
    """The top of a section page: the warnings, then where you are and the section's title."""
    warnings(a, _ui.workbook().assessments.mash)
    st.caption(f"Family {_ui.label_text(a.reference)} · Early Help Assessment · {a.status.label}")
    st.title(title)


def text_box(
    form: str, field: str, label: str, value: str, *, disabled: bool, height: int = 120, hint: str = ""
) -> str:
    """A text area keyed by form and reload generation, with its error underneath."""
    typed = st.text_area(
        label,
        value=value,
        key=f"{form}:{field}:{_forms.generation()}",
        disabled=disabled,
        height=height,
        help=hint or None,
    )
    _ui.field_error(form, field)
    return typed or ""


def confirm(key: str, message: str, on_yes: Callable[[], None]) -> None:
    """Ask before removing something: removing loses work."""
    if st.session_state.get("confirm") != key:
        return
    st.warning(message)
    yes, no, _ = st.columns([1, 1, 3])
    if yes.button("Yes, remove", key=f"yes:{key}", type="primary"):
        st.session_state.pop("confirm", None)
        on_yes()
    if no.button("Cancel", key=f"no:{key}"):
        st.session_state.pop("confirm", None)
        st.rerun()
