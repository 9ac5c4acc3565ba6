"""Design-based estimates: hand-computed cases, properties, a coverage simulation, a reference."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.surveys import Figure, SurveyAnswers, estimate_indices, shipped_survey_methodology
from parindex.surveys.definitions import parse_survey_methodology
from parindex.surveys.estimation import Design, codes, ratios, variance

SIPAS = shipped_survey_methodology()
SHIPPED_TEXT = (
    Path(__file__).resolve().parents[3] / "src/parindex/data/surveys/sipas-default.yaml"
).read_text(encoding="utf-8")


def design(weights: Sequence[float], strata: Sequence[str], domains: Sequence[str]) -> Design:
    names, d = codes(tuple(domains))
    return Design(np.asarray(weights, dtype=np.float64), codes(tuple(strata))[1], d, len(names))


# Six respondents, two strata (a: 1, 2, 6; b: 3, 4, 5), two units (X: 1-3; Y: 4-6).
WEIGHTS = [1.0, 2.0, 1.0, 1.0, 3.0, 1.0]
STRATA = ["a", "a", "b", "b", "b", "a"]
UNITS = ["X", "X", "X", "Y", "Y", "Y"]
Q1 = ["5", "4", "2", "", "3", "9"]  # "" blank and "9" (don't know) are not valid answers
Q2 = ["4", "4", "1", "5", "", "2"]


def survey(columns: dict[str, list[str]], factors: dict[str, str]) -> SurveyAnswers:
    return SurveyAnswers(columns, factors, WEIGHTS, STRATA, UNITS)


def figure(unit: str, item: str, est: str, low: str, high: str, n: int, kind: str) -> Figure:
    return Figure(unit, item, Decimal(est), Decimal(low), Decimal(high), n, n < 30, kind)


def test_a_question_in_a_unit_worked_by_hand() -> None:
    """Unit X, q1: answers 5 (w 1), 4 (w 2), 2 (w 1): R = (1 + 2) / (1 + 2 + 1) = 0.75.

    z = w (y − R) / 4: respondent 1: 0.25/4 = 0.0625; 2: 2·0.25/4 = 0.125; 3: −0.75/4 = −0.1875;
    every other respondent 0, yet in its stratum. Stratum a (1, 2, 6; n = 3): Σz = 0.1875,
    Σz² = 0.01953125, Σ(z − z̄)² = 0.01953125 − 0.1875²/3 = 0.0078125, × 3/2 = 0.01171875.
    Stratum b (3, 4, 5): Σz = −0.1875, Σz² = 0.03515625, Σ(z − z̄)² = 0.0234375, × 3/2 =
    0.03515625. V = 0.046875, √V = 0.216506, 1.959964·√V = 0.424345: [0.325655, 1.174345],
    clipped: [32.57, 100.00].
    """
    d = design(WEIGHTS, STRATA, UNITS)
    y = np.asarray([[1.0, 1.0, 0.0, 0.0, 0.0, 0.0]])  # one question (row) of six respondents
    valid = np.asarray([[True, True, True, False, True, False]])
    r = ratios(y, valid, d)
    assert r.estimate[:, 0].tolist() == [0.75, 0.0]
    assert r.count[:, 0].tolist() == [3, 1]
    assert r.z[0].tolist() == [0.0625, 0.125, -0.1875, 0.0, 0.0, 0.0]
    assert variance(r.z, d)[0, 0] == pytest.approx(0.046875, rel=1e-12)
    figures = estimate_indices(SIPAS, survey({"q1": Q1}, {"q1": "access"}))
    assert figures[0] == figure("X", "q1", "75.00", "32.57", "100.00", 3, "question")


def test_a_factor_is_the_weighted_mean_of_each_respondents_share() -> None:
    """Unit Y, factor access = q1 and q2. Respondent 4 (w 1): q1 blank, q2 5: share 1/1.
    5 (w 3): q1 3, q2 blank: share 0/1. 6 (w 1): q1 9 (don't know), q2 2: share 0/1.
    R = (1·1 + 3·0 + 1·0) / 5 = 0.2. z = w (s − 0.2) / 5: 4: 0.16, 5: −0.12, 6: −0.04.
    Stratum a holds 6 only of Y: Σz = −0.04, Σz² = 0.0016 → (0.0016 − 0.0016/3)·3/2 = 0.0016.
    Stratum b holds 4 and 5: Σz = 0.04, Σz² = 0.04 → (0.04 − 0.0016/3)·3/2 = 0.0592.
    V = 0.0608, 1.959964·√V = 0.483286: [−0.283, 0.683] → [0.00, 68.33].
    Unit X: shares 1 (5, 4), 1 (4, 4), 0 (2, 1): the same figures as q1 alone.
    """
    figures = estimate_indices(
        SIPAS, survey({"q1": Q1, "q2": Q2}, {"q1": "access", "q2": "access"})
    )
    assert [f for f in figures if f.item == "access"] == [
        figure("X", "access", "75.00", "32.57", "100.00", 3, "factor"),
        figure("Y", "access", "20.00", "0.00", "68.33", 3, "factor"),
    ]
    assert [f.item for f in figures] == ["q1", "q2", "access", "sipas"] * 2
    assert [f.n for f in figures if f.unit == "Y"] == [1, 2, 3, 3]


def test_the_overall_index_combines_the_factors_and_their_linearised_values() -> None:
    """Unit Y: access (q1) has respondent 5 only, answer 3: 0. procedures (q2): 4 says 5 and
    6 says 2: (1·1 + 1·0)/2 = 0.5. Overall = (0 + 0.5)/2 = 0.25. Linearised: access's z is 0
    (5's own answer is the estimate); procedures' z: 4: 1·0.5/2 = 0.25, 6: −0.25; overall's
    z = half of those: 0.125, −0.125. Stratum a (6 of Y): (0.015625 − 0.015625/3)·3/2 = 0.015625,
    stratum b (4 of Y) the same: V = 0.03125, 1.959964·√V = 0.346476 → [0.00, 59.65]."""
    figures = estimate_indices(
        SIPAS, survey({"q1": Q1, "q2": Q2}, {"q1": "access", "q2": "procedures"})
    )
    assert figures[-1] == figure("Y", "sipas", "25.00", "0.00", "59.65", 3, "overall")
    assert [f.item for f in figures[:4]] == ["q1", "q2", "access", "procedures"]


def test_a_unit_without_valid_answers_gets_a_flagged_empty_figure_and_no_overall() -> None:
    q2 = ["4", "4", "1", "", "", "9"]  # unit Y has no valid answer to q2
    figures = estimate_indices(
        SIPAS, survey({"q1": Q1, "q2": q2}, {"q1": "access", "q2": "results"})
    )
    y = {f.item: f for f in figures if f.unit == "Y"}
    assert y["q2"] == Figure("Y", "q2", None, None, None, 0, True, "question")
    assert y["results"] == Figure("Y", "results", None, None, None, 0, True, "factor")
    assert y["sipas"].estimate is None and y["sipas"].n == 1


def test_a_factor_of_weight_zero_is_estimated_but_leaves_no_overall_alone() -> None:
    text = (
        "id: t\nname: T\nscale: [1, 2, 3, 4, 5]\nsatisfied: [4, 5]\nplaces: 1\nrounding: half_even\n"
        "min_answers: 2\nconfidence: 0.9\nmargin: 0.05\naspects: [{code: s, name: S}]\n"
        "factors: [{code: a, aspect: s, weight: 0, name: A}, {code: b, aspect: s, weight: 2, name: B}]\n"
        "overall: {code: all, name: All}\n"
    )
    m = parse_survey_methodology(text, "t.yaml")
    figures = estimate_indices(m, survey({"q1": Q1}, {"q1": "a"}))
    assert [(f.unit, f.item, f.estimate, f.few) for f in figures] == [
        ("X", "q1", Decimal("75.0"), False),
        ("X", "a", Decimal("75.0"), False),
        ("Y", "q1", Decimal("0.0"), True),
        ("Y", "a", Decimal("0.0"), True),
    ]


def test_a_stratum_of_one_respondent_adds_no_variance() -> None:
    d = design([1.0, 1.0, 1.0], ["a", "a", "b"], ["X", "X", "X"])
    r = ratios(np.asarray([[1.0, 0.0, 1.0]]), np.ones((1, 3), dtype=bool), d)
    # R = 2/3; z = 1/9, −2/9 (stratum a), 1/9 (b, alone). a: (5/81 − (1/81)/2)·2 = 9/81.
    assert variance(r.z, d)[0, 0] == pytest.approx(1 / 9)


# --- properties -------------------------------------------------------------------------------

ANSWER = st.sampled_from(["1", "2", "3", "4", "5", "", "9"])


@st.composite
def samples(draw: st.DrawFn) -> SurveyAnswers:
    n = draw(st.integers(2, 30))
    column = st.lists(ANSWER, min_size=n, max_size=n)
    return SurveyAnswers(
        {"q1": draw(column), "q2": draw(column), "q3": draw(column)},
        {"q1": "access", "q2": "access", "q3": "feedback"},
        draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n)),
        draw(st.lists(st.sampled_from("ab"), min_size=n, max_size=n)),
        draw(st.lists(st.sampled_from("XYZ"), min_size=n, max_size=n)),
    )


@settings(max_examples=60, deadline=None)
@given(samples())
def test_every_figure_and_interval_lies_in_0_to_100(data: SurveyAnswers) -> None:
    for f in estimate_indices(SIPAS, data):
        if f.estimate is not None:
            assert f.ci_low is not None and f.ci_high is not None
            assert Decimal(0) <= f.ci_low <= f.estimate <= f.ci_high <= Decimal(100)
        else:
            assert f.few and f.ci_low is None


@settings(max_examples=60, deadline=None)
@given(samples(), st.floats(0.01, 1000))
def test_weights_scaled_by_a_constant_change_nothing(data: SurveyAnswers, c: float) -> None:
    def raw(weights: Sequence[float]) -> tuple[list[float], list[float]]:
        d = design(weights, data.strata, data.domains)
        table = np.asarray([data.answers[q] for q in data.answers])
        r = ratios(np.isin(table, ["4", "5"]).astype(np.float64), np.isin(table, list("12345")), d)
        return np.nan_to_num(r.estimate).ravel().tolist(), variance(r.z, d).ravel().tolist()

    est, var = raw(data.weights)
    scaled_est, scaled_var = raw([w * c for w in data.weights])
    assert scaled_est == pytest.approx(est, rel=1e-9, abs=1e-12)
    assert scaled_var == pytest.approx(var, rel=1e-9, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from("XYZ")), min_size=2, max_size=40))
def test_one_stratum_with_equal_weights_gives_the_binomial_variance(
    rows: list[tuple[bool, str]],
) -> None:
    """One stratum of n, equal weights, every answer valid: for domain d of n_d respondents with
    share p_d, z_i = (y_i − p_d)/n_d inside d and 0 outside; Σ z = 0, so
    V = n/(n−1) · Σ_{i∈d} (y_i − p_d)²/n_d² = n/(n−1) · p_d(1 − p_d)/n_d
    (with one domain, n_d = n: the textbook p(1 − p)/(n − 1))."""
    n = len(rows)
    y = np.asarray([[float(sat) for sat, _d in rows]])
    d = design([2.5] * n, ["s"] * n, [unit for _s, unit in rows])
    r = ratios(y, np.ones((1, n), dtype=bool), d)
    names = codes(tuple(unit for _s, unit in rows))[0]
    for k, unit in enumerate(names):
        n_d = sum(1 for _s, u in rows if u == unit)
        p = sum(1 for s, u in rows if u == unit and s) / n_d
        assert variance(r.z, d)[k, 0] == pytest.approx(n / (n - 1) * p * (1 - p) / n_d, abs=1e-12)


# --- coverage and a reference library ---------------------------------------------------------


def test_the_95_percent_interval_covers_the_truth_about_95_percent_of_the_time() -> None:
    """400 samples of 240 from two strata (60 % and 85 % satisfied, 7,000 and 3,000 people),
    60 and 180 drawn (so the weights differ), and two domains: the truth of the whole population
    is 0.7 · 0.6 + 0.3 · 0.85 = 0.675. A Wald 95 % interval should cover it 92–98 % of the time."""
    rng = np.random.default_rng(18)
    sizes, shares, drawn = np.array([7000, 3000]), np.array([0.6, 0.85]), np.array([60, 180])
    truth = float((sizes * shares).sum() / sizes.sum())
    strata = np.repeat([0, 1], drawn).astype(np.intp)
    weights = (sizes / drawn)[strata]
    d = Design(weights, strata, np.zeros(drawn.sum(), dtype=np.intp), 1)
    covered = 0
    for _ in range(400):
        y = (rng.random(drawn.sum()) < shares[strata]).astype(np.float64)[None, :]
        r = ratios(y, np.ones_like(y, dtype=bool), d)
        half = SIPAS.z * np.sqrt(variance(r.z, d)[0, 0])
        covered += abs(r.estimate[0, 0] - truth) <= half
    assert 0.92 <= covered / 400 <= 0.98


def test_the_estimates_equal_samplics_taylor_estimator() -> None:
    """samplics (archived; a test-only reference) on data without missing answers: equal point
    estimates and standard errors per domain. With missing answers its ``remove_nan`` drops the
    rows from the design, so only the point estimates are compared there."""
    samplics = pytest.importorskip("samplics.estimation")
    from samplics.utils.types import PopParam

    rng = np.random.default_rng(5)
    n = 300
    y = (rng.random(n) < 0.65).astype(np.float64)
    weights = rng.uniform(0.5, 4, n)
    strata = rng.integers(0, 4, n).astype(np.intp)
    domains = rng.integers(0, 3, n).astype(np.intp)
    d = Design(weights, strata, domains, 3)
    ours = ratios(y[None, :], np.ones((1, n), dtype=bool), d)
    ours_se = np.sqrt(variance(ours.z, d)[:, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = samplics.TaylorEstimator(PopParam.mean)
        reference.estimate(y=y, samp_weight=weights, stratum=strata, domain=domains)
        assert [reference.point_est[k] for k in range(3)] == pytest.approx(ours.estimate[:, 0])
        assert [reference.stderror[k] for k in range(3)] == pytest.approx(ours_se, rel=1e-10)
        missing = rng.random(n) < 0.1
        valid = ~missing
        with_nan = np.where(missing, np.nan, y)
        reference = samplics.TaylorEstimator(PopParam.mean)
        reference.estimate(
            y=with_nan, samp_weight=weights, stratum=strata, domain=domains, remove_nan=True
        )
    partial = ratios(y[None, :], valid[None, :], d)
    assert [reference.point_est[k] for k in range(3)] == pytest.approx(partial.estimate[:, 0])


def test_answers_longer_than_one_character_are_compared_as_text() -> None:
    """A "don't know" written 99 makes the answers two characters wide: the same figures."""
    wide = [value if value != "9" else "99" for value in Q1]
    narrow = estimate_indices(SIPAS, survey({"q1": Q1}, {"q1": "access"}))
    assert estimate_indices(SIPAS, survey({"q1": wide}, {"q1": "access"})) == narrow
    scale = parse_survey_methodology(
        SHIPPED_TEXT.replace("scale: [1, 2, 3, 4, 5]", "scale: [1, 2, 3, 4, 5, 10]").replace(
            "satisfied: [4, 5]", "satisfied: [4, 5, 10]"
        ),
        "s.yaml",
    )
    ten = estimate_indices(scale, survey({"q1": ["10", "1", "", "", "", ""]}, {"q1": "access"}))
    # Unit X: 10 (satisfied, weight 1) and 1 (weight 2): 1/3.
    assert (ten[0].estimate, ten[0].n) == (Decimal("33.33"), 2)
