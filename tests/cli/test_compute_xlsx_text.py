"""``parindex compute --out FILE.xlsx``: unit and node names are text, never formulas."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .helpers import RunCli, scores_csv, write

HOSTILE = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]


@pytest.fixture
def hostile_methodology(tmp_path: Path) -> Path:
    text = 'code,parent,name,max_points\n1,,"=HYPERLINK(""http://x"",""y"")",12\n'
    text += "1.1,1,=cmd|' /C calc'!A0,7\n1.2,1,@SUM(A1),5\n2,,+1+1,88\n"
    return write(tmp_path, "method.csv", text)


def test_hostile_unit_and_node_names_are_string_cells_in_the_workbook(
    run: RunCli, hostile_methodology: Path, tmp_path: Path
) -> None:
    rows = [(unit, code, 1) for unit in HOSTILE for code in ("1.1", "1.2", "2")]
    scores = write(tmp_path, "scores.csv", scores_csv(rows))
    out = tmp_path / "r.xlsx"

    result = run("compute", hostile_methodology, scores, "--out", out)

    assert result.code == 0, result.err
    data = out.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", archive.read(n)) for n in sheets)
    book = load_workbook(out)
    units = [(c.value, c.data_type) for c in book["Kết quả"]["A"][1:]]
    assert sorted(units) == sorted((unit, "s") for unit in HOSTILE)
    names = {c.value: c.data_type for c in book["Chi tiết"]["C"][1:]}
    assert names == {
        '=HYPERLINK("http://x","y")': "s",
        "=cmd|' /C calc'!A0": "s",
        "@SUM(A1)": "s",
        "+1+1": "s",
    }
