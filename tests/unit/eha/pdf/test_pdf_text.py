"""User text in the PDFs' paragraphs: escaped, line breaks kept, shaped only when it must be,
in DejaVu Sans (and its fallbacks), and the fonts' set-up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph

from eha.pdf import text
from eha.pdf.text import (
    FONT,
    FONT_BOLD,
    FONT_FILES,
    FONT_OBLIQUE,
    NOT_RECORDED,
    STYLES,
    FontsMissing,
    field,
    markup,
    needs_shaping,
    own,
    para,
    paras,
    register_fonts,
)
from tests.support.hostile import SAMPLES


def _printed(paragraph: Paragraph) -> str:
    """What the paragraph will draw, from its parsed fragments (line breaks as \\n)."""
    return "".join("\n" if getattr(f, "lineBreak", False) else getattr(f, "text", "") for f in paragraph.frags)


def _contrast(hex_colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


@pytest.mark.parametrize("sample", SAMPLES.values(), ids=SAMPLES)
def test_every_hostile_sample_parses_and_draws_only_its_own_characters(sample: str) -> None:
    paragraph = para(sample)
    drawn = _printed(paragraph)
    # Nothing was read as a tag: no picture, link or other callback, one colour throughout.
    assert not any(hasattr(f, "cbDefn") for f in paragraph.frags)
    assert {str(f.textColor) for f in paragraph.frags} <= {str(STYLES["body"].textColor)}
    for piece in ("<img src=/etc/passwd>", "<b>Mum</b>", "<b>&amp;</b>", "<script>alert(1)</script>", "&amp;"):
        if piece in sample:
            assert piece in drawn


def test_markup_escapes_tags_and_entities_and_keeps_line_breaks_and_spaces() -> None:
    assert markup("<b>x</b> & &amp;") == "&lt;b&gt;x&lt;/b&gt; &amp; &amp;amp;"
    assert markup("one\r\ntwo\nthree\rfour") == "one<br/>two<br/>three<br/>four"
    # An indent and a run of spaces survive reportlab's folding of white space.
    assert markup("\tx  y") == "\u00a0" * 4 + "x\u00a0 y"
    assert markup("bell\x07") == "bell\ufffd"


def test_img_and_font_tags_in_user_text_print_literally() -> None:
    paragraph = para("<img src=/etc/passwd> <font color=red>red</font> <b>bold</b>")
    assert _printed(paragraph) == "<img src=/etc/passwd> <font color=red>red</font> <b>bold</b>"
    assert {f.fontName for f in paragraph.frags} == {FONT}


def test_our_own_markup_picks_bold_and_oblique_from_the_family() -> None:
    paragraph = own("<b>Bold</b> plain <i>oblique</i>")
    fonts = {f.text.strip(): f.fontName for f in paragraph.frags if f.text.strip()}
    assert fonts == {"Bold": FONT_BOLD, "plain": FONT, "oblique": FONT_OBLIQUE}


def test_line_breaks_in_user_text_are_kept() -> None:
    assert _printed(para("line one\r\nline two\n\ttabbed")) == "line one\nline two\n" + "\u00a0" * 4 + "tabbed"
    # paras(): one paragraph per typed line, spaced as one paragraph.
    lines = paras("line one\r\nline two\n\nafter a blank line")
    assert [_printed(p) for p in lines] == ["line one", "line two", "\u00a0", "after a blank line"]
    assert [p.style.spaceAfter for p in lines] == [0, 0, 0, STYLES["body"].spaceAfter]


@pytest.mark.parametrize(
    ("sample", "shaped"),
    [
        ("مريم حداد", True),  # Arabic
        ("عائشہ خان", True),  # Urdu
        ("Zoë and مريم", True),
        ("ﻣﺮﻳﻢ", True),  # presentation forms
        ("Łukasz Żółć in the stadium", False),
        ("😀 <b>&amp;</b>", False),
        ("שלום", False),  # Hebrew: not Arabic script (para shapes it all the same, see below)
    ],
)
def test_needs_shaping_only_for_arabic_script(sample: str, shaped: bool) -> None:
    assert needs_shaping(sample) is shaped


def test_only_right_to_left_paragraphs_are_shaped_and_right_aligned() -> None:
    latin = para("first of the fifty stadium visits")
    arabic = para("مريم حداد مرحبا")
    hebrew = para("שלום עולם")
    mixed = para("Zoë met مريم")
    assert latin.style.shaping == 0  # HarfBuzz would join "st" into ﬆ
    assert arabic.style.shaping == 1 and hebrew.style.shaping == 1 and mixed.style.shaping == 1
    assert arabic.style.alignment == hebrew.style.alignment == 2  # TA_RIGHT
    assert latin.style.alignment == mixed.style.alignment == 0  # starts with a left-to-right letter


def test_field_shows_not_recorded_in_grey_italic_that_meets_contrast() -> None:
    for empty in ("", "   ", None):
        label, value = field("Worries", empty)
        assert _printed(label) == "Worries" and label.style.fontName == FONT_BOLD
        assert _printed(value) == NOT_RECORDED
        assert value.style.fontName == FONT_OBLIQUE
    assert _contrast(STYLES["empty"].textColor.hexval()[2:]) >= 4.5


def test_the_styles_are_dejavu_and_readable() -> None:
    assert {"title", "h1", "h2", "h3", "body", "small", "label", "cell", "cell_head", "empty"} <= set(STYLES)
    assert all(s.fontName.startswith("DejaVuSans") for s in STYLES.values())
    assert 10 <= STYLES["body"].fontSize <= 11
    assert STYLES["title"].fontSize > STYLES["h1"].fontSize > STYLES["h2"].fontSize > STYLES["h3"].fontSize
    with pytest.raises(KeyError, match="the styles are"):
        para("x", "no-such-style")


def test_register_fonts_is_idempotent() -> None:
    register_fonts()
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    assert {FONT, FONT_BOLD, FONT_OBLIQUE} <= set(pdfmetrics.getRegisteredFontNames())


def test_missing_fonts_name_the_debian_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "_registered", False)
    monkeypatch.setenv("EHA_PDF_FONT_DIR", str(tmp_path))
    with pytest.raises(FontsMissing, match="fonts-dejavu-core and fonts-dejavu-extra") as caught:
        register_fonts()
    # The folder named by the environment is the one looked in, and the message says so.
    assert f"{tmp_path}/DejaVuSans.ttf" in str(caught.value)
    assert "EHA_PDF_FONT_DIR" in str(caught.value)
    # Only the oblique faces missing: only the package that ships them is named.
    for name in (FONT, FONT_BOLD):
        file = FONT_FILES[name][0]
        shutil.copy(text.DEFAULT_FONT_DIR / file, tmp_path / file)
    with pytest.raises(FontsMissing) as caught:
        register_fonts()
    assert "fonts-dejavu-extra" in str(caught.value) and "fonts-dejavu-core" not in str(caught.value)
