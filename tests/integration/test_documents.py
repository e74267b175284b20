"""Making a PDF through the service layer, on SQLite and PostgreSQL: who may have it, the record
of sharing and the audit entry written with it (or nothing at all when it is refused), what a
professional's copy leaves out, the password, the file name, and what the PDF says."""

from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from eha.actor import Actor
from eha.audit import AuditAction
from eha.background import Carer, Child, Professional
from eha.consent import ConsentKind, ConsentMethod, DecisionAnswers
from eha.documents import Audience, DocumentKind, Sending
from eha.errors import AccessDenied, ValidationFailed
from eha.recipients import RecipientKind, professional_recipient
from eha.sharing import LawfulBasis, Told
from eha.views import ProfessionalView
from storage.models import AuditEntryRow, SharingDecisionRow
from storage.services import Workbook
from tests.support.eha import add_people, completed_family, give_consent, make_ready
from tests.support.hostile import HOSTILE, LONG
from tests.support.pdf import pdf_pages, pdf_text

TOLD = {"parent_told": Told.YES, "child_told": Told.YES}
TO_LCSS = Sending(audience=Audience.LCSS, **TOLD)


def counts(workbook: Workbook) -> tuple[int, int]:
    """Entries in the record of sharing, and PDF entries in the audit trail."""
    with workbook._core.unit(read_only=True) as session:
        shared = session.scalar(select(func.count()).select_from(SharingDecisionRow)) or 0
        made = session.scalar(select(func.count()).where(AuditEntryRow.action == AuditAction.PDF.value)) or 0
    return shared, made


def test_the_full_assessment_for_lcss_is_recorded_as_shared_and_audited(workbook: Workbook, sam: Actor):
    family_id, assessment_id = completed_family(workbook, sam)
    before = counts(workbook)
    made = workbook.documents.make(assessment_id=assessment_id, kind=DocumentKind.FULL, sending=TO_LCSS, actor=sam)
    assert made.content.startswith(b"%PDF-")
    reference = workbook.assessments.open(assessment_id=assessment_id, actor=sam).reference
    assert made.filename == f"{reference}_early-help-assessment_{workbook.today().isoformat()}.pdf"
    assert counts(workbook) == (before[0] + 1, before[1] + 1)
    entry = workbook.sharing.history(family_id=family_id, actor=sam).decisions[0]
    assert entry.decision_id == made.sharing_id
    decision = entry.decision
    assert decision.recipient is not None and decision.recipient.kind is RecipientKind.LCSS
    assert decision.recipient.key == "central" and decision.lawful_basis is LawfulBasis.CONSENT
    assert decision.consent is not None and decision.consent.covered
    assert decision.document == "Early Help Assessment (PDF)"

    text = pdf_text(made.content)
    for words in ("OFFICIAL-SENSITIVE", reference, "Maryam Khan", "Ayaan Khan", "LCSS Central", "County Hall"):
        assert words in text
    for heading in (
        "1. Family background",
        "2. Parents' and carers' views",
        "3. Outcome Star",
        "4. Child's view",
        "5. Professional views",
        "6. Summary, plan and next steps",
        "Consent",
    ):
        assert heading in text
    assert "DRAFT" not in text


def test_a_draft_says_so_on_every_page(workbook: Workbook, sam: Actor):
    _family_id, assessment_id = workbook.families.create(
        locality="north",
        address="1 High Street",
        main_carer=Carer(name="Jo Smith"),
        child=Child(name="Kai Smith", date_of_birth=workbook.today() - timedelta(days=3000)),
        actor=sam,
    )
    made = workbook.documents.make(
        assessment_id=assessment_id, kind=DocumentKind.FULL, sending=Sending(audience=Audience.SELF), actor=sam
    )
    pages = PdfReader(__import__("io").BytesIO(made.content)).pages
    assert all("DRAFT" in page.extract_text() for page in pages)
    assert made.sharing_id is None


def test_withdrawn_consent_refuses_with_the_reason_and_writes_nothing(workbook: Workbook, sam: Actor):
    _family_id, assessment_id = completed_family(workbook, sam)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    main = a.background.data.main_carer()
    workbook.assessments.record_consent_decision(
        assessment_id=assessment_id,
        expected_version=a.consent.version,
        actor=sam,
        decision=DecisionAnswers(
            person_id=main.id,
            kind=ConsentKind.WITHDRAWN,
            method=ConsentMethod.VERBAL,
            decided_on=workbook.today(),
            explained="It stops all sharing.",
        ),
    )
    before = counts(workbook)
    with pytest.raises(ValidationFailed) as refused:
        workbook.documents.make(assessment_id=assessment_id, kind=DocumentKind.FULL, sending=TO_LCSS, actor=sam)
    assert "withdrew consent" in str(refused.value)
    assert counts(workbook) == before
    # On another lawful basis, recorded with its reason, it may still go.
    made = workbook.documents.make(
        assessment_id=assessment_id,
        kind=DocumentKind.FULL,
        actor=sam,
        sending=Sending(audience=Audience.LCSS, lawful_basis=LawfulBasis.SAFEGUARDING, **TOLD),
    )
    assert made.sharing_id is not None and counts(workbook) == (before[0] + 1, before[1] + 1)


def test_a_professional_the_family_said_must_not_see_it_is_refused(workbook: Workbook, sam: Actor):
    _family_id, assessment_id = workbook.families.create(
        locality="central",
        address="2 Iffley Road",
        main_carer=Carer(name="Maryam Khan", relationship="Mother"),
        child=Child(name="Ayaan Khan", date_of_birth=workbook.today() - timedelta(days=3000)),
        actor=sam,
    )
    make_ready(workbook, assessment_id, sam)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    gp = professional_recipient(a.background.data.professionals[0])
    main = a.background.data.main_carer()
    give_consent(workbook, assessment_id, sam, person_id=main.id, on=workbook.today(), must_not_see=(gp,))
    before = counts(workbook)
    with pytest.raises(ValidationFailed) as refused:
        workbook.documents.make(
            assessment_id=assessment_id,
            kind=DocumentKind.FULL,
            actor=sam,
            sending=Sending(audience=Audience.PROFESSIONAL, recipient=gp, **TOLD),
        )
    assert "must not go to" in str(refused.value)
    assert counts(workbook) == before


def test_people_outside_the_family_or_reviewers_sharing_get_nothing(workbook: Workbook, sam: Actor):
    people = add_people(workbook)
    _family_id, assessment_id = completed_family(workbook, people["author"])
    before = counts(workbook)
    stranger = Actor(username="someone.else", display_name="Someone Else", role=sam.role)
    for actor, sending in (
        (stranger, Sending(audience=Audience.SELF)),
        (people["lcss_other"], Sending(audience=Audience.SELF)),
        (people["admin"], Sending(audience=Audience.SELF)),
        (people["lcss_same"], TO_LCSS),  # LCSS reviewers read; they do not share on the family's behalf
    ):
        with pytest.raises(AccessDenied):
            workbook.documents.make(assessment_id=assessment_id, kind=DocumentKind.FULL, sending=sending, actor=actor)
    assert counts(workbook) == before
    # The locality's reviewer may keep a copy for their own records: audited, not shared.
    mine = workbook.documents.make(
        assessment_id=assessment_id,
        kind=DocumentKind.FULL,
        sending=Sending(audience=Audience.SELF),
        actor=people["lcss_same"],
    )
    assert mine.sharing_id is None and counts(workbook) == (before[0], before[1] + 1)


def test_a_professionals_copy_leaves_out_views_the_family_did_not_agree_they_may_see(workbook: Workbook, sam: Actor):
    _family_id, assessment_id = completed_family(workbook, sam)
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    nurse = Professional(name="Nell Nurse", agency="School nursing", role="School nurse")
    workbook.assessments.save_member(
        assessment_id=assessment_id, expected_version=a.background.version, member=nurse, actor=sam
    )
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    gp = a.background.data.professionals[0]
    # The GP's view may go to nobody; the nurse's own view is hers to have.
    workbook.assessments.save_professional_view(
        assessment_id=assessment_id,
        expected_version=a.professionals.version,
        actor=sam,
        view=ProfessionalView(professional_id=gp.id, agency="GP surgery", role="GP", view="GP-ONLY-OPINION"),
    )
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    workbook.assessments.save_professional_view(
        assessment_id=assessment_id,
        expected_version=a.professionals.version,
        actor=sam,
        view=ProfessionalView(
            professional_id=nurse.id, agency="School nursing", role="School nurse", view="NURSE-OPINION"
        ),
    )
    main = a.background.data.main_carer()
    give_consent(
        workbook,
        assessment_id,
        sam,
        person_id=main.id,
        on=workbook.today(),
        recipients=(professional_recipient(nurse),),
    )
    made = workbook.documents.make(
        assessment_id=assessment_id,
        kind=DocumentKind.FULL,
        actor=sam,
        sending=Sending(audience=Audience.PROFESSIONAL, recipient=professional_recipient(nurse), **TOLD),
    )
    text = pdf_text(made.content)
    assert "NURSE-OPINION" in text and "GP-ONLY-OPINION" not in text
    assert "1 professional view(s) the family have not agreed" in text
    for_lcss = pdf_text(
        workbook.documents.make(assessment_id=assessment_id, kind=DocumentKind.FULL, sending=TO_LCSS, actor=sam).content
    )
    assert "NURSE-OPINION" in for_lcss and "GP-ONLY-OPINION" in for_lcss


def test_hostile_text_prints_literally_in_every_document(workbook: Workbook, sam: Actor):
    _family_id, assessment_id = completed_family(workbook, sam, child=HOSTILE[:100])
    a = workbook.assessments.open(assessment_id=assessment_id, actor=sam)
    workbook.assessments.save_details(
        assessment_id=assessment_id,
        expected_version=a.background.version,
        address="<img src=/etc/passwd> & co",
        reason=LONG,
        actor=sam,
    )
    text = pdf_text(
        workbook.documents.make(assessment_id=assessment_id, kind=DocumentKind.FULL, sending=TO_LCSS, actor=sam).content
    )
    assert "<img src=/etc/passwd> & co" in text
    assert "<script>alert(1)</script> <b>&amp;</b> & &amp;" in text
    assert text.count("Ω") >= 50_000
    child = workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.data.children[0]
    made = workbook.documents.make(
        assessment_id=assessment_id, kind=DocumentKind.CHILD, item_id=child.id, sending=TO_LCSS, actor=sam
    )
    assert "<script>alert(1)</script>" in pdf_text(made.content)
    assert "alert" not in made.filename and made.filename.endswith(
        "_childs-view-1_" + workbook.today().isoformat() + ".pdf"
    )


def test_a_password_protects_it_and_is_kept_nowhere(workbook: Workbook, sam: Actor):
    _family_id, assessment_id = completed_family(workbook, sam)
    made = workbook.documents.make(
        assessment_id=assessment_id,
        kind=DocumentKind.FAMILY,
        sending=Sending(audience=Audience.FAMILY),
        password="correct horse battery",
        actor=sam,
    )
    import io

    reader = PdfReader(io.BytesIO(made.content))
    assert reader.is_encrypted
    assert reader.decrypt("wrong") == 0
    assert reader.decrypt("correct horse battery") != 0
    assert "Your plan and next steps" in reader.pages[0].extract_text()
    with workbook._core.unit(read_only=True) as session:
        details = " ".join(session.scalars(select(AuditEntryRow.details)))
    assert "correct horse battery" not in details


def test_each_kind_is_made_only_when_there_is_something_to_make(workbook: Workbook, sam: Actor):
    _family_id, assessment_id = completed_family(workbook, sam)
    with pytest.raises(ValidationFailed) as no_meeting:
        workbook.documents.make(
            assessment_id=assessment_id, kind=DocumentKind.TAF, item_id="x", sending=TO_LCSS, actor=sam
        )
    assert "no finalised TAF meetings" in str(no_meeting.value)
    with pytest.raises(ValidationFailed) as not_closed:
        workbook.documents.make(assessment_id=assessment_id, kind=DocumentKind.CLOSURE, sending=TO_LCSS, actor=sam)
    assert "not closed" in str(not_closed.value)
    with pytest.raises(ValidationFailed) as which:
        workbook.documents.make(
            assessment_id=assessment_id, kind=DocumentKind.CHILD, item_id="nobody", sending=TO_LCSS, actor=sam
        )
    assert "Choose which child" in str(which.value)
    with pytest.raises(ValidationFailed) as told:
        workbook.documents.make(
            assessment_id=assessment_id, kind=DocumentKind.FULL, sending=Sending(audience=Audience.LCSS), actor=sam
        )
    assert set(told.value.errors) == {"parent_told", "child_told"}


def test_every_document_of_the_large_family_reads_right_on_every_page(workbook: Workbook, sam: Actor):
    from eha.demo import large_family
    from star.progress import progress
    from tests.support.poppler import pdffonts

    record = large_family(
        today=workbook.today(), wording=workbook.assessments.consent_wording, directory=workbook.directory
    )
    operator = Actor.system("tests")
    workbook.families.import_record(record=record, actor=operator, author=None)
    assessment_id = record.assessments[0].id
    a = workbook.assessments.open(assessment_id=assessment_id, actor=operator)
    made: dict[str, bytes] = {}
    for choice in workbook.documents.choices(assessment_id=assessment_id, actor=operator):
        assert choice.unavailable is None, choice
        for item in choice.items or (None,):
            key = f"{choice.kind.value}-{item.number if item else ''}"
            made[key] = workbook.documents.make(
                assessment_id=assessment_id,
                kind=choice.kind,
                item_id=item.id if item else None,
                sending=Sending(audience=Audience.SELF),
                actor=operator,
            ).content
    # Every kind: the full assessment, 4 children, 6 professionals, the family's copy, 3 minutes, closure.
    assert len(made) == 1 + 4 + 6 + 1 + 3 + 1
    for key, content in made.items():
        pages = pdf_pages(content)
        for n, text in enumerate(pages, start=1):
            assert "OFFICIAL-SENSITIVE" in text and a.reference in text, (key, n)
            assert f"Page {n} of {len(pages)}" in text, (key, n)
            assert "DRAFT" not in text
        assert all(font["emb"] == "yes" for font in pdffonts(content)), key
    whole = pdf_text(made["full-"])
    for name in ("Agnieszka Dąbrowska-Hale", "Zoë Hale", "Łucja Hale", "Mikołaj Hale"):
        assert name in whole
    # The star's numbers in its table: the closure's distance travelled, area by area.
    readings = sorted((s.reading for s in a.star_readings), key=lambda r: r.sort_key)
    change = progress(readings[0], readings[-1])
    closure = pdf_text(made["closure-"])
    for area in change.areas:
        assert f"{area.first} {area.latest} {area.change:+d}" in closure
    assert "mikołaj" in pdf_text(made["child-3"]).lower() and ".png" in pdf_text(made["child-3"])
