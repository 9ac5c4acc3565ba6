"""Reading methodologies: YAML and the interchange CSV, and every malformed input."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from parindex import (
    MethodologyError,
    PointsRule,
    Source,
    YesNoRule,
    load_methodology,
    methodology_to_dict,
    parse_methodology_csv,
    parse_methodology_yaml,
    shipped_methodologies,
    validate,
)

from .helpers import D

GOOD_CSV = """# a comment line
code,parent,name,max_points,name_en,source,rule,extra
1,,Chỉ đạo điều hành,12,Direction,,,ignored
1.1,1,Kế hoạch,5,,,"{""kind"": ""yes_no""}",
1.2,1,Báo cáo,7,,survey,,
2,,Thể chế,88,,,,
"""


def test_the_interchange_csv_builds_the_tree() -> None:
    m = parse_methodology_csv(GOOD_CSV, "m.csv")
    assert [n.code for n in m.nodes] == ["1", "1.1", "1.2", "2"]
    assert [n.code for n in m.fields] == ["1", "2"]
    assert [n.code for n in m.leaves] == ["1.1", "1.2", "2"]
    assert m.by_code["1.1"].rule == YesNoRule()
    assert m.by_code["1.2"].rule == PointsRule()  # a leaf without a rule gets direct points
    assert m.by_code["1"].rule is None
    assert m.source_of("1.2") is Source.SURVEY and m.source_of("1.1") is Source.APPRAISAL
    assert m.by_code["1"].name_en == "Direction"
    assert m.id == "m"
    assert validate(m) == []


@pytest.mark.parametrize(
    ("text", "row", "column", "message"),
    [
        ("", None, None, "empty"),
        ("code,name,max_points\n1,x,5\n", 1, None, "missing column(s) parent"),
        ("code,parent,name,max_points\n1,,x\n", 2, None, "expected 4 cells, found 3"),
        ("code,parent,name,max_points\n1,,x,abc\n", 2, "max_points", "not a number"),
        ("code,parent,name,max_points\n1,,,5\n", 2, "name", "empty"),
        ("code,parent,name,max_points,source\n1,,x,5,poll\n", 2, "source", "unknown source"),
        ("code,parent,name,max_points,rule\n1,,x,5,{bad\n", 2, "rule", "not a valid rule"),
        ("code,parent,name,max_points,rule\n1,,x,5,[1]\n", 2, "rule", "not a valid rule"),
    ],
)
def test_csv_problems_name_the_row_and_column(
    text: str, row: int | None, column: str | None, message: str
) -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_csv(text, "m.csv")
    problem = caught.value.problems[0]
    assert message in problem.message
    assert (problem.location.file, problem.location.row, problem.location.column) == (
        "m.csv",
        row,
        column,
    )


def test_blank_csv_rows_are_skipped() -> None:
    m = parse_methodology_csv("code,parent,name,max_points\n\n1,,x,5\n,,,\n", "m.csv")
    assert len(m.nodes) == 1


YAML = """
id: m
name: Tên
name_en: Name
unit_type: province
valid_from: 2024
valid_to: 2030
decision: {number: "1/QĐ", date: 2024-12-05, issuer: Bộ Nội vụ, url: "https://example.org"}
places: 3
rounding: half_even
total_points: 10
bands: [{label: "Tốt", min: 80}, {label: "Khá", min: 0}]
example: true
notes: Ghi chú
notes_en: A note
nodes:
  - code: "1"
    name: A
    max_points: 10
    source: survey
    children:
      - {code: "1.1", name: B, max_points: 4, rule: {kind: yes_no},
         evidence: E, legal_basis: L, note: N}
      - {code: "1.2", name: C, max_points: 6, rule: {kind: deduction, per_item: 1}}
"""


def test_yaml_reads_metadata_and_nested_nodes() -> None:
    m = parse_methodology_yaml(YAML, "m.yaml")
    assert (m.id, m.unit_type, m.valid_from, m.valid_to, m.places, m.rounding.value) == (
        "m",
        "province",
        2024,
        2030,
        3,
        "half_even",
    )
    assert (
        m.decision.number == "1/QĐ" and m.decision.date is not None and m.decision.date.year == 2024
    )
    assert [b.label for b in m.bands] == ["Tốt", "Khá"] and m.example
    assert [(n.code, n.parent) for n in m.nodes] == [("1", None), ("1.1", "1"), ("1.2", "1")]
    assert m.source_of("1.2") is Source.SURVEY
    assert m.by_code["1.1"].evidence == "E" and m.by_code["1.1"].legal_basis == "L"
    assert validate(m) == []


def test_yaml_notes_come_in_vietnamese_and_english_and_the_dict_keeps_both() -> None:
    m = parse_methodology_yaml(YAML, "m.yaml")
    assert (m.notes, m.notes_en) == ("Ghi chú", "A note")
    data = methodology_to_dict(m)
    assert (data["notes"], data["notes_en"]) == ("Ghi chú", "A note")
    assert parse_methodology_yaml("id: m\nname: x\nnodes: []").notes_en == ""


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("[1, 2]", "(top level)", "expected a mapping"),
        ("name: x\nnodes: []", "id", "required"),
        ("id: m\nname: x\nnodes: {}", "nodes", "expected a list"),
        ("id: m\nname: x\nnodes: [5]", "nodes[0]", "expected a mapping"),
        ("id: m\nname: x\nnodes: [{name: a, max_points: 1}]", "nodes[0].code", "required"),
        ("id: m\nname: x\nnodes: [{code: '1', name: a}]", "nodes[0].max_points", "required"),
        (
            "id: m\nname: x\nnodes: [{code: '1', name: a, max_points: abc}]",
            "nodes[0].max_points",
            "not a number",
        ),
        ("id: m\nname: [x]\nnodes: []", "name", "expected text"),
        ("id: m\nname: x\nplaces: two\nnodes: []", "places", "whole number"),
        ("id: m\nname: x\nrounding: up\nnodes: []", "rounding", "half_up or half_even"),
        ("id: m\nname: x\ndecision: {date: tomorrow}\nnodes: []", "decision.date", "YYYY-MM-DD"),
        ("id: m\nname: x\ndecision: 5\nnodes: []", "decision", "mapping"),
        ("id: m\nname: x\nbands: {}\nnodes: []", "bands", "list of"),
        ("id: m\nname: x\nbands: [{label: A}]\nnodes: []", "bands[0].min", "required"),
        (
            "id: m\nname: x\nnodes: [{code: '1', name: a, max_points: 1, rule: {kind: x}}]",
            "nodes[0].rule",
            "unknown rule kind",
        ),
        (
            "id: m\nname: x\nnodes: [{code: '1', name: a, max_points: 1, source: poll}]",
            "nodes[0].source",
            "unknown source",
        ),
    ],
)
def test_yaml_problems_name_the_field_path(text: str, column: str, message: str) -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_yaml(text, "m.yaml")
    problem = caught.value.problems[0]
    assert problem.location.column == column and message in problem.message, problem


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology_yaml("id: m\nname: [unclosed\n", "m.yaml")
    assert caught.value.problems[0].location.row is not None
    assert "not valid YAML" in caught.value.problems[0].message


def test_malformed_yaml_without_a_mark_still_reports() -> None:
    with pytest.raises(MethodologyError, match="not valid YAML"):
        parse_methodology_yaml("!!python/object:os.system {}", "m.yaml")


def test_load_by_extension_and_encoding(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(GOOD_CSV, encoding="utf-8-sig")
    assert len(load_methodology(tmp_path / "m.csv").nodes) == 4
    (tmp_path / "m.yml").write_text(YAML, encoding="utf-8")
    assert load_methodology(tmp_path / "m.yml").id == "m"
    (tmp_path / "m.txt").write_text("x", encoding="utf-8")
    with pytest.raises(MethodologyError, match="unknown methodology format"):
        load_methodology(tmp_path / "m.txt")
    # Windows-1258, the legacy Vietnamese code page (it needs decomposed tone marks).
    (tmp_path / "bad.csv").write_bytes(
        unicodedata.normalize("NFD", "code,parent,name,max_points\n1,,Chỉ đạo,5\n").encode("cp1258")
    )
    with pytest.raises(MethodologyError) as caught:
        load_methodology(tmp_path / "bad.csv")
    assert (
        "not UTF-8" in caught.value.problems[0].message
        and caught.value.problems[0].location.row == 2
    )
    with pytest.raises(MethodologyError, match="cannot read the file"):
        load_methodology(tmp_path / "missing.yaml")


def test_a_shipped_methodology_loads_by_its_id_as_the_cli_accepts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, path in shipped_methodologies().items():
        assert load_methodology(name) == load_methodology(path)
    # A file of that name in the working folder is read first: a path always wins.
    (tmp_path / "example-commune").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MethodologyError, match="unknown methodology format"):
        load_methodology("example-commune")
    with pytest.raises(MethodologyError, match="cannot read the file"):
        load_methodology("no-such-methodology")


def test_shipped_methodologies_cite_their_source() -> None:
    for name, path in shipped_methodologies().items():
        m = load_methodology(path)
        assert m.id == name
        assert m.example or (m.decision.number and m.decision.url), name


def test_the_2948_field_maxima_are_the_published_ones() -> None:
    ministry = load_methodology(shipped_methodologies()["par2948-ministry"])
    assert [f.max_points for f in ministry.fields] == [
        D(x) for x in ("12", "17", "16", "13", "17", "7.5", "17.5")
    ]
    province = load_methodology(shipped_methodologies()["par2948-province"])
    assert [f.max_points for f in province.fields] == [
        D(x) for x in ("10", "10", "14.5", "11", "16", "7", "16", "15.5")
    ]
    assert ministry.max_total == province.max_total == D(100)


def test_methodology_to_dict_is_json_ready_and_nested() -> None:
    m = parse_methodology_yaml(YAML, "m.yaml")
    data = methodology_to_dict(m)
    json.dumps(data)
    assert data["nodes"][0]["children"][0]["rule"] == {"kind": "yes_no", "no": "0"}
    assert data["nodes"][0]["children"][1]["level"] == 2
    assert data["decision"]["date"] == "2024-12-05"
    assert data["max_total"] == "10"


def test_model_helpers_follow_the_tree() -> None:
    m = parse_methodology_yaml(YAML, "m.yaml")
    assert m.level("1.2") == 2 and m.field_of("1.2") == "1" and m.field_of("1") == "1"
    assert m.is_leaf("1.1") and not m.is_leaf("1") and not m.is_leaf("x")
