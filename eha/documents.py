"""The documents the workbook makes for people outside it: which there are, which can be made
for an assessment now, whom each may go to, what a copy for a given recipient holds, and what
the file is called.

Plain rules only: `storage.documents_service` checks access and consent and records the
sharing; `eha.pdf` draws the document from a `DocumentSource`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from eha.assessment import Assessment
from eha.attachments import ChildWork
from eha.errors import ValidationFailed
from eha.family import AssessmentStatus
from eha.localities import Locality
from eha.recipients import FAMILY_RECIPIENT, Recipient, RecipientKind, lcss_recipient, professional_recipient
from eha.sharing import LawfulBasis, SharingDecision, Told, document_sent
from eha.views import ProfessionalView


class DocumentKind(StrEnum):
    FULL = "full"
    CHILD = "child"
    PROFESSIONAL = "professional"
    FAMILY = "family"
    TAF = "taf"
    CLOSURE = "closure"

    @property
    def label(self) -> str:
        """The document's title, as its front page and file metadata give it."""
        return _TITLES[self]

    @property
    def per_item(self) -> bool:
        """One document per child, per professional or per meeting: `--item` says which."""
        return self in (DocumentKind.CHILD, DocumentKind.PROFESSIONAL, DocumentKind.TAF)


_TITLES = {
    DocumentKind.FULL: "Early Help Assessment",
    DocumentKind.CHILD: "Child's view",
    DocumentKind.PROFESSIONAL: "Professional's view",
    DocumentKind.FAMILY: "Your plan and next steps",
    DocumentKind.TAF: "TAF meeting minutes",
    DocumentKind.CLOSURE: "Closure and evaluation",
}
# In file names: the family reference, this and the date, never a name.
_SLUGS = {
    DocumentKind.FULL: "early-help-assessment",
    DocumentKind.CHILD: "childs-view",
    DocumentKind.PROFESSIONAL: "professional-view",
    DocumentKind.FAMILY: "family-copy",
    DocumentKind.TAF: "taf-minutes",
    DocumentKind.CLOSURE: "closure",
}


class Audience(StrEnum):
    """Whom a document is made for."""

    LCSS = "lcss"  # the LCSS team of the family's locality
    PROFESSIONAL = "professional"  # a named professional, agency or service
    FAMILY = "family"
    SELF = "self"  # for the maker's own records: not shared, so no record of sharing

    @property
    def label(self) -> str:
        return {
            "lcss": "The LCSS team of the family's locality",
            "professional": "A professional or agency",
            "family": "The family",
            "self": "For my own records",
        }[self.value]


@dataclass(frozen=True)
class Item:
    """One child, professional or TAF meeting a document can be made about. `number` is its
    place (child 2, meeting 3): what a file name says instead of a name."""

    id: str
    number: int
    label: str


def items_of(assessment: Assessment, kind: DocumentKind) -> tuple[Item, ...]:
    """The children, professionals or finalised TAF meetings there is a document for."""
    background = assessment.background.data
    if kind is DocumentKind.CHILD:
        return tuple(Item(c.id, n, c.name or f"Child {n}") for n, c in enumerate(background.children, start=1))
    if kind is DocumentKind.PROFESSIONAL:
        return tuple(
            Item(p.id, n, professional_recipient(p).label or f"Professional {n}")
            for n, p in enumerate(background.professionals, start=1)
        )
    if kind is DocumentKind.TAF:
        return tuple(
            Item(m.meeting_id, m.number, f"Meeting {m.number}, {m.meeting.held_on:%-d %B %Y}")
            for m in assessment.taf.meetings
            if m.meeting.finalised
        )
    return ()


def unavailable(assessment: Assessment, kind: DocumentKind) -> str | None:
    """Why this kind of document cannot be made for the assessment now (None: it can)."""
    if kind.per_item and not items_of(assessment, kind):
        return {
            DocumentKind.CHILD: "There is no child in the family background yet.",
            DocumentKind.PROFESSIONAL: "There is no professional in the family background yet.",
            DocumentKind.TAF: "There are no finalised TAF meetings yet: minutes are made once a meeting is finalised.",
        }[kind]
    if kind is DocumentKind.CLOSURE and assessment.taf.closure is None:
        return "The TAF is not closed: the closure and evaluation is made once it is."
    return None


def chosen_item(assessment: Assessment, kind: DocumentKind, item_id: str | None) -> Item | None:
    """The item a per-item document is about; raises ValidationFailed when it is missing or
    not one of `items_of`, and when an item is given for a document that has none."""
    if not kind.per_item:
        if item_id:
            raise ValidationFailed({"item": f"A {kind.label.lower()} is one document: do not choose an item."})
        return None
    found = next((i for i in items_of(assessment, kind) if i.id == item_id), None)
    if found is None:
        what = {DocumentKind.CHILD: "child", DocumentKind.PROFESSIONAL: "professional", DocumentKind.TAF: "meeting"}
        raise ValidationFailed({"item": f"Choose which {what[kind]} the document is for."})
    return found


def filename(reference: str, kind: DocumentKind, item: Item | None, *, on: date) -> str:
    """`EH-7K3Q9D_childs-view-2_2026-12-02.pdf`: the family reference, the document and the
    item's number, the date. Never a name."""
    what = _SLUGS[kind] + (f"-{item.number}" if item is not None else "")
    safe_reference = "".join(ch for ch in reference if ch.isascii() and (ch.isalnum() or ch == "-"))
    return f"{safe_reference}_{what}_{on.isoformat()}.pdf"


def recipient_for(audience: Audience, *, locality: Locality, chosen: Recipient | None) -> Recipient | None:
    """The record of sharing's recipient for an audience: the locality's LCSS team, the family,
    the professional or agency `chosen`, or None for the maker's own records. Raises
    ValidationFailed when a professional or agency is wanted and none is chosen."""
    if audience is Audience.LCSS:
        return lcss_recipient(locality.key, locality.name)
    if audience is Audience.FAMILY:
        return FAMILY_RECIPIENT
    if audience is Audience.PROFESSIONAL:
        if chosen is None or chosen.kind in (RecipientKind.LCSS, RecipientKind.FAMILY) or not chosen.label.strip():
            raise ValidationFailed({"recipient": "Choose the professional or agency the document is for."})
        return chosen
    return None


def views_for(recipient: Recipient | None, views: tuple[ProfessionalView, ...]) -> tuple[ProfessionalView, ...]:
    """The professional views a copy for `recipient` may hold. LCSS, the family and the
    maker's own copy hold all of them; a professional's copy holds their own view and those
    the family agreed they may receive. The family agree who may receive a view by naming
    professionals, so a copy for an agency or someone typed by hand holds none."""
    if recipient is None or recipient.kind in (RecipientKind.LCSS, RecipientKind.FAMILY):
        return views
    if recipient.kind is RecipientKind.PROFESSIONAL:
        return tuple(v for v in views if v.professional_id == recipient.key or recipient.key in v.may_receive)
    return ()


@dataclass(frozen=True, kw_only=True)
class DocumentSource:
    """Everything one document is drawn from, read in one transaction."""

    kind: DocumentKind
    item: Item | None
    assessment: Assessment
    locality: Locality
    author: str  # who wrote the assessment, by name
    lead: str  # the lead professional now, or ""
    made_for: str  # "LCSS North (Locality and Community Support Service)", "For my own records"
    # The professional views this recipient may see, and how many were left out.
    professional_views: tuple[ProfessionalView, ...]
    views_left_out: int
    # The child's own work the document shows, with its content.
    work: tuple[tuple[ChildWork, bytes], ...]
    generated_at: datetime
    generated_by: str

    @property
    def title(self) -> str:
        return self.kind.label

    @property
    def draft(self) -> bool:
        """Not completed: every page says so."""
        return self.assessment.status is AssessmentStatus.DRAFT


@dataclass(frozen=True, kw_only=True)
class Sending:
    """Whom a document is for and, when it leaves the workbook, what the record of sharing
    says of it: why, on what basis, and whether the parent and the child were told.

    For the family, the basis is that it is their own information and the parent is the one
    told; for the maker's own records nothing is shared, so none of the rest is asked."""

    audience: Audience
    recipient: Recipient | None = None  # the professional or agency, for Audience.PROFESSIONAL
    purpose: str = ""  # "" : the usual purpose of the document for that audience
    lawful_basis: LawfulBasis = LawfulBasis.CONSENT
    lawful_basis_other: str = ""
    parent_told: Told | None = None
    parent_not_told_reason: str = ""
    child_told: Told | None = None
    child_not_told_reason: str = ""


FAMILY_BASIS = "The family's own information, given to them."


def usual_purpose(kind: DocumentKind, audience: Audience) -> str:
    """Why a document usually goes to an audience, as the record of sharing says it."""
    if audience is Audience.LCSS:
        what = {
            DocumentKind.FULL: "The completed Early Help Assessment",
            DocumentKind.TAF: "TAF meeting minutes",
            DocumentKind.CLOSURE: "The closure and evaluation",
        }.get(kind)
        if what:
            return f"{what}, for LCSS to review and upload to the council's system."
        return f"The {kind.label.lower()}, for LCSS to review."
    if audience is Audience.FAMILY:
        return f"The family's copy: {kind.label.lower()}."
    return f"To support the family: the {kind.label.lower()}, for the professional working with them."


def sharing_decision(
    sending: Sending, kind: DocumentKind, item: Item | None, recipient: Recipient, *, on: date
) -> SharingDecision:
    """What the record of sharing says of a document leaving for `recipient` on `on`: the
    document (a TAF meeting by its number and date; a child or professional by no name, since
    the entry is read beside the assessment), why, and on what basis. The family's copy is
    theirs: given on that basis, the parent told, the child told only if said."""
    which = f" ({item.label})" if item is not None and kind is DocumentKind.TAF else ""
    if sending.audience is Audience.FAMILY:
        sending = replace(
            sending,
            lawful_basis=LawfulBasis.OTHER,
            lawful_basis_other=FAMILY_BASIS,
            parent_told=Told.YES,
            child_told=sending.child_told or Told.NO,
            child_not_told_reason=sending.child_not_told_reason
            or ("" if sending.child_told is Told.YES else "The family's copy, given to the parents and carers."),
        )
    return document_sent(
        on=on,
        document=f"{kind.label}{which} (PDF)",
        recipient=recipient,
        purpose=sending.purpose.strip() or usual_purpose(kind, sending.audience),
        lawful_basis=sending.lawful_basis,
        lawful_basis_other=sending.lawful_basis_other,
        parent_told=sending.parent_told,
        parent_not_told_reason=sending.parent_not_told_reason,
        child_told=sending.child_told,
        child_not_told_reason=sending.child_not_told_reason,
    )
