"""The child's own work through the service layer, on SQLite and on a real PostgreSQL: hostile
files are refused at upload and at import, and a photo is kept without its location."""

from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import ExifTags, Image

from eha.actor import Actor
from eha.errors import ImportRefused, ValidationFailed
from eha.record import parse_record
from storage.db import make_engine, upgrade
from storage.services import Workbook
from tests.integration.test_family_record import new_family
from tests.support import AUDIT_KEY
from tests.support.eha import TINY_PDF, png_claiming

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def photo_with_location() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 45.0, 7.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (1.0, 15.0, 29.0),
    }
    out = io.BytesIO()
    Image.linear_gradient("L").resize((32, 24)).convert("RGB").save(out, "JPEG", exif=exif)
    return out.getvalue()


def script_pdf() -> bytes:
    return TINY_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (PNG_MAGIC + b"garbage" * 10, "damaged or is not really a PNG or JPEG"),
        (b"\xff\xd8\xff", "damaged or is not really a PNG or JPEG"),
        (png_claiming(100_000, 100_000), "at most 40 megapixels"),
        (PNG_MAGIC + b"<!doctype html><script>alert(1)</script>", "damaged or is not really a PNG or JPEG"),
        (script_pdf(), "This PDF contains scripts or embedded files"),
        (b"%PDF-1.7\n<html></html>", "This PDF can't be read"),
    ],
    ids=["png-garbage", "bare-jpeg", "bomb", "html", "pdf-script", "pdf-garbage"],
)
def test_a_hostile_file_is_refused_at_upload_and_nothing_is_kept(workbook: Workbook, sam: Actor, content, says):
    _, assessment_id = new_family(workbook, sam)
    child = workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.data.children[0]
    with pytest.raises(ValidationFailed) as refused:
        workbook.assessments.add_child_work(
            assessment_id=assessment_id, child_id=child.id, filename="drawing.png", content=content, actor=sam
        )
    assert set(refused.value.errors) == {"file"} and says in refused.value.errors["file"]
    assert workbook.assessments.open(assessment_id=assessment_id, actor=sam).child_work == ()


def test_a_photo_is_kept_without_its_location_and_exported_so(workbook: Workbook, sam: Actor):
    family_id, assessment_id = new_family(workbook, sam)
    child = workbook.assessments.open(assessment_id=assessment_id, actor=sam).background.data.children[0]
    original = photo_with_location()
    work = workbook.assessments.add_child_work(
        assessment_id=assessment_id, child_id=child.id, filename="me.jpg", content=original, actor=sam
    )
    _, kept = workbook.assessments.child_work_file(assessment_id=assessment_id, attachment_id=work.id, actor=sam)
    assert (work.media_type, work.size) == ("image/jpeg", len(kept))
    image = Image.open(io.BytesIO(kept))
    assert image.size == (32, 24) and dict(image.getexif()) == {}
    assert b"PhoneCo" not in kept and b"Exif" not in kept
    exported = json.loads(workbook.families.export(family_id=family_id, actor=sam).to_json())
    assert base64.b64decode(exported["assessments"][0]["attachments"][0]["data_base64"]) == kept


def _import_with(tmp_path, source: Workbook, sam: Actor, content: bytes, media_type: str) -> Workbook:
    family_id, assessment_id = new_family(source, sam)
    child = source.assessments.open(assessment_id=assessment_id, actor=sam).background.data.children[0]
    source.assessments.add_child_work(
        assessment_id=assessment_id, child_id=child.id, filename="a.pdf", content=TINY_PDF, actor=sam
    )
    raw = json.loads(source.families.export(family_id=family_id, actor=sam).to_json())
    raw["assessments"][0]["attachments"][0] |= {
        "data_base64": base64.b64encode(content).decode(),
        "size": len(content),
        "media_type": media_type,
    }
    url = f"sqlite:///{tmp_path / 'target.db'}"
    upgrade(url)
    from eha.localities import load_localities

    target = Workbook(make_engine(url), localities=load_localities(), audit_key=AUDIT_KEY.encode())
    target.families.import_record(record=parse_record(json.dumps(raw)), actor=sam)
    return target


@pytest.mark.parametrize(
    ("content", "media_type"),
    [(PNG_MAGIC + b"garbage" * 10, "image/png"), (script_pdf(), "application/pdf")],
    ids=["png-garbage", "pdf-script"],
)
def test_an_import_carrying_a_hostile_file_is_refused(workbook: Workbook, sam: Actor, tmp_path, content, media_type):
    # Refused by the import's checks, which are the upload's, naming where in the file.
    with pytest.raises(ImportRefused, match=r"attachment 1, 'file': This (picture|PDF)"):
        _import_with(tmp_path, workbook, sam, content, media_type)


def test_an_imported_photo_is_kept_without_its_location(workbook: Workbook, sam: Actor, tmp_path):
    target = _import_with(tmp_path, workbook, sam, photo_with_location(), "image/jpeg")
    (family,) = target.families.all(actor=sam)
    assert family.latest_assessment is not None
    assessment_id = family.latest_assessment.assessment_id
    (work,) = target.assessments.open(assessment_id=assessment_id, actor=sam).child_work
    _, kept = target.assessments.child_work_file(assessment_id=assessment_id, attachment_id=work.id, actor=sam)
    assert dict(Image.open(io.BytesIO(kept)).getexif()) == {} and b"PhoneCo" not in kept
    assert work.size == len(kept)
