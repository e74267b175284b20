"""Team Around the Family: the meetings that review the plan, the lead professional and closing
the TAF; and "My families", where a practitioner sees whose review is due.

Every method is keyword-only, takes the acting person and reaches the assessment through
`_assessment_for` (the one access check). A meeting is a JSON document in `taf_meetings`
validated by `eha.taf.TafMeeting`, saved part by part against the version it was opened at
(StaleRecord otherwise), then finalised, after which it is not changed. The lead professional's
history and the closure are section documents. A closed assessment is read-only: every write
here refuses it. Errors are those of `eha.errors`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eha import taf as rules
from eha.actor import Actor, Role, TeamRole, may_see_case_data, may_write_case_content
from eha.audit import AuditAction, field_diff
from eha.errors import NotFound, StaleRecord, ValidationFailed
from eha.family import AssessmentStatus, Saved
from eha.plan import Plan, PlanAction
from eha.record import AssessmentRecord, TafMeetingRecord, check_taf_meetings
from eha.taf import (
    CLOSURE_KEY,
    LEAD_KEY,
    ActionProgress,
    CaseloadEntry,
    ClosureReason,
    LeadHistory,
    LeadProfessional,
    Participant,
    ReviewDue,
    SavedMeeting,
    TafClosure,
    TafMeeting,
    TafOverview,
)
from eha.text import is_text
from storage.assessment_service import AssessmentSections, _require_editable
from storage.core import LONDON, _record_label
from storage.models import AccountRow, AssessmentRow, FamilyRow, SectionRow, TafMeetingRow

FINALISED_MESSAGE = "This TAF meeting has been finalised: its record can be read but no longer changed."
DUE_ORDER = {ReviewDue.OVERDUE: 0, ReviewDue.THIS_WEEK: 1, ReviewDue.LATER: 2, ReviewDue.NONE: 3}


class TafReviews(AssessmentSections):
    """TAF meetings, the lead professional and closure, for a completed assessment."""

    # -- reading ---------------------------------------------------------------------------

    def taf(self, *, assessment_id: str, actor: Actor) -> TafOverview:
        """The assessment's TAF: plan, meetings (oldest first), lead professionals, closure."""
        with self._unit() as session:
            a = self._assessment_for(session, assessment_id, actor)
            self._audit(
                session, actor, action=AuditAction.VIEWED, record=f"assessment:{a.id}/taf", family_id=a.family_id
            )
            return self._overview(a, read_only=not may_write_case_content(actor))

    def _overview(self, a: AssessmentRow, *, read_only: bool = False) -> TafOverview:
        lead = self._opened(a, LEAD_KEY, LeadHistory)
        closure = self._section(a, CLOSURE_KEY)
        return TafOverview(
            assessment_id=a.id,
            family_id=a.family_id,
            reference=a.family.reference,
            status=AssessmentStatus(a.status),
            started_on=a.started_on,
            completed_on=a.completed_at.astimezone(LONDON).date() if a.completed_at else None,
            review_date=a.review_date,
            plan=self._doc(a, "plan", Plan),
            lead=lead.data,
            lead_version=lead.version,
            meetings=tuple(_saved_meeting(row) for row in a.taf_meetings),
            closure=TafClosure.model_validate(closure.data) if closure is not None else None,
            read_only=read_only,
        )

    # -- the lead professional ---------------------------------------------------------------

    def agree_lead_professional(
        self,
        *,
        assessment_id: str,
        expected_version: int,
        lead: LeadProfessional,
        from_on: date | None,
        meeting_number: int | None = None,
        actor: Actor,
    ) -> Saved:
        """A new lead professional from `from_on` (agreed before the first meeting, or at
        meeting `meeting_number`); the previous ones stay in the history. A workbook username
        joins the family's team as lead professional, so they can see the family.

        Raises ValidationFailed (fields name, agency, role, username, from_on), StaleRecord.
        """
        today = self.today()
        with self._unit() as session:
            a = self._assessment_for(session, assessment_id, actor, write=True)
            _require_editable(a)
            row = self._section(a, LEAD_KEY)
            if (row.version if row else 0) != expected_version:
                raise StaleRecord("The lead professional")
            now = self._clock()
            history = rules.agree_lead(
                LeadHistory() if row is None else LeadHistory.model_validate(row.data),
                lead,
                from_on=from_on,
                meeting_number=meeting_number,
                meeting_numbers={m.number for m in a.taf_meetings},
                started_on=a.started_on,
                is_practitioner=lambda username: _practitioner_exists(session, username),
                today=today,
                recorded_at=now,
                recorded_by=actor.username,
            )
            data = history.model_dump(mode="json")
            row, before = self._put_section(a, LEAD_KEY, data, now=now, actor=actor)
            joined = bool(lead.username) and self._add_to_team(
                session, a.family_id, lead.username, TeamRole.LEAD, actor, now
            )
            # Last, once everything is changed: the audit's write flushes, one version step.
            self._audit(
                session,
                actor,
                action=AuditAction.CHANGED,
                record=f"assessment:{a.id}/{LEAD_KEY}",
                family_id=a.family_id,
                details={"changes": field_diff(before, data)},
            )
            if joined:
                self._audit(
                    session,
                    actor,
                    action=AuditAction.TEAM_CHANGED,
                    record=f"family:{a.family_id}",
                    family_id=a.family_id,
                    details={"added": lead.username, "team_role": TeamRole.LEAD.value},
                )
            try:
                session.flush()
            except IntegrityError as exc:
                raise StaleRecord("The lead professional") from exc
            return Saved(row.version, now, actor.username)

    # -- meetings ----------------------------------------------------------------------------

    def start_taf_meeting(self, *, assessment_id: str, held_on: date | None, where: str, actor: Actor) -> SavedMeeting:
        """Record the next TAF meeting (the first makes the TAF active). It starts from the
        current plan: every action, for the meeting to say how it is going.

        Raises ValidationFailed (held_on, where; "" when the assessment is not completed, is
        closed, or the previous meeting is not finalised yet).
        """
        today = self.today()
        with self._unit() as session:
            a = self._assessment_for(session, assessment_id, actor, write=True)
            _require_editable(a)
            overview = self._overview(a)
            meeting = rules.start_meeting(overview, held_on=held_on, where=where, today=today)
            now = self._clock()
            row = TafMeetingRow(
                id=str(uuid.uuid4()),
                number=len(overview.meetings) + 1,
                held_on=meeting.held_on,
                data=meeting.model_dump(mode="json"),
                created_at=now,
                created_by=actor.username,
                updated_at=now,
                updated_by=actor.username,
            )
            a.taf_meetings.append(row)
            became_active = a.status == AssessmentStatus.COMPLETED.value
            if became_active:
                a.status = AssessmentStatus.TAF_ACTIVE.value
            a.updated_at, a.updated_by = now, actor.username
            try:
                session.flush()
            except IntegrityError:
                raise ValidationFailed(
                    {"": "Someone else recorded this TAF meeting just now: open it from the TAF page instead."}
                ) from None
            details: dict[str, Any] = {"number": row.number, "held_on": str(meeting.held_on)}
            if became_active:
                details["status"] = {"before": "completed", "after": "taf_active"}
            self._audit(
                session,
                actor,
                action=AuditAction.CREATED,
                record=f"taf_meeting:{row.id}",
                family_id=a.family_id,
                details=details,
            )
            return _saved_meeting(row)

    def save_meeting_details(
        self, *, meeting_id: str, expected_version: int, held_on: date | None, where: str, actor: Actor
    ) -> Saved:
        """The date and where/how the meeting was held."""
        today = self.today()

        def change(m: TafMeeting, a: AssessmentRow, row: TafMeetingRow) -> TafMeeting:
            before = [r.held_on for r in a.taf_meetings if r.number < row.number]
            return rules.with_details(
                m,
                held_on=held_on,
                where=where,
                started_on=a.started_on,
                previous_held_on=max(before, default=None),
                today=today,
            )

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def save_participant(
        self, *, meeting_id: str, expected_version: int, participant: Participant, actor: Actor
    ) -> Saved:
        """Add or change someone invited: who they are and whether they attended or sent apologies."""

        def change(m: TafMeeting, _a: AssessmentRow, _row: TafMeetingRow) -> TafMeeting:
            return rules.with_participant(m, participant)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def remove_participant(self, *, meeting_id: str, expected_version: int, participant_id: str, actor: Actor) -> Saved:
        return self._change_meeting(
            meeting_id=meeting_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda m, _a, _r: m.model_copy(
                update={"participants": tuple(p for p in m.participants if p.id != participant_id)}
            ),
        )

    def save_meeting_views(
        self,
        *,
        meeting_id: str,
        expected_version: int,
        family_view: str,
        child_view: str,
        working_well: str,
        worries: str,
        actor: Actor,
    ) -> Saved:
        """The family's and the child's view at this meeting, what is working well, the worries."""
        texts = {"family_view": family_view, "child_view": child_view, "working_well": working_well, "worries": worries}

        def change(m: TafMeeting, _a: AssessmentRow, _row: TafMeetingRow) -> TafMeeting:
            return rules.with_views(m, **texts)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def save_action_progress(
        self,
        *,
        meeting_id: str,
        expected_version: int,
        progress: Mapping[str, tuple[ActionProgress, str]],
        actor: Actor,
    ) -> Saved:
        """Progress on the plan's actions: action id -> (progress, comment). Actions not named
        keep what they had. Raises ValidationFailed (`<action id>` for a comment too long,
        "" for an action that is not in this meeting's plan)."""

        def change(m: TafMeeting, _a: AssessmentRow, _row: TafMeetingRow) -> TafMeeting:
            return rules.with_progress(m, progress)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def save_meeting_action(self, *, meeting_id: str, expected_version: int, action: PlanAction, actor: Actor) -> Saved:
        """Add or change a new action agreed at this meeting (what, who, by when, which outcome)."""

        def change(m: TafMeeting, a: AssessmentRow, _row: TafMeetingRow) -> TafMeeting:
            return rules.with_new_action(m, action, plan=self._doc(a, "plan", Plan), started_on=a.started_on)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def remove_meeting_action(self, *, meeting_id: str, expected_version: int, action_id: str, actor: Actor) -> Saved:
        return self._change_meeting(
            meeting_id=meeting_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda m, _a, _r: m.model_copy(
                update={"new_actions": tuple(x for x in m.new_actions if x.id != action_id)}
            ),
        )

    def save_next_review(
        self,
        *,
        meeting_id: str,
        expected_version: int,
        next_review_on: date | None,
        reason: str,
        closing: bool,
        actor: Actor,
    ) -> Saved:
        """The next review date (6 weeks on suggested; more than 12 weeks needs a reason), or
        that the meeting agreed to close the TAF."""
        today = self.today()

        def change(m: TafMeeting, _a: AssessmentRow, _row: TafMeetingRow) -> TafMeeting:
            return rules.with_next_review(m, next_review_on=next_review_on, reason=reason, closing=closing, today=today)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def save_minutes(self, *, meeting_id: str, expected_version: int, minutes: str, actor: Actor) -> Saved:
        """Short, family-friendly minutes: they go to everyone who attended or sent apologies."""

        def change(m: TafMeeting, _a: AssessmentRow, _row: TafMeetingRow) -> TafMeeting:
            return rules.with_views(m, minutes=minutes)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def finalise_taf_meeting(self, *, meeting_id: str, expected_version: int, actor: Actor) -> Saved:
        """Finalise the record (no more changes). Refused, listing what is missing under "",
        until every part is there; the dates are checked again as they stand today."""
        today = self.today()

        def change(m: TafMeeting, a: AssessmentRow, _row: TafMeetingRow) -> TafMeeting:
            lead = self._doc(a, LEAD_KEY, LeadHistory)
            return rules.finalise(m, lead=lead, today=today, at=self._clock(), by=actor.username)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def _meeting_for(self, session: Session, meeting_id: str, actor: Actor, *, write: bool = False) -> TafMeetingRow:
        assessment_id = (
            session.scalar(select(TafMeetingRow.assessment_id).where(TafMeetingRow.id == meeting_id))
            if is_text(meeting_id)
            else None
        )
        if assessment_id is None:
            # As for families and assessments: an unknown id is refused like someone else's
            # record, so ids cannot be probed; only the system operator is told NotFound.
            self._require(actor.role is Role.SYSTEM, actor, record=_record_label("taf_meeting", meeting_id))
            raise NotFound("There is no TAF meeting with that id.")
        self._assessment_for(session, assessment_id, actor, write=write)
        row = session.get(TafMeetingRow, meeting_id)
        if row is None:  # removed with its assessment between the two statements
            raise NotFound("There is no TAF meeting with that id.")
        return row

    def _change_meeting(
        self,
        *,
        meeting_id: str,
        expected_version: int,
        actor: Actor,
        change: Callable[[TafMeeting, AssessmentRow, TafMeetingRow], TafMeeting],
    ) -> Saved:
        with self._unit() as session:
            row = self._meeting_for(session, meeting_id, actor, write=True)
            a = row.assessment
            _require_editable(a)
            current = TafMeeting.model_validate(row.data)
            if current.finalised:
                raise ValidationFailed({"": FINALISED_MESSAGE})
            if row.version != expected_version:
                raise StaleRecord(f"TAF meeting {row.number}")
            updated = change(current, a, row)
            now = self._clock()
            before, row.data = row.data, updated.model_dump(mode="json")
            row.held_on = updated.held_on
            row.updated_at, row.updated_by = now, actor.username
            a.updated_at, a.updated_by = now, actor.username
            # Last, once the row is changed: the audit's write flushes it, one version step.
            self._audit(
                session,
                actor,
                action=AuditAction.CHANGED,
                record=f"taf_meeting:{row.id}",
                family_id=a.family_id,
                details={"changes": field_diff(before, row.data)},
            )
            session.flush()
            return Saved(row.version, now, actor.username)

    # -- closing -----------------------------------------------------------------------------

    def close_taf(
        self,
        *,
        assessment_id: str,
        reason: ClosureReason | None,
        reason_other: str = "",
        new_area: str = "",
        new_area_consent: bool | None = None,
        family_comments: str,
        evaluation: str,
        closed_on: date | None,
        actor: Actor,
    ) -> Saved:
        """Close the TAF: the assessment becomes Closed and read-only. A family that needs help
        again gets a new assessment (start_assessment).

        Raises ValidationFailed (reason, reason_other, new_area, new_area_consent,
        family_comments, evaluation, closed_on; "" while a meeting is not finalised or the
        assessment is not completed).
        """
        today = self.today()
        with self._unit() as session:
            a = self._assessment_for(session, assessment_id, actor, write=True)
            _require_editable(a)
            now = self._clock()
            closure = rules.close(
                self._overview(a),
                reason=reason,
                reason_other=reason_other,
                new_area=new_area,
                new_area_consent=new_area_consent,
                family_comments=family_comments,
                evaluation=evaluation,
                closed_on=closed_on,
                now=now,
                closed_by=actor.username,
                today=today,
            )
            data = closure.model_dump(mode="json")
            a.sections.append(SectionRow(key=CLOSURE_KEY, data=data, updated_at=now, updated_by=actor.username))
            status_before = a.status
            a.status = AssessmentStatus.CLOSED.value
            a.updated_at, a.updated_by = now, actor.username
            self._audit(
                session,
                actor,
                action=AuditAction.CHANGED,
                record=f"assessment:{a.id}",
                family_id=a.family_id,
                details={"status": {"before": status_before, "after": "closed"}, "closure": data},
            )
            session.flush()
            return Saved(a.version, now, actor.username)

    # -- my families ---------------------------------------------------------------------------

    def my_families(self, *, actor: Actor) -> list[CaseloadEntry]:
        """The families this person may see, overdue and due-this-week reviews first.
        Raises AccessDenied for a role without case data."""
        today = self.today()
        with self._unit() as session:
            self._require(may_see_case_data(actor), actor, record="my_families")
            rows = session.scalars(select(FamilyRow).where(self._in_scope(actor)).order_by(FamilyRow.reference))
            entries = [self._caseload_entry(f, today) for f in rows]
            self._audit(
                session, actor, action=AuditAction.SEARCHED, record="my_families", details={"found": len(entries)}
            )
        return sorted(entries, key=lambda e: (DUE_ORDER[e.due], e.next_review or date.max, e.reference))

    def _caseload_entry(self, family: FamilyRow, today: date) -> CaseloadEntry:
        people = sorted(family.people, key=lambda p: p.id)
        children = tuple(p.name for p in people if p.kind == "child")
        latest = family.assessments[-1] if family.assessments else None
        if latest is None:
            return CaseloadEntry(
                family_id=family.id,
                reference=family.reference,
                children=children,
                assessment_id=None,
                status_label="No assessment",
                lead=None,
                last_review=None,
                next_review=None,
                due=ReviewDue.NONE,
            )
        overview = self._overview(latest)
        current = overview.lead.current
        next_review = overview.next_review
        return CaseloadEntry(
            family_id=family.id,
            reference=family.reference,
            children=children,
            assessment_id=latest.id,
            status_label=overview.status.label,
            lead=current.lead.name if current else None,
            last_review=overview.meetings[-1].meeting.held_on if overview.meetings else None,
            next_review=next_review,
            due=rules.review_due(next_review, today=today),
        )

    # -- export and import of what this mixin adds ---------------------------------------------

    @staticmethod
    def _meeting_records(a: AssessmentRow) -> tuple[TafMeetingRecord, ...]:
        return tuple(
            TafMeetingRecord(
                id=row.id,
                number=row.number,
                data=row.data,
                created_at=row.created_at,
                created_by=row.created_by,
                updated_at=row.updated_at,
                updated_by=row.updated_by,
            )
            for row in a.taf_meetings
        )

    @staticmethod
    def _restore_meetings(row: AssessmentRow, record: AssessmentRecord) -> None:
        """Meetings of an imported assessment (checked by `parse_record`; again here, because a
        record can also be built in code)."""
        check_taf_meetings(record)
        for item in record.taf_meetings:
            meeting = TafMeeting.model_validate(item.data)
            row.taf_meetings.append(
                TafMeetingRow(
                    id=item.id,
                    number=item.number,
                    held_on=meeting.held_on,
                    data=item.data,
                    created_at=item.created_at,
                    created_by=item.created_by,
                    updated_at=item.updated_at,
                    updated_by=item.updated_by,
                )
            )


def _practitioner_exists(session: Session, username: str) -> bool:
    row = session.get(AccountRow, username)
    return row is not None and row.role == Role.PRACTITIONER.value and not row.disabled


def _saved_meeting(row: TafMeetingRow) -> SavedMeeting:
    return SavedMeeting(
        meeting_id=row.id,
        number=row.number,
        meeting=TafMeeting.model_validate(row.data),
        version=row.version,
        saved=Saved(row.version, row.updated_at, row.updated_by),
    )
