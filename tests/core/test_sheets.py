"""Text in spreadsheets (parindex.sheets): never a formula in a workbook, neutralised in a CSV."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from parindex.scores_io import read_table
from parindex.sheets import (
    CSV_BOM,
    FORMULA_STARTS,
    MAX_CELL_TEXT,
    append_row,
    cell_text,
    csv_field,
    csv_row,
    csv_unquote,
    put_cell,
)

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "=1",
    "#REF!",
    "#N/A",
    "\t=1+1",
    "＝1+1",
]


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", HOSTILE)
def test_put_cell_stores_hostile_text_as_a_string_cell(text: str) -> None:
    book = Workbook()
    cell = put_cell(book.active, 2, 3, text)
    assert (cell.row, cell.column, cell.value, cell.data_type) == (2, 3, text, "s")
    data = _saved(book)
    assert "<f>" not in _sheet_xml(data) and "<f " not in _sheet_xml(data)
    again = load_workbook(io.BytesIO(data)).active.cell(2, 3)
    assert (again.value, again.data_type) == (text, "s")


def test_a_plain_openpyxl_assignment_would_have_written_a_formula() -> None:
    """What put_cell guards against, as openpyxl 3.1.5 behaves."""
    book = Workbook()
    book.active["A1"] = "=1+1"
    assert book.active["A1"].data_type == "f"
    assert "<f>1+1</f>" in _sheet_xml(_saved(book))


def test_append_row_keeps_numbers_dates_and_empty_cells_and_makes_text_strings() -> None:
    book = Workbook()
    sheet = book.active
    when = datetime.date(2026, 12, 3)
    append_row(sheet, ["=A2", Decimal("-1.50"), 3, when, None, True, ""])
    append_row(sheet, ["second"])
    first = [(c.value, c.data_type) for c in sheet[1]]
    assert first[:6] == [
        ("=A2", "s"),
        (Decimal("-1.50"), "n"),
        (3, "n"),
        (when, "d"),
        (None, "n"),
        (True, "b"),
    ]
    assert sheet["A2"].value == "second"
    again = load_workbook(io.BytesIO(_saved(book))).active
    assert [c.value for c in again[1]][:4] == ["=A2", -1.5, 3, datetime.datetime(2026, 12, 3)]


def test_put_cell_with_none_empties_a_cell() -> None:
    book = Workbook()
    put_cell(book.active, 1, 1, "text")
    assert put_cell(book.active, 1, 1, None).value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hà Nội", "Hà Nội"),
        ("a\x00b\x08c\x0bd\x1f", "a\ufffdb\ufffdc\ufffdd\ufffd"),
        ("tab\tand\nline", "tab\tand\nline"),
        ("windows\r\nmac\rend", "windows\nmac\nend"),
        ("\ufffe\uffff", "\ufffd\ufffd"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("x" * (MAX_CELL_TEXT + 5), "x" * MAX_CELL_TEXT),
    ],
)
def test_cell_text_keeps_only_what_a_worksheet_holds(text: str, expected: str) -> None:
    assert cell_text(text) == expected


def test_a_non_character_no_longer_breaks_the_workbook() -> None:
    book = Workbook()
    put_cell(book.active, 1, 1, "Ban\ufffe")
    assert load_workbook(io.BytesIO(_saved(book))).active["A1"].value == "Ban\ufffd"


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_any_text_becomes_a_string_cell_with_the_cleaned_text(text: str) -> None:
    cell = put_cell(Workbook().active, 1, 1, text)
    assert cell.data_type == "s"
    assert cell.value == cell_text(text)


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), min_size=1))
def test_any_text_reads_back_from_the_file_as_the_same_string(text: str) -> None:
    book = Workbook()
    put_cell(book.active, 1, 1, text)
    data = _saved(book)
    assert not re.search(r"<f[ >]", _sheet_xml(data))
    cell = load_workbook(io.BytesIO(data)).active["A1"]
    expected = cell_text(text)
    assert cell.value == (expected or None)
    assert expected == "" or cell.data_type == "s"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("-", "'-"),
        ("+1", "'+1"),
        ("-1e5", "'-1e5"),
        ("-1.5", "-1.5"),
        ("-3", "-3"),
        ("12.50", "12.50"),
        (Decimal("-0.75"), "-0.75"),
        (-4, "-4"),
        ("a=b", "a=b"),
        ("Hà Nội", "Hà Nội"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_field_quotes_what_a_spreadsheet_would_run(value: object, expected: str) -> None:
    assert csv_field(value) == expected


def test_csv_row_neutralises_every_field() -> None:
    assert csv_row(["=1", None, -2, "ok"]) == ["'=1", "", "-2", "ok"]


@given(st.text())
def test_a_csv_field_never_starts_a_formula_and_keeps_the_text(text: str) -> None:
    field = csv_field(text)
    assert field in (text, "'" + text)
    number = re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text)
    assert number is not None or not field.startswith(FORMULA_STARTS)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("'=1+1", "=1+1"),
        ("'-x", "-x"),
        ("'+1", "+1"),
        ("'@SUM(A1)", "@SUM(A1)"),
        ("'\tx", "\tx"),
        ("'\rx", "\rx"),
        ("'\uff1dx", "\uff1dx"),
        ("''-x", "'-x"),
        ("'abc", "'abc"),
        ("'", "'"),
        ("-1.5", "-1.5"),
        ("Hà Nội", "Hà Nội"),
        ("", ""),
    ],
)
def test_csv_unquote_removes_exactly_the_quote_csv_field_put(field: str, expected: str) -> None:
    assert csv_unquote(field) == expected


@given(st.text())
def test_csv_unquote_inverts_csv_field(text: str) -> None:
    assert csv_unquote(csv_field(text)) == text


def test_a_people_csv_read_back_gives_the_codes_that_were_written() -> None:
    rows = [["unit", "code", "points"], ["-x", "=A1", "-1.5"], ["'-y", "@b", "2"]]
    text = CSV_BOM + "".join(",".join(csv_row(r)) + "\n" for r in rows)
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    _, records = read_table(data, ("unit", "code", "points"), file="t.csv", people=True)
    assert [r for _, r in records] == [
        {"unit": "-x", "code": "=A1", "points": "-1.5"},
        {"unit": "'-y", "code": "@b", "points": "2"},
    ]
    _, plain = read_table(data, ("unit", "code", "points"), file="t.csv")
    assert plain[0][1]["unit"] == "'-x"
