"""``parindex methodology import-table FILE.xlsx`` and ``parindex methodology diff OLD NEW``."""

from __future__ import annotations

from pathlib import Path

from parindex import parse_methodology_yaml

from .helpers import RunCli, write
from .helpers import xlsx as workbook

HEAD = ["STT", "Tiêu chí", "Điểm tối đa"]


WORKED = workbook(
    ["VÍ DỤ – bảng tiêu chí (điểm số là ví dụ)"],
    [*HEAD, "Cách chấm điểm"],
    ["1", "Chỉ đạo, điều hành", 3, None],
    ["1.1", "Kế hoạch", 2, "Ban hành kịp thời: 2 | Không kịp thời: 1 | Không ban hành: 0"],
    ["1.2", "Báo cáo", 1, "Đạt: 1 | Không đạt: 0"],
    ["Tổng cộng", None, 3, None],
)


def test_import_table_writes_the_yaml_and_prints_the_summary(run: RunCli, tmp_path: Path) -> None:
    table = tmp_path / "phu-luc.xlsx"
    table.write_bytes(WORKED)
    out = tmp_path / "out.yaml"

    result = run("methodology", "import-table", table, "-o", out)

    assert result.code == 0, result.err
    assert result.out.splitlines()[1] == (
        "fields: 1, criteria: 2, sub-criteria: 0, leaves: 2, total points: 3.00"
    )
    m = parse_methodology_yaml(out.read_text(encoding="utf-8"), str(out))
    assert [n.code for n in m.leaves] == ["1.1", "1.2"]
    assert (m.name, m.total_points) == ("VÍ DỤ – bảng tiêu chí (điểm số là ví dụ)", 3)


def test_import_table_prints_the_yaml_without_an_output_file(run: RunCli, tmp_path: Path) -> None:
    table = tmp_path / "t.xlsx"
    table.write_bytes(workbook(HEAD, ["1", "Kế hoạch", 2]))

    result = run("methodology", "import-table", table)

    assert result.code == 0
    assert parse_methodology_yaml(result.out).by_code["1"].max_points == 2


def test_a_refused_table_exits_1_listing_every_problem_and_writes_nothing(
    run: RunCli, tmp_path: Path
) -> None:
    table = tmp_path / "bad.xlsx"
    table.write_bytes(workbook(HEAD, ["1", "A", 3], ["1.1", "", "x"], ["1.1", "C", 1]))
    out = tmp_path / "out.yaml"

    result = run("methodology", "import-table", table, "-o", out)

    assert result.code == 1
    assert result.err.splitlines() == [
        f"error: {table}, row 3, column 'Điểm tối đa', node 1.1: the maximum 'x' is not a number",
        f"error: {table}, row 3, column 'Tiêu chí', node 1.1: the name is empty",
        f"error: {table}, row 4, column 'STT', node 1.1: STT 1.1 is used twice (first in row 3)",
    ]
    assert not out.exists()  # no sum is checked over a maximum that is not a number


def test_a_file_that_is_not_a_workbook_exits_1(run: RunCli, tmp_path: Path) -> None:
    result = run("methodology", "import-table", write(tmp_path, "t.xlsx", "STT,Tiêu chí\n"))

    assert result.code == 1
    assert "the file is not a ZIP archive" in result.err


def test_diff_lists_the_differences_of_a_table_against_a_yaml(run: RunCli, tmp_path: Path) -> None:
    old = write(
        tmp_path,
        "old.yaml",
        "id: old\nname: Old\nnodes:\n"
        "  - {code: '1', name: Kế hoạch, max_points: 2, rule: {kind: points}}\n"
        "  - {code: '2', name: Báo cáo, max_points: 1, rule: {kind: points}}\n",
    )
    new = tmp_path / "new.xlsx"
    new.write_bytes(workbook(HEAD, ["1", "Kế hoạch năm", 3], ["3", "Kiểm tra", 1]))

    result = run("methodology", "diff", old, new)

    assert result.code == 0
    assert result.out.splitlines() == [
        "renamed 1: 'Kế hoạch' → 'Kế hoạch năm'",
        "max_changed 1: '2' → '3'",
        "added 3: Kiểm tra",
        "removed 2: Báo cáo",
    ]
    assert result.err == "4 difference(s)\n"


def test_diff_of_a_methodology_with_itself_is_empty(run: RunCli) -> None:
    result = run("methodology", "diff", "example-commune", "example-commune")

    assert (result.code, result.out, result.err) == (0, "", "0 difference(s)\n")


def test_diff_exits_1_when_a_side_does_not_validate(run: RunCli, tmp_path: Path) -> None:
    bad = write(
        tmp_path, "bad.yaml", "id: b\nname: B\nnodes:\n  - {code: '1', name: A, max_points: 0}\n"
    )

    result = run("methodology", "diff", "example-commune", bad)

    assert result.code == 1
    assert "maximum points 0 must be above 0" in result.err


def test_both_commands_have_help(run: RunCli) -> None:
    for command in ("import-table", "diff"):
        result = run("methodology", command, "--help")
        assert result.code == 0 and result.out.startswith(f"usage: parindex methodology {command}")


def test_validate_and_show_read_an_appendix_table_too(run: RunCli, tmp_path: Path) -> None:
    table = tmp_path / "phu-luc.xlsx"
    table.write_bytes(WORKED)

    shown = run("methodology", "show", table)
    valid = run("methodology", "validate", table)

    assert shown.code == valid.code == 0
    assert "  1.2" in shown.out and "[appraisal; yes: max; no: 0]" in shown.out
    assert valid.out.splitlines()[1].endswith("total points: 3.00")
    table.write_bytes(workbook(HEAD, ["1", "A", "x"]))
    refused = run("methodology", "validate", table)
    assert refused.code == 1
    assert refused.err.endswith("column 'Điểm tối đa', node 1: the maximum 'x' is not a number\n")
