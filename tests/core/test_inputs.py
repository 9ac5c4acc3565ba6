"""Reading hostile input: encodings, line ends, field sizes, numbers, names, nesting, archives."""

from __future__ import annotations

import csv
import io
import re
import sys
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex import (
    MAX_NOTE,
    InputError,
    Limits,
    MethodologyError,
    check_archive,
    clean_name,
    clean_text,
    csv_records,
    open_workbook,
    parse_decimal,
    parse_methodology_csv,
    parse_methodology_yaml,
    parse_whole,
    read_previous,
    read_scores,
    read_table,
)
from parindex.archives import workbook_rows
from parindex.errors import Location
from parindex.inputs import decode, load_json, load_yaml
from parindex.tilegrid import parse_tilegrid
from parindex.units import parse_units

from .helpers import flat, xlsx

MB = 1024 * 1024


def rewrite(data: bytes, member: str, change: bytes, prefix: bool = True) -> bytes:
    """``data`` (a ZIP) with ``change`` put before (or instead of) ``member``'s bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            body = source.read(name)
            if name == member:
                body = change + body if prefix else change
            target.writestr(name, body)
    return out.getvalue()


def bomb(megabytes: int, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A ZIP whose one member is ``megabytes`` MB of zeros (about 1 KB per MB compressed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as member,
    ):
        for _ in range(megabytes):
            member.write(bytes(MB))
    return out.getvalue()


ENTITIES = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'


def problem(caught: pytest.ExceptionInfo[InputError] | pytest.ExceptionInfo[MethodologyError]):
    return caught.value.problems[0]


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["1_0", "nan", "NaN", "inf", "-inf", "1e5", "1E5", "１２", "+1", ".5", "5.", "1,5,0"]
)
def test_parse_decimal_refuses_what_the_grammar_does_not_document(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number; write digits 0-9"):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("-2,5", "-2.5"), ("007", "7"), ("1\u00a0234,5", "1234.5")]
)
def test_parse_decimal_reads_a_sign_leading_zeros_and_grouped_thousands(
    text: str, expected: str
) -> None:
    assert parse_decimal(text) == Decimal(expected)


_GRAMMAR = re.compile(r"-?(?:[0-9]+|[0-9]{1,3}(?:\u00a0[0-9]{3})+)(?:[.,][0-9]+)?")


@given(st.text(alphabet="0123456789-+.,_eE \u00a0naifINF１", max_size=8))
def test_parse_decimal_accepts_exactly_the_documented_grammar(text: str) -> None:
    stripped = text.strip(" \u00a0")
    negative_zero = stripped.startswith("-") and not stripped.strip("-0.,\u00a0")
    documented = _GRAMMAR.fullmatch(stripped) is not None and not negative_zero
    try:
        value = parse_decimal(text)
    except ValueError:
        assert not documented
    else:
        assert documented
        plain = text.strip(" \u00a0").replace("\u00a0", "").replace(",", ".")
        assert value == Decimal(plain)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=999))
def test_parse_decimal_reads_every_dot_and_comma_number(whole: int, part: int) -> None:
    assert parse_decimal(f"{whole}.{part}") == parse_decimal(f"{whole},{part}")
    assert parse_decimal(f"{whole}.{part}") == Decimal(f"{whole}.{part}")


def test_parse_decimal_refuses_a_decimal_that_is_not_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        parse_decimal(Decimal("NaN"))


@pytest.mark.parametrize("text", ["-0", "-0.0", "-0,00", " -00 "])
def test_parse_decimal_refuses_a_negative_zero(text: str) -> None:
    with pytest.raises(ValueError, match="is a negative zero; write 0"):
        parse_decimal(text)


def test_parse_decimal_reads_zero_and_a_negative_number() -> None:
    assert parse_decimal("0,0") == 0
    assert parse_decimal("-0.5") == Decimal("-0.5")


@pytest.mark.parametrize("text", ["1_0", "１", "-1", "1.0", "", "1e2"])
def test_parse_whole_refuses_anything_but_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        parse_whole(text)


def test_parse_whole_reads_digits() -> None:
    assert parse_whole(" 12 ") == 12


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "char"), [("Bộ\x00A", "U+0000"), ("A\tB", "U+0009"), ("A\x85B", "U+0085")]
)
def test_clean_name_refuses_control_characters(text: str, char: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"control character {char}")):
        clean_name(text)


@pytest.mark.parametrize(
    ("text", "char"),
    [("xa-1\u200b", "U+200B"), ("Xã\u202eMột", "U+202E"), ("A\ufeffB", "U+FEFF")],
)
def test_clean_name_refuses_invisible_format_characters(text: str, char: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"format character {char}")):
        clean_name(text)


@pytest.mark.parametrize(
    ("text", "char"),
    [
        ("ghi\x00chú", "U+0000"),
        ("ghi\achú", "U+0007"),
        ("a\x1b[2J", "U+001B"),
        ("a\x85", "U+0085"),
        ("ghi\u202echú", "U+202E"),
        ("a\u2066b", "U+2066"),
    ],
)
def test_clean_text_refuses_control_characters_naming_the_field(text: str, char: str) -> None:
    with pytest.raises(
        ValueError, match=re.escape(f"the note contains the control character {char}")
    ):
        clean_text(text, "the note")


def test_clean_text_keeps_tabs_and_line_ends_in_nfc() -> None:
    text = unicodedata.normalize("NFD", "Xã\tMột\r\nHai\n")
    assert clean_text(text, "the note") == "Xã\tMột\r\nHai\n"


def test_clean_text_refuses_text_over_its_limit() -> None:
    assert clean_text("x" * MAX_NOTE, "the note") == "x" * MAX_NOTE
    with pytest.raises(ValueError, match="the note is longer than 10000 characters"):
        clean_text("x" * (MAX_NOTE + 1), "the note")
    with pytest.raises(ValueError, match="longer than 3 characters"):
        clean_text("abcd", "the number", max_length=3)


_VIETNAMESE = st.text(alphabet="aăâeêoôơuưyiđAĐ \u0300\u0301\u0303\u0309\u0323", min_size=1)


@given(_VIETNAMESE.filter(lambda t: t.strip()))
def test_any_nfc_or_nfd_spelling_of_a_name_reads_as_one(name: str) -> None:
    spellings = {unicodedata.normalize(form, name) for form in ("NFC", "NFD")} | {name}
    assert len({clean_name(spelling) for spelling in spellings}) == 1


def test_a_unit_spelled_in_nfc_and_nfd_is_one_unit_given_twice(tmp_path: Path) -> None:
    nfc, nfd = (unicodedata.normalize(f, "Bộ Tư pháp") for f in ("NFC", "NFD"))
    path = tmp_path / "s.csv"
    path.write_text(f"unit,code,points\n{nfc},1,5\n{nfd},1,5\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_scores(path, flat("10"))
    assert problem(caught).location == Location(str(path), 3, "code")
    assert "given twice" in problem(caught).message


def test_a_nul_in_a_unit_name_is_refused_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"unit,code,points\nA\x00B,1,5\n")
    with pytest.raises(InputError) as caught:
        read_scores(path, flat("10"))
    assert problem(caught).code == "nul" and problem(caught).location.row == 2


def test_a_control_character_in_a_name_column_is_refused_with_its_code() -> None:
    data = "unit,code,points\nBộ\x07A,1,5\n".encode()
    with pytest.raises(InputError) as caught:
        read_table(data, ("unit", "code", "points"), file="s.csv", names=("unit",))
    assert problem(caught).location == Location("s.csv", 2, "unit")
    assert (problem(caught).code, problem(caught).params) == ("name_control", {"char": "U+0007"})


def test_unit_files_refuse_a_control_character_in_a_name() -> None:
    with pytest.raises(InputError) as caught:
        parse_units("id,name,unit_type\nA,Bộ\x01A,province\n", "u.csv")
    assert problem(caught).location == Location("u.csv", 2, "name")


def test_unit_files_refuse_a_coordinate_written_with_an_underscore() -> None:
    with pytest.raises(InputError, match="'1_0' is not a number from -90"):
        parse_units("id,name,unit_type,lat\nA,B,province,1_0\n", "u.csv")


def test_tile_grids_refuse_a_control_character_in_a_label() -> None:
    with pytest.raises(InputError, match="control character U\\+001B"):
        parse_tilegrid("unit_id,col,row,label\nA,0,0,X\x1b\n", "t.csv")


def test_previous_results_refuse_a_control_character_in_json(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"units": [{"unit": "A\\u0001", "index": "1"}]}', encoding="utf-8")
    with pytest.raises(InputError, match="control character U\\+0001"):
        read_previous(path)


def test_previous_results_refuse_a_rank_written_with_an_underscore(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("unit,index,rank\nA,50,1_0\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad rank '1_0'"):
        read_previous(path)


# --- encodings and text -------------------------------------------------------------------


def test_utf16_with_a_byte_order_mark_is_read() -> None:
    assert decode("unit\nBộ A\n".encode("utf-16"), "f.csv") == "unit\nBộ A\n"


def test_another_encoding_is_refused_by_the_name_it_looks_like() -> None:
    data = "unit\nĐơn Tư pháp, Ơn, Đà, Cà Mau, Hà Giang, Ưu\n".encode("cp1258")
    with pytest.raises(InputError) as caught:
        decode(data, "f.csv")
    found = problem(caught)
    assert (found.code, found.location.row) == ("encoding_guess", 2)
    assert "not UTF-8" in found.message and "save it as UTF-8" in found.message
    assert f"looks like {found.params['encoding']}" in found.message


def test_a_nul_character_is_refused_with_its_row_and_place() -> None:
    with pytest.raises(InputError, match="at character 3") as caught:
        decode(b"a\r\nb\rcd\x00", "f.csv")
    assert problem(caught).location.row == 3


def test_a_nul_character_in_methodology_text_is_refused() -> None:
    with pytest.raises(MethodologyError, match="NUL character"):
        parse_methodology_csv("code,parent,name,max_points\n1,,A\x00,10\n", "m.csv")


def test_text_is_normalised_to_nfc() -> None:
    assert decode(unicodedata.normalize("NFD", "Đắk").encode(), "f") == "Đắk"


def test_a_file_larger_than_the_limit_is_refused_unread() -> None:
    with pytest.raises(InputError, match="larger than 1 MB"):
        csv_records(io.BytesIO(b"a\n" * MB), "f.csv", limits=Limits(max_bytes=MB))


def test_an_unreadable_path_names_the_reason(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        csv_records(tmp_path, str(tmp_path))


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_csv_reads_any_line_end(end: str) -> None:
    data = end.join(["# note", "a,b", '1,"x', 'y"', "", "2,z"]).encode() + end.encode()
    assert csv_records(data, "f.csv") == [(2, ["a", "b"]), (3, ["1", "x\ny"]), (6, ["2", "z"])]


def test_csv_comments_anywhere_are_skipped_when_asked() -> None:
    text = "a\n# x\n1\n"
    assert csv_records(text=text, comments="any") == [(1, ["a"]), (3, ["1"])]
    assert csv_records(text=text) == [(1, ["a"]), (2, ["# x"]), (3, ["1"])]


@pytest.fixture(params=[131_072, sys.maxsize], ids=["csv-default-limit", "csv-limit-raised"])
def csv_module_limit(request: pytest.FixtureRequest) -> Iterator[int]:
    """The csv module's process-wide field limit, as Python ships it and as a library that
    raises it on import (frictionless does) leaves it: the reader must answer the same."""
    before = csv.field_size_limit(request.param)
    yield request.param
    csv.field_size_limit(before)


@pytest.mark.parametrize("size", [70_000, 200_000])
def test_a_field_over_the_limit_is_named_by_row_and_column(
    size: int, csv_module_limit: int
) -> None:
    data = ("unit,code\nA,1\nB," + "x" * size + "\n").encode()
    with pytest.raises(InputError) as caught:
        csv_records(data, "f.csv")
    found = problem(caught)
    assert found.location == Location("f.csv", 3, "code")
    assert (found.code, found.params) == ("field_too_long", {"limit": "65536"})


def test_a_long_field_after_a_comment_line_is_named_by_its_column(csv_module_limit: int) -> None:
    data = ("a,b\n# x,y,z\n1," + "x" * 200_000 + "\n").encode()
    with pytest.raises(InputError) as caught:
        csv_records(data, "f.csv", comments="any")
    assert problem(caught).location == Location("f.csv", 3, "b")


def test_a_long_field_before_the_header_is_named_by_its_number(csv_module_limit: int) -> None:
    with pytest.raises(InputError) as caught:
        csv_records(b'a,"' + b"x" * 200_000 + b'"\n', "f.csv")
    assert problem(caught).location == Location("f.csv", 1, "#2")


def test_a_malformed_quote_is_a_core_error_with_its_row() -> None:
    with pytest.raises(InputError) as caught:
        csv_records(b'a,b\n1,"x"y\n', "f.csv")
    assert (problem(caught).code, problem(caught).location.row) == ("csv", 2)


def test_the_scores_reader_takes_bytes_and_streams() -> None:
    data = b"Unit,CODE,points\nA,1,2\n"
    for source in (data, io.BytesIO(data)):
        header, rows = read_table(source, ("unit", "code", "points"), file="up.csv")
        assert header == ["unit", "code", "points"]
        assert rows == [(2, {"unit": "A", "code": "1", "points": "2"})]


def test_the_methodology_csv_reads_old_mac_line_ends() -> None:
    m = parse_methodology_csv("code,parent,name,max_points\r1,,A,10\r1.1,1,B,10\r", "m.csv")
    assert [n.code for n in m.nodes] == ["1", "1.1"]


def test_the_methodology_csv_refuses_a_control_character_in_a_name() -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_csv("code,parent,name,max_points\n1,,A\x1bB,10\n", "m.csv")
    assert problem(caught).location == Location("m.csv", 2, "name", "1")


# --- JSON and YAML -------------------------------------------------------------------------


def test_rule_json_nested_too_deep_is_refused_without_recursion() -> None:
    text = 'code,parent,name,max_points,rule\n1,,A,10,"' + "[" * 5_000 + "]" * 5_000 + '"\n'
    with pytest.raises(MethodologyError, match="nested deeper than 32 levels"):
        parse_methodology_csv(text, "m.csv")


def test_json_depth_ignores_brackets_in_strings() -> None:
    assert load_json('{"a": "[[[[\\"[[[["}', Location()) == {"a": '[[[["[[[['}


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", "{bad"])
def test_json_refuses_nan_infinity_and_malformed_text(text: str) -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        load_json(text, Location("r.json"))


def test_yaml_nested_too_deep_is_refused_with_its_line() -> None:
    text = "id: x\nname: y\nnodes: " + "[" * 50_000 + "]" * 50_000 + "\n"
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_yaml(text, "m.yaml")
    assert "nested deeper than 72 levels" in problem(caught).message
    assert problem(caught).location.row == 3


def test_yaml_with_too_many_aliases_is_refused() -> None:
    lines = ["a: &a [1]", "b: [" + ", ".join(["*a"] * 101) + "]"]
    with pytest.raises(InputError, match="more than 100 aliases"):
        load_yaml("\n".join(lines), "m.yaml")


def test_a_self_referencing_yaml_tree_stops_at_the_depth_limit() -> None:
    text = 'id: x\nname: y\nnodes: &a\n  - {code: "1", name: A, max_points: 1, children: *a}\n'
    with pytest.raises(MethodologyError, match="tree is nested deeper than 32 levels"):
        parse_methodology_yaml(text, "m.yaml")


def test_a_yaml_tree_with_too_many_nodes_is_refused() -> None:
    def level(name: str, alias: str | None) -> str:
        kids = f", children: *{alias}" if alias else ""
        items = ", ".join([f'{{code: "c", name: N, max_points: 1{kids}}}'] * 10)
        return f"{name}: &{name} [{items}]\n"

    text = "id: x\nname: y\n" + level("t", None) + level("h", "t") + level("k", "h")
    text += (
        "nodes: [" + ", ".join(['{code: "1", name: B, max_points: 1, children: *k}'] * 5) + "]\n"
    )
    with pytest.raises(MethodologyError, match="more than 5000 nodes"):
        parse_methodology_yaml(text, "m.yaml")


@pytest.mark.parametrize("value", ["1_0", "0o10", "1:30", ".nan", ".inf", "0x1A", "1e5"])
def test_yaml_numbers_outside_the_grammar_are_refused_by_field(value: str) -> None:
    text = f'id: x\nname: y\nnodes:\n  - {{code: "1", name: A, max_points: {value}}}\n'
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_yaml(text, "m.yaml")
    assert problem(caught).location.column == "nodes[0].max_points"


def test_a_yaml_special_character_is_refused_with_its_line() -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_yaml("id: x\nname: \x01\n", "m.yaml")
    assert problem(caught).location.row == 2
    assert problem(caught).message.endswith("(U+0001)")


def test_yaml_plain_numbers_are_still_numbers() -> None:
    assert load_yaml("a: -12\nb: 1.5\nc: 010", "m.yaml") == {"a": -12, "b": 1.5, "c": "010"}


def test_a_yaml_control_character_in_a_node_name_is_refused() -> None:
    text = 'id: x\nname: y\nnodes:\n  - {code: "1", name: "A\\x01", max_points: 1}\n'
    with pytest.raises(MethodologyError, match="control character U\\+0001"):
        parse_methodology_yaml(text, "m.yaml")


# --- archives and workbooks -----------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_any_parsing() -> None:
    data = bomb(3)
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read_table(data, ("unit",), file="b.xlsx", limits=Limits(max_expanded=2 * MB))
    assert time.perf_counter() - started < 2
    assert problem(caught).message == "the file expands to more than 2 MB when unpacked"
    assert problem(caught).code == "archive_expands"


def test_a_bomb_that_understates_its_size_is_never_expanded() -> None:
    sheet = "xl/worksheets/sheet1.xml"
    spaces = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    data = bytearray(rewrite(xlsx(["unit"]), sheet, spaces + b" " * (21 * MB), prefix=False))
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        name_at = 30 if signature == b"PK\x03\x04" else 46
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_at : start + name_at + len(sheet)] == sheet.encode():
                data[start + size_at : start + size_at + 4] = (1000).to_bytes(4, "little")
            start += 4
    check_archive(bytes(data), "b.xlsx")  # the stated sizes pass
    started = time.perf_counter()
    with pytest.raises(InputError, match="cannot open the workbook"):
        workbook_rows(bytes(data), "b.xlsx")
    assert time.perf_counter() - started < 2


def test_a_member_compressed_too_far_is_refused() -> None:
    with pytest.raises(InputError, match="compressed more than 200 times") as caught:
        check_archive(bomb(2), "b.xlsx")
    assert problem(caught).code == "archive_ratio"


def test_an_archive_with_too_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(4):
            archive.writestr(f"m{i}", b"x")
    with pytest.raises(InputError, match="more than 3 members"):
        check_archive(out.getvalue(), "b.zip", limits=Limits(max_members=3))


def test_something_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(InputError, match="not a ZIP archive") as caught:
        open_workbook(b"PK but not really", "x.xlsx")
    assert problem(caught).code == "archive_not_zip"


@pytest.mark.parametrize(
    "member",
    ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml", "_rels/.rels"],
)
def test_a_workbook_whose_xml_declares_entities_is_refused(member: str) -> None:
    # openpyxl parses with lxml when it is installed (pikepdf brings it) and then expands
    # entities itself: the refusal must not depend on which parser openpyxl picks.
    data = rewrite(xlsx(["unit"], ["A"]), member, ENTITIES)
    with pytest.raises(InputError) as caught:
        read_table(data, ("unit",), file="e.xlsx")
    assert problem(caught).code == "workbook_xml"
    assert "declares entities" in problem(caught).message


def test_parts_that_are_not_xml_are_not_read_for_a_dtd() -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx(["unit"], ["A"]))) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("xl/media/image1.png", b"<!DOCTYPE not read: an image's bytes")
    assert open_workbook(out.getvalue(), "p.xlsx").worksheets


def test_a_part_that_is_not_xml_at_all_is_a_core_error_not_a_dtd_refusal() -> None:
    data = rewrite(xlsx(["unit"]), "xl/workbook.xml", b"not xml at all")
    with pytest.raises(InputError, match="cannot open the workbook") as caught:
        open_workbook(data, "b.xlsx")
    assert problem(caught).code == "workbook"


def test_a_sheet_with_broken_xml_is_a_core_error_when_it_is_read() -> None:
    data = rewrite(xlsx(["unit"]), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>")
    with pytest.raises(InputError, match="cannot open the workbook") as caught:
        workbook_rows(data, "b.xlsx")
    assert problem(caught).code == "workbook"


def test_a_workbook_cell_over_the_limit_is_named_by_row_and_column() -> None:
    data = xlsx(["unit", "code"], ["A", "x" * 20])
    with pytest.raises(InputError) as caught:
        workbook_rows(data, "b.xlsx", limits=Limits(max_field=10))
    assert problem(caught).location == Location("b.xlsx", 2, "code")
    with pytest.raises(InputError) as caught:
        workbook_rows(xlsx(["x" * 20]), "b.xlsx", limits=Limits(max_field=10))
    assert problem(caught).location == Location("b.xlsx", 1, "#1")


def test_workbook_cells_are_text_in_nfc() -> None:
    rows = workbook_rows(xlsx([unicodedata.normalize("NFD", "Đắk"), 2.0, 2.5, None]), "b.xlsx")
    assert rows == [(1, ["Đắk", "2", "2.5", ""])]


def test_open_workbook_returns_a_workbook_for_the_web() -> None:
    book = open_workbook(io.BytesIO(xlsx(["a"])), "b.xlsx")
    assert book.worksheets[0]["A1"].value == "a"


# --- duplicate headers, workbooks without sheets or with formulas ----------------------------


def test_a_scores_header_naming_a_column_twice_is_refused_with_both_positions() -> None:
    with pytest.raises(InputError) as caught:
        read_table(b"unit,code,points,Points\nxa-1,2.2.1,5,7\n", ("unit",), file="s.csv")
    assert problem(caught).code == "duplicate_column"
    assert problem(caught).message == "column 'points' is given twice, in columns 3 and 4"
    assert problem(caught).location == Location("s.csv", row=1)


def test_a_methodology_header_naming_a_column_twice_is_refused() -> None:
    text = "code,parent,name,max_points,max_points\n1,,A,100,50\n"
    with pytest.raises(MethodologyError, match="'max_points' is given twice, in columns 4 and 5"):
        parse_methodology_csv(text, "m.csv")


def test_blank_header_cells_are_not_duplicates() -> None:
    _, records = read_table(b"unit,,\nxa-1,,\n", ("unit",), file="s.csv")
    assert records == [(2, {"unit": "xa-1", "": ""})]


def _without(data: bytes, member: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != member:
                target.writestr(name, source.read(name))
    return out.getvalue()


@pytest.mark.parametrize("read_only", [False, True])
def test_a_workbook_without_a_worksheet_is_refused(read_only: bool) -> None:
    data = _without(xlsx(["unit"]), "xl/worksheets/sheet1.xml")
    with pytest.raises(InputError, match="the workbook has no worksheet") as caught:
        open_workbook(data, "b.xlsx", read_only=read_only)
    assert problem(caught).code == "workbook_empty"


def test_a_formula_cell_is_refused_naming_sheet_row_and_column() -> None:
    data = xlsx(["unit", "code", "points"], ["xa-1", "2.2.1", "=1+1"])
    with pytest.raises(InputError) as caught:
        workbook_rows(data, "b.xlsx")
    assert problem(caught).code == "workbook_formula"
    assert problem(caught).location == Location("b.xlsx", 2, "C")
    assert "sheet 'Sheet', cell C2 holds a formula" in problem(caught).message
    with pytest.raises(InputError, match="cell C2 holds a formula"):
        open_workbook(data, "b.xlsx")


def test_a_long_field_past_the_first_column_is_named_by_its_column() -> None:
    text = 'code,name,note\nx,"a, b",' + "y" * 20 + "\n"
    with pytest.raises(InputError, match="column 'note'") as caught:
        csv_records(text=text, file="f.csv", limits=Limits(max_field=10))
    assert "row 2" in str(caught.value)
