"""The rules an imported family record must pass before anything of it is written: the checks
the screens' saves apply to what a person types, called on each piece of the record.

A problem is refused (ImportRefused) in one line that says where it is, e.g. "assessment 1,
section 'carers_views', view 2, 'own_words': Their view, in their own words must be 100,000
characters or fewer (it is 200,000)." No user text is quoted back, only places.

Each piece is checked as it was when it was typed, not against the record as it stands now.
A view can outlive its carer's removal from section 1, the start date can move after the
plan's dates were set, a due date or a next review passes: those are history, not mistakes,
so the save-time checks against the rest of the record of the moment are left out, and the
rules of a piece itself (texts, required fields, dates not in the future) are kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from eha import background as bg
from eha import consent as consent_rules
from eha import contacts as contact_rules
from eha import plan as plan_rules
from eha import taf as taf_rules
from eha import threshold as threshold_rules
from eha import views as view_rules
from eha.assessment import review_reason_problems
from eha.attachments import check_upload, decode, media_type_of
from eha.background import FamilyBackground
from eha.consent import Consent
from eha.errors import ImportRefused, ValidationFailed
from eha.plan import Plan
from eha.record import (
    SECTION_MODELS,
    AssessmentRecord,
    FamilyRecord,
    ImportHistory,
    check_structure,
    located,
)
from eha.sharing import SharingDecision, check_decision
from eha.star_readings import check_new_reading, occasion_from, scored_area
from eha.taf import LeadHistory, TafClosure, TafMeeting
from eha.text import LONG_MAX, NAME_MAX, text_problem
from eha.threshold import ThresholdOfNeed
from eha.views import CarersViews, ChildViews, ProfessionalViews
from star import StarReading

_ENGLAND = ZoneInfo("Europe/London")
# The database keeps ids in 36 characters (a UUID) and references in 20.
_ID = re.compile(r"[A-Za-z0-9_-]{1,36}")
_REFERENCE = re.compile(r"[A-Z0-9-]{1,20}")


@dataclass
class _Seen:
    """Ids already met in the file: two parts of one record may not share one."""

    assessments: set[str] = field(default_factory=set)
    readings: set[str] = field(default_factory=set)
    meetings: set[str] = field(default_factory=set)
    attachments: set[str] = field(default_factory=set)
    contacts: set[str] = field(default_factory=set)
    sharing: set[str] = field(default_factory=set)


def check_record(record: FamilyRecord, *, today: date, upload_limit: int) -> None:
    """Raises ImportRefused at the first piece of `record` the screens would not have saved."""
    check_structure(record)
    _id("the record", record.id)
    if not _REFERENCE.fullmatch(record.reference):
        raise ImportRefused("the record: the family reference must be 1 to 20 capital letters, digits or dashes.")
    _stamps("the record", created_by=record.created_by, updated_by=record.updated_by)
    seen = _Seen()
    for n, assessment in enumerate(record.assessments, start=1):
        _check_assessment(f"assessment {n}", assessment, today=today, upload_limit=upload_limit, seen=seen)
    for n, item in enumerate(record.contacts, start=1):
        _check_contact(f"contact {n}", item, today=today, seen=seen)
    for n, entry in enumerate(record.sharing, start=1):
        place = f"the record of sharing, entry {n}"
        _id(place, entry.id)
        _once(place, entry.id, seen.sharing, "entry of the record of sharing")
        _stamps(place, recorded_by=entry.recorded_by)
        problem = text_problem(entry.recorded_by_name, label="who recorded it", limit=NAME_MAX)
        if problem:
            raise ImportRefused(f"{place}, 'recorded_by_name': {problem}")
        # As it was recorded: one recorded before the child was asked about keeps that unrecorded.
        _first(place, check_decision(SharingDecision.model_validate(entry.decision), today=today, recorded=True))
    _check_every_text(record.model_dump(mode="json"), ())


def _check_assessment(where: str, a: AssessmentRecord, *, today: date, upload_limit: int, seen: _Seen) -> None:
    _id(where, a.id)
    _once(where, a.id, seen.assessments, "assessment")
    _stamps(where, created_by=a.created_by, updated_by=a.updated_by, completed_by=a.completed_by)
    if a.started_on is not None:
        _first(where, threshold_rules.check_started_on(a.started_on, today=today))
    if a.review_date is not None or a.review_date_reason:
        # Against the day it was completed: a review date later than 6 weeks needs its reason.
        completed_on = _local_day(a.completed_at) if a.completed_at is not None else today
        _first(where, review_reason_problems(a.review_date, a.review_date_reason, completed_on=completed_on))
    for key, section in a.sections.items():
        place = f"{where}, section '{key}'"
        _stamps(place, updated_by=section.updated_by)
        _check_section(place, key, SECTION_MODELS[key].model_validate(section.data), today=today)
    previous: list[StarReading] = []
    for number, item in enumerate(a.star_readings, start=1):
        reading = StarReading.from_dict(item.reading)
        place = f"{where}, star reading {number}"
        _id(place, reading.id)
        _once(place, reading.id, seen.readings, "star reading")
        _stamps(place, created_by=item.created_by, updated_by=item.updated_by)
        _first(place, occasion_from(reading.occasion.kind, reading.occasion.review_number)[1])
        _first(
            place,
            check_new_reading(occasion=reading.occasion, taken_on=reading.taken_on, existing=previous, today=today),
        )
        for score in reading.scores:
            try:
                scored_area(
                    area=score.area,
                    agreed=score.agreed,
                    family_score=score.family_score,
                    worker_score=score.worker_score,
                    note=score.note,
                )
            except ValidationFailed as exc:
                _first(f"{place}, area '{score.area}'", exc.errors)
        previous.append(reading)
    held: date | None = None
    for meeting_record in a.taf_meetings:
        place = f"{where}, TAF meeting {meeting_record.number}"
        _id(place, meeting_record.id)
        _once(place, meeting_record.id, seen.meetings, "TAF meeting")
        _stamps(place, created_by=meeting_record.created_by, updated_by=meeting_record.updated_by)
        meeting = TafMeeting.model_validate(meeting_record.data)
        _check_meeting(place, meeting, previous_held_on=held, today=today)
        held = meeting.held_on
    for number, attachment in enumerate(a.attachments, start=1):
        place = f"{where}, attachment {number}"
        _id(place, attachment.id)
        _once(place, attachment.id, seen.attachments, "attachment")
        _id(f"{place}, the child it belongs to", attachment.child_id)
        _stamps(place, uploaded_by=attachment.uploaded_by)
        content = decode(attachment.data_base64) or b""
        _first(place, check_upload(content, limit=upload_limit))
        if media_type_of(content) != attachment.media_type:
            raise ImportRefused(f"{place}: its content is not the type of file it is recorded as.")


def _check_contact(where: str, item: contact_rules.RecordedContact, *, today: date, seen: _Seen) -> None:
    """A contact as its form checked it when it was typed, and its removal's reason."""
    _id(where, item.id)
    _once(where, item.id, seen.contacts, "contact")
    _stamps(where, recorded_by=item.recorded_by)
    _first(where, contact_rules.check_contact(item.contact, today=today))
    if item.contact.kind is not contact_rules.ContactKind.OTHER and item.contact.kind_other:
        raise ImportRefused(f"{where}, 'kind_other': only a contact of the kind 'other' says what kind it was.")
    if item.removal is not None:
        _stamps(f"{where}, removal", removed_by=item.removal.removed_by)
        _first(f"{where}, removal", contact_rules.check_removal(item.removal.reason))
        if item.removal.removed_at < item.recorded_at:
            raise ImportRefused(f"{where}, removal: it was removed before it was recorded.")


def _check_section(where: str, key: str, doc: Any, *, today: date) -> None:
    """One section document, entry by entry, with the checks its screen's save makes."""
    if isinstance(doc, FamilyBackground):
        ids: set[str] = set()
        numbered: dict[str, int] = {}
        for member in doc.members():
            numbered[member.kind] = numbered.get(member.kind, 0) + 1
            place = f"{where}, {member.kind} {numbered[member.kind]}"
            _id(place, member.id)
            _once(place, member.id, ids, "person")
            _first(place, bg.check_member(member, today=today, recorded=True))
        _first(where, bg.check_details(address=doc.address, reason=doc.reason))
        if sum(c.main_carer for c in doc.carers) > 1:
            raise ImportRefused(f"{where}: more than one parent or carer is the main carer.")
    elif isinstance(doc, ThresholdOfNeed):
        for i, event in enumerate(doc.mash_log, start=1):
            _first(f"{where}, MASH log entry {i}", threshold_rules.check_mash_note(event.note))
            _stamps(f"{where}, MASH log entry {i}", by=event.by)
    elif isinstance(doc, CarersViews):
        for i, carer_view in enumerate(doc.views, start=1):
            _first(f"{where}, view {i}", view_rules.carer_view_problems(carer_view))
    elif isinstance(doc, ChildViews):
        for i, child_view in enumerate(doc.views, start=1):
            _first(f"{where}, view {i}", view_rules.child_view_problems(child_view, today=today))
    elif isinstance(doc, ProfessionalViews):
        for i, professional_view in enumerate(doc.views, start=1):
            _first(f"{where}, view {i}", view_rules.professional_view_problems(professional_view))
    elif isinstance(doc, Plan):
        _first(where, plan_rules.check_analysis(doc.analysis))
        for i, outcome in enumerate(doc.outcomes, start=1):
            _first(f"{where}, outcome {i}", plan_rules.check_outcome(outcome))
        for i, action in enumerate(doc.actions, start=1):
            _first(f"{where}, action {i}", plan_rules.check_action(action, doc, started_on=None))
    elif isinstance(doc, Consent):
        for i, decision in enumerate(doc.decisions, start=1):
            _first(f"{where}, decision {i}", consent_rules.decision_problems(decision, today=today, child=False))
            _stamps(f"{where}, decision {i}", recorded_by=decision.recorded_by)
        _first(where, consent_rules.reference_problems(doc))
        for i, confirmation in enumerate(doc.confirmations, start=1):
            _stamps(f"{where}, confirmation {i}", recorded_by=confirmation.recorded_by)
        for i, mark in enumerate(doc.in_error, start=1):
            _stamps(f"{where}, entered in error {i}", recorded_by=mark.recorded_by)
    elif isinstance(doc, LeadHistory):
        for i, term in enumerate(doc.terms, start=1):
            before = LeadHistory(terms=doc.terms[: i - 1])
            place = f"{where}, term {i}"
            _first(
                place,
                taf_rules.check_lead(term.lead, from_on=term.from_on, history=before, started_on=None, today=today),
            )
            _stamps(place, recorded_by=term.recorded_by)
    elif isinstance(doc, TafClosure):
        _first(
            where,
            taf_rules.check_closure(
                reason=doc.reason,
                reason_other=doc.reason_other,
                new_area=doc.new_area,
                new_area_consent=doc.new_area_consent,
                family_comments=doc.family_comments,
                evaluation=doc.evaluation,
                closed_on=doc.closed_on,
                earliest=None,
                today=today,
            ),
        )
        _stamps(where, closed_by=doc.closed_by)
    elif isinstance(doc, ImportHistory):
        for i, note in enumerate(doc.imports, start=1):
            _stamps(
                f"{where}, import {i}",
                imported_by=note.imported_by,
                author=note.author,
                family_author=note.family_author,
            )
    else:  # pragma: no cover - SECTION_MODELS and this function name the same sections
        raise AssertionError(key)


def _check_meeting(where: str, m: TafMeeting, *, previous_held_on: date | None, today: date) -> None:
    _first(where, taf_rules.check_held_on(m.held_on, started_on=None, previous_held_on=previous_held_on, today=today))
    _first(
        where,
        taf_rules.check_views(
            where=m.where,
            family_view=m.family_view,
            child_view=m.child_view,
            working_well=m.working_well,
            worries=m.worries,
            minutes=m.minutes,
        ),
    )
    for i, participant in enumerate(m.participants, start=1):
        _first(f"{where}, participant {i}", taf_rules.check_participant(participant))
    # An action's outcome is checked against the plan when the action is saved; the plan may
    # have changed since, so only the action's own rules are applied here.
    for i, review in enumerate(m.progress, start=1):
        _first(f"{where}, action {i}", taf_rules.check_views(comment=review.comment))
        _first(f"{where}, action {i}", _own_rules(review.action))
    for i, action in enumerate(m.new_actions, start=1):
        _first(f"{where}, new action {i}", _own_rules(action))
    # The next review was in the future when it was set; time has passed since.
    _first(
        where,
        taf_rules.check_next_review(
            m.next_review_on, m.next_review_reason, held_on=m.held_on, closing=m.closing, today=m.held_on
        ),
    )
    if m.finalised_by is not None:
        _stamps(where, finalised_by=m.finalised_by)


def _own_rules(action: plan_rules.PlanAction) -> dict[str, str]:
    problems = plan_rules.check_action(action, Plan(), started_on=None)
    problems.pop("outcome_id", None)
    return problems


# -- plumbing -----------------------------------------------------------------------------------


def _local_day(at: datetime) -> date:
    """The day in England (where the workbook counts its days) of a moment kept in UTC."""
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(_ENGLAND).date()


def _first(where: str, errors: Mapping[str, str]) -> None:
    """Refuse with the first problem of a check, in one line."""
    for name, message in errors.items():
        field_name = name.split(":", 1)[0]
        place = f"{where}, '{field_name}'" if field_name else where
        raise ImportRefused(f"{place}: {' '.join(message.split())}")


def _id(where: str, value: str) -> None:
    if not _ID.fullmatch(value):
        raise ImportRefused(f"{where}: its id must be 1 to 36 letters, digits or dashes.")


def _once(where: str, value: str, seen: set[str], what: str) -> None:
    if value in seen:
        raise ImportRefused(f"{where}: another {what} in the file has the same id.")
    seen.add(value)


_STAMP_LABELS = {
    "created_by": "who created it",
    "updated_by": "who last saved it",
    "completed_by": "who completed it",
    "uploaded_by": "who added it",
    "recorded_by": "who recorded it",
    "closed_by": "who closed it",
    "finalised_by": "who finalised it",
    "imported_by": "who imported it",
    "removed_by": "who removed it",
    "author": "its author",
    "family_author": "the family's author",
    "by": "who recorded it",
}


def _stamps(where: str, **stamps: str | None) -> None:
    """Who did something: a workbook username, kept in 200 characters."""
    for name, value in stamps.items():
        if value is None:
            continue
        problem = text_problem(value, label=_STAMP_LABELS[name], limit=NAME_MAX, required=True)
        if problem:
            raise ImportRefused(f"{where}, '{name}': {problem}")


def _check_every_text(value: object, path: tuple[str | int, ...]) -> None:
    """Every string anywhere in the record (names, stamps, the consent wording...) through the
    one text check, so nothing the database cannot store (NUL, text that is not Unicode) or
    longer than the longest field gets in by a place no screen has."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "data_base64":  # checked as a file, above
                _check_every_text(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_every_text(item, (*path, i))
    elif isinstance(value, str):
        problem = text_problem(value, label="the text", limit=LONG_MAX)
        if problem is None and not _is_unicode(value):
            problem = "The text contains a character that is not valid Unicode (half of a surrogate pair)."
        if problem:
            raise ImportRefused(f"{located(path)}: {problem}")


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
