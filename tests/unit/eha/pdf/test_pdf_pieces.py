"""The layout pieces' rules: pictures fit, tables refuse what they cannot show, frames want an
aware time, and a PDF leaves the workbook only with a password (AES-256) when asked."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from PIL import Image as PillowImage
from pypdf import PdfReader
from reportlab.platypus import Image, KeepTogether

from eha.pdf.layout import TEXT_HEIGHT, TEXT_WIDTH, encrypt, heading, page_count, picture, render, table
from eha.pdf.text import para
from tests.support.poppler import PopplerFailed, pdfinfo, pdftotext, require_poppler
from tests.unit.eha.pdf.conftest import MakeFrame, build_frame


def _image(width: int, height: int, kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", (width, height), (30, 120, 200)).save(out, format=kind)
    return out.getvalue()


def _drawn(flowables: list) -> Image:
    (kept,) = flowables
    assert isinstance(kept, KeepTogether)
    return next(f for f in kept._content if isinstance(f, Image))


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_large_picture_is_made_to_fit_the_text_width_keeping_its_proportions(kind: str) -> None:
    image = _drawn(picture(_image(4000, 3000, kind), caption="photo.jpg"))
    assert image.drawWidth == pytest.approx(TEXT_WIDTH)
    assert image.drawHeight / image.drawWidth == pytest.approx(3000 / 4000)


def test_a_tall_picture_fits_a_page_and_the_given_limits() -> None:
    tall = _drawn(picture(_image(500, 9000), caption="scroll.png"))
    assert tall.drawHeight < TEXT_HEIGHT
    assert tall.drawWidth / tall.drawHeight == pytest.approx(500 / 9000)
    small = _drawn(picture(_image(4000, 3000), caption="x.png", max_width=200, max_height=100))
    assert small.drawWidth <= 200 and small.drawHeight <= 100
    assert small.drawHeight == pytest.approx(100)


def test_a_small_picture_is_not_enlarged() -> None:
    image = _drawn(picture(_image(96, 48), caption="icon.png"))
    assert (image.drawWidth, image.drawHeight) == (pytest.approx(72), pytest.approx(36))


@pytest.mark.parametrize("data", [b"", b"GIF89a....", b"%PDF-1.4", b"\x89PNG\r\n\x1a\nnot really"])
def test_only_readable_png_and_jpeg_are_pictures(data: bytes) -> None:
    with pytest.raises(ValueError, match="PNG or JPEG"):
        picture(data, caption="x")


def test_a_table_refuses_rows_wider_than_its_header_and_bad_widths() -> None:
    with pytest.raises(ValueError, match="Row 2 has 3 cells"):
        table(["A", "B"], [["1", "2"], ["1", "2", "3"]])
    with pytest.raises(ValueError, match="2 positive numbers"):
        table(["A", "B"], [], widths=[1])
    with pytest.raises(ValueError, match="positive"):
        table(["A", "B"], [], widths=[1, 0])
    with pytest.raises(ValueError, match="at least one column"):
        table([], [])


def test_a_table_fills_short_rows_and_shares_the_width() -> None:
    made = table(["A", "B", "C"], [["1"], [None, 2, "x"]], widths=[1, 2, 1])
    assert [round(w, 3) for w in made._argW] == [round(TEXT_WIDTH * f, 3) for f in (0.25, 0.5, 0.25)]
    assert made.repeatRows == 1
    assert len(made._cellvalues[1]) == 3


def test_a_heading_level_is_one_to_three() -> None:
    for level in (1, 2, 3):
        assert heading("x", level)
    with pytest.raises(ValueError, match="1, 2 or 3"):
        heading("x", 4)


def test_a_frame_wants_an_aware_time(make_frame: MakeFrame) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_frame(generated_at=datetime(2026, 7, 2, 13, 5))  # naive, on purpose


def test_page_count_reads_pdfs_and_nothing_else() -> None:
    pdf = render(build_frame(), [para("one"), *heading("two", 1)])
    assert page_count(pdf) == 1
    assert page_count(b"not a pdf") is None
    assert page_count(b"") is None
    assert page_count(pdf[: len(pdf) // 3]) in (None, 1)  # damaged: never an exception
    assert page_count(encrypt(pdf, "correct horse")) is None


def test_an_empty_password_is_refused() -> None:
    pdf = render(build_frame(), [para("x")])
    with pytest.raises(ValueError, match="password"):
        encrypt(pdf, "")


def test_an_encrypted_pdf_opens_only_with_its_password() -> None:
    require_poppler()
    secret = "Corr3ct horse £ battery"
    pdf = encrypt(render(build_frame(), [para("Family notes for Łukasz")]), secret)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    # AES-256: the standard security handler's version 5, revision 6.
    encryption = reader.trailer["/Encrypt"].get_object()
    assert (encryption["/V"], encryption["/R"]) == (5, 6)
    assert not reader.decrypt("wrong")
    assert reader.decrypt(secret)
    assert "Family notes for Łukasz" in reader.pages[0].extract_text()
    # poppler, as a reader's PDF viewer: opens with the password, not without.
    assert "Family notes for Łukasz" in pdftotext(pdf, password=secret)
    encrypted = pdfinfo(pdf, password=secret)["Encrypted"]
    assert encrypted.startswith("yes") and "AES-256" in encrypted
    with pytest.raises(PopplerFailed, match="Incorrect password"):
        pdfinfo(pdf)
    with pytest.raises(PopplerFailed):
        pdftotext(pdf)
    with pytest.raises(PopplerFailed):
        pdftotext(pdf, password="wrong")


def test_missing_poppler_skips_here_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support import poppler

    monkeypatch.setattr(poppler.shutil, "which", lambda tool: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="poppler-utils"):
        require_poppler()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_poppler()
