"""What the Team Around the Family screens share: the TAF of the assessment named in the URL with
its sidebar, the review-due marker and the lead professional form (not a page: app.py routes
with st.navigation)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from eha.assessment import Assessment
from eha.family import AssessmentStatus
from eha.taf import LeadProfessional, ReviewDue, TafOverview, review_due
from pages import _addresses, _forms, _progress, _ui


def open_taf() -> Assessment:
    """The assessment named in the URL, opened once, under its sidebar with the TAF's meetings and
    its closing added to it; its TAF is `.taf`."""
    a = _progress.open_from_url()
    taf = a.taf
    ids = {"assessment": taf.assessment_id}
    with st.sidebar:
        for saved in taf.meetings:
            state = "finalised" if saved.meeting.finalised else "being written up"
            st.page_link(
                _addresses.TAF_MEETING.path,
                label=f"TAF meeting {saved.number} · {state}",
                icon=":material/event:",
                query_params={**ids, "meeting": saved.meeting_id},
            )
        st.page_link(_addresses.TAF_CLOSE.path, label="Closing the TAF", icon=":material/task_alt:", query_params=ids)
    return a


def heading(taf: TafOverview, title: str) -> None:
    st.caption(f"Family {_ui.label_text(taf.reference)} · Team Around the Family · {taf.status.label}")
    st.title(title)
    if taf.status is AssessmentStatus.CLOSED:
        st.info("The TAF is closed: this record can be read but no longer changed.", icon=":material/lock:")
    else:
        _ui.read_only_notice(taf.read_only)


def due_marker(next_review: date | None, today: date) -> None:
    """Overdue and due-this-week reviews stand out with an icon and words, not colour alone."""
    due = review_due(next_review, today=today)
    if next_review is None or due is ReviewDue.NONE:
        return
    days = (next_review - today).days
    if due is ReviewDue.OVERDUE:
        st.badge(f"Review overdue by {-days} day{'s' if days != -1 else ''}", icon=":material/warning:", color="red")
    elif due is ReviewDue.THIS_WEEK:
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        st.badge(f"Review due this week ({when})", icon=":material/schedule:", color="orange")


LEAD_LABELS = {
    "name": "Lead professional's name",
    "agency": "Their agency",
    "role": "Their role",
    "username": "Their workbook username (optional)",
    "from_on": "Lead professional from",
}


def lead_form(taf: TafOverview, *, from_on: date, meeting_number: int | None, disabled: bool) -> None:
    """Agree the lead professional (or a new one); the history keeps everyone who held the role."""
    current = taf.lead.current
    form = f"lead-{meeting_number or 0}"
    pin = _forms.Pin(f"{taf.assessment_id}:lead", taf.lead_version, "the lead professional")
    pin.stale_notice()
    with st.form(f"form:{form}"):
        _ui.error_summary(form, LEAD_LABELS)
        name = st.text_input(LEAD_LABELS["name"], key=f"{form}:name", disabled=disabled)
        _ui.field_error(form, "name")
        agency = st.text_input(LEAD_LABELS["agency"], key=f"{form}:agency", disabled=disabled)
        _ui.field_error(form, "agency")
        role = st.text_input(LEAD_LABELS["role"], key=f"{form}:role", disabled=disabled)
        _ui.field_error(form, "role")
        username = st.text_input(
            LEAD_LABELS["username"],
            key=f"{form}:username",
            disabled=disabled,
            help="If they use the workbook, they join the family's team and can see the family.",
        )
        _ui.field_error(form, "username")
        chosen = st.date_input(
            LEAD_LABELS["from_on"], value=from_on, format="DD/MM/YYYY", key=f"{form}:from_on", disabled=disabled
        )
        _ui.field_error(form, "from_on")
        label = "Agree a new lead professional" if current else "Agree the lead professional"
        submitted = st.form_submit_button(label, type="primary", disabled=disabled)
    _ui.saved_note(form)
    if submitted:
        lead = LeadProfessional(
            name=name or "", agency=agency or "", role=role or "", username=(username or "").strip()
        )
        pin.save(
            form,
            lambda v: _ui.workbook().taf.agree_lead_professional(
                assessment_id=taf.assessment_id,
                expected_version=v,
                lead=lead,
                from_on=chosen if isinstance(chosen, date) else None,
                meeting_number=meeting_number,
                actor=_ui.acting(),
            ),
        )


def lead_history(taf: TafOverview) -> None:
    if not taf.lead.terms:
        st.info("No lead professional agreed yet. Agree one before or at the first TAF meeting.")
        return
    current = taf.lead.current
    if current is not None:
        who = f"{current.lead.name} · {current.lead.role} · {current.lead.agency}"
        st.markdown(f"**Lead professional:** {_ui.literal(who)}")
    # A dataframe shows its cells as text, never as markdown.
    st.dataframe(
        [
            {
                "Name": t.lead.name,
                "Agency": t.lead.agency,
                "Role": t.lead.role,
                "From": f"{t.from_on:%d %b %Y}",
                "Agreed": f"At TAF meeting {t.agreed_at_meeting}"
                if t.agreed_at_meeting
                else "Before the first meeting",
                "Workbook username": t.lead.username or "–",
            }
            for t in taf.lead.terms
        ],
        hide_index=True,
    )
