"""Every page's address is its file's name. On a fresh server's first run Streamlit resolves
the address against the files of pages/ (see tests/e2e/test_first_visit_browser.py), so any
other url_path shows a false "Page not found" to the first visitor after a restart."""

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


def test_every_registered_page_is_addressed_by_its_file_name():
    source = APP.read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\(\s*"pages/([a-z_]+)\.py"(.*?)\)\n', source, flags=re.S)
    assert len(pages) >= 15, "app.py's pages could not be read"
    for stem, arguments in pages:
        url = re.search(r'url_path="([^"]*)"', arguments)
        if url is not None:
            assert url.group(1) == stem, f"pages/{stem}.py is published at /{url.group(1)}, not /{stem}"
