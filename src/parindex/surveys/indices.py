"""Satisfaction indices per domain: per question, per factor and overall, each with its interval.

Definitions (the survey methodology's, ``docs/surveys.md``; the defaults are assumptions):

* a question's index: the weighted share of satisfied answers among its valid answers;
* a factor's index: the weighted mean, over the respondents with at least one valid answer among
  the factor's questions, of each respondent's share of satisfied answers among them;
* the overall index: ``Σ a_f F_f / Σ a_f`` over the factors the questionnaire feeds, ``a_f`` their
  weights; it is estimated in a domain only when every such factor of weight above 0 is.

Every figure has the Wald interval ``R ± z·√V`` of :mod:`parindex.surveys.estimation` (for the
overall index, of the combination's linearised values ``Σ a_f z_f / Σ a_f``), clipped to
[0, 100] per cent, and ``n``: the respondents with a valid answer (for a factor, with at least
one; overall, with at least one in a weighted factor). A figure with fewer than the methodology's
``min_answers`` is flagged ``few``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from ..decimals import HUNDRED, quantize
from .definitions import SurveyMethodology
from .estimation import Bools, Design, Floats, Ints, Ratios, codes, ratios, variance

__all__ = ["Figure", "SurveyAnswers", "estimate_indices"]


@dataclass(frozen=True)
class SurveyAnswers:
    """The answers to estimate from, one entry per respondent in every sequence.

    ``answers`` maps each question feeding a factor to its answers (text, ``""`` for none) and
    ``factors`` maps the same questions to their factor codes, in the questionnaire's order.
    """

    answers: Mapping[str, Sequence[str]]
    factors: Mapping[str, str]
    weights: Sequence[float]
    strata: Sequence[str]
    domains: Sequence[str]


@dataclass(frozen=True)
class Figure:
    """One published figure: per cent, rounded as the methodology says; ``None`` without answers."""

    unit: str
    item: str
    estimate: Decimal | None
    ci_low: Decimal | None
    ci_high: Decimal | None
    n: int
    few: bool
    kind: str
    """``question``, ``factor`` or ``overall``."""


def _percent(value: float, m: SurveyMethodology) -> Decimal:
    return quantize(Decimal(repr(float(value))) * HUNDRED, m.places, m.rounding)


def _figures(
    m: SurveyMethodology,
    units: tuple[str, ...],
    kind: str,
    item: str,
    estimates: tuple[Floats, Floats, Ints],
) -> list[Figure]:
    r, v, n = estimates
    out = []
    for d, unit in enumerate(units):
        if np.isnan(r[d]):
            figure = Figure(unit, item, None, None, None, int(n[d]), True, kind)
        else:
            half = m.z * float(np.sqrt(max(v[d], 0.0)))
            low, high = max(r[d] - half, 0.0), min(r[d] + half, 1.0)
            figure = Figure(
                unit,
                item,
                _percent(float(r[d]), m),
                _percent(low, m),
                _percent(high, m),
                int(n[d]),
                int(n[d]) < m.min_answers,
                kind,
            )
        out.append(figure)
    return out


def _among(table: npt.NDArray[np.str_], values: Sequence[str]) -> Bools:
    """Where ``table`` holds one of ``values``. Answers of at most one character (the 1-5
    scale) are compared as code points, others as text (``np.isin`` would sort them)."""
    found = np.zeros(table.shape, dtype=np.bool_)
    if table.dtype.itemsize == 4:  # one UCS-4 character at most: "" is 0
        points = table.view(np.uint32)
        for value in values:
            if len(value) == 1:
                found |= points == ord(value)
        return found
    for value in values:
        found |= table == value
    return found


def estimate_indices(m: SurveyMethodology, data: SurveyAnswers) -> list[Figure]:
    """Every figure per domain (sorted): the questions in order, then the factors in the
    methodology's order (those the questions feed), then the overall index."""
    units, domains = codes(tuple(data.domains))
    _names, strata = codes(tuple(data.strata))
    design = Design(np.asarray(data.weights, dtype=np.float64), strata, domains, len(units))
    questions = list(data.factors)
    table = np.asarray([data.answers[q] for q in questions], dtype=str)  # questions × n
    valid, y = _among(table, m.scale), _among(table, sorted(m.satisfied)).astype(np.float64)
    rows: list[Figure] = []
    items = ratios(y, valid, design)
    item_var = variance(items.z, design)
    for k, q in enumerate(questions):
        estimates = (items.estimate[:, k], item_var[:, k], items.count[:, k])
        rows += _figures(m, units, "question", q, estimates)
    fed = [f for f in m.factors if f.code in set(data.factors.values())]
    answered = np.zeros((len(fed), len(domains)), dtype=np.float64)  # factors × n
    shares = np.zeros_like(answered)
    for j, factor in enumerate(fed):
        columns = [k for k, q in enumerate(questions) if data.factors[q] == factor.code]
        answered[j] = valid[columns].sum(axis=0)
        shares[j] = y[columns].sum(axis=0)  # y is 1 only where an answer is valid
    has = answered > 0
    share = np.divide(shares, answered, out=np.zeros_like(shares), where=has)
    per_factor = ratios(share, has, design)
    factor_var = variance(per_factor.z, design)
    for j, factor in enumerate(fed):
        estimates = (per_factor.estimate[:, j], factor_var[:, j], per_factor.count[:, j])
        rows += _figures(m, units, "factor", factor.code, estimates)
    weights = np.asarray([float(f.weight) for f in fed], dtype=np.float64)
    rows += _overall(m, units, weights, per_factor, has, design)
    order = {unit: i for i, unit in enumerate(units)}
    rows.sort(key=lambda figure: order[figure.unit])  # stable: items keep their order
    return rows


def _overall(
    m: SurveyMethodology,
    units: tuple[str, ...],
    weights: Floats,
    per_factor: Ratios,
    has: Bools,
    design: Design,
) -> list[Figure]:
    total = weights.sum()
    if not total > 0:
        return []
    r = np.where(
        np.isnan(per_factor.estimate[:, weights > 0]).any(axis=1),
        np.nan,
        np.nan_to_num(per_factor.estimate) @ weights / total,
    )
    v = variance((weights @ per_factor.z / total)[None, :], design)[:, 0]
    weighted = has[weights > 0].any(axis=0)
    n = np.bincount(design.domains, weights=weighted, minlength=design.n_domains)
    return _figures(m, units, "overall", m.overall, (r, v, n.astype(np.intp)))
