"""Section 6: summary, plan and next steps.

The analysis pulls the sections together; "How will we know we've been successful?" lists the
desired outcomes; the whole-family action plan says what, who and by when (a date: SMART), and
which outcome each action serves.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from eha.errors import ValidationFailed, raise_if
from eha.text import LONG_MAX, SHORT_MAX, id_problem, text_problem

_STRICT = ConfigDict(extra="forbid", frozen=True)


def _new_id() -> str:
    return str(uuid.uuid4())


class ActionStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"


class DesiredOutcome(BaseModel):
    model_config = _STRICT
    id: str = Field(default_factory=_new_id)
    text: str = ""


class PlanAction(BaseModel):
    model_config = _STRICT
    id: str = Field(default_factory=_new_id)
    action: str = ""
    who: str = ""
    by_when: date | None = None
    outcome_id: str = ""
    status: ActionStatus = ActionStatus.NOT_STARTED


class Plan(BaseModel):
    """Section document "plan"."""

    model_config = _STRICT
    analysis: str = ""
    outcomes: tuple[DesiredOutcome, ...] = ()
    actions: tuple[PlanAction, ...] = ()

    def outcome(self, outcome_id: str) -> DesiredOutcome | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)


def check_analysis(analysis: str) -> dict[str, str]:
    problem = text_problem(analysis, label="the analysis", limit=LONG_MAX)
    return {"analysis": problem} if problem else {}


def with_analysis(plan: Plan, analysis: str) -> Plan:
    raise_if(check_analysis(analysis))
    return plan.model_copy(update={"analysis": analysis})


def check_outcome(outcome: DesiredOutcome) -> dict[str, str]:
    problem = text_problem(outcome.text, label="the outcome", limit=SHORT_MAX, required=True)
    errors = {"text": problem} if problem else {}
    problem = id_problem(outcome.id)
    if problem:
        errors["id"] = problem
    return errors


def with_outcome(plan: Plan, outcome: DesiredOutcome) -> Plan:
    raise_if(check_outcome(outcome))
    if any(o.id == outcome.id for o in plan.outcomes):
        outcomes = tuple(outcome if o.id == outcome.id else o for o in plan.outcomes)
    else:
        outcomes = (*plan.outcomes, outcome)
    return plan.model_copy(update={"outcomes": outcomes})


def without_outcome(plan: Plan, outcome_id: str) -> Plan:
    """Refused while actions serve the outcome: the plan would lose the reason for them."""
    serving = [a for a in plan.actions if a.outcome_id == outcome_id]
    if serving:
        n = len(serving)
        raise ValidationFailed(
            {
                "": f"{n} action{'s' if n > 1 else ''} serve{'' if n > 1 else 's'} this outcome: "
                "link them to another outcome or remove them first."
            }
        )
    return plan.model_copy(update={"outcomes": tuple(o for o in plan.outcomes if o.id != outcome_id)})


def check_action(action: PlanAction, plan: Plan, *, started_on: date | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, label, limit in (("action", "the action", LONG_MAX), ("who", "who will do it", SHORT_MAX)):
        problem = text_problem(getattr(action, field), label=label, limit=limit, required=True)
        if problem:
            errors[field] = problem
    problem = id_problem(action.id)
    if problem:
        errors["id"] = problem
    if action.by_when is None:
        errors["by_when"] = "Enter the date it will be done by."
    elif started_on is not None and action.by_when < started_on:
        errors["by_when"] = "The date it will be done by cannot be before the assessment started."
    if plan.outcome(action.outcome_id) is None:
        errors["outcome_id"] = "Choose the outcome this action serves (add the outcome first if it is new)."
    return errors


def with_action(plan: Plan, action: PlanAction, *, started_on: date | None) -> Plan:
    raise_if(check_action(action, plan, started_on=started_on))
    if any(a.id == action.id for a in plan.actions):
        actions = tuple(action if a.id == action.id else a for a in plan.actions)
    else:
        actions = (*plan.actions, action)
    return plan.model_copy(update={"actions": actions})


def without_action(plan: Plan, action_id: str) -> Plan:
    return plan.model_copy(update={"actions": tuple(a for a in plan.actions if a.id != action_id)})


def plan_gaps(plan: Plan) -> list[str]:
    gaps = []
    if not plan.analysis.strip():
        gaps.append("the analysis")
    if not plan.outcomes:
        gaps.append("at least one desired outcome (How will we know we've been successful?)")
    if not plan.actions:
        gaps.append("at least one action in the plan")
    for outcome in plan.outcomes:
        if not any(a.outcome_id == outcome.id for a in plan.actions):
            gaps.append(f"an action for the outcome “{outcome.text}”")
    return gaps
