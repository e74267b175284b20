"""Hostile text: what people type that looks like something other than text. Every store, rule
and screen must keep it, and show it, exactly as typed. The one corpus every test takes it from.

- `HOSTILE`: one line with a piece of every kind below, short enough for a name (200).
- `LONG`: 50,000 characters, as pasted from elsewhere.
- `MARKDOWN` and `MARKDOWN_CONSTRUCTS`: every markdown construct a name could smuggle in, and
  the pieces of it that would show if a screen read it as markdown.
- `SAMPLES`: each kind on its own, by what it tries (`HOSTILE` and `LONG` among them), for a
  test to take every one: `@pytest.mark.parametrize("text", SAMPLES.values(), ids=SAMPLES)`.
"""

from __future__ import annotations

from typing import Final

HOSTILE: Final = (
    "<script>alert(1)</script> <b>&amp;</b> & &amp; <img src=x onerror=alert(1)> *Jo* **bold** "
    "[x](javascript:alert(1)) `code` :red[x] $x$ 😀👨‍👩‍👧 مريم حداد \u202eevil\u202c "
    "Łukasz Ștefan Nguyễn Zoë \\ ' \" %_ "
)
LONG: Final = "Ω" * 50_000

# Emphasis, a script link, HTML, code, a heading, a character reference, a colour directive
# and maths.
MARKDOWN: Final = "*Jo* [x](javascript:alert(1)) <b>x</b> `code` # heading &amp; :red[red] $x$"
MARKDOWN_CONSTRUCTS: Final = ("*Jo*", "](javascript:", "<b>", "`code`", "&amp;", ":red[", "$x$")

SAMPLES: Final[dict[str, str]] = {
    "one-line-mix": HOSTILE,
    "html-that-runs": "<script>alert(1)</script> <script>alert('x')</script> <img src=x onerror=alert(1)> "
    "<img src=/etc/passwd>",
    "html-that-formats": "<b>Mum</b> & <b>&</b> <b>&amp;</b> <i>x</i>",
    "markdown": MARKDOWN,
    "more-markdown": "**not bold** [link](http://example.org) :red[x] $x^2$",
    "emoji": "😀 👨‍👩‍👧 We 💙 the new routine",
    "right-to-left": "مريم حداد مرحبا، هذه ملاحظة",
    "direction-overrides": "\u202eevil\u202c and one left open: \u202eright-to-left override",
    "accents": "Zoë Łukasz Ștefan Nguyễn Ó Briain",
    "quotes-and-sql": "\\ ' \" %_ \"quotes\" 'x'; DROP TABLE t;--",
    "spreadsheet-formula": '=HYPERLINK("http://x")',
    "line-breaks-and-tabs": "line one\r\nline two\n\ttabbed  ",
    "empty": "",
    "fifty-thousand-characters": LONG,
}
