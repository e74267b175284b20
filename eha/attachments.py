"""The child's own work attached to their view: a photo or a drawing (PNG, JPEG) or a PDF.

The type is decided by the file's content, never by its name or by what the browser says, and
the content is decoded in full before it is kept: a picture is read by Pillow to its last pixel
(under a pixel limit, so a small file claiming a huge picture cannot exhaust memory) and kept
re-encoded, which leaves behind anything hidden after or beside the picture and its metadata
(EXIF with a phone's GPS location, text chunks, comments); a PDF is opened with pypdf and
refused if it carries anything that runs or launches (scripts, actions, embedded files, forms
that submit). Full decoding by maintained libraries, rather than checks of our own on the first
bytes, is what tells a picture from something dressed up as one.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PIL import ExifTags, Image, ImageOps, JpegImagePlugin
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from eha.errors import ValidationFailed
from eha.text import NAME_MAX

DEFAULT_LIMIT_BYTES = 10 * 1024 * 1024
# A 40 megapixel picture is bigger than any phone's photo and than any drawing's scan; decoded,
# it is at most 160 MB of memory. Checked from the header, before anything is decoded.
MAX_PIXELS = 40_000_000
# Objects a PDF may have for its checks to walk: far beyond a child's drawing or a letter.
MAX_PDF_OBJECTS = 200_000

PNG, JPEG, PDF = "image/png", "image/jpeg", "application/pdf"
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"%PDF-", PDF))
ACCEPTED_EXTENSIONS = ("png", "jpg", "jpeg", "pdf")

NOT_ACCEPTED = (
    "The file must be a photo or drawing saved as PNG or JPEG, or a PDF. "
    "This file's content is none of those, whatever its name says."
)
DAMAGED_PICTURE = (
    "This picture is damaged or is not really a PNG or JPEG picture: open it, save it again "
    "as PNG or JPEG, and upload that."
)
UNREADABLE_PDF = (
    "This PDF can't be read (it is damaged or is not really a PDF): save it again as a PDF or "
    "as a picture, and upload that."
)
PROTECTED_PDF = "This PDF is protected with a password: save a copy without the password and upload that."
ACTIVE_PDF = "This PDF contains scripts or embedded files; save it again as a plain PDF or a picture and upload that."

# What a PDF may not carry: scripts, actions that run, launch or submit, additional actions
# fired by events, embedded or attached files, rich media, XFA forms.
_ACTIVE_KEYS = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/RichMedia",
        "/RichMediaContent",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
    }
)
_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/GoToR",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/EmbeddedFile",
        "/FileAttachment",
        "/RichMedia",
        "/Screen",
        "/3D",
    }
)
_NAMING_KEYS = frozenset({"/S", "/Type", "/Subtype"})


def media_type_of(data: bytes) -> str | None:
    """PNG, JPEG or PDF by the file's signature; None for anything else. Only a first sorting:
    `accept_upload` decides whether the file really is one."""
    return next((media for magic, media in _SIGNATURES if data.startswith(magic)), None)


def clean_filename(name: str) -> str:
    """The name without any folder part or control characters, so it is safe to offer back."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:NAME_MAX] or "childs-work"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


@dataclass(frozen=True)
class Upload:
    """A file that may be kept: its type, and the content to keep (a picture re-encoded)."""

    media_type: str
    content: bytes


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _too_many_pixels(width: int, height: int) -> _Refused:
    return _Refused(
        f"The picture is {width:,} × {height:,} pixels; pictures can be at most "
        f"{MAX_PIXELS // 1_000_000} megapixels. Make it smaller (most phones and photo editors can "
        "resize a picture) and upload it again."
    )


def _decoded(data: bytes) -> Image.Image:
    """The picture read to its last pixel. Raises _Refused saying why it cannot be."""
    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(width, height)
            probe.verify()
        # verify() leaves the file unusable: decode a fresh one.
        image = Image.open(io.BytesIO(data), formats=("PNG", "JPEG"))
        image.load()
    except _Refused:
        raise
    except Image.DecompressionBombError:
        raise _Refused(
            f"The picture is too large; pictures can be at most {MAX_PIXELS // 1_000_000} megapixels. "
            "Make it smaller and upload it again."
        ) from None
    except Exception:
        # Whatever a damaged or disguised file makes the decoder raise, it is not a picture.
        raise _Refused(DAMAGED_PICTURE) from None
    return image


def _reencoded(image: Image.Image) -> tuple[str, bytes]:
    """The picture written afresh: PNG stays PNG, JPEG stays JPEG, and nothing else comes
    along (no EXIF, GPS, text chunks, comments or XMP). The colour profile is kept. A photo
    that a phone marked as turned is turned upright, since the mark goes with the EXIF."""
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    if image.format == "PNG":
        image.save(out, "PNG", icc_profile=icc)
        return PNG, out.getvalue()
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    if orientation in range(2, 9):
        upright = ImageOps.exif_transpose(image)
        upright.save(out, "JPEG", quality=95, icc_profile=icc, comment=b"")
    else:
        # The original's quantisation tables and subsampling: as little loss as re-encoding
        # allows. Spelt out rather than quality="keep", which Pillow refuses for the JPEGs many
        # phones write (MPO: a JPEG with a second picture after it, which is left behind).
        image.save(
            out,
            "JPEG",
            qtables=getattr(image, "quantization", None),
            subsampling=JpegImagePlugin.get_sampling(image),
            icc_profile=icc,
            comment=b"",
        )
    return JPEG, out.getvalue()


def _has_active_content(reader: PdfReader) -> bool:
    """True if anything reachable from the PDF's trailer runs, launches, submits or embeds."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    walked = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            raise _Refused(UNREADABLE_PDF)
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in _ACTIVE_KEYS:
                    return True
                if key in _NAMING_KEYS:
                    named = value.get_object() if isinstance(value, IndirectObject) else value
                    if isinstance(named, str) and named in _ACTIVE_NAMES:
                        return True
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return False


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _Refused(PROTECTED_PDF)
        if len(reader.pages) == 0:
            raise _Refused(UNREADABLE_PDF)
        for page in reader.pages:
            _ = page.mediabox
        active = _has_active_content(reader)
    except _Refused:
        raise
    except Exception:
        # Whatever a damaged or disguised file makes the parser raise, it cannot be read.
        raise _Refused(UNREADABLE_PDF) from None
    if active:
        raise _Refused(ACTIVE_PDF)


def accept_upload(data: bytes, *, limit: int) -> Upload:
    """The file as it may be kept. Raises ValidationFailed ('file' -> the message to show)."""
    if not data:
        raise ValidationFailed({"file": "The file is empty: choose the photo or drawing again."})
    if len(data) > limit:
        raise ValidationFailed({"file": f"The file is {_size(len(data))}; files must be {_size(limit)} or smaller."})
    sniffed = media_type_of(data)
    try:
        if sniffed in (PNG, JPEG):
            with _decoded(data) as image:
                media_type, content = _reencoded(image)
            return Upload(media_type, content)
        if sniffed == PDF:
            _check_pdf(data)
            return Upload(PDF, data)
    except _Refused as refused:
        raise ValidationFailed({"file": refused.message}) from None
    except Exception:
        raise ValidationFailed({"file": DAMAGED_PICTURE}) from None
    raise ValidationFailed({"file": NOT_ACCEPTED})


def check_upload(data: bytes, *, limit: int) -> dict[str, str]:
    """'file' -> the message to show, or empty when the file may be kept (see accept_upload)."""
    try:
        accept_upload(data, limit=limit)
    except ValidationFailed as refused:
        return refused.errors
    return {}


def picture_problem(data: bytes) -> str | None:
    """Why a stored picture cannot be shown (it was kept before pictures were decoded in full,
    or has been damaged since), or None when it can."""
    try:
        _decoded(data).close()
    except _Refused as refused:
        return refused.message
    return None


@dataclass(frozen=True)
class ChildWork:
    """An attached piece of the child's work, without its content."""

    id: str
    child_id: str
    filename: str
    media_type: str
    size: int
    uploaded_at: datetime
    uploaded_by: str

    @property
    def is_image(self) -> bool:
        return self.media_type in (PNG, JPEG)


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(text: str) -> bytes | None:
    """Base64 from an exported record; None when it is not valid base64."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
