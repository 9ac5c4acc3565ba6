"""Calibration to known totals: post-stratification's closed form, a hand-worked 2×2 raking,
every margin reproduced (hypothesis), and each impossible calibration a problem."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.surveys import SurveyError, calibrate, read_totals


def margin(weights: list[float], categories: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for w, c in zip(weights, categories, strict=True):
        out[c] = out.get(c, 0.0) + w
    return out


def test_post_stratification_is_the_closed_form() -> None:
    weights = [1.0, 2.0, 3.0, 4.0, 5.0]
    sex = ["m", "m", "f", "f", "f"]
    got = calibrate(weights, {"sex": sex}, {"sex": {"m": 60.0, "f": 120.0}})
    # m: 60 / (1 + 2) = 20 per unit of weight; f: 120 / (3 + 4 + 5) = 10
    assert got == pytest.approx([20.0, 40.0, 30.0, 40.0, 50.0], rel=1e-15)


def test_a_2x2_raking_worked_by_hand() -> None:
    # Cells m/young, m/old, f/young, f/old. The start (1, 2, 3, 6) is independent (rows 1:3,
    # columns 1:2), so raking lands on T_sex · T_age / N: 30·40/100 = 12, 30·60/100 = 18, 28, 42.
    sex, age = ["m", "m", "f", "f"], ["y", "o", "y", "o"]
    totals = {"sex": {"m": 30.0, "f": 70.0}, "age": {"y": 40.0, "o": 60.0}}
    got = calibrate([1.0, 2.0, 3.0, 6.0], {"sex": sex, "age": age}, totals)
    assert got == pytest.approx([12.0, 18.0, 28.0, 42.0], abs=1e-9)
    # Not independent: raking keeps the cross-product ratio 1·4 / (2·3) and meets both margins.
    got = calibrate([1.0, 2.0, 3.0, 4.0], {"sex": sex, "age": age}, totals)
    assert margin(got, sex) == pytest.approx({"m": 30.0, "f": 70.0}, abs=1e-9)
    assert margin(got, age) == pytest.approx({"y": 40.0, "o": 60.0}, abs=1e-9)
    assert got[0] * got[3] / (got[1] * got[2]) == pytest.approx(4 / 6, rel=1e-12)
    # By hand: m/y = a, m/o = 30 − a, f/y = 40 − a, f/o = 30 + a, and a(30 + a) = (2/3)(30 − a)(40 − a)
    # → 3a² + 90a = 2a² − 140a + 2400 → a² + 230a − 2400 = 0 → a = (−230 + √62500) / 2 = 10.
    assert got == pytest.approx([10.0, 20.0, 30.0, 40.0], abs=1e-9)


def test_raking_that_cannot_converge_is_a_problem_not_a_result() -> None:
    sex, age = ["m", "m", "f", "f"], ["y", "o", "y", "o"]
    totals = {"sex": {"m": 30.0, "f": 70.0}, "age": {"y": 40.0, "o": 70.0}}  # 100 against 110
    with pytest.raises(SurveyError) as caught:
        calibrate([1.0] * 4, {"sex": sex, "age": age}, totals, max_iterations=50, file="t.csv")
    (problem,) = caught.value.problems
    assert problem.code == "calibration_diverged"
    assert problem.params["iterations"] == "50" and problem.params["tolerance"] == "1e-10"
    assert str(problem).startswith("t.csv: raking did not converge in 50 rounds")
    # With a looser tolerance and more rounds, a feasible raking converges.
    got = calibrate(
        [1.0, 2.0, 3.0, 4.0],
        {"sex": sex, "age": age},
        {**totals, "age": {"y": 40.0, "o": 60.0}},
        tolerance=1e-3,
        max_iterations=3,
    )
    assert sum(got) == pytest.approx(100.0, rel=1e-3)


def test_a_cell_without_respondents_or_without_a_total_is_named() -> None:
    margins = {"sex": ["m", "m", "x"], "age": ["y", "y", "o"]}
    totals = {"sex": {"m": 1.0, "f": 2.0}, "age": {"y": 1.0, "o": 2.0}, "region": {"n": 3.0}}
    with pytest.raises(SurveyError) as caught:
        calibrate([1.0, 1.0, 1.0], margins, totals, file="t.csv")
    found = [(p.code, p.params) for p in caught.value.problems]
    assert found == [
        ("calibration_empty_cell", {"variable": "sex", "category": "f"}),
        ("calibration_no_total", {"variable": "sex", "category": "x"}),
        ("calibration_variable", {"variable": "region"}),
    ]
    assert str(caught.value.problems[0]) == (
        "t.csv: no respondent has 'sex' = 'f', which has a known total"
    )
    with pytest.raises(SurveyError) as none:
        calibrate([1.0], {"sex": ["m"]}, {})
    assert none.value.problems[0].code == "calibration_no_totals"


@st.composite
def samples(
    draw: st.DrawFn,
) -> tuple[list[float], dict[str, list[str]], dict[str, dict[str, float]]]:
    """Weights, two or three variables and totals that some positive weights meet (so raking
    has a solution): the margins of other random weights on the same respondents."""
    n = draw(st.integers(1, 40))
    positive = st.floats(0.1, 10.0, allow_nan=False)
    weights = draw(st.lists(positive, min_size=n, max_size=n))
    hidden = draw(st.lists(positive, min_size=n, max_size=n))
    k = draw(st.integers(1, 3))
    margins = {
        f"v{j}": draw(st.lists(st.sampled_from("abcd"), min_size=n, max_size=n)) for j in range(k)
    }
    totals = {v: margin(hidden, cats) for v, cats in margins.items()}
    return weights, margins, totals


@settings(max_examples=60, deadline=None)
@given(samples(), st.floats(0.01, 1000.0))
def test_calibrated_weights_reproduce_every_margin_and_scale_with_the_totals(
    sample: tuple[list[float], dict[str, list[str]], dict[str, dict[str, float]]], k: float
) -> None:
    weights, margins, totals = sample
    got = calibrate(weights, margins, totals, tolerance=1e-11, max_iterations=5000)
    assert all(w > 0 for w in got)
    for variable, categories in margins.items():
        achieved = margin(got, categories)
        for category, total in totals[variable].items():
            assert achieved[category] == pytest.approx(total, rel=1e-9)
    scaled = {v: {c: k * t for c, t in ts.items()} for v, ts in totals.items()}
    again = calibrate(weights, margins, scaled, tolerance=1e-11, max_iterations=5000)
    assert again == pytest.approx([k * w for w in got], rel=1e-8)


def test_totals_are_read_from_csv_and_every_bad_row_is_named() -> None:
    text = "# known totals\nvariable,category,total\nsex,m,10\nsex,f,12.5\nage, y ,3\n"
    assert read_totals(text.encode(), "t.csv") == {
        "sex": {"m": 10.0, "f": 12.5},
        "age": {"y": 3.0},
    }
    bad = "total,category,variable\n0,m,sex\nx,f,sex\n1,m,sex\n2,,\n"
    with pytest.raises(SurveyError) as caught:
        read_totals(bad.encode(), "t.csv")
    found = [(p.location.row, p.location.column, p.code) for p in caught.value.problems]
    assert found == [
        (2, "total", "calibration_total"),
        (3, "total", "calibration_total"),
        (4, "category", "calibration_total_twice"),
        (5, "variable", "value_required"),
        (5, "category", "value_required"),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("variable,total\nsex,1\n", "missing_columns"),
        ("variable,category,total\n", "calibration_no_totals"),
    ],
)
def test_a_totals_file_without_totals_is_refused(text: str, code: str) -> None:
    with pytest.raises(SurveyError) as caught:
        read_totals(text.encode(), "t.csv")
    assert [p.code for p in caught.value.problems] == [code]
