"""Arranging assessments through the service layer, shared by integration, UI and browser tests."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping
from datetime import date, timedelta

from eha.actor import Actor
from eha.background import Professional
from eha.consent import ConsentKind, ConsentMethod, DecisionAnswers
from eha.plan import DesiredOutcome, PlanAction
from eha.recipients import Recipient, RecipientKind
from eha.sharing import Answer, LawfulBasis, Questions, SharingDecision, Told
from eha.threshold import ThresholdLevel
from eha.views import CarerView, ChildView, HowGathered, ProfessionalView
from storage.services import Workbook


def without_import_notes(exported: str) -> str:
    """A re-exported record without the "imported" note an import adds to each assessment
    (checking that each has one), to compare with the document that was imported."""
    raw = json.loads(exported)
    for assessment in raw["assessments"]:
        assert assessment["sections"].pop("imported")["data"]["imports"], "an imported assessment notes its import"
    text = json.dumps(raw, ensure_ascii=False, indent=2, sort_keys=True)
    return text + "\n" if exported.endswith("\n") else text


def tiny_png() -> bytes:
    """A real 1x1 PNG, small enough to write inline."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00"))
        + chunk(b"IEND", b"")
    )


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header (with a correct checksum) claims a size its few bytes cannot hold."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def blank_pdf() -> bytes:
    """A real one-page PDF with nothing on it."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


TINY_PDF = blank_pdf()


def add_professional(workbook: Workbook, assessment_id: str, actor: Actor, name: str = "Dr Adaeze Okafor") -> str:
    view = workbook.assessments.open(assessment_id=assessment_id, actor=actor)
    professional = Professional(name=name, agency="GP surgery", role="GP")
    workbook.assessments.save_member(
        assessment_id=assessment_id, expected_version=view.background.version, member=professional, actor=actor
    )
    return professional.id


def make_ready(workbook: Workbook, assessment_id: str, actor: Actor) -> None:
    """Fill every section so that only the review date stands between it and completion."""
    today = workbook.today()
    view = workbook.assessments.open(assessment_id=assessment_id, actor=actor)
    workbook.assessments.save_details(
        assessment_id=assessment_id,
        expected_version=view.background.version,
        address=view.background.data.address or "1 High Street",
        reason="School attendance has fallen.",
        actor=actor,
    )
    add_professional(workbook, assessment_id, actor)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=actor)
    b = a.background.data
    workbook.assessments.save_threshold(
        assessment_id=assessment_id,
        expected_version=a.threshold.version,
        level=ThresholdLevel.VULNERABLE,
        started_on=today - timedelta(days=3),
        actor=actor,
    )
    version = a.carers.version
    for carer in b.carers:
        version = workbook.assessments.save_carer_view(
            assessment_id=assessment_id,
            expected_version=version,
            view=CarerView(carer_id=carer.id, own_words="Mornings are hard."),
            actor=actor,
        ).version
    version = a.children.version
    for child in b.children:
        version = workbook.assessments.save_child_view(
            assessment_id=assessment_id,
            expected_version=version,
            view=ChildView(
                child_id=child.id,
                own_words="I like school.",
                how_gathered=HowGathered.THREE_HOUSES,
                gathered_by="Sam Worker",
                gathered_on=today,
            ),
            actor=actor,
        ).version
    version = a.professionals.version
    for professional in b.professionals:
        version = workbook.assessments.save_professional_view(
            assessment_id=assessment_id,
            expected_version=version,
            view=ProfessionalView(professional_id=professional.id, agency="GP surgery", role="GP", view="Well."),
            actor=actor,
        ).version
    outcome = DesiredOutcome(text="Ayaan is at school on time every day.")
    version = workbook.assessments.save_analysis(
        assessment_id=assessment_id, expected_version=a.plan.version, analysis="Routines help.", actor=actor
    ).version
    version = workbook.assessments.save_outcome(
        assessment_id=assessment_id, expected_version=version, outcome=outcome, actor=actor
    ).version
    workbook.assessments.save_action(
        assessment_id=assessment_id,
        expected_version=version,
        action=PlanAction(
            action="Morning routine chart", who="Mum", by_when=today + timedelta(days=14), outcome_id=outcome.id
        ),
        actor=actor,
    )
    main = b.main_carer()
    assert main is not None
    give_consent(workbook, assessment_id, actor, person_id=main.id, on=today - timedelta(days=3), confirm=True)


GP_SURGERY = Recipient(kind=RecipientKind.DIRECTORY, key="gp", name="GP surgery")


def give_consent(
    workbook: Workbook,
    assessment_id: str,
    actor: Actor,
    *,
    person_id: str,
    on: date,
    confirm: bool = False,
    recipients: tuple[Recipient, ...] = (GP_SURGERY,),
    **changes: object,
) -> None:
    """A decision to give consent (written, storing and sharing with `recipients`), confirmed
    at the end when asked."""
    a = workbook.assessments.open(assessment_id=assessment_id, actor=actor)
    decision = DecisionAnswers(
        person_id=person_id,
        kind=ConsentKind.GIVEN,
        method=ConsentMethod.WRITTEN,
        decided_on=on,
        share_with_professionals=True,
        recipients=recipients,
        council_storage=True,
    ).model_copy(update=changes)
    saved = workbook.assessments.record_consent_decision(
        assessment_id=assessment_id, expected_version=a.consent.version, decision=decision, actor=actor
    )
    if confirm:
        recorded = workbook.assessments.open(assessment_id=assessment_id, actor=actor).consent.data.decisions[-1]
        workbook.assessments.confirm_consent(
            assessment_id=assessment_id,
            expected_version=saved.version,
            decision_id=recorded.id,
            confirmed_on=workbook.today(),
            actor=actor,
        )


def review_in(workbook: Workbook, days: int) -> date:
    return workbook.today() + timedelta(days=days)


def completed_family(workbook: Workbook, actor: Actor, *, child: str = "Ayaan Khan") -> tuple[str, str]:
    """A family whose assessment is completed (review date in four weeks): where a TAF starts."""
    from eha.background import Carer, Child

    family_id, assessment_id = workbook.families.create(
        locality="central",
        address="4 Cowley Road\nOxford",
        main_carer=Carer(name="Maryam Khan", relationship="Mother"),
        child=Child(name=child, date_of_birth=date(2017, 9, 14)),
        actor=actor,
    )
    make_ready(workbook, assessment_id, actor)
    workbook.assessments.complete(assessment_id=assessment_id, review_date=review_in(workbook, 28), actor=actor)
    return family_id, assessment_id


def sharing_on_consent(decided_on: date) -> SharingDecision:
    """A plain decision to share attendance with the GP surgery (picked from the directory), on
    the family's consent (`give_consent` names the GP surgery)."""
    return SharingDecision(
        decided_on=decided_on,
        information="Attendance",
        recipient=GP_SURGERY,
        purpose="Health plan",
        questions=Questions(legitimate_purpose=Answer.YES, consent=Answer.YES),
        lawful_basis=LawfulBasis.CONSENT,
        parent_told=Told.YES,
        child_told=Told.YES,
    )


def sharing_on_safeguarding(decided_on: date) -> SharingDecision:
    """The same share without consent (none need be recorded): a risk of significant harm."""
    return sharing_on_consent(decided_on).model_copy(
        update={
            "questions": Questions(
                legitimate_purpose=Answer.YES,
                consent=Answer.NO,
                identifiable=Answer.YES,
                lawful_reason_without_consent=Answer.YES,
            ),
            "lawful_basis": LawfulBasis.SAFEGUARDING,
        }
    )


# The people most access tests need: key -> (username, role, locality).
TEST_PEOPLE = {
    "author": ("sam.worker", "practitioner", None),
    "lcss_same": ("lee.central", "lcss", "central"),
    "lcss_other": ("nia.north", "lcss", "north"),
    "admin": ("ada.admin", "admin", None),
}


def add_people(
    workbook: Workbook,
    accounts: Mapping[str, tuple[str, str, str | None]] = TEST_PEOPLE,
    *,
    password: str = "a long test password",
    with_email: bool = False,
) -> dict[str, Actor]:
    """An account for each (added by the command line's operator), as acting people by key."""
    operator = Actor.system("tests")
    return {
        key: workbook.accounts.add(
            username=username,
            display_name=username,
            role=role,
            locality=locality,
            email=f"{username}@example.org" if with_email else None,
            password=password,
            actor=operator,
        ).actor()
        for key, (username, role, locality) in accounts.items()
    }
