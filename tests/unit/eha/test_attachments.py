"""The child's own work: a file is kept only once it has been decoded in full, a picture is
kept without its metadata, and a PDF that runs or embeds anything is refused. Every file here
is made by the test."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from eha.attachments import JPEG, PDF, PNG, accept_upload, check_upload, picture_problem
from tests.support.eha import TINY_PDF, png_claiming, tiny_png

LIMIT = 10 * 1024 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def picture(fmt: str, size: tuple[int, int] = (40, 20), **save: object) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    for x in range(size[0]):
        image.putpixel((x, x % size[1]), (0, 120, 255))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 45.0, 7.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (1.0, 15.0, 29.0),
    }
    return exif


def refusal(data: bytes) -> str:
    problems = check_upload(data, limit=LIMIT)
    assert set(problems) == {"file"}, problems
    return problems["file"]


def pdf(build: Callable[[PdfWriter], None] | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if build is not None:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written out by hand (objects 1..n, 1 the catalog), with a correct cross-reference."""
    body = b"%PDF-1.7\n"
    offsets = []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def action(kind: str, **entries: str) -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject(kind), **{NameObject(f"/{k}"): TextStringObject(v) for k, v in entries.items()}}
    )


# -- pictures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (PNG_MAGIC + b"\x00garbage after the signature" * 20, "damaged or is not really a PNG or JPEG"),
        (b"\xff\xd8\xff", "damaged or is not really a PNG or JPEG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 300, "damaged or is not really a PNG or JPEG"),
        (PNG_MAGIC + b"<!doctype html><html><script>alert(1)</script></html>", "damaged or is not really"),
        (tiny_png()[:40], "damaged or is not really a PNG or JPEG"),  # cut off in the middle
        (png_claiming(100_000, 100_000), "too large; pictures can be at most 40 megapixels"),
        (png_claiming(8_000, 6_000), "8,000 × 6,000 pixels; pictures can be at most 40 megapixels"),
        (b"GIF89a" + b"\x00" * 40, "PNG or JPEG, or a PDF"),
    ],
    ids=["png-garbage", "bare-jpeg-marker", "jpeg-garbage", "html-behind-png", "truncated", "bomb", "too-big", "gif"],
)
def test_a_file_that_is_not_a_whole_picture_is_refused_saying_what_to_do(content: bytes, says: str):
    assert says in refusal(content)


def test_a_photo_is_kept_without_its_exif_and_location():
    photo = picture("JPEG", exif=gps_exif(), quality=90)
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's photo has GPS
    kept = accept_upload(photo, limit=LIMIT)
    assert kept.media_type == JPEG
    again = Image.open(io.BytesIO(kept.content))
    assert again.format == "JPEG" and again.size == (40, 20)
    assert dict(again.getexif()) == {} and "exif" not in again.info
    assert b"Exif" not in kept.content and b"PhoneCo" not in kept.content


def test_a_photo_a_phone_marked_as_turned_is_kept_upright():
    photo = picture("JPEG", size=(40, 20), exif=gps_exif(orientation=6))
    kept = Image.open(io.BytesIO(accept_upload(photo, limit=LIMIT).content))
    assert kept.size == (20, 40) and dict(kept.getexif()) == {}


def test_a_drawing_is_kept_as_png_without_its_text_or_exif_and_with_nothing_after_it():
    info = PngInfo()
    info.add_text("Author", "Ayaan Khan, 4 Cowley Road")
    drawing = picture("PNG", pnginfo=info, exif=gps_exif()) + b"<html>trailing</html>"
    kept = accept_upload(drawing, limit=LIMIT)
    assert kept.media_type == PNG
    again = Image.open(io.BytesIO(kept.content))
    again.load()
    assert again.format == "PNG" and again.size == (40, 20)
    assert "Author" not in again.info and "exif" not in again.info
    assert b"Cowley" not in kept.content and b"html" not in kept.content
    assert again.tobytes() == Image.open(io.BytesIO(drawing)).tobytes()


def test_a_good_picture_keeps_its_pixels_and_a_clean_png_is_kept_as_it_was():
    assert accept_upload(tiny_png(), limit=LIMIT).content == tiny_png()
    out = io.BytesIO()
    Image.linear_gradient("L").resize((64, 64)).convert("RGB").save(out, "JPEG", quality=90)
    kept = Image.open(io.BytesIO(accept_upload(out.getvalue(), limit=LIMIT).content))
    original = Image.open(io.BytesIO(out.getvalue()))
    # JPEG is re-encoded with the original's own tables and subsampling: no visible loss.
    assert kept.quantization == original.quantization
    differences = [abs(a - b) for a, b in zip(kept.tobytes(), original.tobytes(), strict=True)]
    assert sum(differences) / len(differences) < 1


def test_a_phone_photo_with_a_second_picture_after_it_is_kept_as_a_plain_jpeg():
    # MPO: what many phones and cameras write; a JPEG followed by another picture (a depth map,
    # a preview). The first picture is kept; the one after it is left behind.
    first, second = Image.new("RGB", (30, 20), (10, 200, 30)), Image.new("RGB", (30, 20), (200, 10, 30))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second], exif=gps_exif())
    kept = accept_upload(out.getvalue(), limit=LIMIT)
    again = Image.open(io.BytesIO(kept.content))
    assert (kept.media_type, again.format, again.size) == (JPEG, "JPEG", (30, 20))
    assert getattr(again, "n_frames", 1) == 1 and dict(again.getexif()) == {}
    assert again.convert("RGB").getpixel((15, 10))[1] > 150  # the first picture, not the second


def test_a_stored_picture_that_cannot_be_shown_is_recognised_so_the_page_can_say_so():
    assert picture_problem(tiny_png()) is None
    assert picture_problem(picture("JPEG")) is None
    for broken in (PNG_MAGIC + b"junk", b"\xff\xd8\xff", png_claiming(100_000, 100_000), b"", b"%PDF-1.4"):
        assert picture_problem(broken) is not None


# -- PDFs --------------------------------------------------------------------------------------


def test_a_plain_pdf_is_kept_exactly_and_links_and_an_opening_page_are_allowed():
    assert accept_upload(TINY_PDF, limit=LIMIT) == type(accept_upload(TINY_PDF, limit=LIMIT))(PDF, TINY_PDF)

    def link_and_open_at_first_page(w: PdfWriter) -> None:
        w.add_annotation(0, Link(rect=(10, 10, 100, 100), url="https://example.org/wishes"))
        w.open_destination = w.pages[0]

    assert check_upload(pdf(link_and_open_at_first_page), limit=LIMIT) == {}


def _open_action(kind: str, **entries: str) -> Callable[[PdfWriter], None]:
    def build(w: PdfWriter) -> None:
        w._root_object[NameObject("/OpenAction")] = action(kind, **entries)

    return build


def _page_additional_action(w: PdfWriter) -> None:
    w.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("/JavaScript", JS="app.alert(1)")})


def _link_that_submits(w: PdfWriter) -> None:
    annotation = Link(rect=(10, 10, 100, 100), url="https://example.org")
    w.add_annotation(0, annotation)
    w.pages[0]["/Annots"][0].get_object()[NameObject("/A")] = action("/SubmitForm", F="https://evil.example")


def _document_javascript(w: PdfWriter) -> None:
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), action("/JavaScript", JS="app.alert(1)")])}
    )
    w._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})


def _xfa_form(w: PdfWriter) -> None:
    w._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp/>")}
    )


@pytest.mark.parametrize(
    "build",
    [
        _document_javascript,
        _open_action("/JavaScript", JS="app.alert(1)"),
        _open_action("/Launch", F="calc.exe"),
        _open_action("/GoToR", F="other.pdf"),
        _page_additional_action,
        _link_that_submits,
        lambda w: w.add_attachment("notes.txt", b"a file inside the PDF"),
        _xfa_form,
    ],
    ids=["names-javascript", "open-javascript", "open-launch", "open-remote", "page-aa", "submit", "embedded", "xfa"],
)
def test_a_pdf_with_scripts_actions_or_embedded_files_is_refused(build: Callable[[PdfWriter], None]):
    assert refusal(pdf(build)) == (
        "This PDF contains scripts or embedded files; save it again as a plain PDF or a picture and upload that."
    )


def test_active_content_spelt_with_escaped_names_is_refused_too():
    disguised = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    )
    plain = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    )
    assert check_upload(plain, limit=LIMIT) == {}
    assert "scripts or embedded files" in refusal(disguised)


def test_a_pdf_that_cannot_be_read_or_is_protected_is_refused_saying_what_to_do():
    def protect(w: PdfWriter) -> None:
        w.encrypt("secret", algorithm="RC4-128")

    assert "protected with a password" in refusal(pdf(protect))
    for broken in (
        b"%PDF-1.7\ngarbage",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        TINY_PDF[: len(TINY_PDF) // 2],
        b"%PDF-1.4\n<html><script>alert(1)</script></html>",
    ):
        assert "This PDF can't be read" in refusal(broken)
