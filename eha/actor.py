"""The person acting: every service that touches case data is told who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    LCSS = "lcss"
    ADMIN = "admin"
    # Command-line maintenance (migrations, demo data, import/export by an operator).
    SYSTEM = "system"
    # Someone not (yet) signed in: who a failed sign-in is recorded against.
    ANONYMOUS = "anonymous"


class TeamRole(StrEnum):
    """How a practitioner belongs to a family's team, which is what lets them see it."""

    AUTHOR = "author"
    LEAD = "lead"
    TAF_MEMBER = "taf_member"

    @property
    def label(self) -> str:
        return {"author": "EHA author", "lead": "Lead professional", "taf_member": "TAF member"}[self.value]


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str
    role: Role
    locality: str | None = None

    @classmethod
    def system(cls, purpose: str) -> Actor:
        return cls(username=f"system:{purpose}", display_name=f"System ({purpose})", role=Role.SYSTEM)

    @classmethod
    def anonymous(cls, claimed: str) -> Actor:
        """Whoever typed `claimed` as their username (or was vouched for by that email)."""
        name = "".join(ch for ch in claimed if ch.isprintable())[:200]
        return cls(username=name, display_name=name, role=Role.ANONYMOUS)


def may_see_case_data(actor: Actor) -> bool:
    """Admins run accounts and localities; case data needs a case role."""
    return actor.role in (Role.PRACTITIONER, Role.LCSS, Role.SYSTEM)


READ_ONLY_MESSAGE = (
    "LCSS reviewers can read this record but not change it. Give your feedback to the author or the lead professional."
)


def may_write_case_content(actor: Actor) -> bool:
    """Practitioners write the record (and the command line's operator, who loads and mends
    it). An LCSS reviewer reads their locality's records and gives feedback to the author;
    admins see no case data at all."""
    return actor.role in (Role.PRACTITIONER, Role.SYSTEM)


def may_read_audit(actor: Actor) -> bool:
    """LCSS read the trail of their locality, admins all of it; practitioners do not."""
    return actor.role in (Role.LCSS, Role.ADMIN, Role.SYSTEM)


def may_run_accounts(actor: Actor) -> bool:
    return actor.role in (Role.ADMIN, Role.SYSTEM)
