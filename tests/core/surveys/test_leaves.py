"""Survey figures into leaf points (parindex.surveys.leaves): worked by hand, then the refusals."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from parindex import load_methodology, shipped_methodologies
from parindex.decimals import Rounding
from parindex.surveys import (
    Figure,
    LeafPoints,
    LeafSource,
    SurveyAnswers,
    SurveyError,
    estimate_indices,
    leaf_points,
    leaf_sources,
    parse_leaf_sources,
    read_xlsform,
    shipped_survey_methodology,
)

from .helpers import variant

PAR = load_methodology(shipped_methodologies()["example-commune"])
SIPAS = shipped_survey_methodology()

# Unit A, eight respondents: q24 (factor access) has 4 valid answers ("9" and blanks are not),
# 3 satisfied (4 or 5) → 75 %; q27 (procedures) 8 valid, 3 satisfied → 37.5 %.
# Unit B, two respondents: no valid answer to q24; q27 one of two → 50 %.
ANSWERS = SurveyAnswers(
    answers={
        "q24": ["5", "4", "4", "2", "", "9", "", "", "", ""],
        "q27": ["5", "4", "4", "3", "2", "1", "1", "2", "5", "1"],
    },
    factors={"q24": "access", "q27": "procedures"},
    weights=[1.0] * 10,
    strata=["s"] * 10,
    domains=["A"] * 8 + ["B"] * 2,
)
SOURCES = (LeafSource("4.1.1", "access"), LeafSource("4.1.2", "q27"))


def test_points_are_the_maximum_times_the_share_satisfied_rounded_as_the_methodology_rounds() -> (
    None
):
    figures = estimate_indices(SIPAS, ANSWERS)
    fill = leaf_points(PAR, figures, SOURCES, ["A", "B", "C"], "form.xlsx")
    by = {(r.unit, r.leaf): r for r in fill.rows}
    # 15 × 75.00 % = 11.25; 15 × 37.50 % = 5.625 → 5.63 half up; 15 × 50.00 % = 7.50.
    assert by["A", "4.1.1"].points == Decimal("11.25")
    assert by["A", "4.1.2"].points == Decimal("5.63")
    assert by["B", "4.1.2"].points == Decimal("7.50")
    assert set(by) == {("A", "4.1.1"), ("A", "4.1.2"), ("B", "4.1.2")}
    a = by["A", "4.1.1"]
    assert (a.item, a.estimate, a.n, a.few) == ("access", Decimal("75.00"), 4, True)
    assert a.ci_low < a.estimate < a.ci_high
    problems = [(p.code, p.params["unit"], p.location.code) for p in fill.problems]
    assert problems == [
        ("survey_leaf_no_answers", "B", "4.1.1"),
        ("survey_leaf_no_unit", "C", "4.1.1"),
        ("survey_leaf_no_unit", "C", "4.1.2"),
    ]
    assert "no valid answer to 'access'" in fill.problems[0].message


def test_half_even_rounding_is_the_methodology_s() -> None:
    figures = estimate_indices(SIPAS, ANSWERS)
    even = replace(PAR, rounding=Rounding.HALF_EVEN)
    fill = leaf_points(even, figures, SOURCES[1:], ["A"])
    assert [r.points for r in fill.rows] == [Decimal("5.62")]


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_points_stay_between_zero_and_the_maximum(estimate: Decimal) -> None:
    figure = Figure("A", "x", estimate, estimate, estimate, 40, False, "question")
    (row,) = leaf_points(PAR, [figure], [LeafSource("4.1.2", "x")], ["A"]).rows
    assert Decimal(0) <= row.points <= Decimal(15)
    assert row == LeafPoints("A", "4.1.2", "x", row.points, estimate, estimate, estimate, 40, False)


def test_a_wrong_mapping_is_refused_whole_naming_each_pair() -> None:
    figures = estimate_indices(SIPAS, ANSWERS)
    wrong = [LeafSource("9.9", "access"), LeafSource("1.1.1", "q24"), LeafSource("4.1.2", "q99")]
    with pytest.raises(SurveyError) as caught:
        leaf_points(PAR, figures, wrong, ["A"], "form.xlsx")
    codes = [(p.code, p.params["leaf"]) for p in caught.value.problems]
    assert codes == [
        ("survey_leaf_unknown", "9.9"),
        ("survey_leaf_appraisal", "1.1.1"),
        ("survey_leaf_item", "4.1.2"),
    ]
    assert caught.value.problems[0].location.column == "settings.par_leaves"


def test_pairs_are_read_from_text_and_malformed_or_repeated_ones_named() -> None:
    text = " 4.1.1=access,4.1.2=q27\n"
    assert parse_leaf_sources(text, "f") == SOURCES
    assert parse_leaf_sources("  ", "f") == ()
    with pytest.raises(SurveyError) as caught:
        parse_leaf_sources("4.1.1=access 4.1.1=sipas oops a=b=c", "f")
    assert [(p.code, p.params) for p in caught.value.problems] == [
        ("survey_leaf_twice", {"leaf": "4.1.1"}),
        ("survey_leaf_pair", {"value": "oops"}),
        ("survey_leaf_pair", {"value": "a=b=c"}),
    ]


def test_the_form_s_settings_sheet_holds_the_mapping() -> None:
    def edit(book: Workbook) -> None:
        sheet = book["settings"]
        column = sheet.max_column + 1
        sheet.cell(1, column, "par_leaves")
        sheet.cell(2, column, "4.1.1=sipas 4.1.2=q27")

    form = read_xlsform(io.BytesIO(variant(edit)), "form.xlsx", SIPAS)
    assert leaf_sources(form) == (LeafSource("4.1.1", "sipas"), LeafSource("4.1.2", "q27"))
    plain = read_xlsform(io.BytesIO(variant(lambda book: None)), "form.xlsx", SIPAS)
    assert leaf_sources(plain) == ()
