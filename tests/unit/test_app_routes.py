"""Every page's address is its file's name. On a fresh server's first run Streamlit resolves
the address against the files of pages/ (see tests/e2e/test_first_visit_browser.py), so any
other url_path shows a false "Page not found" to the first visitor after a restart.

The addresses are named once, in pages/_addresses.py; app.py registers each of them."""

import ast
from pathlib import Path

from pages import _addresses

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


def test_every_address_is_a_page_file_published_at_its_file_name():
    assert len(_addresses.ALL) >= 15, "pages/_addresses.py's pages could not be read"
    for address in _addresses.ALL:
        path = Path(address.path)
        assert path.parent == Path("pages") and (ROOT / path).is_file(), address.path
        assert address.url_path == path.stem, f"{address.path} is published at /{address.url_path}, not /{path.stem}"
    assert len({a.path for a in _addresses.ALL}) == len(_addresses.ALL)


def test_every_page_file_has_an_address():
    screens = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")}
    assert screens == {a.path for a in _addresses.ALL}


def test_app_registers_every_address_with_its_own_url_path():
    """app.py builds each st.Page from an address, giving it that address's url_path."""
    calls = [
        node
        for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page"
    ]
    assert calls, "app.py registers no st.Page"
    for call in calls:
        page = call.args[0]
        url = next((k.value for k in call.keywords if k.arg == "url_path"), None)
        assert isinstance(page, ast.Attribute) and page.attr == "path", ast.unparse(call)
        assert isinstance(page.value, ast.Name), ast.unparse(call)
        assert isinstance(url, ast.Attribute) and url.attr == "url_path", ast.unparse(call)
        assert isinstance(url.value, ast.Name) and url.value.id == page.value.id, ast.unparse(call)
    assert "_addresses.ALL" in ast.unparse(ast.parse(APP.read_text(encoding="utf-8")))
