"""How long the full assessment PDF of the large demo family takes, against a minimal reportlab
document holding the same text. A benchmark that prints figures, never a test:

    .venv/bin/python scripts/bench_pdf.py [--runs 10] [--profile]

The large family is loaded into a fresh temporary SQLite database through the services, as
`eha demo` loads it. Then, each timed after one warm-up run and reported as the median of
`--runs` runs:

- make: `workbook.documents.make(kind=FULL, sending=SELF)`, the whole service call (read the
  assessment, draw the PDF, write the audit entry);
- render: `eha.pdf.render_document` for the DocumentSource that call drew from;
- minimal: the text of that PDF (extracted with pypdf, a paragraph per line) in a plain
  SimpleDocTemplate, every Paragraph in one font (DejaVu Sans, as the documents use).

The target (from the project's issue): render at most 2x the minimal document, and well under
a second. `--profile` adds cProfile's view of one render: the calls that take the most time.

The minimal document is built with reportlab here, outside `eha.pdf`, on purpose: it is the
yardstick, not a document of the workbook.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

import storage.documents_service as documents_service
from eha.documents import Audience, DocumentKind, DocumentSource, Sending
from eha.pdf import render_document
from eha.pdf.text import FONT, register_fonts

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_family_db import load_large_family

TARGET_RATIO = 2.0
TARGET_SECONDS = 1.0


@dataclass(frozen=True)
class Timing:
    median: float  # seconds
    fastest: float  # seconds: the least disturbed by whatever else the machine is doing

    def __str__(self) -> str:
        return f"{self.median * 1000:8.1f} ms (fastest {self.fastest * 1000:6.1f})"


def timed(work: Callable[[], Any], runs: int) -> tuple[Timing, Any]:
    """The median and fastest wall-clock time of `runs` calls of `work` after one warm-up call,
    and what the last call returned."""
    result = work()  # warm-up: fonts, caches, first imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return Timing(statistics.median(times), min(times)), result


def source_of_full_pdf(make: Callable[[], bytes]) -> DocumentSource:
    """The DocumentSource the service draws the full assessment from, caught on its way to
    `render_document` during one real `make`."""
    with mock.patch.object(documents_service, "render_document", wraps=render_document) as spy:
        make()
    source: DocumentSource = spy.call_args.args[0]
    return source


def text_lines(pdf: bytes) -> list[str]:
    """Every line of text in `pdf`, page by page, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(pdf))
    return [line for page in reader.pages for line in (page.extract_text() or "").splitlines() if line.strip()]


def minimal_document(lines: list[str]) -> bytes:
    """The same text in the plainest reportlab document: A4, one font, a paragraph per line."""
    register_fonts()
    style = ParagraphStyle("plain", fontName=FONT, fontSize=10.5, leading=14.5)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, invariant=1)
    doc.build([Paragraph(escape(line), style) for line in lines])
    return out.getvalue()


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each, after one warm-up (default 10)")
    parser.add_argument("--profile", action="store_true", help="also profile one render with cProfile")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    one, five, _ = os.getloadavg()
    print(f"{os.cpu_count()} CPUs, load average {one:.2f} (1 min), {five:.2f} (5 min): other work slows every figure.")
    with tempfile.TemporaryDirectory(prefix="eha-bench-") as folder:
        started = time.perf_counter()
        loaded = load_large_family(Path(folder))
        print(f"Loaded the large family into a fresh SQLite database in {time.perf_counter() - started:.2f} s.")
        try:

            def make() -> bytes:
                return loaded.workbook.documents.make(
                    assessment_id=loaded.assessment_id,
                    kind=DocumentKind.FULL,
                    sending=Sending(audience=Audience.SELF),
                    actor=loaded.practitioner,
                ).content

            source = source_of_full_pdf(make)
            make_s, _ = timed(make, runs)
            render_s, rendered = timed(lambda: render_document(source), runs)
            lines = text_lines(rendered)
            minimal_s, minimal = timed(lambda: minimal_document(lines), runs)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(render_document, source)
        finally:
            loaded.dispose()

    ratio = render_s.median / minimal_s.median
    print(f"Full assessment PDF, for own records, {runs} runs each after a warm-up (median, and fastest):")
    print(f"  make (service call)  {make_s}")
    print(f"  render_document      {render_s}   {pages(rendered):3d} pages  {len(rendered):>9,} bytes")
    print(f"  minimal reportlab    {minimal_s}   {pages(minimal):3d} pages  {len(minimal):>9,} bytes")
    print(f"  (the same text: {len(lines):,} lines, {sum(len(x) for x in lines):,} characters)")
    print(
        f"  ratio render/minimal {ratio:8.2f}x (fastest {render_s.fastest / minimal_s.fastest:.2f}x); "
        f"target: at most {TARGET_RATIO:.0f}x, and under {TARGET_SECONDS:.0f} s"
    )
    met = ratio <= TARGET_RATIO and render_s.median < TARGET_SECONDS
    print("  target met" if met else "  target MISSED")
    if args.profile:
        print("\ncProfile of one render_document, by own time (tottime):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)
        print("cProfile of one render_document, by cumulative time, eha/ only:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(r"/eha/", 25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
