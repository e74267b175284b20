"""Family Star Plus with the family: one area at a time, big numbers for a finger, every tap
saved at once, the star drawn as it fills.

The URL holds the assessment, the reading and the area (opaque ids and a number), so a
tablet that sleeps or a browser refresh comes back to the same place with nothing lost.
"""

from __future__ import annotations

import streamlit as st

from eha.star_readings import SavedReading
from pages import _addresses, _forms, _ui
from pages import _star_shared as _star
from star import AREAS, AreaScore, CompletedBy, stage_of
from star.chart import radar_figure

TAPPED = "star-tapped"
NOTE_ERRORS = "star-note"
DONE = "done"

wb, actor, a, text, readings = _star.open_page()

# Big, evenly sized number buttons: a parent's finger, not a mouse pointer. Scoped to the
# containers keyed below, so no other button on any page changes.
st.html(
    """<style>
    .st-key-star-scores button, .st-key-star-steps button { min-height: 64px; width: 100%; }
    .st-key-star-scores button p { font-size: 1.75rem; font-weight: 700; }
    .st-key-star-steps button p { font-size: 1.2rem; }
    .st-key-star-views button { min-height: 52px; }
    .st-key-star-views button p { font-size: 1.2rem; }
    </style>"""
)

st.caption(f"Family {_ui.label_text(a.reference)} · Early Help Assessment · {a.status.label}")
saved = _star.reading_for_page(readings, _ui.param("reading"))
if saved is None:
    st.title("Family Star Plus")
    _star.notice(a)
    if readings:
        st.subheader("Readings so far")
        _star.reading_list(a, readings, page=_addresses.STAR.path, action="Score")
    if a.editable:
        st.subheader("Start a reading" if readings else "Start the first reading")
        _star.start_form(a, readings, today=wb.today(), page=_addresses.STAR.path)
    _star.attribution(text)
    st.stop()

reading_id = saved.reading.id
# What the screen was drawn from. Each save replaces it, so two saves in one rerun (a note
# typed, then a number tapped) each go against the version the one before produced.
PINNED = f"star-pinned:{reading_id}"
st.session_state[PINNED] = saved


def _pinned() -> SavedReading:
    current: SavedReading = st.session_state[PINNED]
    return current


def _record(area_key: str, **values: object) -> None:
    """Save one area: the values given replace the ones on screen, the others are kept."""
    pinned = _pinned()
    current = pinned.reading.score_for(area_key)
    fields: dict[str, object] = {
        "agreed": current.agreed,
        "family_score": current.family_score,
        "worker_score": current.worker_score,
        "note": current.note,
        **values,
    }
    outcome = _forms.attempt(
        lambda: wb.star.score_area(
            reading_id=reading_id,
            expected_version=pinned.version,
            area=area_key,
            actor=actor,
            **fields,
        )
    )
    _show_outcome(outcome)
    if isinstance(outcome, _forms.Refused) and "note" in outcome.errors:
        st.session_state[NOTE_ERRORS] = outcome.errors["note"]
    elif not isinstance(outcome, _forms.Refused):
        st.session_state.pop(NOTE_ERRORS, None)


def _show_outcome(outcome: SavedReading | _forms.Refused) -> None:
    """What a tap did, said under the numbers; the screen is then drawn from what was saved."""
    if not isinstance(outcome, _forms.Refused):
        st.session_state[PINNED] = outcome
        st.session_state[TAPPED] = ("saved", f"Saved at {_ui.at_time(outcome.saved_at)}")
    elif outcome.stale:
        st.session_state[TAPPED] = (
            "error",
            "This reading was changed on another device since this screen was drawn, so that was "
            "not saved. The screen now shows the latest scores: please choose again.",
        )
    else:
        st.session_state[TAPPED] = ("error", outcome.message)


def _tap(area_key: str, score: int) -> None:
    _record(area_key, agreed=score)


def _separate(area_key: str, field: str, widget: str) -> None:
    _record(area_key, **{field: st.session_state.get(widget)})


def _disagree_changed(area_key: str, widget: str) -> None:
    if not st.session_state.get(widget):
        current = _pinned().reading.score_for(area_key)
        if current.family_score is not None or current.worker_score is not None:
            _record(area_key, family_score=None, worker_score=None)


def _save_note(area_key: str, widget: str) -> None:
    typed = st.session_state.get(widget) or None
    if typed != _pinned().reading.score_for(area_key).note:
        _record(area_key, note=typed)


def _go(step: str) -> None:
    st.query_params["area"] = step
    st.session_state.pop(TAPPED, None)


def _who_changed(widget: str) -> None:
    pinned = _pinned()
    _show_outcome(
        _forms.attempt(
            lambda: wb.star.set_completed_by(
                reading_id=reading_id,
                expected_version=pinned.version,
                completed_by=st.session_state[widget],
                actor=actor,
            )
        )
    )


def _show_tapped() -> None:
    message = st.session_state.get(TAPPED)
    if message is None:
        return
    kind, words = message
    if kind == "saved":
        st.success(_ui.literal(words), icon=":material/check_circle:")
    else:
        st.error(_ui.literal(words), icon=":material/error:")


# Which area: from the URL, else the first one not scored yet (picking up where we left off).
step = _ui.param("area")
if step is None or not (step == DONE or (step.isdigit() and 1 <= int(step) <= len(AREAS))):
    missing = saved.reading.missing_areas()
    step = str(missing[0].number) if missing else DONE
    st.query_params["area"] = step
editable = a.editable and saved.locked is None

st.title("Family Star Plus")
st.markdown(f"**{saved.reading.label}**")
who_widget = f"star-who:{reading_id}:{saved.version}"
st.radio(
    "Who is scoring the star?",
    list(CompletedBy),
    index=list(CompletedBy).index(saved.reading.completed_by),
    format_func=lambda who: who.label,
    horizontal=True,
    key=who_widget,
    on_change=_who_changed,
    args=(who_widget,),
    disabled=not editable,
)
_star.notice(a, saved)
_star.corrections(saved, text)

if step == DONE:
    st.header("Check the star")
    missing = saved.reading.missing_areas()
    if missing:
        st.warning(
            "Still to score: "
            + ", ".join(text.label(area.key) for area in missing)
            + ". You can come back to them later."
        )
        with st.container(key="star-views"):
            if st.button("Score the areas still to do", type="primary", disabled=not editable):
                _go(str(missing[0].number))
                st.rerun()
    else:
        st.success("All ten areas are scored.", icon=":material/task_alt:")
    disagreements = saved.reading.disagreements()
    if disagreements:
        st.markdown("**Where the family and the worker saw it differently**")
        for s in disagreements:
            line = f"{text.label(s.area)}: family {s.family_score}, worker {s.worker_score}, agreed {s.agreed or '–'}"
            st.markdown("- " + _ui.literal(line))
    with st.container(key="star-done-links", horizontal=True):
        st.button("Back to the last area", on_click=_go, args=(str(len(AREAS)),))
        st.page_link(
            _addresses.STAR_CHART.path,
            label="See the star chart",
            icon=":material/radar:",
            query_params={"assessment": a.assessment_id},
        )
else:
    number = int(step)
    area = AREAS[number - 1]
    area_text = text.area_text(area.key)
    current: AreaScore = saved.reading.score_for(area.key)

    st.markdown(f"Area **{number} of {len(AREAS)}**")
    st.header(_ui.literal(area_text.label), anchor=False)
    st.markdown(_ui.literal(area_text.prompt))
    if current.agreed is not None:
        stage = stage_of(current.agreed)
        described = text.stage_description(area.key, stage)
        stage_line = text.stage_name(stage) + (f": {described}" if described else "")
        st.caption(_ui.literal(stage_line))

    with st.container(key="star-scores"):
        for row in ((1, 2, 3, 4, 5), (6, 7, 8, 9, 10)):
            for column, score in zip(st.columns(5, gap="small"), row, strict=True):
                column.button(
                    str(score),
                    key=f"tap:{reading_id}:{area.key}:{score}",
                    type="primary" if current.agreed == score else "secondary",
                    on_click=_tap,
                    args=(area.key, score),
                    disabled=not editable,
                    width="stretch",
                )
    _show_tapped()

    with st.container(key="star-steps"):
        back, forward = st.columns(2)
        back.button(
            "Back",
            icon=":material/arrow_back:",
            key=f"back:{area.key}",
            on_click=_go,
            args=(str(number - 1),),
            disabled=number == 1,
            width="stretch",
        )
        forward.button(
            "Next" if number < len(AREAS) else "Finish",
            icon=":material/arrow_forward:",
            icon_position="right",
            key=f"next:{area.key}",
            type="primary",
            on_click=_go,
            args=(str(number + 1) if number < len(AREAS) else DONE,),
            width="stretch",
        )

    note_widget = f"star-note:{reading_id}:{area.key}"
    st.text_area(
        "Note for this area (optional)",
        value=current.note or "",
        key=note_widget,
        height=100,
        on_change=_save_note,
        args=(area.key, note_widget),
        disabled=not editable,
        help="Saved when you leave the box, tap Save note, or move to another area.",
    )
    if st.session_state.get(NOTE_ERRORS):
        st.markdown(f":red[{_ui.literal(st.session_state[NOTE_ERRORS])}]")
    st.button(
        "Save note",
        key=f"save-note:{area.key}",
        on_click=_save_note,
        args=(area.key, note_widget),
        disabled=not editable,
    )

    disagree_widget = f"star-disagree:{reading_id}:{area.key}"
    disagree = st.toggle(
        "We don't agree on this one",
        value=current.family_score is not None or current.worker_score is not None,
        key=disagree_widget,
        on_change=_disagree_changed,
        args=(area.key, disagree_widget),
        disabled=not editable,
        help="Record the family's score and the worker's score separately, as well as the score you agree on.",
    )
    if disagree:
        for field, label, value in (
            ("family_score", "The family's score", current.family_score),
            ("worker_score", "The worker's score", current.worker_score),
        ):
            widget = f"star-{field}:{reading_id}:{area.key}:{saved.version}"
            st.segmented_control(
                label,
                list(range(1, 11)),
                default=value,
                key=widget,
                on_change=_separate,
                args=(area.key, field, widget),
                disabled=not editable,
                width="stretch",
            )
        st.caption("The score you agree on (the big numbers above) is the one drawn on the star.")

st.subheader("The star so far")
st.plotly_chart(
    radar_figure([saved.reading], labels=text),
    theme=None,
    config={"displayModeBar": False, "responsive": True},
    key=f"star-chart:{reading_id}",
    height=540,
)
_star.attribution(text)
