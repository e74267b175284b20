"""What every assessment page shares: the progress list in the sidebar (family, status, each
section with its status and a link, when it was last saved), the warnings that must never be
missed (consent withdrawn, same-day concerns), and saving a form against the version it was
opened at.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from eha.assessment import Assessment, Section
from eha.config import MashContact
from eha.consent import withdrawn_message
from eha.errors import ConsentWithdrawn, StaleRecord, ValidationFailed
from eha.family import AssessmentStatus, Saved, SectionStatus
from pages import _addresses, _ui

ICONS = {
    SectionStatus.NOT_STARTED: ":material/radio_button_unchecked:",
    SectionStatus.IN_PROGRESS: ":material/pending:",
    SectionStatus.COMPLETE: ":material/check_circle:",
}


def open_assessment() -> Assessment:
    """The assessment named in the URL, with the sidebar and the warnings drawn."""
    wb = _ui.workbook()
    assessment_id = _ui.param("assessment")
    if assessment_id is None:
        st.switch_page(_addresses.FAMILIES.path)
    a = _ui.guarded(lambda: wb.open_eha(assessment_id=assessment_id, actor=_ui.acting()))
    sidebar(a)
    warnings(a, wb.mash)
    return a


def sidebar(a: Assessment) -> None:
    with st.sidebar:
        st.page_link(
            _addresses.FAMILY.path,
            label=f"Family {_ui.label_text(a.reference)}",
            icon=":material/home:",
            query_params={"family": a.family_id},
        )
        st.caption(f"Early Help Assessment · {a.status.label}")
        ids = {"assessment": a.assessment_id}
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
    withdrawal = a.consent.data.withdrawal
    if withdrawal is not None:
        st.error(
            f"**Consent withdrawn.** {_ui.literal(withdrawn_message(withdrawal))}\n\n"
            f"What it now stops: {_ui.literal(withdrawal.stops)}",
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
    st.caption(f"Family {_ui.label_text(a.reference)} · Early Help Assessment · {a.status.label}")
    st.title(title)


# -- saving against the version the form was opened at -------------------------------------


def _version_key(a: Assessment, key: str) -> str:
    return f"version:{a.assessment_id}:{key}"


def pinned(a: Assessment, key: str, current: int) -> int:
    """The version this browser edits against: a save over someone else's is refused, not merged."""
    k = _version_key(a, key)
    if k not in st.session_state:
        st.session_state[k] = current
    version: int = st.session_state[k]
    return version


def generation() -> int:
    found: int = st.session_state.get("generation", 0)
    return found


def stale_notice(a: Assessment, key: str, current: int) -> None:
    if pinned(a, key, current) == current:
        return
    st.warning("Someone else has saved changes to this section since you opened it.")
    if st.button("Load the latest version", icon=":material/refresh:", key=f"reload:{key}"):
        st.session_state[_version_key(a, key)] = current
        st.session_state["generation"] = generation() + 1
        for k in [k for k in st.session_state if str(k).startswith(("errors:", "saved:"))]:
            del st.session_state[k]
        st.rerun()


def save(
    form: str,
    a: Assessment,
    key: str,
    current: int,
    call: Callable[[int], Saved],
    on_success: Callable[[], None] | None = None,
) -> None:
    """Run a save; errors go beside the fields, a stale save keeps what was typed."""
    try:
        saved = call(pinned(a, key, current))
    except ValidationFailed as exc:
        _ui.set_errors(form, exc.errors)
    except (StaleRecord, ConsentWithdrawn) as exc:
        _ui.set_errors(form, {"": str(exc)})
    else:
        st.session_state[_version_key(a, key)] = saved.version
        _ui.mark_saved(form, saved.saved_at)
        if on_success is not None:
            on_success()
    st.rerun()


def text_box(
    form: str, field: str, label: str, value: str, *, disabled: bool, height: int = 120, hint: str = ""
) -> str:
    """A text area keyed by form and reload generation, with its error underneath."""
    typed = st.text_area(
        label, value=value, key=f"{form}:{field}:{generation()}", disabled=disabled, height=height, help=hint or None
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
