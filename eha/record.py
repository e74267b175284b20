"""A whole family record as schema-versioned JSON, for `eha export` and `eha import`.

Optimistic-lock versions are left out: they guard concurrent edits in one database and mean
nothing in another. Everything else (ids, references, timestamps, authors) is kept, so
export -> import into an empty database -> export gives the same document.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from eha.attachments import decode
from eha.background import FamilyBackground
from eha.consent import Consent
from eha.errors import ImportRefused
from eha.family import AssessmentStatus
from eha.plan import Plan
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
    attachments: tuple[AttachmentRecord, ...] = ()
    taf_meetings: tuple[TafMeetingRecord, ...] = ()


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

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2, sort_keys=True)


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
}


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
    """Read an exported document; raises ImportRefused saying what is wrong."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"The file is not JSON: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("schema_name") != SCHEMA:
        raise ImportRefused(f"The file is not an {SCHEMA} document.")
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise ImportRefused(
            f"The file has schema version {raw.get('schema_version')!r}; this workbook reads version {SCHEMA_VERSION}."
        )
    broken = _invalid_text_at(raw, "")
    if broken:
        raise ImportRefused(
            f"The file contains a character that isn't valid text (a broken emoji or symbol) at {broken}: "
            "correct it and import the file again."
        )
    try:
        record = FamilyRecord.model_validate(raw)
        for assessment in record.assessments:
            for key, section in assessment.sections.items():
                model = SECTION_MODELS.get(key)
                if model is None:
                    raise ImportRefused(f"Assessment {assessment.id} has an unknown section {key!r}.")
                model.model_validate(section.data)
            check_star_readings(assessment)
            check_taf_meetings(assessment)
            for attachment in assessment.attachments:
                content = decode(attachment.data_base64)
                if content is None or len(content) != attachment.size:
                    raise ImportRefused(
                        f"Attachment {attachment.id} of assessment {assessment.id} is damaged: "
                        "its content is not the base64 of a file of the recorded size."
                    )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ImportRefused(f"The file does not match the schema at {where}: {first['msg']}") from exc
    return record


def check_star_readings(assessment: AssessmentRecord) -> None:
    """Every reading valid, at most one per occasion; raises ImportRefused saying which."""
    seen_ids: set[str] = set()
    seen_occasions: set[tuple[str, int | None]] = set()
    for number, item in enumerate(assessment.star_readings, start=1):
        try:
            reading = StarReading.from_dict(item.reading)
        except StarError as exc:
            raise ImportRefused(f"Assessment {assessment.id}, star reading {number}: {exc}") from exc
        occasion = (reading.occasion.kind.value, reading.occasion.review_number)
        if reading.id in seen_ids:
            raise ImportRefused(f"Assessment {assessment.id} has two star readings with the id {reading.id!r}.")
        if occasion in seen_occasions:
            raise ImportRefused(
                f"Assessment {assessment.id} has two star readings for {reading.occasion.label.lower()}: "
                "an assessment has one first reading, one per TAF review and one at closure."
            )
        seen_ids.add(reading.id)
        seen_occasions.add(occasion)


def check_taf_meetings(assessment: AssessmentRecord) -> None:
    """Meetings numbered 1, 2, 3... in order, each a valid meeting; raises ImportRefused."""
    for expected, item in enumerate(assessment.taf_meetings, start=1):
        if item.number != expected:
            raise ImportRefused(
                f"Assessment {assessment.id}: TAF meeting {item.number} is out of order (expected meeting {expected})."
            )
        try:
            TafMeeting.model_validate(item.data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ImportRefused(
                f"Assessment {assessment.id}, TAF meeting {item.number} does not match the schema at {where}: "
                f"{first['msg']}"
            ) from exc
