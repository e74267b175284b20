"""Team Around the Family: the meetings that review the plan, the lead professional and closing
the TAF; and "My families", where a practitioner sees whose review is due.

Every method is keyword-only and takes the acting person; what each step decides is in
`eha.taf`. A meeting is a JSON document in `taf_meetings` validated by `eha.taf.TafMeeting`,
saved part by part through the one write path (`WorkbookCore.save`, with `MeetingRecord`), then
finalised, after which it is not changed. The lead professional's history and the closure are
section documents. A closed assessment is read-only. Errors are those of `eha.errors`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, ScalarSelect, case, cast, false, func, null, select, type_coerce
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from eha import taf as rules
from eha.actor import Actor, TeamRole, may_see_case_data
from eha.assessment import Section
from eha.audit import AuditAction
from eha.errors import ValidationFailed
from eha.family import AssessmentStatus, Saved
from eha.paging import PER_PAGE, check_per_page, window
from eha.plan import Plan, PlanAction
from eha.record import AssessmentRecord, TafMeetingRecord, check_taf_meetings
from eha.taf import (
    CLOSURE_KEY,
    LEAD_KEY,
    ActionProgress,
    Caseload,
    CaseloadEntry,
    ClosureReason,
    LeadChoice,
    LeadHistory,
    LeadProfessional,
    Participant,
    ReviewDue,
    SavedMeeting,
    TafClosure,
    TafMeeting,
    TafOverview,
)
from eha.text import fold
from storage.core import LONDON, SectionDocument, Versioned, WorkbookCore, document, opened
from storage.models import AssessmentRow, FamilyRow, PersonIndexRow, SectionRow, TafMeetingRow

FINALISED_MESSAGE = "This TAF meeting has been finalised: its record can be read but no longer changed."
DUE_ORDER = {ReviewDue.OVERDUE: 0, ReviewDue.THIS_WEEK: 1, ReviewDue.LATER: 2, ReviewDue.NONE: 3}
# Meetings are recorded (and so a review is due) from completion until the TAF closes.
MAY_MEET = (AssessmentStatus.COMPLETED.value, AssessmentStatus.TAF_ACTIVE.value)
# The sections `overview_of` reads: all My families loads of each assessment.
OVERVIEW_SECTIONS = (LEAD_KEY, CLOSURE_KEY, Section.PLAN.value)


class TafReviews:
    """TAF meetings, the lead professional and closure, for a completed assessment; and My
    families: `workbook.taf`."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    # -- reading ---------------------------------------------------------------------------

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
        today = self._core.today()
        sessions: list[Session] = []

        def lead_history(session: Session) -> SectionDocument[LeadHistory]:
            sessions.append(session)  # for the account check, asked only of a username that passes its own
            a = self._core.assessment_for(session, assessment_id, actor, write=True)
            return SectionDocument(
                a, LEAD_KEY, LeadHistory, what="The lead professional", then=lambda _history: note_lead(a)
            )

        def change(history: LeadHistory, a: AssessmentRow, now: datetime) -> LeadHistory:
            return rules.agree_lead(
                history,
                lead,
                from_on=from_on,
                meeting_number=meeting_number,
                meeting_numbers={m.number for m in a.taf_meetings},
                started_on=a.started_on,
                is_practitioner=lambda username: self._core.practitioner_exists(sessions[0], username),
                today=today,
                recorded_at=now,
                recorded_by=actor.username,
            )

        def join_the_team(session: Session, a: AssessmentRow, now: datetime) -> None:
            """A lead who uses the workbook joins the family's team, so they can see it."""
            if lead.username and self._core.add_to_team(session, a.family_id, lead.username, TeamRole.LEAD, actor, now):
                self._core.audit(
                    session,
                    actor,
                    action=AuditAction.TEAM_CHANGED,
                    record=f"family:{a.family_id}",
                    family_id=a.family_id,
                    details={"added": lead.username, "team_role": TeamRole.LEAD.value},
                )

        return self._core.save(
            actor=actor, expected_version=expected_version, open=lead_history, change=change, then=join_the_team
        )

    # -- meetings ----------------------------------------------------------------------------

    def start_meeting(self, *, assessment_id: str, held_on: date | None, where: str, actor: Actor) -> SavedMeeting:
        """Record the next TAF meeting (the first makes the TAF active). It starts from the
        current plan: every action, for the meeting to say how it is going.

        Raises ValidationFailed (held_on, where; "" when the assessment is not completed, is
        closed, or the previous meeting is not finalised yet).
        """
        today = self._core.today()
        with self._core.unit() as session:
            a = self._core.assessment_for(session, assessment_id, actor, write=True)
            self._core.may_change(a)
            overview = overview_of(a)
            meeting = rules.start_meeting(overview, held_on=held_on, where=where, today=today)
            now = self._core.now()
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
            self._core.audit(
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
        today = self._core.today()

        def change(m: TafMeeting, a: AssessmentRow, _now: datetime) -> TafMeeting:
            number = next(r.number for r in a.taf_meetings if r.id == meeting_id)
            before = [r.held_on for r in a.taf_meetings if r.number < number]
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

        def change(m: TafMeeting, _a: AssessmentRow, _now: datetime) -> TafMeeting:
            return rules.with_participant(m, participant)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def remove_participant(self, *, meeting_id: str, expected_version: int, participant_id: str, actor: Actor) -> Saved:
        return self._change_meeting(
            meeting_id=meeting_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda m, _a, _now: m.model_copy(
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

        def change(m: TafMeeting, _a: AssessmentRow, _now: datetime) -> TafMeeting:
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

        def change(m: TafMeeting, _a: AssessmentRow, _now: datetime) -> TafMeeting:
            return rules.with_progress(m, progress)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def save_meeting_action(self, *, meeting_id: str, expected_version: int, action: PlanAction, actor: Actor) -> Saved:
        """Add or change a new action agreed at this meeting (what, who, by when, which outcome)."""

        def change(m: TafMeeting, a: AssessmentRow, _now: datetime) -> TafMeeting:
            return rules.with_new_action(m, action, plan=document(a, Section.PLAN.value, Plan), started_on=a.started_on)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def remove_meeting_action(self, *, meeting_id: str, expected_version: int, action_id: str, actor: Actor) -> Saved:
        return self._change_meeting(
            meeting_id=meeting_id,
            expected_version=expected_version,
            actor=actor,
            change=lambda m, _a, _now: m.model_copy(
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
        today = self._core.today()

        def change(m: TafMeeting, _a: AssessmentRow, _now: datetime) -> TafMeeting:
            return rules.with_next_review(m, next_review_on=next_review_on, reason=reason, closing=closing, today=today)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def save_minutes(self, *, meeting_id: str, expected_version: int, minutes: str, actor: Actor) -> Saved:
        """Short, family-friendly minutes: they go to everyone who attended or sent apologies."""

        def change(m: TafMeeting, _a: AssessmentRow, _now: datetime) -> TafMeeting:
            return rules.with_views(m, minutes=minutes)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def finalise_meeting(self, *, meeting_id: str, expected_version: int, actor: Actor) -> Saved:
        """Finalise the record (no more changes). Refused, listing what is missing under "",
        until every part is there; the dates are checked again as they stand today."""
        today = self._core.today()

        def change(m: TafMeeting, a: AssessmentRow, now: datetime) -> TafMeeting:
            lead = document(a, LEAD_KEY, LeadHistory)
            return rules.finalise(m, lead=lead, today=today, at=now, by=actor.username)

        return self._change_meeting(
            meeting_id=meeting_id, expected_version=expected_version, actor=actor, change=change
        )

    def _change_meeting(
        self,
        *,
        meeting_id: str,
        expected_version: int,
        actor: Actor,
        change: Callable[[TafMeeting, AssessmentRow, datetime], TafMeeting],
    ) -> Saved:
        """One change to a meeting's record, through the one write path (`WorkbookCore.save`)."""

        def meeting(session: Session) -> MeetingRecord:
            return MeetingRecord(self._core.part_for(session, TafMeetingRow, meeting_id, actor, write=True))

        return self._core.save(actor=actor, expected_version=expected_version, open=meeting, change=change)

    # -- closing -----------------------------------------------------------------------------

    def close(
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
        again gets a new assessment (`AssessmentSections.start`).

        Raises ValidationFailed (reason, reason_other, new_area, new_area_consent,
        family_comments, evaluation, closed_on; "" while a meeting is not finalised or the
        assessment is not completed).
        """
        today = self._core.today()
        with self._core.unit() as session:
            a = self._core.assessment_for(session, assessment_id, actor, write=True)
            self._core.may_change(a)
            now = self._core.now()
            closure = rules.close(
                overview_of(a),
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
            self._core.audit(
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

    def my_families(
        self,
        *,
        actor: Actor,
        due: ReviewDue | None = None,
        status: AssessmentStatus | None = None,
        lead: str | None = None,
        page: int = 1,
        per_page: int = PER_PAGE,
    ) -> Caseload:
        """The families this person may see (a practitioner's team families, an LCSS
        reviewer's locality), overdue and due-this-week reviews first, then by the next review
        and the reference; only those whose review is `due` so, whose latest assessment has
        this `status`, or whose current lead professional is `lead` (a `LeadChoice.token` from
        `Caseload.leads`; a token of nobody in the caseload finds nothing), when asked. A page
        at a time (a page past the last is the last): the order and the filters are worked out
        in SQL, so a page reads the same few statements however large the caseload. Raises
        AccessDenied for a role without case data, ValidationFailed (per_page) outside 1..200."""
        today = self._core.today()
        with self._core.unit() as session:
            self._core.require(may_see_case_data(actor), actor, record="my_families")
            check_per_page(per_page)
            latest, last, next_review, rank = _caseload_order(session, today)
            # What each line shows is in columns (the lead copied onto the assessment, the next
            # review worked out by `_caseload_order`), so a page is read in one statement, and
            # its children in one more: no document is decoded to draw a list.
            stmt = (
                select(
                    FamilyRow.id,
                    FamilyRow.reference,
                    latest.id,
                    latest.status,
                    latest.lead_name,
                    last.held_on,
                    type_coerce(next_review, Date),
                )
                .select_from(FamilyRow)
                .outerjoin(latest, latest.id == _latest_assessment_id())
                .outerjoin(last, last.id == _last_meeting_id(latest))
                .where(self._core.in_scope(actor))
                .order_by(rank, next_review, FamilyRow.reference)
            )
            if due is not None:
                stmt = stmt.where(rank == DUE_ORDER[due])
            if status is not None:
                stmt = stmt.where(latest.status == status.value)
            leads = self._leads(session, actor, latest)
            if lead is not None:
                key = next((k for k, choice in leads if choice.token == lead), None)
                stmt = stmt.where(latest.lead_key == key if key is not None else false())
            # One COUNT, by how due each review is: the total, and the counts the page shows.
            ranked = stmt.with_only_columns(FamilyRow.id, rank.label("rank")).order_by(None).subquery()
            by_rank: dict[int, int] = {
                r: n for r, n in session.execute(select(ranked.c.rank, func.count()).group_by(ranked.c.rank))
            }
            total = sum(by_rank.values())
            shown, offset = window(total=total, page=page, per_page=per_page)
            lines = session.execute(stmt.offset(offset).limit(per_page)).all()
            children: dict[str, list[str]] = {line[0]: [] for line in lines}
            for family_id, name in session.execute(
                select(PersonIndexRow.family_id, PersonIndexRow.name)
                .where(PersonIndexRow.family_id.in_(list(children)), PersonIndexRow.kind == "child")
                .order_by(PersonIndexRow.id)
            ):
                children[family_id].append(name)
            entries = tuple(
                CaseloadEntry(
                    family_id=family_id,
                    reference=reference,
                    children=tuple(children[family_id]),
                    assessment_id=assessment_id,
                    status_label=AssessmentStatus(status).label if status is not None else "No assessment",
                    lead=lead_name,
                    last_review=held_on,
                    next_review=next_on,
                    due=rules.review_due(next_on, today=today) if assessment_id is not None else ReviewDue.NONE,
                )
                for family_id, reference, assessment_id, status, lead_name, held_on, next_on in lines
            )
            details: dict[str, Any] = {"found": total, "page": shown}
            if due is not None:
                details["due"] = due.value
            if status is not None:
                details["status"] = status.value
            if lead is not None:
                details["lead"] = lead
            self._core.audit(session, actor, action=AuditAction.SEARCHED, record="my_families", details=details)
        return Caseload(
            entries,
            total=total,
            page=shown,
            per_page=per_page,
            due={d: by_rank[n] for d, n in DUE_ORDER.items() if n in by_rank},
            leads=tuple(choice for _, choice in leads),
        )

    def _leads(self, session: Session, actor: Actor, latest: type[AssessmentRow]) -> list[tuple[str, LeadChoice]]:
        """(key, choice) for every current lead professional of this person's caseload, by name:
        one statement. A lead recorded under two spellings of a name shows one of them."""
        rows = session.execute(
            select(latest.lead_key, func.min(latest.lead_name), func.min(latest.lead_agency))
            .select_from(FamilyRow)
            .join(latest, latest.id == _latest_assessment_id())
            .where(self._core.in_scope(actor), latest.lead_key.is_not(None))
            .group_by(latest.lead_key)
        )
        found = [
            (key, LeadChoice(self._core.lead_token(key), name or "", agency or ""))
            for key, name, agency in rows
            if key is not None
        ]
        return sorted(found, key=lambda kc: (fold(kc[1].name), fold(kc[1].agency), kc[1].token))


def _latest_assessment_id() -> ScalarSelect[str]:
    """The id of the family's latest assessment (as `FamilyRow.assessments[-1]`), for a
    query over `families`."""
    a = aliased(AssessmentRow)
    return (
        select(a.id)
        .where(a.family_id == FamilyRow.id)
        .order_by(a.created_at.desc(), a.id.desc())
        .limit(1)
        .correlate(FamilyRow)
        .scalar_subquery()
    )


def _last_meeting_id(latest: type[AssessmentRow]) -> ScalarSelect[str]:
    """The id of the assessment's last TAF meeting."""
    m = aliased(TafMeetingRow)
    return (
        select(m.id)
        .where(m.assessment_id == latest.id)
        .order_by(m.number.desc())
        .limit(1)
        .correlate(latest)
        .scalar_subquery()
    )


def _caseload_order(
    session: Session, today: date
) -> tuple[type[AssessmentRow], type[TafMeetingRow], ColumnElement[date], ColumnElement[int]]:
    """(the latest assessment, its last meeting, the next review date, how due it is) as SQL, to
    order and filter My families in the database: the same rule as `TafOverview.next_review`
    and `eha.taf.review_due`, whose results the entries show (a test holds the two together).
    The meeting's next review date is in its JSON document, as an ISO date."""
    latest = aliased(AssessmentRow)
    last = aliased(TafMeetingRow)
    json_date = last.data["next_review_on"].as_string()
    if session.get_bind().dialect.name == "postgresql":
        set_at_meeting: ColumnElement[date] = cast(json_date, Date)
    else:  # SQLite keeps dates as ISO text, which sorts and compares as dates do
        set_at_meeting = type_coerce(json_date, Date)
    next_review: ColumnElement[date] = case(
        (latest.id.is_(None), null()),
        (latest.status.not_in(MAY_MEET), null()),
        (last.id.is_(None), latest.review_date),
        (last.data["finalised_at"].as_string().is_(None), null()),  # a meeting being written up
        else_=set_at_meeting,
    )
    rank: ColumnElement[int] = case(
        (next_review.is_(None), DUE_ORDER[ReviewDue.NONE]),
        (next_review < today, DUE_ORDER[ReviewDue.OVERDUE]),
        (next_review <= today + timedelta(days=rules.DUE_SOON_DAYS), DUE_ORDER[ReviewDue.THIS_WEEK]),
        else_=DUE_ORDER[ReviewDue.LATER],
    )
    return latest, last, next_review, rank


def note_lead(a: AssessmentRow) -> None:
    """Copy the assessment's current lead professional (the last term of its lead history) into
    its columns, so My families filters by lead in SQL: whenever the history is written (a lead
    agreed, an import)."""
    current = document(a, LEAD_KEY, LeadHistory).current
    lead = current.lead if current is not None else None
    a.lead_key = rules.lead_key(lead) if lead is not None else None
    a.lead_name = lead.name if lead is not None else None
    a.lead_agency = lead.agency if lead is not None else None


def overview_of(a: AssessmentRow, *, read_only: bool = False) -> TafOverview:
    """The one read model of an assessment's TAF."""
    lead = opened(a, LEAD_KEY, LeadHistory)
    closure = WorkbookCore.section(a, CLOSURE_KEY)
    return TafOverview(
        assessment_id=a.id,
        family_id=a.family_id,
        reference=a.family.reference,
        status=AssessmentStatus(a.status),
        started_on=a.started_on,
        completed_on=a.completed_at.astimezone(LONDON).date() if a.completed_at else None,
        review_date=a.review_date,
        plan=document(a, Section.PLAN.value, Plan),
        lead=lead.data,
        lead_version=lead.version,
        meetings=tuple(_saved_meeting(row) for row in a.taf_meetings),
        closure=TafClosure.model_validate(closure.data) if closure is not None else None,
        read_only=read_only,
    )


def taf_meeting_records(a: AssessmentRow) -> tuple[TafMeetingRecord, ...]:
    """An assessment's meetings for the family record."""
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


def restore_taf_meetings(row: AssessmentRow, record: AssessmentRecord) -> None:
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


class MeetingRecord(Versioned[TafMeeting, Saved]):
    """A TAF meeting's record opened for a change: saved part by part until it is finalised."""

    def __init__(self, row: TafMeetingRow) -> None:
        super().__init__(row.assessment, what=f"TAF meeting {row.number}", record=f"taf_meeting:{row.id}")
        self.row = row

    @property
    def version(self) -> int:
        return self.row.version

    def current(self) -> TafMeeting:
        return TafMeeting.model_validate(self.row.data)

    def refusal(self) -> str | None:
        return FINALISED_MESSAGE if self.current().finalised else None

    def put(self, updated: TafMeeting, *, now: datetime, by: str) -> tuple[dict[str, Any], dict[str, Any]]:
        before, self.row.data = self.row.data, updated.model_dump(mode="json")
        self.row.held_on = updated.held_on
        self.row.updated_at, self.row.updated_by = now, by
        return before, self.row.data

    def result(self) -> Saved:
        return Saved(self.row.version, self.row.updated_at, self.row.updated_by)


def _saved_meeting(row: TafMeetingRow) -> SavedMeeting:
    return SavedMeeting(
        meeting_id=row.id,
        number=row.number,
        meeting=TafMeeting.model_validate(row.data),
        version=row.version,
        saved=Saved(row.version, row.updated_at, row.updated_by),
    )
