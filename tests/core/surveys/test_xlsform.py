"""XLSForm questionnaires: the example read whole, and every malformed form refused by row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from openpyxl import Workbook

from parindex.surveys import SurveyError, shipped_survey_methodology
from parindex.surveys.xlsform import read_xlsform, validate_xlsform

from .helpers import FORM, cell, rows, variant

SIPAS = shipped_survey_methodology()


def test_the_example_form_is_read_with_groups_repeats_languages_and_factors() -> None:
    form = validate_xlsform(FORM, methodology=SIPAS)
    names = [q.name for q in form.questions]
    assert names == [
        "start", "don_vi", "gioi_tinh", "tuoi", "kenh", "q24", "q25", "q27", "q31", "q34",
        "q37", "thoi_gian", "y_kien", "ten",
    ]  # fmt: skip
    q24 = form.question("q24")
    assert q24 is not None
    assert (q24.kind, q24.list_name, q24.required, q24.factor, q24.groups) == (
        "select_one", "muc_do", True, "access", ("dich_vu",)
    )  # fmt: skip
    assert dict(q24.labels) == {
        "Vietnamese (vi)": "Có biển hiệu, hướng dẫn rõ ràng",
        "English (en)": "Clear signs and directions",
    }
    tuoi, q37, ten = form.question("tuoi"), form.question("q37"), form.question("ten")
    assert tuoi is not None and tuoi.constraint == ". >= 18 and . <= 100"
    assert q37 is not None and q37.relevant == "selected(${kenh}, 'truc_tiep')"
    assert ten is not None and ten.in_repeat and ten.groups == ("thanh_vien",)
    assert form.question("nope") is None
    assert [c.name for c in form.choices["muc_do"]] == ["1", "2", "3", "4", "5", "9"]
    assert form.choices["muc_do"][5].labels["English (en)"] == "Don't know"
    assert form.settings["form_id"] == "example_sipas"


def test_sheet_names_are_matched_without_case_and_settings_are_optional() -> None:
    def edit(book: Workbook) -> None:
        sheet = book["survey"]
        sheet.title = "tmp"
        sheet.title = "Survey"
        sheet["C1"] = "label"
        del book["settings"]

    form = read_xlsform(variant(edit), "f.xlsx")
    assert form.settings == {}
    q24 = form.question("q24")
    assert q24 is not None and q24.labels[""] == "Có biển hiệu, hướng dẫn rõ ràng"


def problems(data: bytes, *, pyxform: bool = False) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(SurveyError) as caught:
        (validate_xlsform if pyxform else read_xlsform)(data, "f.xlsx", SIPAS)
    return [(p.location.row, p.location.column, p.code) for p in caught.value.problems]


def _drop(sheet: str) -> Callable[[Workbook], object]:
    def edit(book: Workbook) -> None:
        del book[sheet]

    return edit


def _only_groups(book: Workbook) -> None:
    sheet = book["survey"]
    sheet.delete_rows(2, sheet.max_row)
    sheet.append(["begin group", "g"])
    sheet.append(["end group", ""])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_drop("survey"), [(None, None, "xlsform_sheet")]),
        (_drop("choices"), [(None, None, "xlsform_sheet")]),
        (cell("survey", "A1", "kind"), [(1, None, "xlsform_column")]),
        (
            cell("choices", "B1", "value"),
            [(1, None, "xlsform_column")],
        ),
        (cell("survey", "A6", "number"), [(6, "survey.type", "xlsform_type")]),
        (cell("survey", "A6", "select_one"), [(6, "survey.type", "xlsform_type")]),
        (cell("survey", "B6", "1tuoi"), [(6, "survey.name", "xlsform_name")]),
        (cell("survey", "B11", "q24"), [(11, "survey.name", "xlsform_name_twice")]),
        (cell("survey", "A6", "select_one nope"), [(6, "survey.type", "xlsform_list")]),
        (
            rows("choices", ["muc_do", "4", "Lại", "Again"]),
            [(15, "choices.name", "xlsform_choice_twice")],
        ),
        (
            rows("choices", ["muc_do", "", "Trống", "Empty"]),
            [(15, "choices.name", "value_required")],
        ),
        (cell("survey", "E6", "maybe"), [(6, "survey.required", "xlsform_yes_no")]),
        (
            cell("survey", "A8", "end repeat"),
            [(3, "survey.type", "xlsform_unclosed"), (8, "survey.type", "xlsform_unopened")],
        ),
        (cell("survey", "H6", "access"), [(6, "survey.sipas_factor", "xlsform_factor_type")]),
        (cell("survey", "H20", "access"), [(20, "survey.sipas_factor", "xlsform_factor_type")]),
        (cell("survey", "H10", "tiep_can"), [(10, "survey.sipas_factor", "xlsform_factor")]),
        (_only_groups, [(None, "survey", "xlsform_no_questions")]),
    ],
)
def test_each_malformed_form_is_refused_naming_the_sheet_row_and_column(
    edit: Callable[[Workbook], object], expected: list[tuple[int | None, str | None, str]]
) -> None:
    assert problems(variant(edit)) == expected


def test_every_problem_is_reported_at_once_by_sheet_and_row() -> None:
    def edit(book: Workbook) -> None:
        cell("survey", "A6", "number")(book)
        cell("survey", "B11", "q24")(book)
        rows("choices", ["muc_do", "4", "x", "x"])(book)

    assert problems(variant(edit)) == [
        (15, "choices.name", "xlsform_choice_twice"),
        (6, "survey.type", "xlsform_type"),
        (11, "survey.name", "xlsform_name_twice"),
    ]


def test_pyxform_checks_what_the_core_does_not_and_names_its_row() -> None:
    found = problems(variant(cell("survey", "A17", "calculate")), pyxform=True)
    assert found == [(17, None, "xlsform_pyxform")]
    with pytest.raises(SurveyError) as caught:
        validate_xlsform(variant(cell("survey", "A17", "calculate")), "f.xlsx")
    assert "Missing calculation" in caught.value.problems[0].params["reason"]


def test_a_broken_or_unknown_expression_is_named_by_row_and_column() -> None:
    def edit(book: Workbook) -> None:
        cell("survey", "G10", "${nope} = 1")(book)
        cell("survey", "G11", "${q24} >")(book)
        cell("survey", "F12", "today() > .")(book)
        cell("survey", "F13", "regex(., '[')")(book)

    with pytest.raises(SurveyError) as caught:
        read_xlsform(variant(edit), "f.xlsx")
    found = [(p.location.row, p.location.column, p.code, p.params) for p in caught.value.problems]
    assert found == [
        (10, "survey.relevant", "xlsform_reference", {"name": "nope"}),
        (11, "survey.relevant", "xlsform_expression", {"expression": "${q24} >", "at": "9"}),
        (12, "survey.constraint", "xlsform_expression", {"expression": "today() > .", "at": "1"}),
        (13, "survey.constraint", "xlsform_expression", {"expression": "regex(., '[')", "at": "1"}),
    ]
    assert str(caught.value.problems[1]).startswith("f.xlsx, row 11, column 'survey.relevant'")


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    assert problems(b"type,name\n") == [(None, None, "archive_not_zip")]
