"""Hostile input on the command line: every case exits 1 with a located message, no traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from .helpers import METHODOLOGY_CSV, RunCli, listing, write

MB = 1024 * 1024


@pytest.fixture
def methodology(tmp_path: Path) -> Path:
    return write(tmp_path, "m.csv", METHODOLOGY_CSV)


def test_a_deeply_nested_yaml_methodology_is_refused(run: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, "m.yaml", "id: x\nname: y\nnodes: " + "[" * 20_000 + "]" * 20_000)

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert result.err == f"error: {path}, row 3: the YAML is nested deeper than 72 levels\n"


def test_deeply_nested_rule_json_is_refused(run: RunCli, tmp_path: Path) -> None:
    rule = "[" * 5_000 + "]" * 5_000
    path = write(tmp_path, "m.csv", f'code,parent,name,max_points,rule\n1,,A,10,"{rule}"\n')

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert "row 2, column 'rule', node 1: not a valid rule: the JSON is nested deeper" in result.err


def test_old_mac_line_ends_are_read(run: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(METHODOLOGY_CSV.replace("\n", "\r").encode())

    result = run("methodology", "validate", path)

    assert result.code == 0, result.err


def test_a_field_over_128_kib_is_refused_with_row_and_column(run: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "code,parent,name,max_points\n1,,A" + "x" * 140_000 + ",10\n")

    result = run("methodology", "validate", path)

    assert result.code == 1
    assert result.err == (
        f"error: {path}, row 2, column 'name': the field is longer than 65536 characters\n"
    )


@pytest.mark.parametrize("points", ["1_0", "nan", "inf", "1e1", "１"])
def test_a_number_outside_the_grammar_is_refused_by_field(
    run: RunCli, methodology: Path, tmp_path: Path, points: str
) -> None:
    path = write(tmp_path, "s.csv", f"unit,code,points\nBộ A,1.1,{points}\n")

    result = run("compute", methodology, path)

    assert result.code == 1
    assert result.err.startswith(f"error: {path}, row 2, column 'points': '{points}' is not a")


def test_a_nul_byte_in_a_unit_name_is_refused(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("unit,code,points\nBộ\x00A,1.1,1\n".encode())

    result = run("compute", methodology, path)

    assert result.code == 1
    assert result.err.startswith(f"error: {path}, row 2: the file holds a NUL character")


def test_nfc_and_nfd_spellings_of_a_unit_are_one_unit(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    nfd = "Bo\u0323\u0302 A"  # "Bộ A" decomposed
    path = write(tmp_path, "s.csv", f"unit,code,points\nBộ A,1.1,1\n{nfd},1.1,2\n")

    result = run("compute", methodology, path)

    assert result.code == 1
    assert "row 3, column 'code': unit 'Bộ A' and code '1.1' are given twice" in result.err


def test_places_written_with_an_underscore_is_a_usage_error(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "s.csv", "unit,code,points\nBộ A,1.1,1\n")

    result = run("compute", methodology, path, "--places", "1_0")

    assert result.code == 2
    assert "expected a whole number, got '1_0'" in result.err


def _workbook() -> bytes:
    book = Workbook()
    book.active.append(["unit", "code", "points"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_whose_xml_declares_entities_is_refused(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    path = tmp_path / "s.xlsx"
    with zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name == "xl/workbook.xml":
                body = b'<!DOCTYPE x [<!ENTITY a "a">]>' + body
            target.writestr(name, body)

    result = run("compute", methodology, path)

    assert result.code == 1
    assert result.err == (
        f"error: {path}: cannot open the workbook: its XML declares entities or refers outside"
        " the file, which is not allowed\n"
    )


def test_a_zip_bomb_is_refused_at_once_and_named(
    run: RunCli, methodology: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(21):
            member.write(bytes(MB))
    before = listing(tmp_path)

    result = run("compute", methodology, path, "--out", tmp_path / "out.csv")

    assert result.code == 1
    assert result.err == f"error: {path}: the file expands to more than 20 MB when unpacked\n"
    assert listing(tmp_path) == before
