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
    """Per domain and column: the estimate (NaN without valid answers), the valid answers, and
    per respondent and column the linearised values ``z``."""

    estimate: Floats
    count: Ints
    z: Floats


def _sums(index: Ints, values: Floats, groups: int) -> Floats:
    """Column sums of ``values`` (n × k) per group ``index`` (n) → groups × k."""
    out = np.empty((groups, values.shape[1]), dtype=np.float64)
    for column in range(values.shape[1]):
        out[:, column] = np.bincount(index, weights=values[:, column], minlength=groups)
    return out


def ratios(y: Floats, valid: Bools, design: Design) -> Ratios:
    """Domain ratios of the columns of ``y`` (n × k) among the ``valid`` cells (n × k)."""
    wv = design.weights[:, None] * valid
    total = _sums(design.domains, wv, design.n_domains)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = _sums(design.domains, wv * y, design.n_domains) / total
        inverse = np.where(total > 0, 1 / total, 0.0)
    # wv is 0 wherever a domain has no valid answer, so its NaN estimate is read as 0 here.
    z = wv * (y - np.nan_to_num(estimate)[design.domains]) * inverse[design.domains]
    count = _sums(design.domains, valid.astype(np.float64), design.n_domains).astype(np.intp)
    return Ratios(estimate, count, z)


def variance(z: Floats, design: Design) -> Floats:
    """The with-replacement stratified variance (domains × k) of the linearised values ``z``."""
    n_strata = int(design.strata.max()) + 1 if len(design.strata) else 0
    sizes = np.bincount(design.strata, minlength=n_strata).astype(np.float64)
    factor = np.divide(sizes, sizes - 1, out=np.zeros_like(sizes), where=sizes > 1)
    cell = design.domains * n_strata + design.strata
    cells, inverse = np.unique(cell, return_inverse=True)
    first = _sums(inverse, z, len(cells))
    second = _sums(inverse, z * z, len(cells))
    stratum = cells % n_strata
    per_cell = factor[stratum, None] * (second - first * first / sizes[stratum, None])
    return _sums((cells // n_strata).astype(np.intp), per_cell, design.n_domains)
