"""A static check over app.py and the screens: none of them draws anything by a bare
expression on a line of its own (Streamlit's "magic"). .streamlit/config.toml turns magic off,
so a bare expression written to show something would show nothing."""

from __future__ import annotations

import ast
from pathlib import Path

from streamlit.runtime.scriptrunner import magic

from pages import _addresses

ROOT = Path(__file__).resolve().parents[2]


def magic_lines(path: Path) -> list[str]:
    """The statements magic would turn into st.write, as source."""
    source = path.read_text()
    rewritten = magic.add_magic(source, str(path))
    # The import of magic's helpers that add_magic puts at the top, whatever the script holds.
    rewritten.body = [
        n for n in rewritten.body if not (isinstance(n, ast.Import) and n.names[0].asname == magic.MAGIC_MODULE_NAME)
    ]
    original = ast.parse(source)
    changed = []
    for before, after in zip(ast.walk(original), ast.walk(rewritten), strict=False):
        if isinstance(before, ast.Expr) and isinstance(after, ast.Expr) and ast.dump(before) != ast.dump(after):
            changed.append(ast.unparse(before))
    return changed


def test_no_screen_relies_on_magic():
    scripts = [ROOT / "app.py", *(ROOT / a.path for a in _addresses.ALL)]
    found = {str(p.relative_to(ROOT)): magic_lines(p) for p in scripts}
    assert {p: lines for p, lines in found.items() if lines} == {}


def test_the_check_finds_a_bare_expression(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("import streamlit as st\nnames = ['a']\nnames\nst.title('x')\n")
    assert magic_lines(page) == ["names"]
