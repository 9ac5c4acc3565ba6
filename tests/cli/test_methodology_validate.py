"""``parindex methodology validate FILE``: every problem, exit 1; else a summary, exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex import shipped_methodologies

from .helpers import METHODOLOGY_CSV, RunCli, write

HEADER = "code,parent,name,max_points\n"


def problems(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        (
            "par2948-ministry",
            "fields: 7, criteria: 0, sub-criteria: 0, leaves: 7, total points: 100",
        ),
        (
            "par2948-province",
            "fields: 8, criteria: 0, sub-criteria: 0, leaves: 8, total points: 100",
        ),
        ("example-commune", "leaves: 21, total points: 100.00"),
    ],
)
def test_a_shipped_methodology_is_valid_and_summarised(
    run: RunCli, name: str, summary: str
) -> None:
    result = run("methodology", "validate", name)

    assert result.code == 0
    assert result.err == ""
    assert result.out.startswith(f"{name}: ")
    assert summary in result.out


def test_a_shipped_methodology_is_also_valid_by_its_path(run: RunCli) -> None:
    path = shipped_methodologies()["par2948-ministry"]

    assert run("methodology", "validate", path).code == 0


def test_an_example_methodology_is_flagged_as_such(run: RunCli) -> None:
    result = run("methodology", "validate", "example-commune")

    assert "EXAMPLE: figures are illustrative, not official" in result.out
    assert "fields: 4, criteria: 9, sub-criteria: 21" in result.out


def test_a_valid_interchange_csv_is_summarised_with_fields_criteria_leaves_and_points(
    run: RunCli, methodology: Path
) -> None:
    result = run("methodology", "validate", methodology)

    assert result.code == 0
    assert result.out.splitlines() == [
        "method: method",
        "fields: 2, criteria: 2, sub-criteria: 0, leaves: 3, total points: 100.00",
    ]


def test_it_lists_every_problem_of_a_broken_tree_with_node_codes(
    run: RunCli, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "broken.csv",
        HEADER
        + "1,,Lĩnh vực 1,10\n"
        + "1.1,1,Tiêu chí,4\n"
        + "1.1,1,Trùng mã,6\n"  # duplicate code
        + "2,,Lĩnh vực 2,5\n"
        + "2.1,9,Cha không có,5\n"  # unknown parent
        + "3,4,Vòng,1\n"  # 3 → 4 → 3: a cycle
        + "4,3,Vòng,1\n",
    )
    before = {p.name for p in tmp_path.iterdir()}

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert result.out == ""
    assert problems(result.err) == [
        f"error: {path}, node 1.1: the code is used 2 times",
        f"error: {path}, node 2.1: the parent '9' does not exist",
        f"error: {path}, node 3: the node is part of a parent cycle",
        f"error: {path}, node 4: the node is part of a parent cycle",
    ]
    assert result.err.splitlines()[-1] == f"4 problem(s) found in {path}"
    assert {p.name for p in tmp_path.iterdir()} == before


def test_it_lists_every_parent_whose_maximum_is_not_the_sum_of_its_children(
    run: RunCli, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "sums.csv",
        HEADER
        + "1,,Lĩnh vực 1,12\n1.1,1,a,7\n1.2,1,b,4\n"  # 12 ≠ 11
        + "2,,Lĩnh vực 2,88\n2.1,2,c,80\n2.1.1,2.1,d,79.99\n",  # 88 ≠ 80, 80 ≠ 79.99
    )

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert problems(result.err) == [
        f"error: {path}, node 1: maximum 12 differs from the sum of its children's maxima 11",
        f"error: {path}, node 2: maximum 88 differs from the sum of its children's maxima 80",
        f"error: {path}, node 2.1: maximum 80 differs from the sum of its children's maxima 79.99",
    ]
    assert result.err.splitlines()[-1] == f"3 problem(s) found in {path}"


def test_it_lists_sum_mismatches_together_with_structural_problems(
    run: RunCli, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "both.csv",
        HEADER + "1,,A,12\n1.1,1,a,7\n2,,B,5\n2.1,9,b,5\n",
    )

    result = run("methodology", "validate", path)

    assert "node 1: maximum 12 differs" in result.err
    assert "node 2.1: the parent '9' does not exist" in result.err


def test_it_lists_problems_of_the_yaml_header_too(run: RunCli, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.yaml",
        "id: x\nname: X\nplaces: 9\ntotal_points: 99\ntie_rule: dense\n"
        "default_rule: {kind: points}\n"
        "bands: [{label: A, min: 50}, {label: B, min: 60}]\n"
        "nodes:\n  - {code: '1', name: Một, max_points: 100}\n",
    )

    result = run("methodology", "validate", path)

    assert result.code == 1
    found = problems(result.err)
    assert len(found) == 4
    assert any("column 'total_points'" in p and "the stated total 99" in p for p in found)
    assert any("column 'bands'" in p and "highest first" in p for p in found)
    assert any("column 'places'" in p for p in found)
    assert any("column 'tie_rule'" in p and "'dense'" in p for p in found)


@pytest.mark.parametrize(
    ("name", "text", "fragments"),
    [
        ("m.csv", "", ["the file is empty"]),
        ("m.csv", "code,name,max_points\n1,A,1\n", ["row 1", "missing column(s) parent"]),
        ("m.csv", "# exported\ncode,parent,name\n", ["row 2", "missing column(s) max_points"]),
        ("m.csv", HEADER + "1,,A,mười\n", ["row 2", "column 'max_points'", "node 1", "not a"]),
        ("m.csv", HEADER + "1,,A,10\n1.1,1,,10\n", ["row 3", "column 'name'", "the name is empty"]),
        ("m.csv", HEADER + "1,,A,10,extra\n", ["row 2", "expected 4 cells, found 5"]),
        ("m.yaml", "id: x\nname: [unclosed\n", ["row 3", "not valid YAML"]),
        ("m.yaml", "id: x\nname: X\nnodes:\n  - {code: '1', name: A}\n",
         ["column 'nodes[0].max_points'", "this field is required"]),
        ("m.txt", "code,parent,name,max_points\n", ["unknown methodology format"]),
    ],
    ids=["empty", "missing column", "missing column after a comment", "bad number",
         "empty name", "extra cells", "bad yaml", "yaml missing field", "unknown extension"],
)  # fmt: skip
def test_it_reports_a_malformed_file_with_file_row_and_column(
    run: RunCli, tmp_path: Path, name: str, text: str, fragments: list[str]
) -> None:
    path = write(tmp_path, name, text)

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith(f"error: {path}")
    for fragment in fragments:
        assert fragment in result.err


def test_it_lists_every_malformed_row_of_a_csv(run: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", HEADER + "1,,A,x\n\n1.1,1,,1\n1.2,1,B,y\n")

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert [p.split(", ")[1] for p in problems(result.err)] == ["row 2", "row 4", "row 5"]


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_it_rejects_a_file_that_is_not_utf8(run: RunCli, tmp_path: Path, encoding: str) -> None:
    text = HEADER + "1,,Tư,12\n" if encoding == "cp1258" else HEADER + "1,,Café,12\n"
    path = write(tmp_path, "legacy.csv", text, encoding=encoding)

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert result.err.startswith(f"error: {path}, row 2: the file is not UTF-8")


def test_it_reports_a_missing_file(run: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert result.err == f"error: {path}: cannot read the file: No such file or directory\n"


def test_a_bom_and_extra_columns_are_accepted(run: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", "\ufeff" + METHODOLOGY_CSV)

    assert run("methodology", "validate", path).code == 0


def test_it_needs_a_file(run: RunCli) -> None:
    result = run("methodology", "validate")

    assert result.code == 2
    assert "the following arguments are required: file" in result.err
