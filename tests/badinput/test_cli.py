"""Every file and value of the corpus that the command line accepts, through ``main()``.

A refused case exits 1 or 2 with ``error: FILE...`` on standard error, no traceback, and
writes no output file; an accepted one exits 0 and writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .cases import params
from .conftest import Run
from .points import (
    CLI_BANDS,
    CLI_COMPUTE,
    CLI_COMPUTE_M,
    CLI_PLACES,
    CLI_PREVIOUS,
    CLI_SCORES_PATH,
    CLI_SHOW,
    CLI_VALIDATE,
    GOOD,
    HEADER,
    Case,
)

CLI = (
    CLI_COMPUTE,
    CLI_COMPUTE_M,
    CLI_VALIDATE,
    CLI_SHOW,
    CLI_PREVIOUS,
    CLI_BANDS,
    CLI_PLACES,
    CLI_SCORES_PATH,
)


def _param(case: Case, point: str) -> object:
    reason = case.reason(point)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, point, id=f"{case.name}@{point}", marks=marks)


def _arguments(case: Case, point: str, path: Path | None, out: Path, good: Path) -> list[object]:
    if point == CLI_COMPUTE:
        return ["compute", "example-commune", path, "--out", out]
    if point == CLI_COMPUTE_M:
        return ["compute", path, good, "--out", out]
    if point == CLI_VALIDATE:
        return ["methodology", "validate", path]
    if point == CLI_SHOW:
        return ["methodology", "show", path]
    if point == CLI_PREVIOUS:
        return ["compute", "example-commune", good, "--previous", path, "--out", out]
    assert case.value is not None
    if point == CLI_PLACES:
        return ["compute", "example-commune", good, "--places", case.value, "--out", out]
    if point == CLI_SCORES_PATH:
        return ["compute", "example-commune", case.value, "--out", out]
    assert point == CLI_BANDS
    return ["compute", "example-commune", good, "--bands", case.value, "--out", out]


def _assert_refused(r: Run, case: Case, path: Path | None, out: Path) -> None:
    assert r.code in (1, 2), (r.code, r.err[-2000:])
    assert "Traceback" not in r.err, r.err[-2000:]
    assert r.err.startswith(("error:", "usage:")), r.err[:500]
    first = r.err.splitlines()[0] if r.code == 1 else r.err
    if path is not None:
        assert str(path) in first, first[:500]
    if case.where:
        assert case.where in r.err.lower(), r.err[:500]
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir()] == [], "a temporary file was left behind"


def _assert_no_formula(out: Path, case: Case) -> None:
    """The unit's name is a text cell of the results workbook, never a formula."""
    book = load_workbook(out)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert case.data is not None
    unit = case.data.decode().splitlines()[1].rsplit(",", 2)[0].strip('"').replace('""', '"')
    assert any(str(c.value).lstrip("'") == unit for c in cells), unit


@pytest.mark.parametrize(("case", "point"), [_param(c, p) for c, p in params(CLI)])
def test_the_cli_refuses_bad_input_with_a_message_and_writes_nothing(
    case: Case,
    point: str,
    case_path: Callable[[Case], Path],
    run: Callable[..., Run],
    tmp_path: Path,
) -> None:
    path = case_path(case) if case.value is None else None
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / ("results.xlsx" if case.expect == "text" else "results.csv")
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    r = run(*_arguments(case, point, path, out, good))
    assert "Traceback" not in r.err, r.err[-2000:]
    if case.expect == "refused":
        _assert_refused(r, case, path, out)
    elif case.expect == "clean":
        assert r.code in (0, 1), r.err[-2000:]
        if point not in (CLI_VALIDATE, CLI_SHOW):
            assert out.exists() == (r.code == 0)
    else:
        assert r.code == 0, r.err[-2000:]
        assert out.exists()
        if case.expect == "text":
            _assert_no_formula(out, case)
        else:
            assert "xa-1" in out.read_text(encoding="utf-8")
