"""``parindex methodology show FILE``: the tree with maxima, names, sources and rules."""

from __future__ import annotations

from pathlib import Path

from .helpers import RunCli, write


def test_it_prints_the_summary_decision_and_every_field(run: RunCli) -> None:
    result = run("methodology", "show", "par2948-ministry")

    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("par2948-ministry: Chỉ số cải cách hành chính cấp bộ")
    assert lines[1] == "fields: 7, criteria: 0, sub-criteria: 0, leaves: 7, total points: 100.00"
    assert lines[2] == "decision: 2948/QĐ-BNV (28/12/2017) Bộ Nội vụ"
    assert len(lines) == 3 + 7
    assert lines[3].split()[:2] == ["1", "12.00"]
    assert "Công tác chỉ đạo, điều hành cải cách hành chính" in lines[3]
    assert lines[3].endswith("[appraisal; points given directly]")
    assert lines[8].split()[:2] == ["6", "7.50"]


def test_it_indents_criteria_and_shows_rules_of_leaves(run: RunCli) -> None:
    result = run("methodology", "show", "example-commune")

    assert result.code == 0
    lines = result.out.splitlines()
    assert "EXAMPLE: figures are illustrative, not official" in lines
    assert not any(line.startswith("decision:") for line in lines)  # no decision number
    by_code = {line.split()[0]: line for line in lines[3:]}
    assert by_code["1"].startswith("1 ")
    assert by_code["1.1"].startswith("  1.1 ")
    assert by_code["1.1.1"].startswith("    1.1.1 ")
    assert "[" not in by_code["1.1"]  # a parent has no rule
    assert "Ban hành kịp thời: 1" in by_code["1.1.1"]
    # points line up in one column
    assert len({line.index(".00") for line in lines[3:] if ".00 " in line}) == 1


def test_it_shows_an_interchange_csv(run: RunCli, methodology: Path) -> None:
    result = run("methodology", "show", methodology)

    assert result.code == 0
    assert result.out.splitlines()[2:] == [
        "1         12.00  Công tác chỉ đạo",
        "  1.1      7.00  Kế hoạch  [appraisal; points given directly]",
        "  1.2      5.00  Báo cáo  [appraisal; points given directly]",
        "2         88.00  Hiện đại hoá  [appraisal; points given directly]",
    ]


def test_a_decision_without_a_date_shows_a_question_mark(run: RunCli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.yaml",
        'id: x\nname: X\ndecision: {number: "12/QĐ-UBND"}\ndefault_rule: {kind: yes_no}\n'
        "nodes:\n  - {code: '1', name: Một, max_points: 100, source: survey}\n",
    )

    result = run("methodology", "show", path)

    assert result.code == 0
    assert "decision: 12/QĐ-UBND (?)" in result.out.splitlines()
    assert result.out.splitlines()[-1].endswith("[survey; yes: max; no: 0]")


def test_it_refuses_an_invalid_methodology_listing_every_problem(
    run: RunCli, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "code,parent,name,max_points\n1,,A,12\n1.1,1,a,7\n2,,B,5\n2.1,2,b,4\n",
    )

    result = run("methodology", "show", path)

    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        f"error: {path}, node 1: maximum 12 differs from the sum of its children's maxima 7",
        f"error: {path}, node 2: maximum 5 differs from the sum of its children's maxima 4",
    ]


def test_it_reports_a_file_it_cannot_read(run: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, "legacy.yaml", "name: Tư\n", encoding="cp1258")

    result = run("methodology", "show", path)

    assert result.code == 1
    assert result.err.startswith(f"error: {path}, row 1: the file is not UTF-8")
