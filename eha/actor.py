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


@dataclass(frozen=True)
class Actor:
    username: str
    display_name: str
    role: Role
    locality: str | None = None

    @classmethod
    def system(cls, purpose: str) -> Actor:
        return cls(username=f"system:{purpose}", display_name=f"System ({purpose})", role=Role.SYSTEM)


def may_see_case_data(actor: Actor) -> bool:
    """Admins run accounts and localities; case data needs a case role."""
    return actor.role in (Role.PRACTITIONER, Role.LCSS, Role.SYSTEM)
