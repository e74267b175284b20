"""Sections 2, 4 and 5: the views of the parents/carers, of each child, of each professional.

One entry per person named in section 1. An entry can be saved half-done (work is never
lost); what is still missing is listed by `*_gaps`, in plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from eha.background import FamilyBackground
from eha.text import LONG_MAX, NAME_MAX, SHORT_MAX, text_problem

_STRICT = ConfigDict(extra="forbid", frozen=True)


def _check_texts(view: BaseModel, limits: dict[str, tuple[str, int]]) -> dict[str, str]:
    errors = {}
    for field, (label, limit) in limits.items():
        problem = text_problem(getattr(view, field), label=label, limit=limit)
        if problem:
            errors[field] = problem
    return errors


# --- section 2: parents'/carers' view ----------------------------------------------------


class CarerView(BaseModel):
    model_config = _STRICT
    carer_id: str
    own_words: str = ""
    going_well: str = ""
    worries: str = ""
    would_like_to_change: str = ""
    # A parent who could not or would not take part: say why, rather than leave a silent gap.
    not_given_reason: str = ""


class CarersViews(BaseModel):
    """Section document "carers_views"."""

    model_config = _STRICT
    views: tuple[CarerView, ...] = ()

    def for_carer(self, carer_id: str) -> CarerView | None:
        return next((v for v in self.views if v.carer_id == carer_id), None)


CARER_VIEW_LABELS = {
    "own_words": "Their view, in their own words",
    "going_well": "What is going well",
    "worries": "What worries them",
    "would_like_to_change": "What they would like to change",
    "not_given_reason": "If they could not give their view, why",
}


def check_carer_view(view: CarerView, background: FamilyBackground) -> dict[str, str]:
    if all(c.id != view.carer_id for c in background.carers):
        return {"": "This parent or carer is no longer in the family background."}
    return carer_view_problems(view)


def carer_view_problems(view: CarerView) -> dict[str, str]:
    """The view's own rules, whoever is in the background now (an imported record is checked
    with these: a view can outlive the carer's removal from section 1)."""
    limits = {f: (label.lower(), LONG_MAX) for f, label in CARER_VIEW_LABELS.items()}
    return _check_texts(view, limits)


def carers_gaps(views: CarersViews, background: FamilyBackground) -> list[str]:
    gaps = []
    for carer in background.carers:
        view = views.for_carer(carer.id)
        if view is None or not (view.own_words.strip() or view.not_given_reason.strip()):
            gaps.append(f"the view of {carer.name}, in their own words (or why it could not be given)")
    return gaps


# --- section 4: the child's view ---------------------------------------------------------


class HowGathered(StrEnum):
    DIRECTLY = "directly"
    THREE_HOUSES = "three_houses"
    WIZARDS_AND_FAIRIES = "wizards_and_fairies"
    WISHES_AND_FEELINGS = "wishes_and_feelings"
    WHY_WORRY = "why_worry"
    OBSERVATION = "observation"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "directly": "Talking with the child directly",
            "three_houses": "Three Houses",
            "wizards_and_fairies": "Wizards and Fairies",
            "wishes_and_feelings": "Wishes and Feelings",
            "why_worry": "Why Worry",
            "observation": "Observation",
            "other": "Another way",
        }[self.value]


class ChildView(BaseModel):
    model_config = _STRICT
    child_id: str
    # Too young to give a view: an observation of the child is recorded instead.
    too_young: bool = False
    own_words: str = ""
    observation: str = ""
    how_gathered: HowGathered | None = None
    how_gathered_other: str = ""
    gathered_by: str = ""
    gathered_on: date | None = None
    # The guidance says each child's view *should* be heard: where it was not (the family and
    # professionals agree the child needs no support, say), that is recorded with the reason.
    not_gathered: bool = False
    not_gathered_reason: str = ""

    @property
    def gives_view(self) -> bool:
        """The child's words, or an observation of a child too young to give them, are recorded."""
        return bool(self.own_words.strip() or self.observation.strip())


class ChildViews(BaseModel):
    """Section document "child_views"."""

    model_config = _STRICT
    views: tuple[ChildView, ...] = ()

    def for_child(self, child_id: str) -> ChildView | None:
        return next((v for v in self.views if v.child_id == child_id), None)


def check_child_view(view: ChildView, background: FamilyBackground, *, today: date) -> dict[str, str]:
    if all(c.id != view.child_id for c in background.children):
        return {"": "This child is no longer in the family background."}
    return child_view_problems(view, today=today)


def child_view_problems(view: ChildView, *, today: date) -> dict[str, str]:
    """The view's own rules, whoever is in the background now."""
    errors = _check_texts(
        view,
        {
            "own_words": ("the child's own words", LONG_MAX),
            "observation": ("the observation", LONG_MAX),
            "how_gathered_other": ("how the view was gathered", SHORT_MAX),
            "gathered_by": ("who gathered the view", NAME_MAX),
            "not_gathered_reason": ("why the view was not gathered", LONG_MAX),
        },
    )
    if view.not_gathered and "not_gathered_reason" not in errors:
        if view.gives_view:
            errors["not_gathered"] = (
                "The child's view is recorded here: untick 'not gathered', or clear the child's words "
                "and the observation to record that their view was not gathered."
            )
        elif not view.not_gathered_reason.strip():
            errors["not_gathered_reason"] = "Say why the child's view was not gathered."
    if view.how_gathered is HowGathered.OTHER and not view.how_gathered_other.strip():
        errors["how_gathered_other"] = "Say how the child's view was gathered."
    if view.too_young and view.how_gathered is HowGathered.DIRECTLY:
        errors["how_gathered"] = (
            "A child too young to give a view cannot have been asked directly: choose observation or the tool used."
        )
    if view.gathered_on is not None and view.gathered_on > today:
        errors["gathered_on"] = "The date the view was gathered must be today or in the past."
    return errors


def replacing_note(previous: ChildView | None, view: ChildView) -> ChildView:
    """A child recorded as "not gathered" who later gives a view: the view replaces the note
    (the audit trail keeps the note, as it keeps every earlier version of the section)."""
    if previous is not None and previous.not_gathered and view.not_gathered and view.gives_view:
        return view.model_copy(update={"not_gathered": False, "not_gathered_reason": ""})
    return view


def child_view_text(view: ChildView | None) -> str:
    """A child's view in words, as Check your answers and the PDF show it ("" when none)."""
    if view is None:
        return ""
    if view.not_gathered:
        return f"Not gathered: {view.not_gathered_reason.strip()}"
    words = view.observation if view.too_young else view.own_words
    how = view.how_gathered.label if view.how_gathered else "not said"
    if view.how_gathered is HowGathered.OTHER and view.how_gathered_other.strip():
        how = view.how_gathered_other.strip()
    on = f"{view.gathered_on:%d/%m/%Y}" if view.gathered_on else "no date"
    return f"{words}\n(gathered by {view.gathered_by or 'not said'}, {on}; {how})"


def children_needing_a_view(background: FamilyBackground) -> list[str]:
    """Ids of the children whose view is asked for: every child already born."""
    return [c.id for c in background.children if c.born]


def child_gaps(views: ChildViews, background: FamilyBackground) -> list[str]:
    gaps = []
    for child in background.children:
        if not child.born:
            continue
        view = views.for_child(child.id)
        name = child.name
        if view is None:
            gaps.append(f"{name}'s view")
            continue
        if view.not_gathered:
            if not view.not_gathered_reason.strip():
                gaps.append(f"why {name}'s view was not gathered")
            continue
        if view.too_young and not view.observation.strip():
            gaps.append(f"the observation of {name} (too young to give a view)")
        if not view.too_young and not view.own_words.strip():
            gaps.append(f"{name}'s own words")
        if view.how_gathered is None:
            gaps.append(f"how {name}'s view was gathered")
        if not view.gathered_by.strip() or view.gathered_on is None:
            gaps.append(f"who gathered {name}'s view, and when")
    return gaps


# --- section 5: professional views -------------------------------------------------------


class ProfessionalView(BaseModel):
    model_config = _STRICT
    professional_id: str
    agency: str = ""
    role: str = ""
    view: str = ""
    # The family decide who may receive this professional's view.
    may_receive: tuple[str, ...] = ()  # ids of professionals in section 1
    may_receive_others: str = ""
    not_given_reason: str = ""

    @property
    def shared(self) -> bool:
        return bool(self.may_receive) or bool(self.may_receive_others.strip())


class ProfessionalViews(BaseModel):
    """Section document "professional_views"."""

    model_config = _STRICT
    views: tuple[ProfessionalView, ...] = ()

    def for_professional(self, professional_id: str) -> ProfessionalView | None:
        return next((v for v in self.views if v.professional_id == professional_id), None)


def check_professional_view(
    view: ProfessionalView, background: FamilyBackground, *, sharing_refused: str | None
) -> dict[str, str]:
    """`sharing_refused` is why the family's consent does not allow sharing now (None if it does)."""
    known = {p.id for p in background.professionals}
    if view.professional_id not in known:
        return {"": "This professional is no longer in the family background."}
    errors = professional_view_problems(view)
    if set(view.may_receive) - known:
        errors["may_receive"] = "Choose people from the professionals listed in the family background."
    elif view.shared and sharing_refused:
        errors["may_receive"] = f"This view cannot be shared: {sharing_refused}"
    return errors


def professional_view_problems(view: ProfessionalView) -> dict[str, str]:
    """The view's own texts; who may receive it is checked against the background and consent
    of the moment it is saved."""
    return _check_texts(
        view,
        {
            "agency": ("the agency", SHORT_MAX),
            "role": ("the role", SHORT_MAX),
            "view": ("their view", LONG_MAX),
            "may_receive_others": ("who else may receive it", SHORT_MAX),
            "not_given_reason": ("why no view was given", LONG_MAX),
        },
    )


def professional_gaps(views: ProfessionalViews, background: FamilyBackground) -> list[str]:
    gaps = []
    for professional in background.professionals:
        view = views.for_professional(professional.id)
        if view is None or not (view.view.strip() or view.not_given_reason.strip()):
            gaps.append(f"the view of {professional.name} (or why none was given)")
    return gaps


# --- one entry per person ----------------------------------------------------------------

V = TypeVar("V")  # any record kept one per person or per id


def with_entry(entries: tuple[V, ...], entry: V, same: Callable[[V], bool]) -> tuple[V, ...]:
    """Replace the entry for this person, or add it."""
    found = [entry if same(e) else e for e in entries]
    if not any(same(e) for e in entries):
        found.append(entry)
    return tuple(found)
