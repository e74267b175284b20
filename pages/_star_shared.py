"""What the Family Star Plus screens share: opening the assessment and its readings, the list of
readings and the form that starts a reading (not a page: app.py routes with st.navigation)."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from eha.actor import Actor
from eha.assessment import Assessment
from eha.errors import ValidationFailed
from eha.family import AssessmentStatus
from eha.star_readings import SavedReading
from pages import _addresses, _forms, _progress, _ui
from star import AREAS, CompletedBy, OccasionKind, StarText
from storage.services import Workbook

OCCASION_LABELS = {
    OccasionKind.FIRST: "First reading",
    OccasionKind.REVIEW: "TAF review",
    OccasionKind.CLOSURE: "Closure",
}
START = "star-start"
START_LABELS = {
    "taken_on": "Date",
    "occasion": "What is this reading for?",
    "review_number": "TAF review number",
    "completed_by": "Who is scoring the star?",
}


def open_page() -> tuple[Workbook, Actor, Assessment, StarText, tuple[SavedReading, ...]]:
    """What every star screen starts with: who is signed in, the assessment named in the URL
    (refused if it is not theirs to see) with its sidebar, the star wording and its readings."""
    wb = _ui.workbook()
    actor = _ui.current_actor()
    a = _progress.open_from_url()
    return wb, actor, a, _ui.star_text(), a.star_readings


def reading_for_page(readings: tuple[SavedReading, ...], reading_id: str | None) -> SavedReading | None:
    """The reading named in the URL; a reading of another assessment counts as not found."""
    if reading_id is None:
        return None
    found = next((r for r in readings if r.reading.id == reading_id), None)
    if found is None:
        st.error("This Family Star Plus reading could not be found for this assessment. Choose one below.")
    return found


def scored_count(reading: SavedReading) -> str:
    missing = len(reading.reading.missing_areas())
    return "all 10 areas scored" if missing == 0 else f"{len(AREAS) - missing} of {len(AREAS)} areas scored"


def reading_list(a: Assessment, readings: tuple[SavedReading, ...], *, page: str, action: str) -> None:
    for saved in readings:
        with st.container(border=True):
            info, link = st.columns([3, 1], vertical_alignment="center")
            info.markdown(f"**{saved.reading.label}** · {scored_count(saved)}")
            info.caption(
                f"{saved.reading.completed_by.label} · last saved {_ui.at_time(saved.saved_at)} "
                f"by {_ui.literal(saved.saved_by)}" + (" · locked" if saved.locked else "")
            )
            with link:
                st.page_link(
                    page,
                    label=action,
                    icon=":material/arrow_forward:",
                    query_params={"assessment": a.assessment_id, "reading": saved.reading.id},
                )


def start_form(a: Assessment, readings: tuple[SavedReading, ...], *, today: date, page: str) -> None:
    """Date, occasion and who is scoring; on success, opens the new reading on `page`."""
    has_first = any(r.reading.occasion.kind is OccasionKind.FIRST for r in readings)
    reviews = [r.reading.occasion.review_number or 0 for r in readings]
    with st.form(START):
        _ui.error_summary(START, START_LABELS)
        taken_on = st.date_input(
            START_LABELS["taken_on"],
            value=today,
            format="DD/MM/YYYY",
            key="star-start:taken_on",
            **_ui.date_limits(today, earliest=today - timedelta(days=5 * 365), latest=today),
        )
        _ui.field_error(START, "taken_on")
        kinds = list(OCCASION_LABELS)
        occasion = st.radio(
            START_LABELS["occasion"],
            kinds,
            index=1 if has_first else 0,
            format_func=OCCASION_LABELS.__getitem__,
            horizontal=True,
            key="star-start:occasion",
        )
        _ui.field_error(START, "occasion")
        review_number = st.number_input(
            START_LABELS["review_number"] + " (for a TAF review)",
            min_value=1,
            max_value=99,
            value=max(reviews, default=0) + 1,
            step=1,
            key="star-start:review_number",
        )
        _ui.field_error(START, "review_number")
        choices = list(CompletedBy)  # named first: passed inline, mypy picks st.radio's overload for no options
        completed_by = st.radio(
            START_LABELS["completed_by"],
            choices,
            format_func=lambda who: who.label,
            key="star-start:completed_by",
        )
        _ui.field_error(START, "completed_by")
        submitted = st.form_submit_button("Start scoring", type="primary", disabled=not a.editable)
    if submitted:
        try:
            saved = _ui.workbook().star.start(
                assessment_id=a.assessment_id,
                taken_on=taken_on,
                occasion=occasion,
                review_number=int(review_number) if occasion is OccasionKind.REVIEW and review_number else None,
                completed_by=completed_by,
                actor=_ui.acting(),
            )
        except ValidationFailed as exc:
            _ui.set_errors(START, exc.errors)
            st.rerun()
        _ui.set_errors(START, {})
        st.switch_page(page, query_params={"assessment": a.assessment_id, "reading": saved.reading.id})


def attribution(text: StarText) -> None:
    st.caption(_ui.literal(text.attribution))


def notice(a: Assessment, saved: SavedReading | None = None) -> None:
    """Why the star cannot be scored here, if it cannot: the assessment is closed, this person
    only reads it (an LCSS reviewer), or the reading is locked (then it says where to correct)."""
    if a.status is AssessmentStatus.CLOSED:
        st.info("This assessment is closed: its readings can be looked at but not changed.", icon=":material/lock:")
    elif a.read_only:
        _ui.read_only_notice(True)
    elif saved is not None and saved.locked:
        st.info(
            f"{_ui.literal(saved.locked)} A score can still be corrected on the star chart, giving the reason.",
            icon=":material/lock:",
        )
        st.page_link(
            _addresses.STAR_CHART.path,
            label="Correct a score",
            icon=":material/edit:",
            query_params={"assessment": a.assessment_id},
        )


def corrections(saved: SavedReading, text: StarText) -> None:
    """A reading's corrections, oldest first: both scores, who, when and why, as typed."""
    for c in saved.reading.corrections:
        before = "not scored" if c.before is None else str(c.before)
        st.text(
            f"Corrected on {c.at.astimezone(_ui.LONDON):%d %b %Y %H:%M} by {c.by}: "
            f"{text.label(c.area)} {before} → {c.after}. Reason: {c.reason}"
        )


CORRECT_LABELS = {
    "area": "Area",
    "score": "The corrected score",
    "reason": "Why it is being corrected",
    "": "Correction",
}


def correction_form(a: Assessment, saved: SavedReading, text: StarText) -> None:
    """Correct one agreed score of a locked reading; the reason is required and kept."""
    form = f"correct-{saved.reading.id}"
    with (
        st.expander(
            f"Correct a score in {saved.reading.label}", icon=":material/edit:", expanded=bool(_ui.errors_for(form))
        ),
        st.form(f"form:{form}"),
    ):
        _ui.error_summary(form, CORRECT_LABELS)
        area = st.selectbox(
            CORRECT_LABELS["area"],
            [area.key for area in AREAS],
            format_func=lambda key: f"{text.label(key)} (now {saved.reading.agreed(key) or 'not scored'})",
            key=f"{form}:area",
        )
        _ui.field_error(form, "area")
        score = st.number_input(CORRECT_LABELS["score"], min_value=1, max_value=10, step=1, key=f"{form}:score")
        _ui.field_error(form, "score")
        reason = st.text_area(
            CORRECT_LABELS["reason"],
            key=f"{form}:reason",
            help="Kept with the reading and shown with it: the score it replaces is kept too.",
        )
        _ui.field_error(form, "reason")
        submitted = st.form_submit_button("Save the correction", type="primary")
    _ui.saved_note(form)
    if submitted:
        _forms.save(
            form,
            lambda: _ui.workbook().star.correct_score(
                reading_id=saved.reading.id,
                area=area or "",
                score=int(score) if score is not None else None,
                reason=reason or "",
                expected_version=saved.version,
                actor=_ui.acting(),
            ),
        )
