from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_importing_star_loads_no_ui_database_pdf_or_plotly_code() -> None:
    # Only star.chart may bring in plotly; the rest must stay importable from anywhere.
    code = (
        "import sys, star, star.areas, star.config, star.reading, star.progress, star.styles, star.table\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules}"
        " & {'plotly', 'streamlit', 'sqlalchemy', 'reportlab'})\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
