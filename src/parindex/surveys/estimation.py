"""Design-based estimation of shares by domain, in one pass with NumPy.

The design is stratified single-stage with replacement: each respondent ``i`` has a weight
``w_i > 0`` and a stratum ``h_i``; the domains ``d`` (units) split the respondents. For a column
``y`` (1 satisfied, 0 not, or a respondent's share in [0, 1]) valid where ``v_i``, the domain's
estimate is the ratio

    R_d = Σ_i w_i v_i δ_id y_i / Σ_i w_i v_i δ_id,

and its Taylor-linearised variance is that of the linearised values

    z_i = w_i v_i δ_id (y_i − R_d) / Σ_j w_j v_j δ_jd,

    V(R_d) = Σ_h n_h / (n_h − 1) · Σ_{i ∈ h} (z_i − z̄_h)²,

where ``n_h`` counts every respondent of stratum ``h``: a respondent outside the domain, or with
no valid answer, stays in the design with ``z_i = 0``. This is what R's survey package gives
for ``svyby(~y, ~unit, subset(svydesign(ids=~1, strata=~stratum, weights=~weight), valid),
svymean)``. A stratum with a single respondent adds nothing (R would stop, with its default
``survey.lonely.psu = "fail"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Design", "Ratios", "codes", "ratios", "variance"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]


def codes(values: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], Ints]:
    """The distinct ``values``, sorted, and each value's index among them."""
    names, inverse = np.unique(np.asarray(values, dtype=str), return_inverse=True)
    return tuple(str(n) for n in names), inverse.astype(np.intp)


@dataclass(frozen=True)
class Design:
    """Respondents' weights, strata and domains (as codes 0 … k−1)."""

    weights: Floats
    strata: Ints
    domains: Ints
    n_domains: int


@dataclass(frozen=True)
class Ratios:
    """Per domain and column (domains × k): the estimate (NaN without valid answers) and the
    valid answers; per column and respondent (k × n): the linearised values ``z``."""

    estimate: Floats
    count: Ints
    z: Floats


def _sums(index: Ints, values: Floats, groups: int) -> Floats:
    """Sums of each row of ``values`` (k × n) per group ``index`` (n) → groups × k."""
    out = np.empty((groups, values.shape[0]), dtype=np.float64)
    for row in range(values.shape[0]):
        out[:, row] = np.bincount(index, weights=values[row], minlength=groups)
    return out


def ratios(y: Floats, valid: Bools, design: Design) -> Ratios:
    """Domain ratios of the rows of ``y`` (k × n: a column of the data per row, for speed)
    among its ``valid`` cells (k × n)."""
    wv = valid * design.weights[None, :]
    total = _sums(design.domains, wv, design.n_domains)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = _sums(design.domains, wv * y, design.n_domains) / total
        inverse = np.where(total > 0, 1 / total, 0.0)
    # wv is 0 wherever a domain has no valid answer, so its NaN estimate is read as 0 here.
    at = design.domains
    z = wv * (y - np.nan_to_num(estimate).T[:, at]) * inverse.T[:, at]
    count = _sums(design.domains, valid.astype(np.float64), design.n_domains).astype(np.intp)
    return Ratios(estimate, count, z)


def variance(z: Floats, design: Design) -> Floats:
    """The with-replacement stratified variance (domains × k) of the linearised values ``z``
    (k × n)."""
    n_strata = int(design.strata.max()) + 1 if len(design.strata) else 0
    sizes = np.bincount(design.strata, minlength=n_strata).astype(np.float64)
    factor = np.divide(sizes, sizes - 1, out=np.zeros_like(sizes), where=sizes > 1)
    cell = design.domains * n_strata + design.strata
    cells, inverse = np.unique(cell, return_inverse=True)
    first = _sums(inverse, z, len(cells))
    second = _sums(inverse, z * z, len(cells))
    stratum = cells % n_strata
    per_cell = factor[stratum, None] * (second - first * first / sizes[stratum, None])
    domain = (cells // n_strata).astype(np.intp)
    return _sums(domain, np.ascontiguousarray(per_cell.T), design.n_domains)
