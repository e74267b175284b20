"""An import-linter contract type that also checks the single-file entry points.

import-linter builds its graph from packages only: app.py, serve.py and cli.py are single files
at the top of the project, so `root_packages` cannot name them. The `protected_with_scripts`
contract (registered in pyproject.toml's [tool.importlinter] `contract_types`) reads their
direct imports into the graph first, then checks the ordinary `protected` contract over the
whole. Imports inside functions and `if TYPE_CHECKING:` count, as they do for packages.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from typing import cast

import grimp
from importlinter import ContractCheck, fields
from importlinter.contracts.protected import ProtectedContract


class ProtectedWithScripts(ProtectedContract):
    """`protected`, with `scripts`: top-level single-file modules whose imports count too."""

    type_name = "protected_with_scripts"

    scripts = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        # import-linter sets each field on the instance to its parsed value (here, a list of names).
        names = cast(list[str], self.scripts)
        for name in names:
            graph.add_module(name)
        for name in names:
            add_script_imports(graph, name)
        return super().check(graph, verbose)


def add_script_imports(graph: grimp.ImportGraph, name: str) -> None:
    """Add the direct imports of the single-file module `name` (found on sys.path) to `graph`."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None or spec.submodule_search_locations is not None:
        raise ValueError(f"{name!r} is not a single-file module on the Python path")
    source = Path(spec.origin).read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source, filename=spec.origin)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module is None:
                raise ValueError(f"{spec.origin}:{node.lineno}: a single-file module has no package to import from")
            # Each name is a submodule or a name defined in the module: the longest known wins.
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            graph.add_import(
                importer=name,
                imported=_graph_module(graph, target),
                line_number=node.lineno,
                line_contents=lines[node.lineno - 1].strip(),
            )


def _graph_module(graph: grimp.ImportGraph, dotted: str) -> str:
    """The module of the graph that an import of `dotted` reaches: the longest prefix known to
    the graph (internal modules and squashed external packages), else a new squashed external
    package named by its first part (a library only the scripts import, such as argparse)."""
    parts = dotted.split(".")
    known = graph.modules
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    graph.add_module(parts[0], is_squashed=True)
    return parts[0]
