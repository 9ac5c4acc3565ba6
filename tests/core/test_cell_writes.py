"""No workbook writer in the project puts a value into a cell except through parindex.sheets.

openpyxl makes a string starting with ``=`` a formula; :func:`parindex.put_cell` and
:func:`parindex.append_row` store it as text. This test reads every module of the core and the
web shell and fails on a direct write: ``cell.value = …``, ``ws.cell(r, c, value)``,
``ws.append(…)`` or ``ws["A1"] = …`` on a worksheet.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
ALLOWED = {SRC / "parindex" / "sheets.py"}  # the one place that writes cells


def _is_sheet_source(node: ast.AST) -> bool:
    """An expression that gives a worksheet: ``….active``, ``….create_sheet(…)``, ``book[…]``
    of a workbook, or a conditional between those."""
    if isinstance(node, ast.IfExp):
        return _is_sheet_source(node.body) or _is_sheet_source(node.orelse)
    if isinstance(node, ast.Attribute):
        return node.attr == "active"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("create_sheet", "get_sheet_by_name")
    return False


def _sheet_names(tree: ast.AST) -> set[str]:
    """Names that hold a worksheet (until no new one is found: a loop may come first)."""
    names: set[str] = set()
    while True:
        before = set(names)
        _add_sheet_names(tree, names)
        if names == before:
            return names


def _add_sheet_names(tree: ast.AST, names: set[str]) -> None:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_sheet_source(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.arg) and node.annotation is not None:
            if "Worksheet" in ast.unparse(node.annotation):
                names.add(node.arg)
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            source = ast.unparse(node.iter)
            if "worksheets" in source or any(n in source for n in names):
                names.add(node.target.id)


def _is_sheet(node: ast.AST, names: set[str]) -> bool:
    return (isinstance(node, ast.Name) and node.id in names) or _is_sheet_source(node)


def _writes_to(target: ast.AST, names: set[str]) -> bool:
    parts = target.elts if isinstance(target, ast.Tuple) else [target]
    return any(
        (isinstance(part, ast.Attribute) and part.attr == "value")
        or (isinstance(part, ast.Subscript) and _is_sheet(part.value, names))
        for part in parts
    )


def _writes_by_call(node: ast.Call, names: set[str]) -> bool:
    if not isinstance(node.func, ast.Attribute):
        return False
    method, receiver = node.func.attr, node.func.value
    if method == "cell":
        return len(node.args) >= 3 or any(k.arg == "value" for k in node.keywords)
    return method == "append" and _is_sheet(receiver, names)


def direct_writes(source: str) -> list[str]:
    """Every direct cell write in ``source``, as ``line: code``."""
    tree = ast.parse(source)
    names = _sheet_names(tree)
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_writes_to(target, names) for target in targets):
                found.append(node)
        elif isinstance(node, ast.Call) and _writes_by_call(node, names):
            found.append(node)
    return sorted({f"{n.lineno}: {ast.unparse(n)}" for n in found})


@pytest.mark.parametrize(
    "code",
    [
        "sheet = book.active\nsheet.append(['=1'])",
        "ws = book.create_sheet('x')\nws.append(row)",
        "ws = book.active if first else book.create_sheet()\nws['A1'] = note",
        "def f(ws: Worksheet) -> None:\n    ws.cell(1, 1, name)",
        "def f(ws: Worksheet) -> None:\n    ws.cell(row=1, column=1, value=name)",
        "cell.value = note",
        "a.value, b = 1, 2",
        "book.active.append(row)",
        "for ws in book.worksheets:\n    ws.append(row)",
        "for ws in (sheet, levels):\n    ws['B2'] = 'x'\nsheet = book.active",
    ],
)
def test_the_check_finds_a_direct_write(code: str) -> None:
    assert direct_writes(code)


@pytest.mark.parametrize(
    "code",
    [
        "rows = []\nrows.append(['=1'])",
        "def f(ws: Worksheet) -> None:\n    ws.cell(1, 6).font = bold",
        "parindex.append_row(sheet, row)\nput_cell(ws, 1, 1, '=x')",
        "ws.column_dimensions['A'].width = 9",
    ],
)
def test_the_check_lets_other_code_be(code: str) -> None:
    assert direct_writes(code) == []


@pytest.mark.parametrize(
    "path",
    sorted(p for p in SRC.rglob("*.py") if p not in ALLOWED),
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_no_module_writes_a_cell_directly(path: Path) -> None:
    assert direct_writes(path.read_text(encoding="utf-8")) == []
