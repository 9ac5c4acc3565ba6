"""Forms written back as XLSForm (read back equal, accepted by pyxform) and the template for
paper forms (filled by hand, read and estimated)."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from parindex.sheets import append_row
from parindex.surveys import (
    SurveyAnswers,
    estimate_indices,
    read_responses,
    read_xlsform,
    response_template,
    shipped_survey_methodology,
    validate_xlsform,
    write_xlsform,
)

from .helpers import FORM, variant

EXAMPLE = read_xlsform(FORM)
VI, EN = "Vietnamese (vi)", "English (en)"


def test_the_example_form_written_back_is_read_back_equal_and_pyxform_accepts_it() -> None:
    data = write_xlsform(EXAMPLE)
    assert validate_xlsform(data, EXAMPLE.file, shipped_survey_methodology()) == EXAMPLE
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in book["survey"][1]]
    assert header[:4] == ["type", "name", f"label::{VI}", f"label::{EN}"]
    types = [r[0] for r in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert types.count("end group") == 2 and types.count("end repeat") == 1


def test_text_that_looks_like_a_formula_is_written_as_text() -> None:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "hint"])
    survey.append(["text", "a", "x", "y"])
    buffer = io.BytesIO()
    book.save(buffer)
    form = read_xlsform(buffer.getvalue(), "f.xlsx")
    (q,) = form.questions
    tricky = replace(q, labels={"": "=1+1"}, other={"hint": "@SUM(A1)"})
    form = replace(form, questions=(tricky,))
    data = write_xlsform(form)
    cells = load_workbook(io.BytesIO(data))["survey"][2]
    assert [(c.value, c.data_type) for c in cells if c.value is not None] == [
        ("text", "s"), ("a", "s"), ("=1+1", "s"), ("@SUM(A1)", "s"),
    ]  # fmt: skip
    assert read_xlsform(data, "f.xlsx") == form


# --- generated forms --------------------------------------------------------------------------

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy AĐƠ=+-?!.,0123456789"
label = st.text(LETTERS, min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def forms(draw: st.DrawFn) -> bytes:
    """A workbook as a form designer writes one: two languages, groups and repeats (nested up
    to two deep), select-one and select-multiple questions, integers with constraints,
    relevance on earlier questions, required flags, hints and a settings row."""
    survey: list[list[str]] = [
        ["type", "name", f"label::{VI}", f"label::{EN}", "required", "relevant", "constraint",
         "hint::" + VI],
    ]  # fmt: skip
    counter = iter(range(1, 1000))
    asked: list[str] = []

    def block(depth: int, in_repeat: bool) -> None:
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["select_one", "select_multiple", "integer", "text",
                                         "group", "repeat"][: 6 if depth < 2 else 4]))  # fmt: skip
            name = f"{kind[:3]}{next(counter)}"
            labels = [draw(label), draw(label)]
            if kind in ("group", "repeat"):
                survey.append([f"begin {kind}", name, *labels, "", "", "", ""])
                block(depth + 1, in_repeat or kind == "repeat")
                survey.append([f"end {kind}", "", "", "", "", "", "", ""])
                continue
            relevant = f"${{{asked[-1]}}} != ''" if asked and draw(st.booleans()) else ""
            constraint = ". >= 0" if kind == "integer" and draw(st.booleans()) else ""
            required = draw(st.sampled_from(["", "yes", "no"]))
            hint = draw(st.one_of(st.just(""), label))
            listed = (
                f" {draw(st.sampled_from(['muc_do', 'kenh']))}" if kind.startswith("select") else ""
            )
            survey.append([kind + listed, name, *labels, required, relevant, constraint, hint])
            if not in_repeat:
                asked.append(name)

    block(0, False)
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        append_row(sheet, row)
    choices = book.create_sheet("choices")
    append_row(choices, ["list_name", "name", f"label::{VI}", f"label::{EN}"])
    for list_name, size in (("muc_do", draw(st.integers(1, 5))), ("kenh", 2)):
        for n in range(1, size + 1):
            append_row(choices, [list_name, f"c{n}", draw(label), draw(label)])
    settings_sheet = book.create_sheet("settings")
    append_row(settings_sheet, ["form_title", "form_id", "default_language"])
    append_row(settings_sheet, [draw(label), "generated", VI])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms())
def test_generated_forms_round_trip_and_pyxform_accepts_them(data: bytes) -> None:
    form = validate_xlsform(data, "g.xlsx")
    written = write_xlsform(form)
    assert validate_xlsform(written, "g.xlsx") == form


# --- the template for paper forms -------------------------------------------------------------


def test_the_template_is_filled_by_hand_read_and_estimated() -> None:
    data = response_template(EXAMPLE)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["phieu", "lua_chon", "huong_dan"]
    sheet = book["phieu"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "_uuid", "don_vi", "gioi_tinh", "tuoi", "kenh", "q24", "q25", "q27", "q31", "q34",
        "q37", "thoi_gian", "y_kien",
    ]  # fmt: skip
    assert sheet["F1"].comment.text == "Có biển hiệu, hướng dẫn rõ ràng"
    assert "chọn nhiều" in sheet["E1"].comment.text
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["F2:F10000"] == lists["G2:G10000"] == "'lua_chon'!$C$2:$C$7"  # muc_do, 6 options
    assert [c.value for c in book["lua_chon"]["C"]] == ["muc_do", "1", "2", "3", "4", "5", "9"]
    guide = list(book["huong_dan"].iter_rows(min_row=2, values_only=True))
    assert guide[5][:4] == ("q24", "Có biển hiệu, hướng dẫn rõ ràng", "select_one muc_do", "có")
    # Two paper forms keyed in: one answer given by its Vietnamese label, as a clerk might.
    sheet.append(["p-1", "phuong_a", "nam", 40, "truc_tiep", 5, 4, 2, 5, 9, 4, 0.5, "tốt"])
    sheet.append(["p-2", "phuong_a", "Nữ", 30, "truc_tuyen", 3, 5, 4, "", "", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_responses(buffer.getvalue(), EXAMPLE, file="t.xlsx", extra={"by": "don_vi"})
    assert read.rows == (2, 3)
    assert read.answers["gioi_tinh"] == ["nam", "nu"]
    assert read.answers["q24"] == ["5", "3"] and read.answers["q37"] == ["4", ""]
    items = [q for q in EXAMPLE.questions if q.factor]
    figures = estimate_indices(
        shipped_survey_methodology(),
        SurveyAnswers(
            answers={q.name: read.answers[q.name] for q in items},
            factors={q.name: q.factor for q in items},
            weights=[1.0, 1.0],
            strata=["", ""],
            domains=read.extra["by"],
        ),
    )
    by_item = {f.item: (f.estimate, f.n) for f in figures}
    assert by_item["q24"] == (Decimal("50.00"), 2)  # 5 satisfied, 3 not
    assert by_item["q34"] == (None, 0)  # 9 is "don't know", then blank: no valid answer
    assert by_item["access"] == (Decimal("75.00"), 2)  # (1 + 1) / 2 and (0 + 1) / 2, averaged


def test_a_form_without_labels_gets_a_template_without_comments() -> None:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name"])
    survey.append(["integer", "so"])
    survey.append(["note", "ghi_chu"])
    buffer = io.BytesIO()
    book.save(buffer)
    form = read_xlsform(buffer.getvalue(), "f.xlsx")
    template = load_workbook(io.BytesIO(response_template(form)))["phieu"]
    assert [c.value for c in template[1]] == ["_uuid", "so"]
    assert template["B1"].comment is None
    assert not template.data_validations.dataValidation


def test_columns_the_core_does_not_read_are_written_back() -> None:
    def edit(book: Workbook) -> None:
        survey = book["survey"]
        survey["A17"] = "calculate"
        survey.cell(row=1, column=survey.max_column + 1, value="calculation")
        survey.cell(row=17, column=survey.max_column, value="${tuoi} * 12")
        survey.cell(row=1, column=survey.max_column + 1, value="appearance")
        survey.cell(row=10, column=survey.max_column, value="likert")

    form = validate_xlsform(variant(edit), "f.xlsx")
    y_kien, q24 = form.question("y_kien"), form.question("q24")
    assert y_kien is not None and dict(y_kien.other) == {"calculation": "${tuoi} * 12"}
    assert q24 is not None and dict(q24.other) == {"appearance": "likert"}
    assert validate_xlsform(write_xlsform(form), "f.xlsx") == form
