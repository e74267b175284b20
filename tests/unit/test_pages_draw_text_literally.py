"""A static check over pages/: text that Streamlit interprets as markdown never carries user
text unescaped, and no date input is bounded without taking in the date it shows.

Streamlit reads markdown in st.markdown, st.write, captions, headings, alerts, expander and
tab labels, widget labels, radio options and captions, and `help=` text. A carer called
`*Jo*` or `[x](javascript:alert(1))` must be shown exactly as typed, so every piece of text
built into one of those (an f-string, a `+` concatenation, or a bare expression) goes
through the project's literal helper, `_ui.literal`, unless it is on the allow-list below of
what is known never to be typed by a user.

The allow-list, by shape (each one is text the workbook itself writes):
- string constants, and names or attributes in UPPER_CASE (module constants, wording files);
- a subscript of an UPPER_CASE constant or of a dict named `labels`/`*_labels` (field labels);
- `.label`, `.heading`, `.guidance`, `.title` of anything (the wording of an enum or section);
- `.value` of an enum member (`AssessmentStatus.X.value`, `status.value`,
  `a.status_of(section).value`): names in KNOWN_ENUM_VALUES;
- a value formatted with a format spec (`{d:%d/%m/%Y}`, `{n:,}`): a date or a number;
- calls to `len`, `_ui.at_time`, `_ui.literal`, `literal`, and the counting helpers named
  in SAFE_CALLS;
- names that hold numbers or the project's own choices, in SAFE_NAMES.
Anything else fails the test with its file and line: wrap it in `_ui.literal(...)`, or, if
it truly is not user text, add it here with the reason.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

PAGES = Path(__file__).resolve().parents[2] / "pages"

# Calls whose first positional argument (or `body=`/`label=`) is read as markdown.
MARKDOWN_FIRST_ARG = {
    "markdown",
    "write",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "expander",
    "popover",
    "metric",
    "page_link",  # label= (the first argument is the page)
    "button",
    "form_submit_button",
    "download_button",
    "link_button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "time_input",
    "file_uploader",
    "camera_input",
    "slider",
    "select_slider",
    "pills",
    "segmented_control",
    "feedback",
    "status",
}
# Keywords read as markdown wherever they appear.
MARKDOWN_KEYWORDS = {"label", "body", "help", "captions"}
# Calls whose first argument is a list of markdown labels.
MARKDOWN_LISTS = {"tabs"}
# Widgets whose options are drawn as markdown (through format_func when given).
# (st.selectbox and st.multiselect draw their options as plain text.)
MARKDOWN_OPTIONS = {"radio", "pills", "segmented_control", "select_slider"}

SAFE_ATTRIBUTES = {"label", "heading", "guidance", "title", "question", "status_label", "number"}
KNOWN_ENUM_VALUES = {"status", "status_of", "state", "method", "kind", "occasion", "role", "attendance"}
# Calls that always give the workbook's own text: numbers, dates and times it formats, the
# escaping helper itself, and the star wording (`text.label(area)`, a configured file).
SAFE_CALLS = {"len", "int", "round", "sum", "at_time", "literal", "label_text", "strftime", "scored_count", "label"}
# Calls that are the workbook's own text when what they are given is.
PASS_THROUGH_CALLS = {"str", "list", "tuple", "sorted", "range", "capitalize", "lower", "upper", "strip"}
SAFE_NAMES = {"n", "i", "number", "count", "total", "step", "slot", "score", "missing"}
UPPER = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
CLASS = re.compile(r"^[A-Z][a-z]+[A-Za-z]*$")  # an enum or class imported by name (Section)
# A line may carry this mark, with the reason, for text the workbook's configuration supplies.
ALLOW_MARK = "# markdown: "


@dataclass(frozen=True)
class Leak:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


Scope = ast.FunctionDef | ast.Module


class Pages:
    """Every page module, parsed, with what is needed to follow a name to where it is set: a
    local or module variable to its assignments, a helper's parameter to every call of it."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources
        self.trees = {path: ast.parse(src) for path, src in sources.items()}
        self.scope_of: dict[ast.AST, Scope] = {}
        self.module_of: dict[ast.AST, ast.Module] = {}
        self.calls: dict[str, list[tuple[ast.Call, Scope]]] = {}
        for tree in self.trees.values():
            self._index(tree, tree, tree)
        self._checking: set[tuple[int, str]] = set()
        self.trusted: set[str] = set()  # a format_func's parameter, while its options are safe

    def _index(self, node: ast.AST, scope: Scope, module: ast.Module) -> None:
        for child in ast.iter_child_nodes(node):
            self.scope_of[child] = scope
            self.module_of[child] = module
            if isinstance(child, ast.Call) and (name := _last_name(child.func)):
                self.calls.setdefault(name, []).append((child, scope))
            inner = child if isinstance(child, ast.FunctionDef) else scope
            self._index(child, inner, module)

    # -- is an expression known to be the workbook's own text? ---------------------------------

    def safe(self, node: ast.expr, scope: Scope) -> bool:
        """True when `node` is known to be text the workbook writes itself (see the module doc)."""
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.JoinedStr):
            return all(self.safe(v, scope) for v in node.values)
        if isinstance(node, ast.FormattedValue):
            return node.format_spec is not None or self.safe(node.value, scope)
        if isinstance(node, ast.BinOp):
            # `+` joins text; any other operator works on numbers (`limit // 1024`, `10 - n`).
            return not isinstance(node.op, ast.Add | ast.Mod) or (
                self.safe(node.left, scope) and self.safe(node.right, scope)
            )
        if isinstance(node, ast.IfExp):
            return self.safe(node.body, scope) and self.safe(node.orelse, scope)
        if isinstance(node, ast.BoolOp):
            return all(self.safe(v, scope) for v in node.values)
        if isinstance(node, ast.Compare | ast.UnaryOp):
            return True  # a bool
        if isinstance(node, ast.Name):
            return (
                bool(UPPER.match(node.id) or CLASS.match(node.id))
                or node.id in SAFE_NAMES | self.trusted
                or self._name_safe(node.id, scope)
            )
        if isinstance(node, ast.Attribute):
            if UPPER.match(node.attr) or node.attr in SAFE_ATTRIBUTES:
                return True
            if isinstance(node.value, ast.Name) and self.safe(node.value, scope):
                return True  # an attribute of a constant, a class or an enum member
            if node.attr == "value":
                inner = _last_name(node.value.func if isinstance(node.value, ast.Call) else node.value)
                return inner is not None and (bool(UPPER.match(inner)) or inner in KNOWN_ENUM_VALUES)
            return False
        if isinstance(node, ast.Subscript):
            holder = _last_name(node.value)
            return holder is not None and (
                bool(UPPER.match(holder)) or holder == "labels" or holder.endswith("_labels")
            )
        if isinstance(node, ast.Call):
            name = _last_name(node.func)
            if name == "join" and node.args:
                return self.safe(node.args[0], scope)
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and UPPER.match(func.value.id):
                return True  # a look-up in a module constant (HINTS.get(field, ""))
            if name in PASS_THROUGH_CALLS:
                receiver = [node.func.value] if isinstance(node.func, ast.Attribute) else []
                return all(self.safe(a, scope) for a in [*receiver, *node.args])
            return name in SAFE_CALLS
        if isinstance(node, ast.GeneratorExp | ast.ListComp):
            return self.safe(node.elt, scope)
        if isinstance(node, ast.List | ast.Tuple):
            return all(self.safe(e, scope) for e in node.elts)
        return False

    def _name_safe(self, name: str, scope: Scope) -> bool:
        guard = (id(scope), name)
        if guard in self._checking:
            return True  # a cycle adds nothing unsafe of its own
        self._checking.add(guard)
        try:
            if isinstance(scope, ast.FunctionDef):
                params = [*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs]
                if any(p.arg == name for p in params):
                    return self._parameter_safe(scope, name)
            assigned = self._assignments(scope, name)
            if assigned is not None:
                return all(self.safe(value, scope) for value in assigned)
            module = scope if isinstance(scope, ast.Module) else self.module_of[scope]
            if module is not scope:
                assigned = self._assignments(module, name)
                return assigned is not None and all(self.safe(value, module) for value in assigned)
            return False
        finally:
            self._checking.discard(guard)

    @staticmethod
    def _assignments(scope: Scope, name: str) -> list[ast.expr] | None:
        """What `name` is set to in `scope` (not in nested functions); None if it is never set
        there, [unknown] if it is set by a loop or unpacking we cannot follow."""
        found: list[ast.expr] = []
        unknown = ast.Name(id="<unfollowed>")
        seen = False

        def visit(node: ast.AST) -> None:
            nonlocal seen
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.Lambda):
                    continue
                if isinstance(child, ast.Assign | ast.AnnAssign) and child.value is not None:
                    targets = child.targets if isinstance(child, ast.Assign) else [child.target]
                    for target in targets:
                        if isinstance(target, ast.Name) and target.id == name:
                            seen = True
                            found.append(child.value)
                        elif any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)):
                            seen = True
                            found.append(unknown)
                elif isinstance(child, ast.For | ast.comprehension | ast.withitem | ast.NamedExpr):
                    target = getattr(child, "target", None) or getattr(child, "optional_vars", None)
                    if target is not None and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)):
                        seen = True
                        if isinstance(child, ast.NamedExpr):
                            found.append(child.value)
                        elif isinstance(child, ast.For | ast.comprehension):
                            found.append(_looped(child.target, child.iter, name))
                        else:
                            found.append(unknown)
                visit(child)

        visit(scope)
        return found if seen else None

    def _parameter_safe(self, func: ast.FunctionDef, name: str) -> bool:
        """A helper's parameter is the workbook's own text when every call passes such text."""
        positional = [p.arg for p in [*func.args.posonlyargs, *func.args.args]]
        defaults = dict(zip(positional[len(positional) - len(func.args.defaults) :], func.args.defaults, strict=True))
        defaults |= {p.arg: d for p, d in zip(func.args.kwonlyargs, func.args.kw_defaults, strict=True) if d}
        for call, caller in self.calls.get(func.name, []):
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                return False
            given = {k.arg: k.value for k in call.keywords}
            offset = 1 if positional[:1] == ["self"] else 0
            given |= {positional[i + offset]: a for i, a in enumerate(call.args) if i + offset < len(positional)}
            value = given.get(name, defaults.get(name))
            if value is not None and not self.safe(value, caller):
                return False
        return True

    # -- what is drawn as markdown ------------------------------------------------------------

    def leaks(self) -> list[Leak]:
        found = []
        for path, tree in self.trees.items():
            lines = self.sources[path].splitlines()
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                scope = self.scope_of.get(node, tree)
                for text, trusted in _marked_text(node, self, scope):
                    self.trusted = trusted
                    ok = ALLOW_MARK in lines[text.lineno - 1] or self.safe(text, scope)
                    self.trusted = set()
                    if ok:
                        continue
                    found.append(Leak(path, text.lineno, ast.get_source_segment(self.sources[path], text) or "?"))
        return found


def _looped(target: ast.expr, iterable: ast.expr, name: str) -> ast.expr:
    """What loop variable `name` takes: in `for a, b in ((x, y), ...)` each tuple's element at
    b's place; otherwise whatever the iterable holds (a loop over constants gives constants)."""
    rows = iterable.elts if isinstance(iterable, ast.Tuple | ast.List) else None
    if isinstance(target, ast.Tuple) and rows and all(isinstance(r, ast.Tuple) for r in rows):
        places = [i for i, t in enumerate(target.elts) if isinstance(t, ast.Name) and t.id == name]
        if places:
            return ast.List(elts=[r.elts[places[0]] for r in rows if isinstance(r, ast.Tuple)])
    return _iterated(iterable)


def _iterated(iterable: ast.expr) -> ast.expr:
    """What a loop over `iterable` gives, as far as being constant goes: `X.items()`,
    `X[k]`, `list(X)` give what X holds."""
    node = iterable
    while True:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"items", "values", "keys"}
        ):
            node = node.func.value
        elif isinstance(node, ast.Call) and _last_name(node.func) in {"list", "sorted", "enumerate"} and node.args:
            node = node.args[0]
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node


def _marked_text(call: ast.Call, pages: Pages, scope: Scope) -> list[tuple[ast.expr, set[str]]]:
    """The arguments of `call` that Streamlit draws as markdown, each with the names that may
    be trusted while checking it (a format_func's parameter, when the options are constants)."""
    name = _last_name(call.func)
    found: list[tuple[ast.expr, set[str]]] = []
    if name in MARKDOWN_FIRST_ARG and name != "page_link" and call.args:
        found.append((call.args[0], set()))
    if name in MARKDOWN_LISTS and call.args:
        found.append((call.args[0], set()))
    options = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "options"), None)
    for kw in call.keywords:
        if kw.arg in MARKDOWN_KEYWORDS:
            found.append((kw.value, set()))
        if kw.arg == "format_func" and name in MARKDOWN_OPTIONS:
            func = kw.value
            if isinstance(func, ast.Lambda):
                constant_options = options is not None and pages.safe(_iterated(options), scope)
                found.append((func.body, {a.arg for a in func.args.args} if constant_options else set()))
            else:
                found.append((func, set()))
    if name in MARKDOWN_OPTIONS and options is not None and not any(k.arg == "format_func" for k in call.keywords):
        found.append((options, set()))
    return found


def page_sources() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("*.py"))}


def test_no_user_text_reaches_markdown_unescaped():
    found = Pages(page_sources()).leaks()
    assert not found, "Text drawn as markdown without _ui.literal:\n" + "\n".join(map(str, found))


def leaks_in(source: str) -> list[str]:
    return [leak.code for leak in Pages({"page.py": source}).leaks()]


def test_the_check_finds_user_text_however_it_reaches_markdown():
    source = """
import streamlit as st
from pages import _ui

def block(label, value):
    st.markdown(f"**{label}**")

for carer in carers:
    block(carer.name, "")
block("Address", "")
st.caption("Family " + family.reference)
st.subheader(person.name)
name = child.name
st.info(f"Saved {name}")
st.radio("Who?", people, format_func=lambda p: p.name)
st.checkbox(f"{carer.name} gave consent", help=f"Ask {carer.name}")
st.tabs([c.name for c in children])
st.expander(f"{_ui.literal(a)} and {b}")
"""
    assert sorted(leaks_in(source)) == sorted(
        [
            'f"**{label}**"',
            '"Family " + family.reference',
            "person.name",
            'f"Saved {name}"',
            "p.name",
            'f"{carer.name} gave consent"',
            'f"Ask {carer.name}"',
            "[c.name for c in children]",
            'f"{_ui.literal(a)} and {b}"',
        ]
    )


def test_the_check_passes_escaped_text_and_the_workbooks_own_words():
    source = """
import streamlit as st
from pages import _ui
LABELS = {"a": "Address"}

def block(label, value):
    st.markdown(f"**{_ui.literal(label)}**")

def heading(title):
    st.title(title)

heading("Check your answers")
heading(f"TAF meeting {n}")
for section in Section:
    st.subheader(f"{section.heading} · {a.status_of(section).value}")
for field, (label, kind) in FIELDS.items():
    st.text_input(label)
st.caption(f"{len(works)} piece(s), by {d:%d/%m/%Y}, {_ui.at_time(t)}, {LABELS['a']}")
st.radio("Method", list(ConsentMethod), format_func=lambda m: m.value.capitalize())
st.checkbox(f"{_ui.label_text(carer.name)} gave consent")
st.markdown(person.name)  # markdown: an example of the mark
"""
    assert leaks_in(source) == []


def test_date_inputs_take_their_limits_from_the_date_they_show():
    """A date input bounded directly (min_value=today) raises once a stored date is outside
    the bounds; limits must come through _ui.date_limits, which takes in the shown date."""
    direct = []
    for path, source in page_sources().items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and _last_name(node.func) == "date_input":
                named = {k.arg for k in node.keywords}
                if named & {"min_value", "max_value"}:
                    direct.append(f"{path}:{node.lineno}")
    assert not direct, "date_input bounded without _ui.date_limits: " + ", ".join(direct)
