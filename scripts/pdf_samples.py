"""Every document the workbook makes, for the large demo family, as PDFs and as page pictures:
what a reviewer looks through to see how the documents read.

    .venv/bin/python scripts/pdf_samples.py FOLDER [--dpi 60]

The large family is loaded into a fresh temporary SQLite database through the services, as
`eha demo` loads it. Then every kind of document is made through `workbook.documents.make`:
the full assessment, each child's view, each professional's view, the family's copy (for the
family), each TAF meeting's minutes and the closure; all but the family's copy for the maker's
own records. Each PDF is written to FOLDER under the name the workbook gives it, and each of
its pages as a PNG beside it (poppler's `pdftoppm -r DPI -png`). FOLDER is made if need be;
files already in it with the same names are replaced.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from eha.documents import Audience, DocumentKind, Sending

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_family_db import load_large_family


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="where to write the PDFs and their pages' PNGs")
    parser.add_argument("--dpi", type=int, default=60, help="resolution of the page pictures (default 60)")
    args = parser.parse_args(argv)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdf_samples: pdftoppm is missing: install Debian's poppler-utils.", file=sys.stderr)
        return 1
    out: Path = args.folder
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="eha-samples-") as folder:
        loaded = load_large_family(Path(folder))
        try:
            workbook, actor = loaded.workbook, loaded.practitioner
            for choice in workbook.documents.choices(assessment_id=loaded.assessment_id, actor=actor):
                if choice.unavailable:
                    print(f"{choice.kind.label}: not made ({choice.unavailable})")
                    continue
                audience = Audience.FAMILY if choice.kind is DocumentKind.FAMILY else Audience.SELF
                for item in choice.items or (None,):
                    made = workbook.documents.make(
                        assessment_id=loaded.assessment_id,
                        kind=choice.kind,
                        item_id=item.id if item is not None else None,
                        sending=Sending(audience=audience),
                        actor=actor,
                    )
                    pdf = out / made.filename
                    pdf.write_bytes(made.content)
                    stem = out / pdf.stem
                    for old in out.glob(f"{pdf.stem}-*.png"):
                        old.unlink()
                    # Our own file names and a number: nothing from outside reaches the command line.
                    subprocess.run(  # noqa: S603
                        [pdftoppm, "-r", str(args.dpi), "-png", str(pdf), str(stem)], check=True, timeout=300
                    )
                    pictures = sorted(out.glob(f"{pdf.stem}-*.png"))
                    about = f": {item.label}" if item is not None else ""
                    count = f"{len(pictures)} page{'s' if len(pictures) != 1 else ''}"
                    size = f"{len(made.content):,} bytes"
                    print(f"{pdf}  {choice.kind.label}{about}, {audience.label.lower()}; {count}, {size}")
                    shown = pictures[0].name if len(pictures) == 1 else f"{pictures[0].name} to {pictures[-1].name}"
                    print(f"    its pages: {shown}")
        finally:
            loaded.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
