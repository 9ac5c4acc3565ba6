"""``parindex survey validate`` and ``parindex survey estimate``: the EXAMPLE form and responses."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .helpers import RunCli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "surveys"
FORM = FIXTURES / "example-sipas-form.xlsx"
RESPONSES = FIXTURES / "example-sipas-responses.csv"
DESIGN = ["--by", "nguoi_tra_loi/don_vi", "--weight", "trong_so", "--strata", "tang"]


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_validate_summarises_a_good_form(run: RunCli) -> None:
    result = run("survey", "validate", FORM)
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        "VÍ DỤ – Phiếu khảo sát SIPAS (minh hoạ): 14 questions, 4 choice lists",
        "languages: English (en), Vietnamese (vi)",
        "access: 2 question(s)",
        "procedures: 1 question(s)",
        "civil_servants: 1 question(s)",
        "results: 1 question(s)",
        "feedback: 1 question(s)",
    ]


def broken_form(tmp_path: Path, ref: str, value: str, sheet: str = "survey") -> Path:
    book = load_workbook(FORM)
    book[sheet][ref] = value
    path = tmp_path / "form.xlsx"
    book.save(path)
    return path


def test_validate_names_the_file_row_and_column_and_exits_1(run: RunCli, tmp_path: Path) -> None:
    path = broken_form(tmp_path, "A6", "number")
    result = run("survey", "validate", path)
    assert result.code == 1 and result.out == ""
    assert result.err == (
        f"error: {path}, row 6, column 'survey.type': 'number' is not a question type the "
        "project knows (such as select_one LIST, integer, text)\n"
    )


def test_validate_reports_pyxform_refusals(run: RunCli, tmp_path: Path) -> None:
    result = run("survey", "validate", broken_form(tmp_path, "A17", "calculate"))
    assert result.code == 1
    assert "row 17: pyxform, the reference converter, refuses the form" in result.err


def test_validate_names_an_expression_outside_the_subset(run: RunCli, tmp_path: Path) -> None:
    path = broken_form(tmp_path, "G10", "${q24} >")
    result = run("survey", "validate", path)
    assert result.code == 1 and result.out == ""
    assert result.err == (
        f"error: {path}, row 10, column 'survey.relevant': '${{q24}} >' is not an expression "
        "the project evaluates (at character 9)\n"
    )


def test_validate_without_labels_or_settings_names_the_file(run: RunCli, tmp_path: Path) -> None:
    book = load_workbook(FORM)
    del book["settings"]
    for column in ("C", "D"):
        for cell in book["survey"][column]:
            cell.value = None
    book["survey"]["C1"] = "label"
    for row in range(2, book["survey"].max_row + 1):
        book["survey"][f"C{row}"] = "x"
    path = tmp_path / "plain.xlsx"
    book.save(path)
    result = run("survey", "validate", path)
    assert result.code == 0
    assert result.out.splitlines()[:2] == [
        "plain: 14 questions, 4 choice lists",
        "access: 2 question(s)",
    ]


def test_estimate_writes_one_row_per_unit_and_item(run: RunCli) -> None:
    """phuong_a, q24: answers 5, 4, 3 (weight 10, stratum mot_cua) and 2, 5 (weight 20,
    buu_chinh): R = (10 + 10 + 20) / 70 = 4/7 = 57.14 %. z = w (y − 4/7)/70, in 49ths: 3, 3, −4
    (mot_cua, with phuong_b's 2 respondents at 0: n = 5) and −8, 6 (buu_chinh, n = 5).
    mot_cua: (34 − 2²/5)/2401 · 5/4 = 166/9604; buu_chinh: (100 − 2²/5)/2401 · 5/4 = 496/9604.
    V = 662/9604 = 0.068929; 1.959964·√V = 0.514575: [5.69, 100]."""
    result = run("survey", "estimate", FORM, RESPONSES, *DESIGN)
    assert result.code == 0
    table = rows(result.out)
    assert list(table[0]) == ["unit", "item", "estimate", "ci_low", "ci_high", "n", "kind", "flag"]
    assert table[0] == {
        "unit": "phuong_a", "item": "q24", "estimate": "57.14", "ci_low": "5.69",
        "ci_high": "100.00", "n": "5", "kind": "question", "flag": "few",
    }  # fmt: skip
    assert [(r["unit"], r["item"]) for r in table if r["kind"] != "question"] == [
        (unit, item)
        for unit in ("phuong_a", "phuong_b")
        for item in ("access", "procedures", "civil_servants", "results", "feedback", "sipas")
    ]
    # access, phuong_a: shares 1, 1/2, 0, 1, 1/2 → (10 + 5 + 0 + 20 + 5)/70 = 57.14.
    access = next(r for r in table if r["item"] == "access")
    assert access["estimate"] == "57.14"
    # Overall: the mean of the five factors (57.14, 66.67, 71.43, 71.43, 75.00) = 68.33.
    overall = next(r for r in table if r["item"] == "sipas")
    assert (overall["estimate"], overall["kind"]) == ("68.33", "overall")
    assert (
        result.err
        == "10 responses (1 exact duplicate(s) skipped)\n24 figures, 24 flagged with too few answers\n"
    )


def test_estimate_without_a_design_is_one_unweighted_domain(run: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "figures.csv"
    result = run("survey", "estimate", FORM, RESPONSES, "--places", "1", "--out", out)
    assert (result.code, result.out) == (0, "")
    table = rows(out.read_text(encoding="utf-8"))
    assert {r["unit"] for r in table} == {""} and len(table) == 12
    # q24 unweighted: 5 4 2 5 3 4 5 4 1 4 → 7 of 10 satisfied.
    assert (table[0]["estimate"], table[0]["n"]) == ("70.0", "10")


def test_a_survey_methodology_file_sets_the_definitions(run: RunCli, tmp_path: Path) -> None:
    text = FIXTURES.parents[2] / "src" / "parindex" / "data" / "surveys" / "sipas-default.yaml"
    path = tmp_path / "mine.yaml"
    path.write_text(
        text.read_text(encoding="utf-8").replace("satisfied: [4, 5]", "satisfied: [5]"),
        encoding="utf-8",
    )
    result = run("survey", "estimate", FORM, RESPONSES, "--methodology", path)
    assert rows(result.out)[0]["estimate"] == "30.00"  # 3 of 10 answered 5
    assert run("survey", "validate", FORM, "--methodology", path).code == 0


def test_bad_responses_exit_1_name_the_row_and_write_nothing(run: RunCli, tmp_path: Path) -> None:
    text = RESPONSES.read_text(encoding="utf-8").replace(",phuong_a,nam,34,", ",phuong_c,nam,34,")
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "figures.csv"
    out.write_text("kept\n", encoding="utf-8")
    result = run("survey", "estimate", FORM, bad, *DESIGN, "--out", out)
    assert result.code == 1 and result.out == ""
    assert result.err == (
        f"error: {bad}, row 3, column 'don_vi': 'phuong_c' is not a choice of the list 'don_vi'\n"
    )
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "figures.csv"]


def test_a_form_without_factor_questions_has_nothing_to_estimate(
    run: RunCli, tmp_path: Path
) -> None:
    book = load_workbook(FORM)
    for cell in book["survey"]["H"][1:]:
        cell.value = None
    path = tmp_path / "nofactor.xlsx"
    book.save(path)
    result = run("survey", "estimate", path, RESPONSES)
    assert result.code == 1
    assert (
        result.err
        == f"error: {path}: no question of the form has a sipas_factor; nothing to estimate\n"
    )


@pytest.mark.parametrize("command", [["survey"], ["survey", "validate"], ["survey", "estimate"]])
def test_help_works_on_the_survey_commands(run: RunCli, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.code == 0 and result.out.startswith(f"usage: parindex {' '.join(command)}")
    if command[-1] == "estimate":
        for option in ("--by", "--weight", "--strata", "--places", "--methodology", "--out"):
            assert option in result.out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cp1258.csv", "don_vi,q24\nHà,4\n".encode("cp1258"), "the file is not UTF-8"),
        ("nul.csv", b"don_vi,q24\nphuong_a\x00,4\n", "NUL character"),
        ("missing.csv", None, "cannot read the file"),
        ("only-header.csv", b"don_vi,q24\n", "the file has no responses"),
        ("bad.xlsx", b"not a workbook", "not a ZIP archive"),
    ],
)
def test_hostile_response_files_exit_1_naming_the_file(
    run: RunCli, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("survey", "estimate", FORM, path, "--out", tmp_path / "out.csv")
    assert result.code == 1 and message in result.err and str(path) in result.err
    assert not (tmp_path / "out.csv").exists()


def test_a_form_cell_holding_a_formula_is_refused(run: RunCli, tmp_path: Path) -> None:
    path = broken_form(tmp_path, "C10", '=HYPERLINK("http://example.invalid")')
    result = run("survey", "validate", path)
    assert result.code == 1
    assert "sheet 'survey', cell C10 holds a formula" in result.err


def test_calibrate_post_stratifies_the_weights_to_known_totals(run: RunCli, tmp_path: Path) -> None:
    totals = tmp_path / "totals.csv"
    totals.write_text("variable,category,total\ntang,mot_cua,100\ntang,buu_chinh,100\n")
    calibrated = run("survey", "estimate", FORM, RESPONSES, *DESIGN, "--calibrate", totals)
    assert calibrated.code == 0
    assert "weights calibrated to 2 known totals of 1 variable(s)" in calibrated.err
    # The same as weights set by hand: 5 mot_cua respondents of 10 → 20, 5 buu_chinh of 20 → 20.
    lines = RESPONSES.read_text(encoding="utf-8").splitlines()
    table = list(csv.reader(lines[1:]))
    at = table[0].index("trong_so")
    reweighted = tmp_path / "reweighted.csv"
    with reweighted.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(
            [table[0]] + [[*r[:at], "20", *r[at + 1 :]] for r in table[1:]]
        )
    expected = run("survey", "estimate", FORM, reweighted, *DESIGN)
    assert calibrated.out == expected.out
    assert rows(calibrated.out) != rows(run("survey", "estimate", FORM, RESPONSES, *DESIGN).out)


def test_calibrate_names_an_empty_cell_and_a_missing_column(run: RunCli, tmp_path: Path) -> None:
    totals = tmp_path / "totals.csv"
    totals.write_text("variable,category,total\ntang,mot_cua,1\ntang,ca_hai,1\ntang,buu_chinh,1\n")
    result = run("survey", "estimate", FORM, RESPONSES, *DESIGN, "--calibrate", totals)
    assert (result.code, result.out) == (1, "")
    assert f"{totals}: no respondent has 'tang' = 'ca_hai', which has a known total" in result.err
    totals.write_text("variable,category,total\nnhom_tuoi,tre,1\n")
    result = run("survey", "estimate", FORM, RESPONSES, *DESIGN, "--calibrate", totals)
    assert result.code == 1
    assert (
        "the column 'nhom_tuoi' (given with --calibrate nhom_tuoi) is not in the file" in result.err
    )


def test_template_is_written_filled_and_estimated(run: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "mau.xlsx"
    result = run("survey", "template", FORM, "--out", out)
    assert result.code == 0 and result.out == ""
    assert result.err == f"{out}: a template of 13 columns (_uuid and the questions)\n"
    book = load_workbook(out)
    sheet = book["phieu"]
    sheet.append(["p-1", "phuong_a", "nam", 40, "truc_tiep", 5, 4, 2, 5, 3, 4, 0.5, ""])
    sheet.append(["p-2", "phuong_a", "nu", 30, "truc_tuyen", 3, 5, 4, 4, 4, "", "", ""])
    book.save(out)
    estimated = run("survey", "estimate", FORM, out, "--by", "don_vi")
    assert estimated.code == 0
    q24 = next(r for r in rows(estimated.out) if r["item"] == "q24")
    assert (q24["unit"], q24["estimate"], q24["n"], q24["flag"]) == (
        "phuong_a",
        "50.00",
        "2",
        "few",
    )


def test_template_of_a_broken_form_writes_nothing(run: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "mau.xlsx"
    result = run("survey", "template", broken_form(tmp_path, "A6", "number"), "--out", out)
    assert result.code == 1 and not out.exists()
    assert "'number' is not a question type" in result.err
