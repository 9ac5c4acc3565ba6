"""Survey estimation benchmark: SIPAS indices with intervals per unit, from arrays and from CSV.

Run with ``.venv/bin/python bench/surveys.py [RESPONDENTS]`` (default 1,000,000). The data are
SYNTHETIC (seeded): 40 questions on the 1-5 scale with a "don't know" (9) and blanks, feeding
the nine factors of ``sipas-default``; 34 provinces as units, 3 levels as strata, weights from
0.5 to 3. Three timings:

* estimate  ``parindex.surveys.estimate_indices`` on the answers already in memory: every
            question, factor and overall index per unit with its interval (one NumPy pass);
* pandas    a straightforward pandas implementation of the questions' Taylor-linearised
            variances (groupby per unit, then per stratum), on the first 100,000 respondents,
            against the core's arrays (``parindex.surveys.estimation``) on the same data;
* read      ``read_responses`` checking a CSV export of ``RESPONDENTS // 10`` rows against the
            form (pure Python, row by row), reported per 100,000 rows.

Peak memory is the process's maximum resident size. Times are not asserted; the pandas path
must agree with the core's variances to 1e-9 (exit status 1 otherwise).
"""

from __future__ import annotations

import io
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np

from parindex.surveys import SurveyAnswers, estimate_indices, shipped_survey_methodology
from parindex.surveys.estimation import Design, codes, ratios, variance
from parindex.surveys.responses import read_responses
from parindex.surveys.xlsform import Choice, Form, Question

QUESTIONS = 40
SIPAS = shipped_survey_methodology()


def generate(n: int, seed: int = 18) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    answers = rng.choice(np.array(["1", "2", "3", "4", "5", "9", ""]), size=(n, QUESTIONS),
                         p=[0.04, 0.06, 0.15, 0.45, 0.25, 0.03, 0.02])  # fmt: skip
    units = np.char.add("P", rng.integers(1, 35, n).astype(str))
    strata = np.char.add(units, rng.integers(1, 4, n).astype(str))
    weights = rng.uniform(0.5, 3, n)
    return answers, units, strata, weights


def factors() -> dict[str, str]:
    codes = [f.code for f in SIPAS.factors]
    return {f"q{k + 1}": codes[k % len(codes)] for k in range(QUESTIONS)}


def pandas_items(
    answers: np.ndarray, units: np.ndarray, strata: np.ndarray, w: np.ndarray
) -> dict[tuple[str, str], float]:
    import pandas as pd

    out: dict[tuple[str, str], float] = {}
    frame = pd.DataFrame({"unit": units, "stratum": strata, "w": w})
    n_h = frame.groupby("stratum")["w"].transform("size")
    for k in range(QUESTIONS):
        a = pd.Series(answers[:, k])
        valid = a.isin(["1", "2", "3", "4", "5"])
        frame["wv"] = frame["w"] * valid
        frame["wy"] = frame["wv"] * a.isin(["4", "5"])
        sums = frame.groupby("unit")[["wv", "wy"]].sum()
        r = sums["wy"] / sums["wv"]
        for unit in sums.index:
            inside = frame["unit"] == unit
            z = np.where(
                inside, frame["wv"] * (a.isin(["4", "5"]) - r[unit]) / sums.loc[unit, "wv"], 0.0
            )
            g = pd.DataFrame({"z": z, "h": strata, "n": n_h}).groupby("h")
            s1, s2, nh = g["z"].sum(), (g["z"].apply(lambda x: (x * x).sum())), g["n"].first()
            out[(unit, f"q{k + 1}")] = float((nh / (nh - 1) * (s2 - s1 * s1 / nh)).sum())
    return out


def core_item_variances(
    answers: np.ndarray, units: np.ndarray, strata: np.ndarray, w: np.ndarray
) -> dict[tuple[str, str], float]:
    names, domains = codes(tuple(units))
    design = Design(w, codes(tuple(strata))[1], domains, len(names))
    table = np.ascontiguousarray(answers.T)
    valid = np.isin(table, ["1", "2", "3", "4", "5"])
    r = ratios(np.isin(table, ["4", "5"]).astype(np.float64), valid, design)
    v = variance(r.z, design)
    return {
        (unit, f"q{k + 1}"): float(v[d, k])
        for d, unit in enumerate(names)
        for k in range(QUESTIONS)
    }


def bench_form() -> Form:
    questions = [Question(f"q{k + 1}", "select_one", k + 2, "m") for k in range(QUESTIONS)]
    choices = {"m": tuple(Choice(v, {}) for v in "123459")}
    return Form("bench", (*questions, Question("unit", "text", 2)), choices, {})


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    answers, units, strata, weights = generate(n)
    data = SurveyAnswers(
        {q: answers[:, k] for k, q in enumerate(factors())}, factors(), weights, strata, units
    )
    start = time.perf_counter()
    figures = estimate_indices(SIPAS, data)
    estimate = time.perf_counter() - start
    print(
        f"estimate: {n:,} respondents x {QUESTIONS} questions -> {len(figures):,} figures in {estimate:.2f} s"
    )
    small = min(n, 100_000)
    part = (answers[:small], units[:small], strata[:small], weights[:small])
    start = time.perf_counter()
    reference = pandas_items(*part)
    pandas_time = time.perf_counter() - start
    start = time.perf_counter()
    ours = core_item_variances(*part)
    core_time = time.perf_counter() - start
    worst = max(abs(reference[key] - ours[key]) for key in ours)
    print(
        f"question variances of {small:,} respondents: pandas {pandas_time:.2f} s, core {core_time:.2f} s ({pandas_time / core_time:.0f}x); largest difference {worst:.1e}"
    )
    if worst > 1e-9:
        raise SystemExit("pandas and the core disagree")
    rows = n // 10
    text = io.StringIO()
    text.write(",".join([*(f"q{k + 1}" for k in range(QUESTIONS)), "unit"]) + "\n")
    for i in range(rows):
        text.write(",".join([*answers[i], units[i]]) + "\n")
    start = time.perf_counter()
    read_responses(text.getvalue().encode(), bench_form(), file="bench.csv", extra={"by": "unit"})
    read = time.perf_counter() - start
    print(
        f"read_responses: {rows:,} rows in {read:.2f} s ({read / rows * 100_000:.2f} s per 100,000 rows)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
