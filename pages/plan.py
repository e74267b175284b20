"""EHA section 6: summary, plan and next steps: the analysis, the desired outcomes ("How will we
know we've been successful?") and the whole-family action plan (what, who, by when)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from eha.assessment import Section
from eha.family import Saved
from eha.plan import ActionStatus, DesiredOutcome, PlanAction
from pages import _forms, _progress, _ui

wb = _ui.workbook()
actor = _ui.current_actor()
a = _progress.open_from_url()
section = a.plan
pin = _forms.Pin(f"{a.assessment_id}:{Section.PLAN.value}", section.version)
plan = section.data
disabled = not a.editable
g = _forms.generation()

_progress.heading(a, "6. Summary, plan and next steps")
pin.stale_notice()
gaps = a.gaps(Section.PLAN)
if gaps:
    st.info("Still to do before this section is complete:\n" + "\n".join(f"- {_ui.literal(g)}" for g in gaps))


def save_with(form: str, call: Callable[[int], Saved], on_success: Callable[[Saved], object] | None = None) -> None:
    pin.save(form, call, on_success)


def next_slot(kind: str, slot: int) -> Callable[[Saved], object]:
    """After an add succeeds, a fresh empty "add" form; after a refusal, the typed one stays."""

    def bump(_saved: Saved) -> None:
        st.session_state[f"adding:{kind}"] = slot + 1

    return bump


# -- analysis ------------------------------------------------------------------------------
st.header("Summary and analysis")
ANALYSIS = "analysis"
with st.form(f"form:{ANALYSIS}"):
    _ui.error_summary(ANALYSIS, {"analysis": "Summary and analysis"})
    analysis = _progress.text_box(
        ANALYSIS,
        "analysis",
        "Summary and analysis",
        plan.analysis,
        disabled=disabled,
        height=240,
        hint="Pull the sections together: strengths as well as needs, fact distinguished from opinion.",
    )
    save_analysis = st.form_submit_button("Save", type="primary", disabled=disabled)
_ui.saved_note(ANALYSIS)
if save_analysis:
    save_with(
        ANALYSIS,
        lambda v: wb.assessments.save_analysis(
            assessment_id=a.assessment_id, expected_version=v, analysis=analysis, actor=actor
        ),
    )

# -- desired outcomes ----------------------------------------------------------------------
st.header("How will we know we've been successful?")
st.caption("Each desired outcome in one sentence, in words the family would use.")


def outcome_form(outcome: DesiredOutcome | None) -> None:
    slot = st.session_state.get("adding:outcome", 0)
    form = f"outcome-{outcome.id}" if outcome else f"new-outcome-{slot}"
    with st.form(f"form:{form}"):
        _ui.error_summary(form, {"text": "Desired outcome"})
        typed = st.text_input(
            "Desired outcome", value=outcome.text if outcome else "", key=f"{form}:text:{g}", disabled=disabled
        )
        _ui.field_error(form, "text")
        cols = st.columns([1, 1, 3])
        save = cols[0].form_submit_button("Save" if outcome else "Add outcome", type="primary", disabled=disabled)
        remove = outcome is not None and cols[1].form_submit_button("Remove", disabled=disabled)
    _ui.saved_note(form)
    if save:
        candidate = DesiredOutcome(id=outcome.id, text=typed or "") if outcome else DesiredOutcome(text=typed or "")
        if outcome is None:
            # A fresh, empty "add" form next time, whatever the result of this save.
            st.session_state["adding:outcome"] = slot + 1 if typed else slot
        save_with(
            form,
            lambda v: wb.assessments.save_outcome(
                assessment_id=a.assessment_id, expected_version=v, outcome=candidate, actor=actor
            ),
        )
    if remove and outcome is not None:
        st.session_state["confirm"] = f"outcome:{outcome.id}"
        st.rerun()
    if outcome is not None:
        _progress.confirm(
            f"outcome:{outcome.id}",
            "Remove this outcome?",
            lambda: save_with(
                form,
                lambda v: wb.assessments.remove_outcome(
                    assessment_id=a.assessment_id, expected_version=v, outcome_id=outcome.id, actor=actor
                ),
            ),
        )


for n, existing in enumerate(plan.outcomes, start=1):
    st.subheader(f"Outcome {n}")
    outcome_form(existing)
with st.expander("Add a desired outcome", icon=":material/add:", expanded=not plan.outcomes):
    outcome_form(None)

# -- action plan ---------------------------------------------------------------------------
st.header("Whole-family action plan")
st.caption("What will be done, by whom, by when, and which outcome it serves.")
outcome_ids = [o.id for o in plan.outcomes]
outcome_text = {o.id: o.text for o in plan.outcomes}
STATUSES = list(ActionStatus)
ACTION_LABELS = {
    "action": "Action",
    "who": "Who will do it",
    "by_when": "By when",
    "outcome_id": "Outcome it serves",
    "status": "Progress",
}
started = a.started_on or wb.today()


def action_form(action: PlanAction | None) -> None:
    slot = st.session_state.get("adding:action", 0)
    form = f"action-{action.id}" if action else f"new-action-{slot}"
    shown = action or PlanAction()
    with st.form(f"form:{form}"):
        _ui.error_summary(form, ACTION_LABELS)
        what = _progress.text_box(form, "action", ACTION_LABELS["action"], shown.action, disabled=disabled, height=80)
        who = st.text_input(ACTION_LABELS["who"], value=shown.who, key=f"{form}:who:{g}", disabled=disabled)
        _ui.field_error(form, "who")
        by_when = st.date_input(
            ACTION_LABELS["by_when"],
            value=shown.by_when,
            format="DD/MM/YYYY",
            **_ui.date_limits(shown.by_when, earliest=started, latest=wb.today() + timedelta(days=3 * 365)),
            key=f"{form}:by_when:{g}",
            disabled=disabled,
        )
        _ui.field_error(form, "by_when")
        serves = st.selectbox(
            ACTION_LABELS["outcome_id"],
            outcome_ids,
            index=outcome_ids.index(shown.outcome_id) if shown.outcome_id in outcome_ids else None,
            format_func=lambda oid: outcome_text.get(oid, oid),
            placeholder="Choose the outcome",
            key=f"{form}:outcome_id:{g}",
            disabled=disabled,
        )
        _ui.field_error(form, "outcome_id")
        status = st.selectbox(
            ACTION_LABELS["status"],
            STATUSES,
            index=STATUSES.index(shown.status),
            format_func=lambda s: s.value.capitalize(),
            key=f"{form}:status:{g}",
            disabled=disabled,
        )
        cols = st.columns([1, 1, 3])
        save = cols[0].form_submit_button("Save" if action else "Add action", type="primary", disabled=disabled)
        remove = action is not None and cols[1].form_submit_button("Remove", disabled=disabled)
    _ui.saved_note(form)
    if save:
        candidate = PlanAction(
            id=shown.id,
            action=what,
            who=who or "",
            by_when=by_when if not isinstance(by_when, tuple) else None,
            outcome_id=serves or "",
            status=status or ActionStatus.NOT_STARTED,
        )
        save_with(
            form,
            lambda v: wb.assessments.save_action(
                assessment_id=a.assessment_id, expected_version=v, action=candidate, actor=actor
            ),
            None if action else next_slot("action", slot),
        )
    if remove and action is not None:
        st.session_state["confirm"] = f"action:{action.id}"
        st.rerun()
    if action is not None:
        _progress.confirm(
            f"action:{action.id}",
            "Remove this action from the plan?",
            lambda: save_with(
                form,
                lambda v: wb.assessments.remove_action(
                    assessment_id=a.assessment_id, expected_version=v, action_id=action.id, actor=actor
                ),
            ),
        )


for n, existing_action in enumerate(plan.actions, start=1):
    st.subheader(f"Action {n}")
    action_form(existing_action)
if not plan.outcomes:
    st.info("Add a desired outcome first: every action serves one.")
else:
    with st.expander("Add an action", icon=":material/add:", expanded=not plan.actions):
        action_form(None)
