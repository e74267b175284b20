"""Text that is not valid Unicode (a lone surrogate, as a broken emoji or a badly decoded file
leaves behind) is refused by every save with a message beside the field, never a crash, and
nothing already saved changes. On SQLite and on a real PostgreSQL.

The sweep below takes a valid call of every service method that takes text, then breaks each
piece of text in its arguments in turn (a field of a record, an item of a tuple, a key or
value of a mapping), so a field added later is swept without being listed here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

import pytest
from pydantic import BaseModel

from eha.actor import Actor, Role, TeamRole
from eha.background import Carer, Child, Professional, SignificantAdult
from eha.consent import ConsentKind, ConsentMethod, DecisionAnswers
from eha.errors import DomainError, ImportRefused, SignInRefused, ValidationFailed
from eha.plan import DesiredOutcome, PlanAction
from eha.recipients import Recipient, RecipientKind, professional_recipient, typed_recipient
from eha.record import parse_record
from eha.sharing import Answer, Decider, Direction, LawfulBasis, Questions, SharingDecision, Told
from eha.taf import ActionProgress, ClosureReason, LeadProfessional, Participant
from eha.views import CarerView, ChildView, HowGathered, ProfessionalView
from star import CompletedBy, OccasionKind
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.eha import completed_family, sharing_on_consent, tiny_png

BROKEN = "\ud800"
MESSAGE = "isn't valid text"
OPERATOR = Actor.system("test")
ADMIN = Actor(username="ada.admin", display_name="Ada Admin", role=Role.ADMIN)
PASSWORD = "correct horse battery staple"

# Names that carry an id or a choice rather than typed text: a broken one is refused like an
# unknown id or an unknown choice (any of the workbook's own errors), never a crash.
NOT_TYPED = {"locality", "occasion", "completed_by", "area", "role", "token", "may_receive"}
# `kind` tells the kinds of person apart (a fixed literal, not text); a file's name is cleaned
# rather than refused (see the test of the child's work below).
NOT_SWEPT = {"kind", "filename"}
# A username has a format rule of its own (refused saying so); an unknown one is not found; an
# email address vouched for by single sign-on that is not valid text belongs to no account.
NOT_TYPED_PATHS = {
    "accounts.add.username",
    "accounts.disable.username",
    "accounts.actor_for.username",
    "accounts.sign_in_with_email.email",
}


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name.endswith("ids") or name.startswith("[key]")


@dataclass(frozen=True)
class Variant:
    path: str
    kwargs: dict[str, Any]
    typed: bool  # typed text: must be refused with the text message


def _broken(value: Any, path: str, leaf: str) -> Iterator[tuple[str, str, Any]]:
    """(path, leaf name, value with one piece of text broken) for every piece of text in `value`."""
    if isinstance(value, enum.Enum | bool | int | date) or leaf in NOT_SWEPT:
        return
    if isinstance(value, str):
        yield path, leaf, value + BROKEN
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            for p, lf, v in _broken(getattr(value, name), f"{path}.{name}", name):
                yield p, lf, value.model_copy(update={name: v})
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            for p, lf, v in _broken(item, f"{path}[{i}]", leaf):
                yield p, lf, (*value[:i], v, *value[i + 1 :])
    elif isinstance(value, Mapping):
        for key, item in value.items():
            rest = {k: x for k, x in value.items() if k != key}
            if isinstance(key, str):
                yield f"{path}[key {key!r}]", "[key]", {**rest, key + BROKEN: item}
            for p, lf, v in _broken(item, f"{path}[{key!r}]", leaf):
                yield p, lf, {**rest, key: v}


def variants(method: str, kwargs: dict[str, Any]) -> Iterator[Variant]:
    for name, value in kwargs.items():
        if name == "actor":
            continue
        for path, leaf, broken in _broken(value, f"{method}.{name}", name):
            typed = not (
                _is_id(leaf) or _is_id(name) or leaf in NOT_TYPED or name in NOT_TYPED or path in NOT_TYPED_PATHS
            )
            yield Variant(path, {**kwargs, name: broken}, typed)


@dataclass
class Family:
    """A family with every kind of record, on a TAF with an open meeting; and a second
    family, completed, with no meeting yet (for starting a meeting and closing the TAF)."""

    family_id: str
    assessment_id: str
    meeting_id: str
    reading_id: str
    attachment_id: str
    carer_id: str
    child_id: str
    professional_id: str
    outcome_id: str
    action_id: str
    other_family_id: str
    other_assessment_id: str


def arrange(workbook: Workbook, sam: Actor) -> Family:
    family_id, assessment_id = completed_family(workbook, sam)
    other_family_id, other_id = completed_family(workbook, sam, child="Ruby Osei")
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    b = a.background.data
    work = workbook.assessments.add_child_work(
        assessment_id=assessment_id, child_id=b.children[0].id, filename="house.png", content=tiny_png(), actor=sam
    )
    workbook.taf.agree_lead_professional(
        assessment_id=assessment_id,
        expected_version=0,
        lead=LeadProfessional(name="Jo Bloggs", agency="School", role="SENCo"),
        from_on=workbook.today(),
        actor=sam,
    )
    meeting = workbook.taf.start_meeting(
        assessment_id=assessment_id, held_on=workbook.today(), where="At school", actor=sam
    )
    reading = workbook.star.start(
        assessment_id=assessment_id,
        taken_on=workbook.today(),
        occasion=OccasionKind.REVIEW,
        review_number=1,
        completed_by=CompletedBy.TOGETHER,
        actor=sam,
    )
    workbook.accounts.add(
        username="kit.worker", display_name="Kit Worker", role="practitioner", password=PASSWORD, actor=ADMIN
    )
    return Family(
        family_id=family_id,
        assessment_id=assessment_id,
        meeting_id=meeting.meeting_id,
        reading_id=reading.reading.id,
        attachment_id=work.id,
        carer_id=b.carers[0].id,
        child_id=b.children[0].id,
        professional_id=b.professionals[0].id,
        outcome_id=a.plan.data.outcomes[0].id,
        action_id=a.plan.data.actions[0].id,
        other_family_id=other_family_id,
        other_assessment_id=other_id,
    )


def calls(wb: Workbook, f: Family, sam: Actor) -> list[tuple[str, dict[str, Any]]]:
    """One valid call of each method that takes text or an id, against the current versions."""
    today = wb.today()
    a = wb.assessments.open(assessment_id=f.assessment_id, actor=sam)
    v = wb.assessments.open(assessment_id=f.assessment_id, actor=sam).background.version
    m = next(
        x
        for x in wb.assessments.open(assessment_id=f.assessment_id, actor=sam).taf.meetings
        if x.meeting_id == f.meeting_id
    )
    reading = wb.star.reading(reading_id=f.reading_id, actor=sam)
    lead_version = wb.assessments.open(assessment_id=f.assessment_id, actor=sam).taf.lead_version
    sec = {"assessment_id": f.assessment_id, "actor": sam}
    meet = {"meeting_id": f.meeting_id, "expected_version": m.version, "actor": sam}
    star = {"reading_id": f.reading_id, "expected_version": reading.version, "actor": sam}
    decision = SharingDecision(
        decided_on=today,
        information="Attendance",
        recipient=typed_recipient("Dr Okafor", "GP surgery"),
        purpose="Health plan",
        questions=Questions(
            legitimate_purpose=Answer.YES,
            consent=Answer.NO,
            identifiable=Answer.YES,
            lawful_reason_without_consent=Answer.YES,
        ),
        lawful_basis=LawfulBasis.OTHER,
        lawful_basis_other="Public task",
        decided_by=Decider(name="Ann Lee", role="Designated safeguarding lead", agency="Cherwell School"),
        parent_told=Told.NO,
        parent_not_told_reason="Telling them would increase the risk.",
        child_told=Told.NO,
        child_not_told_reason="Too young to understand.",
    )
    received_decision = SharingDecision(
        decided_on=today,
        direction=Direction.IN,
        information="A notification",
        received_from=typed_recipient("PC Hart", "Thames Valley Police"),
        purpose="For the TAF",
        questions=Questions(),
    )
    return [
        (
            "families.create",
            {
                "locality": "central",
                "address": "1 Mill Lane",
                "main_carer": Carer(name="Ann Lee", relationship="Mother", gender="F", contact="07700 900000"),
                "child": Child(name="Bo Lee", date_of_birth=date(2019, 5, 1), school_or_setting="Hill School"),
                "actor": sam,
            },
        ),
        *(
            ("assessments.save_member", {**sec, "expected_version": v, "member": member})
            for member in (
                Carer(
                    name="Pat Lee",
                    relationship="Father",
                    gender="M",
                    ethnicity="White British",
                    religion="None",
                    first_language="English",
                    contact="07700 900001",
                    address_if_different="2 Mill Lane",
                ),
                Child(
                    name="Cy Lee",
                    date_of_birth=date(2020, 1, 1),
                    gender="M",
                    ethnicity="White British",
                    religion="None",
                    first_language="English",
                    school_or_setting="Hill Nursery",
                    address_if_different="2 Mill Lane",
                ),
                SignificantAdult(name="Gran", relationship="Grandmother", contact="07700 900002"),
                Professional(name="Dr Who", agency="GP", role="GP", contact="01865 000000"),
            )
        ),
        ("assessments.remove_member", {**sec, "expected_version": v, "member_id": f.professional_id}),
        ("assessments.save_details", {**sec, "expected_version": v, "address": "1 Mill Lane", "reason": "Attendance."}),
        (
            "families.add_to_team",
            {"family_id": f.family_id, "username": "kit.worker", "team_role": TeamRole.LEAD, "actor": sam},
        ),
        (
            "assessments.record_same_day_concerns",
            {**sec, "expected_version": a.threshold.version, "concerns": (), "note": "Advised to carry on."},
        ),
        (
            "assessments.save_carer_view",
            {
                **sec,
                "expected_version": a.carers.version,
                "view": CarerView(
                    carer_id=f.carer_id,
                    own_words="Mornings are hard.",
                    going_well="School.",
                    worries="Sleep.",
                    would_like_to_change="Bedtime.",
                    not_given_reason="",
                ),
            },
        ),
        (
            "assessments.save_child_view",
            {
                **sec,
                "expected_version": a.children.version,
                "view": ChildView(
                    child_id=f.child_id,
                    own_words="I like school.",
                    observation="Smiling.",
                    how_gathered=HowGathered.OTHER,
                    how_gathered_other="A walk",
                    gathered_by="Sam Worker",
                    gathered_on=today,
                ),
            },
        ),
        (
            "assessments.save_professional_view",
            {
                **sec,
                "expected_version": a.professionals.version,
                "view": ProfessionalView(
                    professional_id=f.professional_id,
                    agency="GP surgery",
                    role="GP",
                    view="Well.",
                    may_receive=(f.professional_id,),
                    may_receive_others="The school",
                ),
            },
        ),
        ("assessments.add_child_work", {**sec, "child_id": f.child_id, "filename": "house.png", "content": tiny_png()}),
        ("assessments.child_work_file", {**sec, "attachment_id": f.attachment_id}),
        ("assessments.remove_child_work", {**sec, "attachment_id": f.attachment_id}),
        ("assessments.save_analysis", {**sec, "expected_version": a.plan.version, "analysis": "Routines help."}),
        (
            "assessments.save_outcome",
            {**sec, "expected_version": a.plan.version, "outcome": DesiredOutcome(text="On time.")},
        ),
        ("assessments.remove_outcome", {**sec, "expected_version": a.plan.version, "outcome_id": f.outcome_id}),
        (
            "assessments.save_action",
            {
                **sec,
                "expected_version": a.plan.version,
                "action": PlanAction(
                    action="Chart", who="Mum", by_when=today + timedelta(days=7), outcome_id=f.outcome_id
                ),
            },
        ),
        ("assessments.remove_action", {**sec, "expected_version": a.plan.version, "action_id": f.action_id}),
        (
            "assessments.record_consent_decision",
            {
                **sec,
                "expected_version": a.consent.version,
                "decision": DecisionAnswers(
                    person_id=f.carer_id,
                    kind=ConsentKind.GIVEN,
                    method=ConsentMethod.WRITTEN,
                    decided_on=today,
                    share_with_professionals=True,
                    recipients=(
                        professional_recipient(a.background.data.professionals[0]),
                        Recipient(kind=RecipientKind.DIRECTORY, key="gp", name="GP surgery"),
                    ),
                    council_storage=True,
                    must_not_see=(Recipient(kind=RecipientKind.DIRECTORY, key="housing", name="Housing"),),
                    must_not_see_text="Uncle",
                    signed_consent_held_by="Hill School",
                    explained="What sharing means.",
                ),
            },
        ),
        (
            "assessments.confirm_consent",
            {
                **sec,
                "expected_version": a.consent.version,
                "decision_id": a.consent.data.decisions[-1].id,
                "confirmed_on": today,
            },
        ),
        (
            "assessments.mark_consent_decision_in_error",
            {
                **sec,
                "expected_version": a.consent.version,
                "decision_id": a.consent.data.decisions[-1].id,
                "reason": "Recorded for the wrong person.",
            },
        ),
        ("sharing.record_decision", {"family_id": f.family_id, "decision": decision, "actor": sam}),
        (
            "sharing.record_decision",
            {"family_id": f.family_id, "decision": received_decision, "actor": sam},
        ),
        (
            "sharing.record_document_sent",
            {
                "family_id": f.family_id,
                "document": "Early Help Assessment (PDF)",
                "recipient": typed_recipient("Dr Okafor", "GP surgery"),
                "purpose": "Health plan",
                "lawful_basis": LawfulBasis.SAFEGUARDING,
                "parent_told": Told.COULD_NOT_CONTACT,
                "parent_not_told_reason": "Three calls unanswered.",
                "child_told": Told.NO,
                "child_not_told_reason": "Too young.",
                "actor": sam,
            },
        ),
        ("sharing.history", {"family_id": f.family_id, "actor": sam}),
        (
            "star.start",
            {
                **sec,
                "taken_on": today,
                "occasion": "review",
                "review_number": 2,
                "completed_by": "together",
            },
        ),
        ("star.score_area", {**star, "area": "physical_health", "agreed": 5, "note": "Better."}),
        ("star.save_scores", {**star, "scores": {"physical_health": 6}, "notes": {"physical_health": "Better."}}),
        ("star.set_completed_by", {**star, "completed_by": "worker"}),
        ("star.reading", {"reading_id": f.reading_id, "actor": sam}),
        (
            "taf.agree_lead_professional",
            {
                **sec,
                "expected_version": lead_version,
                "lead": LeadProfessional(name="Al Day", agency="Health", role="Health visitor", username="kit.worker"),
                "from_on": today,
            },
        ),
        (
            "taf.start_meeting",
            {"assessment_id": f.other_assessment_id, "held_on": today, "where": "At home", "actor": sam},
        ),
        ("taf.save_meeting_details", {**meet, "held_on": today, "where": "At home"}),
        (
            "taf.save_participant",
            {**meet, "participant": Participant(name="Maryam Khan", agency="Family", role="Mother")},
        ),
        (
            "taf.save_meeting_views",
            {**meet, "family_view": "Calmer.", "child_view": "Happy.", "working_well": "Chart.", "worries": "Bed."},
        ),
        (
            "taf.save_action_progress",
            {**meet, "progress": {m.meeting.progress[0].action.id: (ActionProgress.DONE, "Done well.")}},
        ),
        (
            "taf.save_meeting_action",
            {
                **meet,
                "action": PlanAction(
                    action="Walk", who="Dad", by_when=today + timedelta(days=7), outcome_id=f.outcome_id
                ),
            },
        ),
        (
            "taf.save_next_review",
            {**meet, "next_review_on": today + timedelta(days=100), "reason": "Holidays.", "closing": False},
        ),
        ("taf.save_minutes", {**meet, "minutes": "We met."}),
        (
            "taf.close",
            {
                "assessment_id": f.other_assessment_id,
                "reason": ClosureReason.OTHER,
                "reason_other": "Moved school",
                "new_area": "",
                "family_comments": "Thank you.",
                "evaluation": "It helped.",
                "closed_on": today,
                "actor": sam,
            },
        ),
        (
            "taf.close",
            {
                "assessment_id": f.other_assessment_id,
                "reason": ClosureReason.MOVED_AREA,
                "new_area": "Swindon",
                "new_area_consent": True,
                "family_comments": "Thank you.",
                "evaluation": "It helped.",
                "closed_on": today,
                "actor": sam,
            },
        ),
        ("assessments.start", {"family_id": f.other_family_id, "actor": sam}),
        ("families.export", {"family_id": f.family_id, "actor": sam}),
        ("families.get", {"family_id": f.family_id, "actor": sam}),
        ("families.search", {"query": "Ayaan", "actor": sam}),
        ("audit.trail", {"record": "assessment", "person": "sam.worker", "actor": ADMIN}),
        (
            "accounts.add",
            {
                "username": "new.person",
                "display_name": "New Person",
                "role": "lcss",
                "locality": "central",
                "email": "new.person@example.org",
                "password": PASSWORD,
                "actor": ADMIN,
            },
        ),
        ("accounts.disable", {"username": "kit.worker", "actor": ADMIN}),
        ("accounts.actor_for", {"username": "kit.worker"}),
        ("accounts.sign_in_with_email", {"email": "kit@example.org"}),
        ("accounts.resume", {"token": "a-token"}),
        ("accounts.sign_out", {"token": "a-token"}),
    ]


def snapshot(workbook: Workbook, f: Family) -> tuple[str, ...]:
    """Everything a refused call must leave as it was."""
    return (
        workbook.families.export(family_id=f.family_id, actor=OPERATOR).to_json(),
        workbook.families.export(family_id=f.other_family_id, actor=OPERATOR).to_json(),
        repr(workbook.families.all(actor=OPERATOR)),
        repr(workbook.accounts.all(actor=ADMIN)),
        repr(workbook.families.team(family_id=f.family_id, actor=OPERATOR)),
    )


def test_text_that_is_not_valid_unicode_is_refused_by_every_save_and_nothing_changes(workbook: Workbook, sam: Actor):
    f = arrange(workbook, sam)
    before = snapshot(workbook, f)
    problems: list[str] = []
    swept = 0
    for method, kwargs in calls(workbook, f, sam):
        for variant in variants(method, kwargs):
            swept += 1
            call: Callable[..., Any] = attrgetter(method)(workbook)
            try:
                call(**variant.kwargs)
            except ValidationFailed as exc:
                if variant.typed and not any(MESSAGE in m for m in exc.errors.values()):
                    problems.append(f"{variant.path}: refused without saying why: {exc.errors}")
            except DomainError as exc:
                if variant.typed:
                    problems.append(f"{variant.path}: {type(exc).__name__} {exc}")
            except Exception as exc:
                problems.append(f"{variant.path}: crashed with {type(exc).__name__}: {exc}")
            else:
                if variant.typed:
                    problems.append(f"{variant.path}: accepted")
            if snapshot(workbook, f) != before:
                problems.append(f"{variant.path}: changed what was saved")
                before = snapshot(workbook, f)
    assert swept > 150
    assert problems == [], "\n".join(problems)


def test_a_password_or_username_that_is_not_valid_text_never_crashes_signing_in(workbook: Workbook):
    workbook.accounts._sleep = lambda _s: None  # type: ignore[method-assign]
    workbook.accounts.add(
        username="kit.worker", display_name="Kit Worker", role="practitioner", password=PASSWORD, actor=ADMIN
    )
    for username, password in (("kit.worker", PASSWORD + BROKEN), (BROKEN, BROKEN), ("kit.worker", BROKEN)):
        with pytest.raises(SignInRefused):
            workbook.accounts.sign_in(username=username, password=password)
    # Like any other invisible character, a broken one in the username is left out.
    assert workbook.accounts.sign_in(username="kit.worker" + BROKEN, password=PASSWORD).actor.username == "kit.worker"


def test_text_stored_before_it_was_checked_is_shown_exported_and_saved_again_with_a_replacement_character(
    sqlite_url: str,
):
    """Sharing decisions and a TAF meeting's place took a lone surrogate before it was refused;
    SQLite kept it as a JSON escape. Such a family opens, exports and can be saved again."""
    import subprocess
    import sys
    from pathlib import Path

    from sqlalchemy import text

    from eha.localities import load_localities
    from storage.db import make_engine, upgrade

    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    workbook = Workbook(engine, localities=load_localities(), audit_key=AUDIT_KEY.encode())
    sam = Actor(username="sam.worker", display_name="Sam Worker", role=Role.PRACTITIONER)
    family_id, assessment_id = completed_family(workbook, sam)
    meeting = workbook.taf.start_meeting(
        assessment_id=assessment_id, held_on=workbook.today(), where="At school", actor=sam
    )
    decision = sharing_on_consent(workbook.today())
    workbook.sharing.record_decision(family_id=family_id, decision=decision, actor=sam)
    with engine.begin() as conn:  # as an older version of the workbook stored them
        conn.execute(text(r"UPDATE sharing_decisions SET decision = replace(decision, 'Attendance', 'Att\ud800end')"))
        conn.execute(text(r"UPDATE taf_meetings SET data = replace(data, 'At school', 'At \udfffschool')"))

    shared = workbook.sharing.history(family_id=family_id, actor=sam).decisions[0].decision
    assert shared.information == "Att\ufffdend"
    exported = workbook.families.export(family_id=family_id, actor=sam).to_json()
    assert "At \ufffdschool" in exported
    exported.encode("utf-8")
    eha = Path(sys.executable).with_name("eha")
    result = subprocess.run(
        [str(eha), "export", assessment_id],
        env={"EHA_DATABASE_URL": sqlite_url, "EHA_AUDIT_KEY": AUDIT_KEY, "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "At \ufffdschool".encode() in result.stdout
    m = workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf.meetings[0]
    assert m.meeting.where == "At \ufffdschool"
    workbook.taf.save_meeting_details(
        meeting_id=meeting.meeting_id,
        expected_version=m.version,
        held_on=m.meeting.held_on,
        where="At school",
        actor=sam,
    )
    assert (
        workbook.assessments.open(assessment_id=assessment_id, actor=sam).taf.meetings[0].meeting.where == "At school"
    )
    engine.dispose()


@pytest.mark.parametrize(
    ("typed", "where"),
    [
        ("Maryam Khan", "assessments.0.sections.background.data.carers.0.name"),
        ("School attendance has fallen.", "assessments.0.sections.background.data.reason"),
        ("At school", "assessments.0.taf_meetings.0.data.where"),
        ("Morning routine chart", "assessments.0.sections.plan.data.actions.0.action"),
    ],
)
def test_an_import_with_text_that_is_not_valid_unicode_is_refused_saying_where(
    workbook: Workbook, sam: Actor, typed: str, where: str
):
    family_id, assessment_id = completed_family(workbook, sam)
    workbook.taf.start_meeting(assessment_id=assessment_id, held_on=workbook.today(), where="At school", actor=sam)
    exported = workbook.families.export(family_id=family_id, actor=sam).to_json()
    assert typed in exported
    with pytest.raises(ImportRefused, match=f"isn't valid text .* at {where}:"):
        parse_record(exported.replace(typed, typed[:3] + "\\ud800", 1))
