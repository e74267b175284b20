"""A static check over app.py and pages/: a screen's file path ("pages/x.py") is written only
in pages/_addresses.py. Every st.Page, st.page_link and st.switch_page names its screen from
there, so moving or renaming a screen is one edit, and a link cannot point at a path that no
longer exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "pages" / "_addresses.py"
PAGE_PATH = re.compile(r"pages/[^\s\"']*\.py\b")


def docstrings(tree: ast.Module) -> set[int]:
    """The ids of the constants that are docstrings (prose may name a file)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def page_paths(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string in the code that names a page file, whole or in parts."""
    tree = ast.parse(source)
    prose = docstrings(tree)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            if PAGE_PATH.search(node.value):
                hits.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            # f"pages/{name}.py": the pieces around the name.
            shown = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
            if PAGE_PATH.search(shown):
                hits.append((node.lineno, shown))
    return hits


def test_the_check_finds_a_page_path_however_it_is_written():
    assert page_paths('st.switch_page("pages/families.py")') == [(1, "pages/families.py")]
    assert page_paths('st.page_link(f"pages/{name}.py")') == [(1, "pages/x.py")]
    assert page_paths('"""Routes to pages/star.py."""\nX = 1') == []


def test_no_page_path_is_written_outside_the_addresses_module():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in files
        if path != HOME
        for line, text in page_paths(path.read_text(encoding="utf-8"))
    ]
    assert not found, "name the screen from pages/_addresses.py instead:\n" + "\n".join(found)
    assert page_paths(HOME.read_text(encoding="utf-8")), "pages/_addresses.py names no page"
