"""Section 1 of the EHA: family background and the reason for the assessment.

The household (parents/carers, children, other significant adults, professionals involved),
the family's main address and the reason for the assessment. Validation needs "today" to be
passed in, so the rules are testable on any date.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from eha.errors import raise_if
from eha.text import LONG_MAX, NAME_MAX, SHORT_MAX, id_problem, text_problem

_STRICT = ConfigDict(extra="forbid", frozen=True)

OLDEST_CHILD_YEARS = 25  # early help reaches young people with SEND up to 25
LONGEST_PREGNANCY = timedelta(weeks=44)


def new_id() -> str:
    return str(uuid.uuid4())


class Carer(BaseModel):
    """A parent or carer."""

    model_config = _STRICT
    kind: Literal["carer"] = "carer"
    id: str = Field(default_factory=new_id)
    name: str = ""
    relationship: str = ""
    main_carer: bool = False
    date_of_birth: date | None = None
    gender: str = ""
    ethnicity: str = ""
    religion: str = ""
    first_language: str = ""
    interpreter_needed: bool = False
    contact: str = ""
    lives_in_home: bool = True
    address_if_different: str = ""


class Child(BaseModel):
    """A child or young person, or an unborn baby (then a due date, not a date of birth)."""

    model_config = _STRICT
    kind: Literal["child"] = "child"
    id: str = Field(default_factory=new_id)
    name: str = ""
    born: bool = True
    date_of_birth: date | None = None
    due_date: date | None = None
    gender: str = ""
    ethnicity: str = ""
    religion: str = ""
    first_language: str = ""
    interpreter_needed: bool = False
    school_or_setting: str = ""
    address_if_different: str = ""

    def age_on(self, day: date) -> int | None:
        if not self.born or self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class SignificantAdult(BaseModel):
    """Another adult who matters to the children, living in the home or not."""

    model_config = _STRICT
    kind: Literal["adult"] = "adult"
    id: str = Field(default_factory=new_id)
    name: str = ""
    relationship: str = ""
    lives_in_home: bool = False
    contact: str = ""


class Professional(BaseModel):
    """A professional already involved with the family."""

    model_config = _STRICT
    kind: Literal["professional"] = "professional"
    id: str = Field(default_factory=new_id)
    name: str = ""
    agency: str = ""
    role: str = ""
    contact: str = ""


Member = Annotated[Carer | Child | SignificantAdult | Professional, Field(discriminator="kind")]


class FamilyBackground(BaseModel):
    model_config = _STRICT
    address: str = ""
    reason: str = ""
    carers: tuple[Carer, ...] = ()
    children: tuple[Child, ...] = ()
    adults: tuple[SignificantAdult, ...] = ()
    professionals: tuple[Professional, ...] = ()

    def members(self) -> tuple[Carer | Child | SignificantAdult | Professional, ...]:
        return (*self.carers, *self.children, *self.adults, *self.professionals)

    def find(self, member_id: str) -> Carer | Child | SignificantAdult | Professional | None:
        return next((m for m in self.members() if m.id == member_id), None)

    def main_carer(self) -> Carer | None:
        return next((c for c in self.carers if c.main_carer), None)


# --- rules -------------------------------------------------------------------------------


def _texts(errors: dict[str, str], fields: dict[str, tuple[str, str, int, bool]]) -> None:
    for key, (value, label, limit, required) in fields.items():
        problem = text_problem(value, label=label, limit=limit, required=required)
        if problem:
            errors[key] = problem


def check_member(
    member: Carer | Child | SignificantAdult | Professional, *, today: date, recorded: bool = False
) -> dict[str, str]:
    """Field -> message for everything wrong with one person's details; empty when fine.

    `recorded`: the details were typed earlier (an imported record). Dates move on: a due date
    that has passed, or an age that has gone over the limit since, is history, not a mistake.
    """
    errors: dict[str, str] = {}
    short = {
        name: (getattr(member, name), name.replace("_", " "), SHORT_MAX, False)
        for name in type(member).model_fields
        if name not in ("kind", "id", "name") and isinstance(getattr(member, name), str)
    }
    _texts(errors, {"name": (member.name, "a name", NAME_MAX, True), **short})
    problem = id_problem(member.id)
    if problem:
        errors["id"] = problem
    if isinstance(member, Child):
        errors.update(_child_dates(member, today=today, recorded=recorded))
    if isinstance(member, Carer) and member.date_of_birth and member.date_of_birth > today:
        errors["date_of_birth"] = "Date of birth must be today or in the past."
    return errors


def _child_dates(child: Child, *, today: date, recorded: bool) -> dict[str, str]:
    if child.born:
        dob = child.date_of_birth
        if dob is None:
            return {"date_of_birth": "Enter the child's date of birth, or choose 'Not born yet' and give the due date."}
        if dob > today:
            return {
                "date_of_birth": "Date of birth must be today or in the past. "
                "For an unborn baby, choose 'Not born yet' and give the due date."
            }
        if (child.age_on(today) or 0) > OLDEST_CHILD_YEARS and not recorded:
            return {"date_of_birth": f"This date of birth makes them over {OLDEST_CHILD_YEARS}: check the year."}
        return {}
    due = child.due_date
    if due is None:
        return {"due_date": "Enter the expected due date."}
    if due < today and not recorded:
        return {
            "due_date": "The due date is in the past: if the baby has been born, choose 'Born' "
            "and give the date of birth."
        }
    if due > today + LONGEST_PREGNANCY:
        return {"due_date": "The due date is more than 44 weeks away: check the date."}
    return {}


def check_details(*, address: str, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    _texts(
        errors,
        {
            "address": (address, "the family's address", SHORT_MAX, False),
            "reason": (reason, "the reason for the assessment", LONG_MAX, False),
        },
    )
    return errors


def _section_of(member: Carer | Child | SignificantAdult | Professional) -> str:
    return {"carer": "carers", "child": "children", "adult": "adults", "professional": "professionals"}[member.kind]


def with_member(
    background: FamilyBackground,
    member: Carer | Child | SignificantAdult | Professional,
    *,
    today: date,
) -> FamilyBackground:
    """Add or replace a person. One main carer at a time: naming a new one moves the role."""
    raise_if(check_member(member, today=today))
    field = _section_of(member)
    current = list(getattr(background, field))
    if any(m.id == member.id for m in current):
        replaced = [member if m.id == member.id else m for m in current]
    else:
        replaced = [*current, member]
    if isinstance(member, Carer) and member.main_carer:
        replaced = [m.model_copy(update={"main_carer": m.id == member.id}) for m in replaced]
    return background.model_copy(update={field: tuple(replaced)})


def without_member(background: FamilyBackground, member_id: str) -> FamilyBackground:
    member = background.find(member_id)
    if member is None:
        return background
    field = _section_of(member)
    kept = tuple(m for m in getattr(background, field) if m.id != member_id)
    return background.model_copy(update={field: kept})


def with_details(background: FamilyBackground, *, address: str, reason: str) -> FamilyBackground:
    raise_if(check_details(address=address, reason=reason))
    return background.model_copy(update={"address": address, "reason": reason})


def missing(background: FamilyBackground) -> list[str]:
    """What still has to be filled in before this section is complete, in plain words."""
    gaps = []
    if not background.address.strip():
        gaps.append("the family's main address")
    if not background.carers:
        gaps.append("at least one parent or carer")
    elif background.main_carer() is None:
        gaps.append("which parent or carer is the main carer")
    if not background.children:
        gaps.append("at least one child (or an unborn baby)")
    if not background.reason.strip():
        gaps.append("the reason for the assessment")
    return gaps
