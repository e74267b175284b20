"""The service layer's core: one transaction per call, and the one place access is decided.

Areas of the practice (families, sections, the star, reviews) are mixins over `WorkbookCore`;
`storage.services.Workbook` puts them together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from eha.actor import Actor, may_see_case_data
from eha.errors import AccessDenied, NotFound, StaleRecord, ValidationFailed
from eha.localities import Locality
from storage.models import AssessmentRow, FamilyRow, SectionRow

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    return datetime.now(UTC)


class WorkbookCore:
    def __init__(
        self,
        engine: Engine,
        *,
        localities: tuple[Locality, ...],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock
        self.localities = localities

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except StaleDataError as exc:
            # Lost the race between reading the version and writing: same answer as a stale form.
            raise StaleRecord() from exc

    def today(self) -> date:
        return self._clock().astimezone(LONDON).date()

    def _family_for(self, session: Session, family_id: str, actor: Actor) -> FamilyRow:
        if not may_see_case_data(actor):
            raise AccessDenied()
        family = session.get(FamilyRow, family_id)
        if family is None:
            raise NotFound("There is no family with that reference.")
        return family

    def _assessment_for(self, session: Session, assessment_id: str, actor: Actor) -> AssessmentRow:
        if not may_see_case_data(actor):
            raise AccessDenied()
        assessment = session.get(AssessmentRow, assessment_id)
        if assessment is None:
            raise NotFound("There is no assessment with that id.")
        self._family_for(session, assessment.family_id, actor)
        return assessment

    def _locality(self, key: str) -> Locality:
        for locality in self.localities:
            if locality.key == key:
                return locality
        raise ValidationFailed({"locality": "Choose the family's LCSS locality."})

    @staticmethod
    def _section(assessment: AssessmentRow, key: str) -> SectionRow | None:
        return next((s for s in assessment.sections if s.key == key), None)
