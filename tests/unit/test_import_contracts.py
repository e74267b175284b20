"""The contract type that brings the single-file entry points (app.py, serve.py, cli.py) under
the import contracts (scripts/import_contracts.py), tried on a small project of its own: a
script's own import of a protected module breaks it, wherever in the file the import is; an
import through the allowed package keeps it."""

from __future__ import annotations

import importlib
from pathlib import Path

import grimp
import pytest

from scripts.import_contracts import ProtectedWithScripts, add_script_imports

SERVICE = """\
import json

from sqlalchemy import select
from toystore import tables


def open_it() -> object:
    return select, tables, json
"""


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> list[tuple[str, str, tuple[int, ...]]]:
    """Lay out toystore (services over tables and SQLAlchemy) beside toyscript.py; check that
    only toystore reaches toystore.tables and SQLAlchemy. Returns the illegal imports."""
    (tmp_path / "toystore").mkdir()
    (tmp_path / "toystore" / "__init__.py").write_text("")
    (tmp_path / "toystore" / "tables.py").write_text("import sqlalchemy\n\nROWS = sqlalchemy\n")
    (tmp_path / "toystore" / "services.py").write_text(SERVICE)
    (tmp_path / "toyscript.py").write_text(script)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    graph = grimp.build_graph("toystore", include_external_packages=True, cache_dir=None)
    contract = ProtectedWithScripts(
        name="Only toystore reaches SQL",
        session_options={},
        contract_options={
            "scripts": ["toyscript"],
            "protected_modules": ["sqlalchemy", "toystore.tables"],
            "allowed_importers": ["toystore"],
        },
    )
    result = contract.check(graph, verbose=False)
    links = [
        (link["importer"], link["imported"], link["line_numbers"])
        for broken in result.metadata.get("illegal_imports", [])
        for link in broken.illegal_links
    ]
    assert result.kept is (not links)
    return links


def test_a_script_importing_a_protected_module_breaks_the_contract_wherever_the_import_is(tmp_path, monkeypatch):
    script = """\
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from toystore.tables import ROWS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def main() -> None:
    import sqlalchemy

    print(argparse, ROWS, sqlalchemy)
"""
    assert sorted(check(tmp_path, monkeypatch, script)) == [
        ("toyscript", "sqlalchemy", (9, 13)),
        ("toyscript", "toystore.tables", (6,)),
    ]


def test_a_script_reaching_them_through_the_service_module_keeps_the_contract(tmp_path, monkeypatch):
    script = "import toystore.services\nfrom toystore import services\nfrom toystore.services import open_it\n"
    assert check(tmp_path, monkeypatch, script) == []


def test_a_package_named_as_a_script_is_refused(tmp_path, monkeypatch):
    (tmp_path / "toypackage").mkdir()
    (tmp_path / "toypackage" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    with pytest.raises(ValueError, match="not a single-file module"):
        add_script_imports(grimp.ImportGraph(), "toypackage")
