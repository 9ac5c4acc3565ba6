"""``parindex compute`` when it fails: bad input (exit 1), usage errors (exit 2), writing."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import parindex.cli

from .helpers import (
    BO_A,
    RunCli,
    listing,
    scores_csv,
    write,
)

# --- bad input: exit 1, a message naming file, row and column, no output ---------------------


BAD_SCORES = {
    "points above the leaf maximum": (
        [("A", "1.1", "7.01")],
        ["row 2", "column 'points'", "7.01", "outside [0, 7]", "1.1"],
    ),
    "points below zero": (
        [("A", "1.1", "1"), ("A", "1.2", "-0.5")],
        ["row 3", "column 'points'", "outside [0, 5]"],
    ),
    "an unknown code": ([("A", "9.9", "1")], ["row 2", "column 'code'", "unknown code '9.9'"]),
    "a duplicate row": (
        [("A", "1.1", "1"), ("B", "1.1", "1"), ("A", "1.1", "2")],
        ["row 4", "column 'code'", "given twice (first at row 2)"],
    ),
    "a code that is not a leaf": ([("A", "1", "5")], ["row 2", "column 'code'", "not a leaf"]),
    "points that are not a number": (
        [("A", "1.1", "bảy")],
        ["row 2", "column 'points'", "'bảy' is not a number"],
    ),
    "empty points": ([("A", "1.1", "")], ["row 2", "column 'points'", "empty value"]),
    "an empty unit": ([("", "1.1", "1")], ["row 2", "column 'unit'", "the unit is empty"]),
}


@pytest.mark.parametrize("case", BAD_SCORES, ids=list(BAD_SCORES))
def test_it_rejects_bad_scores_naming_file_row_and_column(
    run: RunCli, methodology: Path, tmp_path: Path, case: str
) -> None:
    rows, fragments = BAD_SCORES[case]
    path = write(tmp_path, "bad-scores.csv", scores_csv(rows))
    before = listing(tmp_path)

    result = run("compute", methodology, path, "--out", tmp_path / "out.csv")

    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("error: ")
    line = result.err.splitlines()[0]
    assert "bad-scores.csv" in line
    for fragment in fragments:
        assert fragment in line
    assert listing(tmp_path) == before  # neither out.csv nor a temporary file


def test_it_rejects_points_above_the_leaf_maximum(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "s.csv", scores_csv([*BO_A[:2], ("Bộ A", "2", "88.5")]))

    result = run("compute", methodology, path, "--out", tmp_path / "out.xlsx")

    assert result.code == 1
    assert result.err == (
        "error: " + str(path) + ", row 4, column 'points': points 88.5 are outside [0, 88] for 2\n"
    )
    assert not (tmp_path / "out.xlsx").exists()


def test_it_lists_every_problem_of_the_scores_file(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    rows = [
        ("A", "1.1", "8"),
        ("A", "x", "1"),
        ("A", "1.2", "-1"),
        ("A", "1.2", "1"),
        ("A", "1.2", "1"),
    ]
    path = write(tmp_path, "s.csv", scores_csv(rows))

    result = run("compute", methodology, path)

    errors = result.err.splitlines()
    assert result.code == 1
    assert [e.split(", ")[1] for e in errors] == ["row 2", "row 3", "row 4", "row 6"]


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ["the file is empty"]),
        ("\n\n", ["the file is empty"]),
        ("unit,code,points\n", ["no score rows"]),
        ("unit,code,score\nA,1.1,1\n", ["row 1", "missing column(s) points"]),
        ("# comment\nunit,points\nA,1\n", ["row 2", "missing column(s) code"]),
        ("unit,code,points\nA,1.1,1,extra\n", ["row 2", "expected 3 cells, found 4"]),
        ("# a\n# b\nunit,code,points\nA,1.1,99\n", ["row 4", "column 'points'"]),
        ('unit,code,points\nA,1.1,1\nA,"' + "x" * 200_000 + '",1\n', ["row 3", "longer than"]),
        ('unit,code,points\nA,1.1,1\nA,"1.2,1\n', ["row 3", "malformed CSV"]),
    ],
    ids=[
        "empty",
        "blank lines",
        "header only",
        "missing column",
        "missing column after a comment",
        "extra cells",
        "comment lines count as rows",
        "a field too long",
        "malformed csv",
    ],
)
def test_it_rejects_a_malformed_scores_file(
    run: RunCli, methodology: Path, tmp_path: Path, text: str, fragments: list[str]
) -> None:
    path = write(tmp_path, "broken.csv", text)
    before = listing(tmp_path)

    result = run("compute", methodology, path, "--out", tmp_path / "out.csv")

    assert result.code == 1
    assert result.err.startswith(f"error: {path}")
    for fragment in fragments:
        assert fragment in result.err
    assert listing(tmp_path) == before


@pytest.mark.parametrize(
    ("encoding", "unit"), [("cp1258", "Đơn Tư"), ("latin-1", "Café")], ids=["cp1258", "latin-1"]
)
def test_it_rejects_a_scores_file_that_is_not_utf8(
    run: RunCli, methodology: Path, tmp_path: Path, encoding: str, unit: str
) -> None:
    text = scores_csv([("A", "1.1", "1"), (unit, "1.1", "2")])
    path = write(tmp_path, "legacy.csv", text, encoding=encoding)
    before = listing(tmp_path)

    result = run("compute", methodology, path, "--out", tmp_path / "out.csv")

    assert result.code == 1
    assert result.err.startswith(f"error: {path}, row 3: ")
    assert "not UTF-8" in result.err and "save it as UTF-8" in result.err
    assert listing(tmp_path) == before


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("missing.csv", None, "cannot read the file"),
        ("missing.xlsx", None, "cannot read the file"),
        ("corrupt.xlsx", b"not a zip file", "cannot open the workbook"),
    ],
)
def test_it_rejects_a_scores_file_it_cannot_read(
    run: RunCli,
    methodology: Path,
    tmp_path: Path,
    name: str,
    content: bytes | None,
    fragment: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = listing(tmp_path)

    result = run("compute", methodology, path, "--out", tmp_path / "out.csv")

    assert result.code == 1
    assert result.err.startswith(f"error: {path}: {fragment}")
    assert listing(tmp_path) == before


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("", "the band spec is empty"),
        (";;", "the band spec is empty"),
        ("A90", "'A90' is not LABEL:MIN"),
        (":90;B:0", "':90' is not LABEL:MIN"),
        ("A:chín mươi", "'chín mươi' is not a number"),
        ("A:80;B:90", "highest first"),
        ("A:101;B:0", "outside [0, 100]"),
        ("Tốt:90;Tốt:0", "'Tốt' is used twice"),
    ],
)
def test_it_rejects_a_bad_band_spec(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path, spec: str, fragment: str
) -> None:
    before = listing(tmp_path)

    result = run("compute", methodology, scores, "--bands", spec, "--out", tmp_path / "o.csv")

    assert result.code == 1
    assert "--bands" in result.err
    assert fragment in result.err
    assert listing(tmp_path) == before


@pytest.mark.parametrize(
    ("name", "text", "fragments"),
    [
        ("p.csv", "unit,rank\nA,1\n", ["row 1", "missing column(s) index"]),
        ("p.csv", "unit,index,rank\nBộ A,x,1\n", ["row 2", "column 'index'", "'x' is not"]),
        ("p.csv", "unit,index,rank\nBộ A,90,2.5\n", ["row 2", "column 'rank'", "'2.5'"]),
        ("p.csv", "unit,index\nBộ A,90\nBộ A,91\n", ["row 3", "column 'unit'", "given twice"]),
        ("p.json", "[1, 2]", ["not a results JSON file"]),
        ("p.json", "{not json", ["not a results JSON file"]),
        ("p.json", '{"units": [{"unit": "Bộ A"}]}', ["row 1", "column 'index'", "empty value"]),
    ],
    ids=["no index column", "bad index", "bad rank", "duplicate unit", "json list", "bad json",
         "json without index"],
)  # fmt: skip
def test_it_rejects_bad_previous_results(
    run: RunCli,
    methodology: Path,
    scores: Path,
    tmp_path: Path,
    name: str,
    text: str,
    fragments: list[str],
) -> None:
    previous = write(tmp_path, name, text)
    before = listing(tmp_path)

    result = run(
        "compute", methodology, scores, "--previous", previous, "--out", tmp_path / "o.csv"
    )

    assert result.code == 1
    assert result.err.startswith(f"error: {previous}")
    for fragment in fragments:
        assert fragment in result.err
    assert listing(tmp_path) == before


def test_it_refuses_an_invalid_methodology_before_reading_scores(
    run: RunCli, scores: Path, tmp_path: Path
) -> None:
    method = write(tmp_path, "bad-tree.csv", "code,parent,name,max_points\n1,,A,12\n1.1,1,B,7\n")
    before = listing(tmp_path)

    result = run("compute", method, scores, "--out", tmp_path / "o.csv")

    assert result.code == 1
    assert "bad-tree.csv, node 1: maximum 12 differs from the sum of its children's maxima 7" in (
        result.err
    )
    assert listing(tmp_path) == before


def test_it_refuses_an_unknown_methodology(run: RunCli, scores: Path) -> None:
    result = run("compute", "par9999-nowhere", scores)

    assert result.code == 1
    assert result.err.startswith("error: par9999-nowhere: ")


def test_a_failure_keeps_the_previous_output_file(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    out = write(tmp_path, "r.csv", "last year's results")
    path = write(tmp_path, "s.csv", scores_csv([("A", "1.1", "70")]))

    assert run("compute", methodology, path, "--out", out).code == 1

    assert out.read_text(encoding="utf-8") == "last year's results"


# --- usage errors: exit 2 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--format", "pdf"], "invalid choice: 'pdf'"),
        (["--places", "9"], "places must be 0 to 6"),
        (["--places", "-1"], "places must be 0 to 6"),
        (["--places", "hai"], "expected a whole number, got 'hai'"),
        (["--format", "xlsx"], "xlsx output needs --out FILE"),
    ],
)
def test_usage_errors_exit_2(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path, args: list[str], fragment: str
) -> None:
    before = listing(tmp_path)

    result = run("compute", methodology, scores, *args)

    assert result.code == 2
    assert "usage: parindex compute" in result.err
    assert fragment in result.err
    assert result.out == ""
    assert listing(tmp_path) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["compute"], "the following arguments are required: methodology, scores"),
        (["compute", "par2948-ministry"], "the following arguments are required: scores"),
        (["compute", "a.csv", "b.csv", "--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_missing_or_unknown_arguments_are_usage_errors(
    run: RunCli, args: list[str], fragment: str
) -> None:
    result = run(*args)

    assert result.code == 2
    assert result.err.startswith("usage: parindex")
    assert fragment in result.err


# --- writing failures -----------------------------------------------------------------------


def test_an_output_folder_that_does_not_exist_is_reported_by_the_output_name(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    out = tmp_path / "missing" / "r.csv"

    result = run("compute", methodology, scores, "--out", out)

    assert result.code == 1
    assert result.err == f"error: {out}: cannot write the file: No such file or directory\n"


def test_an_output_path_that_is_a_folder_leaves_no_temporary_file(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results"
    out.mkdir()
    before = listing(tmp_path)

    result = run("compute", methodology, scores, "--out", out)

    assert result.code == 1
    assert result.err.startswith(f"error: {out}: cannot write the file: ")
    assert listing(tmp_path) == before
    assert list(out.iterdir()) == []


def test_an_unexpected_failure_while_writing_leaves_no_temporary_file(
    run: RunCli,
    methodology: Path,
    scores: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(results: object, path: Path) -> None:
        Path(path).write_bytes(b"half a workbook")
        raise RuntimeError("disk gremlins")

    monkeypatch.setattr(parindex.cli, "write_xlsx", explode)
    before = listing(tmp_path)

    with pytest.raises(RuntimeError, match="disk gremlins"):
        run("compute", methodology, scores, "--out", tmp_path / "r.xlsx")

    assert listing(tmp_path) == before


class _FailingStdout(io.StringIO):
    def __init__(self, error: OSError, fd: int = -1) -> None:
        super().__init__()
        self.error, self.fd = error, fd

    def write(self, text: str) -> int:
        raise self.error

    def fileno(self) -> int:
        return self.fd


def test_a_closed_standard_output_stops_quietly(
    run: RunCli, methodology: Path, scores: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_end, write_end = os.pipe()
    try:
        monkeypatch.setattr(
            "sys.stdout", _FailingStdout(BrokenPipeError(32, "Broken pipe"), write_end)
        )

        result = run("compute", methodology, scores)

        assert result.code == 1
        assert result.err == ""
        # standard output now points at the null device, so the final flush cannot fail
        assert os.write(write_end, b"x") == 1
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_standard_output_error_is_reported(
    run: RunCli, methodology: Path, scores: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", _FailingStdout(OSError(28, "No space left on device")))

    result = run("compute", methodology, scores)

    assert result.code == 1
    assert result.err == "error: No space left on device\n"
