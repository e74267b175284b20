"""A whole family record as schema-versioned JSON, for `eha export` and `eha import`.

Optimistic-lock versions are left out: they guard concurrent edits in one database and mean
nothing in another. Everything else (ids, references, timestamps, who wrote what) is kept.
An import makes the person importing the author of the family and its assessments and adds
an "imported" note to each assessment naming the file's authors, so export -> import into an
empty database -> export gives the same document plus that note.

`parse_record` reads a document and checks its shape; `eha.record_rules.check_record` applies
the rules the screens apply on save, and is what the import service calls.
"""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from eha.attachments import clean_filename, decode
from eha.background import FamilyBackground
from eha.consent import Consent
from eha.contacts import RecordedContact
from eha.errors import ImportRefused
from eha.family import AssessmentStatus
from eha.plan import Plan
from eha.sharing import SharingDecision
from eha.taf import CLOSURE_KEY, LEAD_KEY, LeadHistory, TafClosure, TafMeeting
from eha.text import is_text, repaired
from eha.threshold import ThresholdOfNeed
from eha.views import CarersViews, ChildViews, ProfessionalViews
from star import StarError, StarReading

SCHEMA: Final = "eha-family-record"
SCHEMA_VERSION: Final = 1

_STRICT = ConfigDict(extra="forbid", frozen=True)


class SectionRecord(BaseModel):
    model_config = _STRICT
    data: dict[str, Any]
    updated_at: datetime
    updated_by: str


class StarReadingRecord(BaseModel):
    """A Family Star Plus reading: `reading` is `StarReading.to_dict()`, checked on import."""

    model_config = _STRICT
    reading: dict[str, Any]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


class AttachmentRecord(BaseModel):
    """A piece of a child's work, its content in base64 so the record stays one JSON text."""

    model_config = _STRICT
    id: str
    child_id: str
    filename: str
    media_type: str
    size: int
    data_base64: str
    uploaded_at: datetime
    uploaded_by: str


class TafMeetingRecord(BaseModel):
    """A TAF meeting: `data` is `eha.taf.TafMeeting`, checked on import."""

    model_config = _STRICT
    id: str
    number: int
    data: dict[str, Any]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


class AssessmentRecord(BaseModel):
    model_config = _STRICT
    id: str
    status: AssessmentStatus
    started_on: date | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    sections: dict[str, SectionRecord]
    # Defaulted so records exported before the star was recorded still read.
    star_readings: tuple[StarReadingRecord, ...] = ()
    completed_at: datetime | None = None
    completed_by: str | None = None
    review_date: date | None = None
    # Why the review is later than 6 weeks; defaulted so records exported before it still read.
    review_date_reason: str = ""
    attachments: tuple[AttachmentRecord, ...] = ()
    taf_meetings: tuple[TafMeetingRecord, ...] = ()


class SharingEntryRecord(BaseModel):
    """One entry of the family's record of sharing: `decision` is `eha.sharing.SharingDecision`,
    checked on import; who recorded it and when are kept as they were."""

    model_config = _STRICT
    id: str
    decision: dict[str, Any]
    recorded_by: str
    recorded_by_name: str
    recorded_at: datetime


class FamilyRecord(BaseModel):
    model_config = _STRICT
    schema_name: Literal["eha-family-record"] = SCHEMA
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    reference: str
    locality: str
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    assessments: tuple[AssessmentRecord, ...]
    # The contact log, newest first, removed contacts marked. Defaulted so records exported
    # before the log existed still read.
    contacts: tuple[RecordedContact, ...] = ()
    # Defaulted so records exported before the record of sharing was exported still read.
    sharing: tuple[SharingEntryRecord, ...] = ()

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2, sort_keys=True)


IMPORTED_KEY: Final = "imported"  # section document: where an imported assessment came from


class ImportNote(BaseModel):
    """One import of the assessment: when, by whom, and whose it was in the file."""

    model_config = _STRICT
    imported_at: datetime
    imported_by: str
    # Who created the assessment, and who first recorded the family, in the file.
    author: str
    family_author: str


class ImportHistory(BaseModel):
    """Section document "imported": every import of the assessment, oldest first."""

    model_config = _STRICT
    imports: tuple[ImportNote, ...] = ()


SECTION_MODELS: dict[str, type[BaseModel]] = {
    "background": FamilyBackground,
    "threshold": ThresholdOfNeed,
    "carers_views": CarersViews,
    "child_views": ChildViews,
    "professional_views": ProfessionalViews,
    "plan": Plan,
    "consent": Consent,
    LEAD_KEY: LeadHistory,
    CLOSURE_KEY: TafClosure,
    IMPORTED_KEY: ImportHistory,
}

DEFAULT_IMPORT_LIMIT_BYTES: Final = 50 * 1024 * 1024


def read_record_file(path: Path, *, limit_bytes: int) -> str:
    """The text of a file to import, refused (ImportRefused) before it is read whole when it
    is over `limit_bytes`, and when it is not UTF-8 text. Raises OSError if it cannot be read."""
    info = path.stat()
    if stat.S_ISREG(info.st_mode) and info.st_size > limit_bytes:
        raise ImportRefused(_too_big(info.st_size, limit_bytes))
    with path.open("rb") as fh:
        # limit + 1 bytes: a pipe or device has no size to ask, so read no more than that.
        content = fh.read(limit_bytes + 1)
    if len(content) > limit_bytes:
        raise ImportRefused(_too_big(len(content), limit_bytes, at_least=True))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"The file is not UTF-8 text (byte {exc.start:,} is not UTF-8).") from None


def _too_big(size: int, limit: int, *, at_least: bool = False) -> str:
    return (
        f"The file is {'more than ' if at_least else ''}{_size(size)}; the largest record this workbook "
        f"imports is {_size(limit)} (the setting EHA_IMPORT_LIMIT_MB)."
    )


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def as_imported(record: FamilyRecord, *, author: str, by: str, at: datetime) -> FamilyRecord:
    """The record as an import stores it: `author` becomes the author of the family and of
    every assessment, and each assessment's "imported" note records the file's authors, when
    and by whom it was imported (earlier imports are kept). Who wrote each part, and when,
    stays as it was. Attachment names are cleaned as an upload's are."""
    assessments = []
    for a in record.assessments:
        earlier = a.sections.get(IMPORTED_KEY)
        history = ImportHistory.model_validate(earlier.data) if earlier else ImportHistory()
        note = ImportNote(imported_at=at, imported_by=by, author=a.created_by, family_author=record.created_by)
        sections = {
            **a.sections,
            IMPORTED_KEY: SectionRecord(
                data=ImportHistory(imports=(*history.imports, note)).model_dump(mode="json"),
                updated_at=at,
                updated_by=by,
            ),
        }
        attachments = tuple(f.model_copy(update={"filename": clean_filename(f.filename)}) for f in a.attachments)
        assessments.append(
            a.model_copy(update={"created_by": author, "sections": sections, "attachments": attachments})
        )
    return record.model_copy(update={"created_by": author, "assessments": tuple(assessments)})


def _invalid_text_at(value: Any, where: str) -> str | None:
    """Where the first piece of text that is not valid Unicode is (a lone surrogate, which
    JSON can spell as an escape), or None."""
    if isinstance(value, str):
        return None if is_text(value) else where
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        inner = f"{where}.{repaired(str(key))}" if where else repaired(str(key))
        if not is_text(str(key)):
            return inner
        found = _invalid_text_at(item, inner)
        if found:
            return found
    return None


def parse_record(text: str) -> FamilyRecord:
    """Read an exported document and check its shape; raises ImportRefused saying what is
    wrong and where. The rules of each field are `eha.record_rules.check_record`'s."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"The file is not JSON: {exc}") from exc
    except RecursionError:
        raise ImportRefused("The file is not JSON a family record could be: it is nested too deeply.") from None
    if not isinstance(raw, dict) or raw.get("schema_name") != SCHEMA:
        raise ImportRefused(f"The file is not an {SCHEMA} document.")
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise ImportRefused(
            f"The file has schema version {raw.get('schema_version')!r:.40}; "
            f"this workbook reads version {SCHEMA_VERSION}."
        )
    broken = _invalid_text_at(raw, "")
    if broken:
        raise ImportRefused(
            f"The file contains a character that isn't valid text (a broken emoji or symbol) at {broken}: "
            "correct it and import the file again."
        )
    try:
        record = FamilyRecord.model_validate(raw)
    except ValidationError as exc:
        raise ImportRefused(schema_problem(exc, ())) from exc
    check_structure(record)
    return record


def check_structure(record: FamilyRecord) -> None:
    """Every section a known one that matches its model, the star readings and TAF meetings
    well formed, every attachment the base64 of a file of its recorded size, every entry of
    the record of sharing a decision."""
    for i, entry in enumerate(record.sharing):
        try:
            SharingDecision.model_validate(entry.decision)
        except ValidationError as exc:
            raise ImportRefused(schema_problem(exc, ("sharing", i, "decision"))) from exc
    for n, assessment in enumerate(record.assessments, start=1):
        for key, section in assessment.sections.items():
            model = SECTION_MODELS.get(key)
            if model is None:
                raise ImportRefused(f"assessment {n}: there is no section called {_shown(key)}.")
            try:
                model.model_validate(section.data)
            except ValidationError as exc:
                raise ImportRefused(schema_problem(exc, ("assessments", n - 1, "sections", key, "data"))) from exc
        check_star_readings(assessment)
        check_taf_meetings(assessment)
        for number, attachment in enumerate(assessment.attachments, start=1):
            content = decode(attachment.data_base64)
            if content is None or len(content) != attachment.size:
                raise ImportRefused(
                    f"assessment {n}, attachment {number}: the file is damaged: its content is not the "
                    "base64 of a file of the recorded size."
                )


def schema_problem(exc: ValidationError, prefix: tuple[str | int, ...]) -> str:
    """The first schema error, as "where: what" in one line."""
    first = exc.errors()[0]
    return f"{located((*prefix, *first['loc']))}: {' '.join(str(first['msg']).split())}."


def located(path: tuple[str | int, ...]) -> str:
    """A place in the document in words: ("assessments", 0, "sections", "plan", "data",
    "actions", 1, "who") -> "assessment 1, section 'plan', at actions.2.who"."""
    parts = list(path)
    if len(parts) >= 2 and parts[0] == "contacts" and isinstance(parts[1], int):
        rest = parts[3:] if len(parts) > 2 and parts[2] == "contact" else parts[2:]
        return f"contact {parts[1] + 1}" + (f", at {_dotted(rest)}" if rest else "")
    if len(parts) >= 2 and parts[0] == "sharing" and isinstance(parts[1], int):
        rest = parts[3:] if len(parts) > 2 and parts[2] == "decision" else parts[2:]
        entry = f"the record of sharing, entry {parts[1] + 1}"
        return f"{entry}, at {_dotted(rest)}" if rest else entry
    if len(parts) < 2 or parts[0] != "assessments" or not isinstance(parts[1], int):
        return f"the record, at {_dotted(parts)}" if parts else "the record"
    where = [f"assessment {parts[1] + 1}"]
    rest = parts[2:]
    kinds = {"star_readings": "star reading", "taf_meetings": "TAF meeting", "attachments": "attachment"}
    if len(rest) >= 2 and rest[0] == "sections":
        where.append(f"section {_shown(rest[1])}")
        rest = rest[3:] if len(rest) > 2 and rest[2] == "data" else rest[2:]
    elif len(rest) >= 2 and rest[0] in kinds and isinstance(rest[1], int):
        where.append(f"{kinds[str(rest[0])]} {rest[1] + 1}")
        rest = rest[2:]
        if rest and rest[0] in ("data", "reading"):
            rest = rest[1:]
    if rest:
        where.append(f"at {_dotted(rest)}")
    return ", ".join(where)


def _dotted(parts: list[str | int]) -> str:
    return ".".join(str(p + 1) if isinstance(p, int) else _clean(str(p)) for p in parts)


def _clean(text: str) -> str:
    """A name from the file, safe in a one-line message: printable, and not too long."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in text)
    return printable if len(printable) <= 40 else printable[:40] + "…"


def _shown(value: object) -> str:
    return f"'{_clean(str(value))}'"


def check_star_readings(assessment: AssessmentRecord) -> None:
    """Every reading valid, at most one per occasion; raises ImportRefused saying which."""
    seen_ids: set[str] = set()
    seen_occasions: set[tuple[str, int | None]] = set()
    for number, item in enumerate(assessment.star_readings, start=1):
        try:
            reading = StarReading.from_dict(item.reading)
        except StarError as exc:
            raise ImportRefused(f"Assessment {_clean(assessment.id)}, star reading {number}: {exc}") from exc
        occasion = (reading.occasion.kind.value, reading.occasion.review_number)
        if reading.id in seen_ids:
            raise ImportRefused(
                f"Assessment {_clean(assessment.id)}, star reading {number}: a second reading with the same id."
            )
        if occasion in seen_occasions:
            raise ImportRefused(
                f"Assessment {_clean(assessment.id)} has two star readings for {reading.occasion.label.lower()}: "
                "an assessment has one first reading, one per TAF review and one at closure."
            )
        seen_ids.add(reading.id)
        seen_occasions.add(occasion)


def check_taf_meetings(assessment: AssessmentRecord) -> None:
    """Meetings numbered 1, 2, 3... in order, each a valid meeting; raises ImportRefused."""
    for expected, item in enumerate(assessment.taf_meetings, start=1):
        if item.number != expected:
            raise ImportRefused(
                f"Assessment {_clean(assessment.id)}: TAF meeting {item.number} is out of order "
                f"(expected meeting {expected})."
            )
        try:
            TafMeeting.model_validate(item.data)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise ImportRefused(
                f"Assessment {_clean(assessment.id)}, TAF meeting {item.number} does not match the schema at "
                f"{_dotted(list(first['loc']))}: {' '.join(str(first['msg']).split())}."
            ) from exc
