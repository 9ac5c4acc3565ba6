"""The procedure catalogue: the worked EXAMPLE counted by hand, the level mapping, every bad input
by row and column, and the counts summing to the procedures in force (hypothesis)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from parindex.errors import Problem
from parindex.services import (
    CatalogueError,
    DossierError,
    OnlineLevel,
    Procedure,
    count_catalogue,
    counts_as_csv,
    load_levels,
    read_catalogue,
    read_dossiers,
)
from parindex.services.catalogue import NONE, SHIPPED, Catalogue

EXAMPLE = Path(__file__).parents[2] / "fixtures" / "services" / "catalogue-example.csv"
HEADER = "code,name_vi,name_en,agency,sector,handling_level,legal_basis,fee,valid_from,scheme,level"
FIRST = "P1,Thủ tục 1,,Sở A,Tư pháp,province,,,01/01/2020,43/2011,3"


def problems_of(text: str, name: str = "cat.csv") -> list[Problem]:
    with pytest.raises(CatalogueError) as caught:
        read_catalogue(text.encode("utf-8"), file=name)
    return list(caught.value.problems)


def where(problem: Problem) -> tuple[int | None, str | None, str]:
    return problem.location.row, problem.location.column, problem.code


def table(year: int, by: str) -> dict[tuple[str, str, str], tuple[int, int]]:
    rows = count_catalogue(read_catalogue(EXAMPLE), years=[year], by=by)
    return {(r.group, r.scheme, r.level): (r.given, r.mapped) for r in rows if r.procedures}


# --- the worked example -----------------------------------------------------------------------


def test_the_example_is_labelled_and_read_with_every_field() -> None:
    assert EXAMPLE.read_text(encoding="utf-8").startswith("# EXAMPLE")
    catalogue = read_catalogue(EXAMPLE)
    assert catalogue.codes == ("VD-001", "VD-002", "VD-003", "VD-004", "VD-005")
    first = catalogue.procedures[0]
    assert (first.name_vi, first.name_en, first.agency, first.sector) == (
        "Cấp giấy phép ví dụ A",
        "Example licence A",
        "Sở Ví dụ",
        "Công thương (ví dụ)",
    )
    assert (first.handling_level, first.legal_basis, first.fee) == (
        "province",
        "Luật ví dụ số 1",
        "50.000 đồng",
    )
    assert [(r.valid_from, r.scheme, r.level, r.row) for r in first.levels] == [
        (date(2017, 1, 1), "43/2011", "3", 3),
        (date(2019, 7, 1), "43/2011", "4", 4),
        (date(2022, 10, 1), "42/2022", "full", 5),
    ]
    assert catalogue.procedures[4].levels == ()
    assert catalogue.years() == list(range(2017, 2024))


def test_2018_by_agency_counted_by_hand() -> None:
    # At 31/12/2018: VD-001 43/2011 level 3 (since 2017), VD-002 level 2 (since 15/03/2018),
    # VD-003 level 4; VD-004 starts in 2021, VD-005 has no level (never in force).
    assert table(2018, "agency") == {
        ("Sở Ví dụ", "43/2011", "2"): (1, 0),
        ("Sở Ví dụ", "43/2011", "3"): (1, 0),
        ("Sở Ví dụ", "42/2022", "partial"): (0, 1),  # level 3 → partial
        ("Sở Ví dụ", "42/2022", NONE): (0, 1),  # level 2 → no online public service
        ("UBND xã Ví dụ", "43/2011", "4"): (1, 0),
        ("UBND xã Ví dụ", "42/2022", "full"): (0, 1),  # level 4 → full
    }


def test_2023_by_handling_level_counted_by_hand() -> None:
    # VD-001 full since 2022 (→ 4), VD-002 partial since 2023 (→ 3), VD-003 still level 4,
    # VD-004 given in both schemes on one day: each scheme's own level counts.
    assert table(2023, "level") == {
        ("commune", "43/2011", "4"): (1, 0),
        ("commune", "42/2022", "full"): (0, 1),
        ("ministry", "43/2011", "3"): (1, 0),
        ("ministry", "42/2022", "partial"): (1, 0),
        ("province", "43/2011", "3"): (0, 1),
        ("province", "43/2011", "4"): (0, 1),
        ("province", "42/2022", "full"): (1, 0),
        ("province", "42/2022", "partial"): (1, 0),
    }


def test_by_sector_and_a_year_before_any_level() -> None:
    assert table(2019, "sector") == {
        ("Công thương (ví dụ)", "43/2011", "4"): (1, 0),
        ("Công thương (ví dụ)", "42/2022", "full"): (0, 1),
        ("Tư pháp (ví dụ)", "43/2011", "2"): (1, 0),
        ("Tư pháp (ví dụ)", "43/2011", "4"): (1, 0),
        ("Tư pháp (ví dụ)", "42/2022", "full"): (0, 1),
        ("Tư pháp (ví dụ)", "42/2022", NONE): (0, 1),
    }
    assert count_catalogue(read_catalogue(EXAMPLE), years=[2016]) == []


def test_every_level_and_none_gets_a_row_and_the_csv_has_the_columns() -> None:
    rows = count_catalogue(read_catalogue(EXAMPLE), years=[2017])
    assert [(r.scheme, r.level) for r in rows] == [
        ("43/2011", "1"), ("43/2011", "2"), ("43/2011", "3"), ("43/2011", "4"),
        ("43/2011", NONE), ("42/2022", "full"), ("42/2022", "partial"), ("42/2022", NONE),
    ]  # fmt: skip
    text = counts_as_csv(rows)
    assert text.splitlines()[0] == "year,group,scheme,level,procedures,given,mapped"
    assert "2017,Sở Ví dụ,43/2011,3,1,1,0" in text.splitlines()
    assert "2017,Sở Ví dụ,42/2022,partial,1,0,1" in text.splitlines()
    assert len(count_catalogue(read_catalogue(EXAMPLE))) == (1 + 2 * 3 + 3 * 3) * 8
    # agencies in force: 1 in 2017, 2 in 2018-2020, 3 in 2021-2023; 8 rows each


def test_the_catalogue_feeds_the_dossier_readers_procedure_check(tmp_path: Path) -> None:
    header = (
        "dossier_id,procedure_code,unit,channel,submitted_at,received_at,due_at,"
        "supplement_requests,supplement_requested_at,supplement_received_at,finished_at,"
        "returned_at,status"
    )
    rows = [
        f"D{i},{code},U1,online,2026-10-01T08:00:00+07:00,2026-10-01T09:00:00+07:00,"
        "2026-10-10T17:00:00+07:00,0,,,,,received"
        for i, code in enumerate(("VD-001", "XX-9"), start=1)
    ]
    data = "\n".join([header, *rows]).encode()
    with pytest.raises(DossierError) as caught:
        read_dossiers("d.csv", data=data, procedures=read_catalogue(EXAMPLE).codes)
    [problem] = caught.value.problems
    assert (problem.location.row, problem.location.column, problem.code) == (
        3,
        "procedure_code",
        "dossier_unknown",
    )


def test_a_workbook_is_read_with_its_dates_and_number_cells_as_text() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append([101, "Thủ tục", None, "Sở A", "Tư pháp", "commune", "Luật 1\nNghị định 2",
                  None, date(2021, 3, 1), "42/2022", "partial"])  # fmt: skip
    sheet.append([101, None, None, None, None, None, None, None, "2022-01-01", "43/2011", 4])
    buffer = io.BytesIO()
    book.save(buffer)
    catalogue = read_catalogue(buffer.getvalue(), file="cat.xlsx")
    [procedure] = catalogue.procedures
    assert procedure.code == "101"
    assert procedure.legal_basis == "Luật 1; Nghị định 2"
    assert [(r.valid_from, r.scheme, r.level) for r in procedure.levels] == [
        (date(2021, 3, 1), "42/2022", "partial"),
        (date(2022, 1, 1), "43/2011", "4"),
    ]


def test_a_workbook_with_a_formula_is_refused_naming_the_cell() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["P1", '=HYPERLINK("http://x")', None, "A", "S", "commune"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(CatalogueError) as caught:
        read_catalogue(buffer.getvalue(), file="cat.xlsx")
    [problem] = caught.value.problems
    assert (problem.code, problem.location.row, problem.location.column) == (
        "workbook_formula",
        2,
        "B",
    )


# --- the mapping --------------------------------------------------------------------------------


def test_the_shipped_mapping_covers_both_schemes_and_says_its_basis() -> None:
    levels = load_levels()
    assert dict(levels.schemes) == {"43/2011": ("1", "2", "3", "4"), "42/2022": ("full", "partial")}
    assert dict(levels.mapping) == {
        ("43/2011", "1"): None,
        ("43/2011", "2"): None,
        ("43/2011", "3"): "partial",
        ("43/2011", "4"): "full",
        ("42/2022", "full"): "4",
        ("42/2022", "partial"): "3",
    }
    assert {k for k, v in levels.basis.items() if v == "decree"} == {
        ("43/2011", "3"),
        ("42/2022", "full"),
    }
    assert levels.other("43/2011") == "42/2022"
    text = (Path(__file__).parents[3] / "src/parindex/data/services" / SHIPPED).read_text("utf-8")
    assert "Nghị định 43/2011/NĐ-CP" in text and "Nghị định 42/2022/NĐ-CP" in text
    assert "PARAPHRASES" in text


SCHEMES = """schemes:
  - {id: a, levels: [{id: "1"}, {id: "2"}]}
  - {id: b, levels: [{id: x}]}
"""


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("schemes: []", ["schemes"]),
        ("- 1", ["schemes"]),
        ("schemes: [{id: a, levels: []}, {id: b, levels: [{id: x}]}]", ["a scheme"]),
        ("schemes: [{levels: [{id: x}]}, {id: b, levels: [{id: x}]}]", ["a scheme"]),
        (SCHEMES, ["a 1", "a 2", "b x"]),
        (
            SCHEMES
            + """mapping:
  - {from: {scheme: a, level: "1"}, to: {scheme: b, level: x}, basis: decree}
  - {from: {scheme: a, level: "1"}, to: null, basis: assumption}
  - {from: {scheme: a, level: "9"}, to: null, basis: decree}
  - {from: {scheme: a, level: "2"}, to: {scheme: a, level: "1"}, basis: decree}
  - {from: {scheme: b, level: x}, to: {scheme: a, level: "1"}, basis: guess}
  - 7
""",
            [
                "mapping 2",
                "mapping 3 from",
                "mapping 4 to",
                "mapping 5 basis",
                "mapping 6 from",
                "a 2",
                "b x",
            ],
        ),
    ],
)
def test_a_bad_mapping_file_is_refused_naming_each_field(text: str, fields: list[str]) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_levels(text, "levels.yaml")
    assert [p.params["field"] for p in caught.value.problems] == fields
    assert {p.code for p in caught.value.problems} == {"online_levels_field"}


def test_another_mapping_changes_the_mapped_counts() -> None:
    text = (
        SCHEMES
        + """mapping:
  - {from: {scheme: a, level: "1"}, to: null, basis: assumption}
  - {from: {scheme: a, level: "2"}, to: {scheme: b, level: x}, basis: assumption}
  - {from: {scheme: b, level: x}, to: {scheme: a, level: "2"}, basis: decree}
"""
    )
    levels = load_levels(text)
    data = f"{HEADER}\nP1,T,,S,L,commune,,,01/01/2020,a,2\nP2,T,,S,L,commune,,,2020-05-05,b,x\n"
    catalogue = read_catalogue(data.encode(), file="c.csv", levels=levels)
    rows = count_catalogue(catalogue, levels=levels)
    assert {(r.scheme, r.level): (r.given, r.mapped) for r in rows if r.procedures} == {
        ("a", "2"): (1, 1),
        ("b", "x"): (1, 1),
    }


# --- bad input, by row and column -------------------------------------------------------------


def test_every_bad_row_is_named_by_row_and_column() -> None:
    text = "\n".join(
        [
            HEADER,
            FIRST,  # row 2: good
            "P1,Thủ tục khác,,,,,,,01/01/2021,43/2011,4",  # 3: name differs
            "P1,,,,,,,,01/01/2020,43/2011,2",  # 4: same day and scheme as row 2
            ",Tên,,Sở A,Tư pháp,province,,,,,",  # 5: no code
            "P2,,,,,district,,,,,",  # 6: first row without name, agency, sector; bad level
            "P3,T,,A,S,commune,,,31/02/2020,43/2011,3",  # 7: no such day
            "P4,T,,A,S,commune,,,2020/01/01,43/2013,3",  # 8: bad date form, unknown scheme
            "P5,T,,A,S,commune,,,01/01/2020,42/2022,4",  # 9: level of the other scheme
            "P6,T,,A,S,commune,,,01/01/2020,,",  # 10: a level row half given
            "P7,T\u200b,,A,S,commune,Luật\x07,,,,",  # 11: hidden characters
            "P8,T,,A,S,commune,,,01/01/0202,43/2011,3",  # 12: a year mistyped
        ]
    )
    found = [where(p) for p in problems_of(text)]
    assert found == [
        (3, "name_vi", "catalogue_differs"),
        (4, "valid_from", "catalogue_twice"),
        (5, "code", "field_required"),
        (6, "name_vi", "field_required"),
        (6, "agency", "field_required"),
        (6, "sector", "field_required"),
        (6, "handling_level", "catalogue_choice"),
        (7, "valid_from", "catalogue_date"),
        (8, "valid_from", "catalogue_date"),
        (8, "scheme", "catalogue_choice"),
        (9, "level", "catalogue_level"),
        (10, "scheme", "field_required"),
        (10, "level", "field_required"),
        (11, "name_vi", "name_format"),
        (11, "legal_basis", "name_control"),
        (12, "valid_from", "catalogue_year"),
    ]


def test_the_messages_name_the_first_row_and_the_values() -> None:
    text = "\n".join([HEADER, FIRST, "P1,Khác,,,,,,,01/01/2020,43/2011,2"])
    differs, twice = problems_of(text)
    assert str(differs) == (
        "cat.csv, row 3, column 'name_vi': differs from procedure 'P1''s first row"
        " (row 2: 'Thủ tục 1'); leave it empty or repeat it"
    )
    assert (
        twice.message == "procedure 'P1' has a 43/2011 level from 01/01/2020 twice (first at row 2)"
    )
    assert twice.text("vi").startswith("thủ tục 'P1' có hai mức độ 43/2011 từ ngày 01/01/2020")
    [level] = problems_of(f"{HEADER}\nP1,T,,A,S,commune,,,01/01/2020,42/2022,3")
    assert level.message == "'3' is not a level of 42/2022 (levels: full, partial)"


def test_a_control_character_in_the_legal_basis_is_refused() -> None:
    [problem] = problems_of(f"{HEADER}\nP1,T,,A,S,commune,Luật\x07 1,,,,")
    assert where(problem) == (2, "legal_basis", "name_control")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("code,name_vi\nP1,T\n", "missing_columns"),
        (HEADER + "\n", "catalogue_no_rows"),
        (HEADER + "\nP1,T,,A,S,commune,,,,,,extra\n", "extra_cells"),
    ],
)
def test_a_bad_file_is_refused_whole(text: str, code: str) -> None:
    assert [p.code for p in problems_of(text)] == [code]


def test_a_file_that_is_not_utf8_or_not_a_workbook_is_refused() -> None:
    with pytest.raises(CatalogueError) as caught:
        read_catalogue(HEADER.encode("utf-16-le") + b"\xff\xd8", file="c.csv")
    assert caught.value.problems[0].code in ("encoding", "encoding_guess")
    with pytest.raises(CatalogueError) as caught:
        read_catalogue(b"not a zip", file="c.xlsx")
    assert caught.value.problems[0].code == "archive_not_zip"


# --- property: the counts sum to the procedures in force ------------------------------------

LEVELS = load_levels()
PAIRS = [(s, level) for s, known in LEVELS.schemes.items() for level in known]


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    procedures = []
    for number in range(draw(st.integers(0, 8))):
        code = f"P{number}"
        history = draw(
            st.lists(
                st.tuples(st.dates(date(2010, 1, 1), date(2026, 12, 31)), st.sampled_from(PAIRS)),
                max_size=4,
                unique_by=lambda item: (item[0], item[1][0]),
            )
        )
        levels = tuple(
            sorted(
                (OnlineLevel(code, day, scheme, level) for day, (scheme, level) in history),
                key=lambda r: r.valid_from,
            )
        )
        agency = draw(st.sampled_from(["A", "B", "C"]))
        handling = draw(st.sampled_from(["ministry", "province", "commune"]))
        procedures.append(Procedure(code, "T", agency, "S", handling, levels=levels))
    return Catalogue(tuple(procedures))


@settings(max_examples=60, deadline=None)
@given(catalogues(), st.integers(2009, 2027), st.sampled_from(["agency", "sector", "level"]))
def test_counts_sum_to_the_procedures_in_force(catalogue: Catalogue, year: int, by: str) -> None:
    rows = count_catalogue(catalogue, years=[year], by=by, levels=LEVELS)
    in_force = sum(
        1 for p in catalogue.procedures if any(r.valid_from <= date(year, 12, 31) for r in p.levels)
    )
    for scheme in LEVELS.schemes:
        assert sum(r.procedures for r in rows if r.scheme == scheme) == in_force
    assert all(r.given >= 0 and r.mapped >= 0 for r in rows)
