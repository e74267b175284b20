"""Whole PDFs built with the layout API and read back as a reader's programs read them:
poppler (pdftotext, pdffonts, pdfinfo) and pypdf. Hostile text prints as typed wherever it
goes; every page carries its marking, reference, page number and who generated it."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from xml.sax.saxutils import escape

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable, Paragraph

from eha.pdf.layout import DRAFT_MARK, MARKING, Frame, heading, picture, render, table
from eha.pdf.text import STYLES, fallbacks, field, para
from tests.support import in_ci
from tests.support.hostile import HOSTILE, LONG, SAMPLES
from tests.support.poppler import fold, pages_text, pdffonts, pdfinfo, pdftotext
from tests.unit.eha.pdf.conftest import MakeFrame, build_frame

pytestmark = pytest.mark.usefixtures("poppler")

NAMES = (
    "Łukasz Żółć",
    "Ștefan Țară",
    "İsmail Çağrı Şahin",
    "Ελένη Παπαδοπούλου",
    "Nguyễn Thị Hồng",
    "Дмитрий Иванов",
)
ARABIC = "مريم حداد مرحبا، هذه ملاحظة"
URDU = "عائشہ خان یہ ایک نوٹ ہے"
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def assert_printed(sample: str, extracted: str) -> None:
    """`sample` is in the extracted text as typed, after folding (see tests.support.poppler).

    Right-to-left text is compared word by word, in the order typed, and its punctuation by
    count: poppler puts a neutral mark (the comma after an Arabic word) on the side it is
    drawn, which in a right-to-left run is before the word in drawing order."""
    if sample == LONG:
        # Broken into lines and pages, with each page's header and footer between them.
        assert fold(extracted).count(LONG[0]) == len(LONG)
        return
    if not _RTL.search(sample):
        assert fold(sample) in fold(extracted)
        return
    want, got = _words(sample), _words(extracted)
    assert any(got[i : i + len(want)] == want for i in range(len(got) - len(want) + 1)), (want, got)
    marks = Counter(ch for ch in fold(sample) if not ch.isspace() and not re.match(r"\w", ch))
    have = Counter(fold(extracted))
    assert all(have[ch] >= n for ch, n in marks.items()), marks


def _render(story: list[Flowable], **frame: object) -> bytes:
    return render(build_frame(**frame), story)


PLACES: dict[str, Callable[[str], list[Flowable]]] = {
    "answer": lambda s: field("Answer", s),
    "heading": lambda s: heading(s, 2),
    "table-cell": lambda s: [table(["Who", "Said"], [["Mum", s]])],
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("sample", SAMPLES.values(), ids=SAMPLES)
def test_every_hostile_sample_prints_as_typed(sample: str, place: str) -> None:
    pdf = _render(PLACES[place](sample))
    assert_printed(sample, pdftotext(pdf))
    # A second reader, pypdf, reads the same; but it gives right-to-left runs in the order
    # they are drawn (visual: the last word first) and runs an Arabic word into the next
    # Latin one, so only left-to-right samples are compared through it.
    if not _RTL.search(sample):
        extracted = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert_printed(sample, extracted)


def test_markup_in_user_text_fetches_nothing_and_styles_nothing() -> None:
    pdf = _render(field("<b>Label</b>", "<img src=/etc/passwd> <font color=red>red</font> <b>&amp;</b>"))
    assert "<img src=/etc/passwd> <font color=red>red</font> <b>&amp;</b>" in pdftotext(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    resources = reader.pages[0]["/Resources"]
    assert "/XObject" not in resources or all(
        x.get_object()["/Subtype"] != "/Image" for x in resources["/XObject"].values()
    )
    # One face only for the answer: <b> in it drew nothing bold (the label is bold: our own).
    assert not any("Oblique" in f["name"] for f in pdffonts(pdf))


def test_names_with_diacritics_print_intact() -> None:
    pdf = _render([*heading(NAMES[0], 1), *(para(n) for n in NAMES), table(["Name"], [[n] for n in NAMES])])
    text = pdftotext(pdf)
    for name in NAMES:
        assert text.count(name) >= 2 if name != NAMES[0] else text.count(name) >= 3


def _unshaped(sample: str) -> Paragraph:
    # As reportlab draws it without shaping=1 (the default): letters unjoined.
    return Paragraph(escape(sample), STYLES["body"])


def test_arabic_is_joined() -> None:
    shaped = fold(pdftotext(_render([para(ARABIC)])))
    unshaped = pdftotext(_render([_unshaped(ARABIC)]))
    # The joined letters are drawn with their initial, medial and final forms, which poppler
    # reads back as Unicode's presentation forms; unjoined, only the letters' own forms.
    assert _PRESENTATION.search(pdftotext(_render([para(ARABIC)])))
    assert not _PRESENTATION.search(unshaped)
    assert_printed(ARABIC, shaped)


def _require_fallback(name: str) -> None:
    if name in fallbacks():
        return
    message = f"The fallback font {name} is not installed: bash scripts/setup.sh installs it."
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _glyphs_drawn(pdf: bytes, font: str) -> int:
    """How many different glyphs for Arabic-script letters the PDF draws from `font`: the
    entries of its subsets' ToUnicode maps that give such letters."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    count = 0
    for ref in page["/Resources"]["/Font"].values():
        entry = ref.get_object()
        if font in entry["/BaseFont"]:
            cmap = entry["/ToUnicode"].get_object().get_data().decode("latin-1")
            entries = cmap.split("beginbfchar", 1)[1].split("endbfchar", 1)[0]
            for target in re.findall(r"^<[0-9A-F]+> <([0-9A-F]+)>$", entries, re.M):
                count += bool(_RTL.search(bytes.fromhex(target).decode("utf-16-be")))
    assert count, f"no Arabic-script glyphs drawn from {font}"
    return count


def test_urdu_is_joined_has_every_letter_and_copies_out_as_typed() -> None:
    _require_fallback("Scheherazade")
    pdf = _render([para(URDU)])
    # DejaVu Sans has no heh goal (ہ) or yeh barree (ے): the Urdu words are set in Scheherazade.
    assert any("Scheherazade" in f["name"] for f in pdffonts(pdf))
    # Joined: a letter takes a different glyph at the start, middle and end of a word (ی in
    # یہ and ایک, ہ in عائشہ and یہ), so more glyphs are drawn than there are letters;
    # unjoined, one glyph a letter.
    letters = {ch for ch in URDU if not ch.isspace()}
    assert _glyphs_drawn(pdf, "Scheherazade") > len(letters)
    unshaped = Paragraph(f'<font name="Scheherazade">{escape(URDU)}</font>', STYLES["body"])
    assert _glyphs_drawn(_render([unshaped]), "Scheherazade") == len(letters)
    # The joined forms have no character of their own in the font: the PDF maps each back to
    # the letters it was shaped from, so copying gives the text as typed.
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert URDU in text
    # poppler reads every letter too, though not in one line: the font lifts some joined
    # letters above the baseline, and poppler starts a new line there.
    got = Counter(fold(pdftotext(pdf)))
    assert all(got[ch] >= n for ch, n in Counter(URDU.replace(" ", "")).items())


def test_emoji_print_and_copy_out_as_themselves() -> None:
    _require_fallback("Symbola")
    sample = SAMPLES["emoji"]
    pdf = _render(field("Answer", sample))
    assert_printed(sample, pdftotext(pdf))
    assert any("Symbola" in f["name"] for f in pdffonts(pdf))


def _long_story() -> list[Flowable]:
    story: list[Flowable] = [*heading("Family of " + NAMES[0], 1)]
    for section in range(1, 13):
        story += heading(f"Section {section}", 2)
        story += heading(f"About {NAMES[section % len(NAMES)]}", 3)
        story += field("What is working well", "The family keep to the new routine. " * 60)
        story += field("Worries", "")
    return story


def test_every_page_carries_marking_reference_generator_and_page_x_of_y() -> None:
    name = "Zoë <b>&amp; مريم"
    pdf = _render(_long_story(), generated_by=name)
    pages = pages_text(pdf)
    total = len(pages)
    assert total >= 5
    assert int(pdfinfo(pdf)["Pages"]) == total
    for number, page in enumerate(pages, start=1):
        assert MARKING in page and "EH-7K3Q9D" in page
        assert f"Page {number} of {total}" in page
        # 13:05 UTC on 2 July is 14:05 in England (BST); the name as typed.
        assert_printed(f"Generated 2 July 2026 14:05 by {name}", page)


def test_generated_time_is_englands_in_winter_too() -> None:
    from datetime import UTC, datetime

    pdf = _render([para("x")], generated_at=datetime(2026, 1, 9, 8, 30, tzinfo=UTC))
    assert "Generated 9 January 2026 08:30 by Sam Practitioner" in pdftotext(pdf)


def test_only_embedded_fonts_are_used() -> None:
    story = [*_long_story(), table(["A", "B"], [["1", HOSTILE]]), *field("Emoji", SAMPLES["emoji"])]
    pdf = _render(story, draft=True, generated_by=HOSTILE)
    fonts = pdffonts(pdf)
    assert fonts, "no fonts listed"
    assert all(f["emb"] == "yes" for f in fonts), fonts
    assert not any("Helvetica" in f["name"] for f in fonts)


@pytest.mark.parametrize("draft", [True, False])
def test_the_draft_mark_is_on_every_page_of_a_draft_only(draft: bool) -> None:
    pdf = _render(_long_story(), draft=draft)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 5
    for page in pages:
        assert (DRAFT_MARK in page.extract_text()) is draft


def test_headings_are_in_the_outline_pointing_at_their_pages() -> None:
    child = "<i>Jo</i> & مريم\nBrown \u202eevil\u202c"
    story = [*heading("Family", 1), *heading(child, 2)]
    story += field("Long", "Words fill pages. " * 900)
    story += heading("Plan", 1)
    story += heading("Jumps straight to level 3", 3)  # filed under "Plan"
    pdf = _render(story)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.page_mode == "/UseOutlines"
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["Family", "Plan"]
    family_children, plan_children = (item for item in outline if isinstance(item, list))
    assert [c.title for c in family_children] == ["<i>Jo</i> & مريم Brown evil"]
    assert [c.title for c in plan_children] == ["Jumps straight to level 3"]
    plan = next(item for item in outline if not isinstance(item, list) and item.title == "Plan")
    plan_page = reader.get_destination_page_number(plan)
    assert plan_page > 0
    assert "Plan" in pages_text(pdf)[plan_page]


def test_metadata_names_the_document_and_no_person() -> None:
    pdf = _render([para("x")], generated_by="Sam Practitioner")
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert info.title == "Early Help Assessment · EH-7K3Q9D"
    assert info.subject and "EH-7K3Q9D" in info.subject
    assert info.creator == "EHA workbook"
    assert info.author == "EHA workbook"
    assert not any("Sam" in str(value) for value in info.values())
    assert pdfinfo(pdf)["Title"] == "Early Help Assessment · EH-7K3Q9D"


def test_a_table_over_several_pages_repeats_its_header() -> None:
    rows = [[f"Person {n}", "Social worker", "Visits weekly and calls on Fridays. " * 3] for n in range(120)]
    pdf = _render([table(["Name", "Role", "Notes"], rows, widths=[1, 1, 2])])
    pages = pages_text(pdf)
    assert len(pages) >= 3
    for page in pages:
        assert re.search(r"Name\s+Role\s+Notes", page)
    text = pdftotext(pdf)
    assert all(f"Person {n}\n" in text or f"Person {n} " in text for n in range(120))


def test_a_fifty_thousand_character_answer_runs_over_pages() -> None:
    pdf = _render(field("Answer", LONG))
    assert len(pages_text(pdf)) > 10
    assert "".join(fold(pdftotext(pdf)).split()).count("Ω") == 50_000


def test_a_fifty_thousand_character_table_cell_runs_over_pages_with_its_header() -> None:
    pdf = _render([table(["Who", "Said"], [["Mum", LONG], ["Dad", "short"]])])
    pages = pages_text(pdf)
    assert len(pages) > 10
    assert all(re.search(r"Who\s+Said", page) for page in pages)
    assert "".join(fold(pdftotext(pdf)).split()).count("Ω") == 50_000
    assert "Dad" in pages[-1] and "short" in pages[-1]


def test_long_answers_with_many_lines_keep_every_line() -> None:
    answer = "\n".join(f"Line {n}: {SAMPLES['accents']}" for n in range(1, 2001))
    pdf = _render(field("Answer", answer))
    text = pdftotext(pdf)
    assert all(f"Line {n}: Zoë" in text for n in range(1, 2001))


def test_the_same_frame_and_story_give_the_same_bytes(make_frame: MakeFrame) -> None:
    frame: Frame = make_frame(draft=True)
    assert render(frame, _long_story()) == render(frame, _long_story())


def test_a_picture_and_its_caption_print() -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 30, 30)).save(out, format="PNG")
    caption = "drawing <img src=/etc/passwd> & مريم.png"
    pdf = _render(picture(out.getvalue(), caption=caption))
    assert_printed(caption, pdftotext(pdf))
    images = [
        x.get_object()
        for x in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"].values()
        if x.get_object()["/Subtype"] == "/Image"
    ]
    assert [(i["/Width"], i["/Height"]) for i in images] == [(1200, 800)]


def test_a_text_only_story_has_no_unicode_surprises() -> None:
    # A lone surrogate (half an emoji from a broken paste) prints as the replacement sign.
    pdf = _render(field("Answer", "before \ud83d after"))
    assert "before \ufffd after" in unicodedata.normalize("NFC", pdftotext(pdf))


def test_a_header_too_tall_to_repeat_is_shown_once_whole() -> None:
    pdf = _render([table([LONG[:6000], "Said"], [["Mum", "yes"], ["Dad", "no"]])])
    text = fold(pdftotext(pdf))
    assert text.count("Ω") == 6000
    assert "Mum yes" in text and "Dad no" in text


def test_a_drawing_whose_strings_name_no_font_is_in_dejavu() -> None:
    from reportlab.graphics.shapes import Drawing, String

    from eha.pdf.text import register_fonts

    register_fonts()  # before the drawing is made: a String takes its font when it is made
    chart = Drawing(200, 50)
    chart.add(String(10, 20, "Family Star Plus: Łukasz"))
    pdf = _render([chart])
    assert "Family Star Plus: Łukasz" in pdftotext(pdf)
    fonts = pdffonts(pdf)
    assert fonts and all("DejaVu" in f["name"] and f["emb"] == "yes" for f in fonts), fonts


@pytest.mark.parametrize("word", ["مريم.png", "مريم-Smith", "Smith-مريم", "مريم123", "ملاحظة2026", "١٢٣", "مريم١٢٣"])
def test_a_word_joining_arabic_to_latin_letters_or_digits_keeps_each_in_its_order(word: str) -> None:
    # HarfBuzz shapes a word in one direction: shaped whole, "png" would print "gnp".
    pdf = _render([para(f"Jo drew {word} today")])
    text = fold(pdftotext(pdf))
    # Arabic-Indic digits, like European ones, read left to right: HarfBuzz took them as
    # Arabic script and drew them backwards.
    latin = re.sub("[\u0600-\u065f\u066a-\u06ff]", "", word).strip(".-")
    assert latin in text and latin[::-1] not in text
    assert_printed(f"Jo drew {word} today", text)
