"""``parindex compute METHODOLOGY SCORES [--out] [--format] [--places] [--bands] [--previous]``."""

from __future__ import annotations

import json
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from parindex import load_methodology, shipped_methodologies

from .helpers import (
    CHANGE_COLUMNS,
    CSV_COLUMNS,
    RunCli,
    listing,
    read_csv,
    scores_csv,
    unit_rows,
    write,
)

# --- the published figures ------------------------------------------------------------------


def test_the_worked_example_publishes_11_50_points_and_95_83_index_for_field_1(
    run: RunCli, tmp_path: Path
) -> None:
    # The shipped ministry methodology (2948/QĐ-BNV): field 1 has a maximum of 12.00.
    m = load_methodology(shipped_methodologies()["par2948-ministry"])
    assert m.by_code["1"].max_points == 12
    rows: list[tuple[str, str, object]] = [("Bộ Tư pháp", f.code, f.max_points) for f in m.fields]
    rows[0] = ("Bộ Tư pháp", "1", "11.50")
    path = write(tmp_path, "ministries.csv", scores_csv(rows))

    result = run("compute", "par2948-ministry", path)

    assert result.code == 0
    [row] = read_csv(result.out)
    assert row["points_1"] == "11.50"
    assert row["index_1"] == "95.83"
    assert row["points_6"] == "7.50"
    assert row["total_points"] == "99.50"
    assert row["index"] == "99.50"
    assert row["group"] == "Từ 80% trở lên"  # the methodology's own bands


def test_it_writes_one_row_per_unit_with_the_documented_columns(
    run: RunCli, methodology: Path, scores: Path
) -> None:
    result = run("compute", methodology, scores)

    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split(",") == [*CSV_COLUMNS, "points_1", "index_1", "points_2", "index_2"]
    assert lines[1:] == [
        "Bộ B,100.00,100.00,1,,12.00,100.00,88.00,100.00",
        "Bộ A,91.50,91.50,2,,11.50,95.83,80.00,90.91",
    ]
    assert "\r" not in result.out


def test_it_reads_an_interchange_csv_methodology_with_extra_columns_and_comments(
    run: RunCli, tmp_path: Path, scores: Path
) -> None:
    text = (
        "# exported from a spreadsheet\n"
        "code,parent,name,max_points,ghi chú,source\n"
        "1,,Lĩnh vực 1,12,,\n"
        "1.1,1,Tiêu chí 1.1,7,note,\n"
        "1.2,1,Tiêu chí 1.2,5,,survey\n"
        "2,,Lĩnh vực 2,88,,\n"
    )
    path = write(tmp_path, "method-extra.csv", text)

    result = run("compute", path, scores, "--format", "json")

    assert result.code == 0
    data = json.loads(result.out)
    assert data["units"][1]["by_source"]["survey"] == {
        "points": "5.00",
        "max_points": "5.00",
        "index": "100.00",
    }


def test_ties_get_competition_ranks_1_2_2_4_in_output_order(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    rows = (
        unit_rows("Huế", 7, 5, 38)  # 50
        + unit_rows("Điện Biên", 7, 5, 80)  # 92
        + unit_rows("Hà Nội", 7, 5, 88)  # 100
        + unit_rows("Đắk Lắk", 7, 5, 80)  # 92
    )
    path = write(tmp_path, "provinces.csv", scores_csv(rows))

    result = run("compute", methodology, path)

    assert result.code == 0
    table = [(r["unit"], r["index"], r["rank"]) for r in read_csv(result.out)]
    # Ties are ordered by Vietnamese dictionary order: "Đắk" (ă) before "Điện" (i).
    assert table == [
        ("Hà Nội", "100.00", "1"),
        ("Đắk Lắk", "92.00", "2"),
        ("Điện Biên", "92.00", "2"),
        ("Huế", "50.00", "4"),
    ]


def test_ranks_follow_the_published_index_not_the_exact_one(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    # 92.004 and 92.001 both publish as 92.00, so they tie.
    rows = unit_rows("A", 7, 5, "80.004") + unit_rows("B", 7, 5, "80.001")
    path = write(tmp_path, "s.csv", scores_csv(rows))

    result = run("compute", methodology, path)

    assert [(r["unit"], r["index"], r["rank"]) for r in read_csv(result.out)] == [
        ("A", "92.00", "1"),
        ("B", "92.00", "1"),
    ]


def test_it_groups_units_by_bands_with_vietnamese_labels(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    rows = (
        unit_rows("A", 7, 5, 83)  # 95
        + unit_rows("B", 7, 5, 78)  # 90: the minimum is reached
        + unit_rows("C", 7, 5, "77.99")  # 89.99
        + unit_rows("D", 0, 0, 10)  # 10
    )
    path = write(tmp_path, "s.csv", scores_csv(rows))

    result = run("compute", methodology, path, "--bands", "Xuất sắc:90;Tốt:80;Khá:0")

    assert result.code == 0
    groups = {r["unit"]: r["group"] for r in read_csv(result.out)}
    assert groups == {"A": "Xuất sắc", "B": "Xuất sắc", "C": "Tốt", "D": "Khá"}


def test_band_labels_may_hold_spaces_and_colons(
    run: RunCli, methodology: Path, scores: Path
) -> None:
    result = run("compute", methodology, scores, "--bands", " Nhóm 1: rất tốt : 95 ; Nhóm 2:0")

    assert result.code == 0
    groups = {r["unit"]: r["group"] for r in read_csv(result.out)}
    assert groups == {"Bộ B": "Nhóm 1: rất tốt", "Bộ A": "Nhóm 2"}


def test_units_below_every_band_have_an_empty_group(
    run: RunCli, methodology: Path, scores: Path
) -> None:
    result = run("compute", methodology, scores, "--bands", "A:95")

    assert {r["unit"]: r["group"] for r in read_csv(result.out)} == {"Bộ B": "A", "Bộ A": ""}


def test_bands_override_the_methodologys_own(run: RunCli, tmp_path: Path) -> None:
    m = load_methodology(shipped_methodologies()["par2948-ministry"])
    rows = [("Bộ Y tế", f.code, f.max_points) for f in m.fields]
    path = write(tmp_path, "s.csv", scores_csv(rows))

    default = run("compute", "par2948-ministry", path)
    overridden = run("compute", "par2948-ministry", path, "--bands", "Tốt:50;Chưa tốt:0")

    assert read_csv(default.out)[0]["group"] == "Từ 80% trở lên"
    assert read_csv(overridden.out)[0]["group"] == "Tốt"


YAML_PLACES_1 = """\
id: thu-nghiem
name: "Thử nghiệm"
places: 1
default_rule: {kind: points}
nodes:
  - {code: "1", name: "Một", max_points: 12}
  - {code: "2", name: "Hai", max_points: 88}
"""


def test_places_default_to_the_methodologys(run: RunCli, tmp_path: Path) -> None:
    method = write(tmp_path, "m.yaml", YAML_PLACES_1)
    path = write(tmp_path, "s.csv", scores_csv([("A", "1", "11.5"), ("A", "2", "80")]))

    result = run("compute", method, path)

    row = read_csv(result.out)[0]
    assert (row["points_1"], row["index_1"], row["index"]) == ("11.5", "95.8", "91.5")


def test_places_default_to_2_when_the_methodology_has_none(
    run: RunCli, methodology: Path, scores: Path
) -> None:
    assert read_csv(run("compute", methodology, scores).out)[1]["index_1"] == "95.83"


@pytest.mark.parametrize(
    ("places", "points_1", "index_1"), [("0", "12", "96"), ("3", "11.500", "95.833")]
)
def test_places_option_overrides_the_default(
    run: RunCli, methodology: Path, scores: Path, places: str, points_1: str, index_1: str
) -> None:
    result = run("compute", methodology, scores, "--places", places)

    row = read_csv(result.out)[1]
    assert (row["points_1"], row["index_1"]) == (points_1, index_1)


def test_a_missing_leaf_counts_as_zero_with_a_warning(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "partial.csv", scores_csv([("Bộ A", "1.1", "7"), ("Bộ A", "2", "88")]))

    result = run("compute", methodology, path)

    assert result.code == 0
    assert "warning: " in result.err
    warning = next(line for line in result.err.splitlines() if line.startswith("warning:"))
    assert "partial.csv" in warning and "'Bộ A'" in warning and "leaf 1.2" in warning
    assert "counted as 0" in warning
    assert read_csv(result.out)[0]["points_1"] == "7.00"


def test_it_prints_the_number_of_units_and_index_statistics_on_stderr(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    rows = unit_rows("A", 7, 5, 88) + unit_rows("B", 7, 5, 38) + unit_rows("C", 7, 5, 68)
    path = write(tmp_path, "s.csv", scores_csv(rows))

    result = run("compute", methodology, path)

    assert result.err.strip() == ("3 units; index mean 76.67, median 80.00, min 50.00, max 100.00")
    assert "units" not in result.out


def test_decimal_commas_and_a_byte_order_mark_are_accepted(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    text = scores_csv([("Bộ A", "1.1", "6,5"), ("Bộ A", "1.2", "5"), ("Bộ A", "2", "80")])
    path = write(tmp_path, "excel.csv", "\ufeff" + text)

    result = run("compute", methodology, path)

    assert result.code == 0
    assert read_csv(result.out)[0]["points_1"] == "11.50"


def test_every_shipped_methodology_computes(run: RunCli, tmp_path: Path) -> None:
    for name, file in shipped_methodologies().items():
        m = load_methodology(file)
        rows: list[tuple[str, str, object]] = []
        for leaf in m.leaves:
            rows += [
                ("Đầy đủ", leaf.code, leaf.max_points),
                ("Nửa", leaf.code, leaf.max_points / 2),
            ]
        path = write(tmp_path, f"{name}.csv", scores_csv(rows))

        result = run("compute", name, path)

        assert result.code == 0, result.err
        table = [(r["unit"], r["index"], r["rank"]) for r in read_csv(result.out)]
        assert table == [("Đầy đủ", "100.00", "1"), ("Nửa", "50.00", "2")], name
        header = result.out.splitlines()[0].split(",")
        assert header[5:] == [f"{k}_{f.code}" for f in m.fields for k in ("points", "index")]
        assert "warning" not in result.err
        assert result.err.startswith("2 units; index mean 75.00")


# --- output formats -------------------------------------------------------------------------


def test_json_output_has_the_same_figures_and_node_detail(
    run: RunCli, methodology: Path, scores: Path
) -> None:
    result = run("compute", methodology, scores, "--format", "json")

    assert result.code == 0
    data = json.loads(result.out)
    assert data["places"] == 2
    assert data["methodology"]["max_total"] == "100"
    units = {u["unit"]: u for u in data["units"]}
    assert [u["unit"] for u in data["units"]] == ["Bộ B", "Bộ A"]
    a = units["Bộ A"]
    assert (a["total_points"], a["index"], a["rank"], a["group"]) == ("91.50", "91.50", 2, None)
    assert a["nodes"] == [
        {"code": "1", "level": 1, "points": "11.50", "max_points": "12.00", "index": "95.83"},
        {"code": "1.1", "level": 2, "points": "6.50", "max_points": "7.00", "index": "92.86"},
        {"code": "1.2", "level": 2, "points": "5.00", "max_points": "5.00", "index": "100.00"},
        {"code": "2", "level": 1, "points": "80.00", "max_points": "88.00", "index": "90.91"},
    ]
    assert a["change"] is None
    assert data["stats"]["total"] == {
        "count": 2,
        "mean": "95.75",
        "median": "95.75",
        "min": "91.50",
        "max": "100.00",
    }
    assert data["warnings"] == []


def test_json_keeps_vietnamese_letters_unescaped(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results.json"

    result = run("compute", methodology, scores, "--out", out)

    assert result.code == 0 and result.out == ""
    text = out.read_text(encoding="utf-8")
    assert '"unit": "Bộ A"' in text
    assert json.loads(text)["schema_version"] == 1


def test_xlsx_output_is_a_workbook_for_people(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ket-qua.xlsx"

    result = run("compute", methodology, scores, "--out", out, "--bands", "Tốt:95;Khá:0")

    assert result.code == 0 and result.out == ""
    book = load_workbook(out)
    assert book.sheetnames == ["Kết quả", "Chi tiết", "Thống kê"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
    main = book["Kết quả"]
    header = [c.value for c in main[1]]
    assert header == [
        "Đơn vị", "Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Nhóm",
        "Điểm LV 1", "Chỉ số LV 1 (%)", "Điểm LV 2", "Chỉ số LV 2 (%)",
    ]  # fmt: skip
    row = list(main[3])
    assert [c.value for c in row[:5]] == ["Bộ A", 91.5, 91.5, 2, "Khá"]
    assert row[6].value == pytest.approx(95.83)
    for cell in [row[1], row[2], *row[5:]]:
        assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
        assert cell.number_format == "0.00"
    assert isinstance(row[3].value, int)
    detail = book["Chi tiết"]
    assert [c.value for c in detail[1]] == [
        "Đơn vị", "Mã", "Tên", "Cấp", "Điểm tối đa", "Điểm", "Chỉ số (%)",
    ]  # fmt: skip
    assert detail.max_row == 1 + 2 * 4  # a row per unit and node
    stats = book["Thống kê"]
    assert [c.value for c in stats[2]][:2] == ["Tổng", 2]


def test_xlsx_output_with_places_0_shows_whole_numbers(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.xlsx"

    assert run("compute", methodology, scores, "--out", out, "--places", "0").code == 0

    cell = load_workbook(out)["Kết quả"]["G3"]
    assert (cell.value, cell.number_format) == (96, "0")


def test_it_refuses_a_control_character_in_a_unit_name(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "s.csv", scores_csv(unit_rows("Bộ\x01A", 7, 5, 88)))
    out = tmp_path / "r.xlsx"

    result = run("compute", methodology, path, "--out", out)

    assert result.code == 1
    assert f"error: {path}, row 2, column 'unit': contains the control character U+0001" in (
        result.err
    )
    assert not out.exists()


def test_xlsx_scores_are_read_from_the_first_sheet(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "code", "points", "ghi chú"])
    sheet.append(["Bộ A", "1.1", 6.5, "số thập phân"])
    sheet.append([])  # an empty row is skipped
    sheet.append(["Bộ A", 1.2, 5])  # a code typed as a number
    sheet.append(["Bộ A", 2, 80.0])
    book.create_sheet("other").append(["ignored"])
    path = tmp_path / "scores.xlsx"
    book.save(path)

    result = run("compute", methodology, path)

    assert result.code == 0, result.err
    row = read_csv(result.out)[0]
    assert (row["points_1"], row["index_1"], row["points_2"]) == ("11.50", "95.83", "80.00")


def test_xlsx_scores_errors_name_the_sheet_row(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    book = Workbook()
    book.active.append(["unit", "code", "points"])
    book.active.append(["Bộ A", "1.1", 6.5])
    book.active.append([])
    book.active.append(["Bộ A", "1.2", 5.5])
    path = tmp_path / "scores.xlsx"
    book.save(path)

    result = run("compute", methodology, path)

    assert result.code == 1
    assert "scores.xlsx, row 4, column 'points'" in result.err


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        ((), "csv"),
        (("--format", "json"), "json"),
        (("--out", "r.json"), "json"),
        (("--out", "r.CSV"), "csv"),
        (("--out", "r.xlsx"), "xlsx"),
        (("--out", "r.txt"), "csv"),  # an unknown extension: CSV
        (("--out", "r.json", "--format", "csv"), "csv"),  # --format wins
    ],
)
def test_the_format_comes_from_the_option_else_the_extension_else_csv(
    run: RunCli,
    methodology: Path,
    scores: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    kind: str,
) -> None:
    monkeypatch.chdir(tmp_path)

    result = run("compute", methodology, scores, *args)

    assert result.code == 0
    data = Path(args[1]).read_bytes() if "--out" in args else result.out.encode()
    if kind == "xlsx":
        assert data[:2] == b"PK"
    elif kind == "json":
        assert json.loads(data)["units"][0]["unit"] == "Bộ B"
    else:
        assert data.startswith(b"unit,total_points,index,rank,group")


def test_an_output_file_gets_the_usual_permissions(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.csv"
    old = os.umask(0o022)
    try:
        assert run("compute", methodology, scores, "--out", out).code == 0
    finally:
        os.umask(old)

    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_an_existing_output_file_is_replaced(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    out = write(tmp_path, "r.csv", "old")

    assert run("compute", methodology, scores, "--out", out).code == 0

    assert out.read_text(encoding="utf-8").startswith("unit,")
    assert listing(tmp_path) == {"method.csv", "scores.csv", "r.csv"}


# --- previous results -----------------------------------------------------------------------


def test_previous_results_add_change_columns(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    first = write(
        tmp_path,
        "2023.csv",
        scores_csv(unit_rows("A", 7, 5, 88) + unit_rows("B", 7, 5, 78) + unit_rows("C", 0, 0, 1)),
    )
    second = write(
        tmp_path,
        "2024.csv",
        scores_csv(unit_rows("A", 7, 5, 70) + unit_rows("B", 7, 5, 80) + unit_rows("D", 1, 1, 1)),
    )
    previous = tmp_path / "2023-results.csv"
    assert run("compute", methodology, first, "--out", previous).code == 0

    result = run("compute", methodology, second, "--previous", previous)

    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split(",")[-4:] == CHANGE_COLUMNS
    rows = {r["unit"]: r for r in read_csv(result.out)}
    assert [rows["B"][c] for c in CHANGE_COLUMNS] == ["90.00", "2.00", "2", "1"]
    assert [rows["A"][c] for c in CHANGE_COLUMNS] == ["100.00", "-18.00", "1", "-1"]
    assert [rows["D"][c] for c in CHANGE_COLUMNS] == ["", "", "", ""]  # new this year


def test_previous_results_may_be_json_and_the_output_json_has_the_change(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    previous = tmp_path / "prev.json"
    assert run("compute", methodology, scores, "--out", previous).code == 0
    now = write(tmp_path, "now.csv", scores_csv(unit_rows("Bộ A", 7, 5, 88)))

    result = run("compute", methodology, now, "--previous", previous, "--format", "json")

    change = json.loads(result.out)["units"][0]["change"]
    assert change == {
        "previous_index": "91.50",
        "index_change": "8.50",
        "previous_rank": 2,
        "rank_change": 1,
    }


def test_previous_results_may_be_a_workbook_without_ranks(
    run: RunCli, methodology: Path, scores: Path, tmp_path: Path
) -> None:
    book = Workbook()
    book.active.append(["unit", "index"])
    book.active.append(["Bộ A", 90.25])
    previous = tmp_path / "prev.xlsx"
    book.save(previous)
    out = tmp_path / "r.xlsx"

    result = run("compute", methodology, scores, "--previous", previous, "--out", out)

    assert result.code == 0
    sheet = load_workbook(out)["Kết quả"]
    assert [c.value for c in sheet[1]][-4:] == [
        "Chỉ số kỳ trước (%)", "Thay đổi chỉ số", "Xếp hạng kỳ trước", "Thay đổi xếp hạng",
    ]  # fmt: skip
    assert [c.value for c in sheet[3]][-4:] == [90.25, 1.25, None, None]  # Bộ A
    assert [c.value for c in sheet[2]][-4:] == [None, None, None, None]  # Bộ B: not before
    assert sheet["J3"].number_format == "0.00"


def test_points_are_exact_decimals_not_floats(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    # 3 × 0.335 = 1.005 exactly, which rounds half-up to 1.01 (the float 1.005 rounds to 1.0).
    text = "code,parent,name,max_points\n1,,A,1.005\n1.1,1,a,0.335\n1.2,1,b,0.335\n1.3,1,c,0.335\n"
    method = write(tmp_path, "m.csv", text)
    rows = [("A", "1.1", "0.335"), ("A", "1.2", "0.335"), ("A", "1.3", "0.335")]
    path = write(tmp_path, "s.csv", scores_csv(rows))

    result = run("compute", method, path)

    assert result.code == 0
    assert read_csv(result.out)[0]["total_points"] == "1.01"
    assert round(1.005, 2) == 1.0 and Decimal("0.335") * 3 == Decimal("1.005")
