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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Design", "Ratios", "codes", "ratios", "variance"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]


def codes(values: Sequence[str]) -> tuple[tuple[str, ...], Ints]:
    """The distinct ``values``, sorted, and each value's index among them (a dictionary pass:
    ``np.unique`` would sort every value as text)."""
    seen: dict[str, int] = {}
    first = np.fromiter((seen.setdefault(v, len(seen)) for v in values), np.intp, len(values))
    names = sorted(seen)
    rank = np.empty(len(names), dtype=np.intp)
    rank[[seen[name] for name in names]] = np.arange(len(names))
    return tuple(str(name) for name in names), rank[first]


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
    """Domain ratios of the rows of ``y`` (k × n: a column of the data per row) among its
    ``valid`` cells (k × n). Row by row: vectors of n stay in the allocator's reach, where
    k × n temporaries would each be fresh memory."""
    at, groups = design.domains, design.n_domains
    estimate = np.empty((groups, y.shape[0]), dtype=np.float64)
    count = np.empty((groups, y.shape[0]), dtype=np.intp)
    z = np.empty_like(y, dtype=np.float64)
    for row in range(y.shape[0]):
        wv = design.weights * valid[row]
        total = np.bincount(at, weights=wv, minlength=groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            estimate[:, row] = np.bincount(at, weights=wv * y[row], minlength=groups) / total
            inverse = np.where(total > 0, 1 / total, 0.0)
        # wv is 0 wherever a domain has no valid answer, so its NaN estimate is read as 0 here.
        np.multiply(wv * inverse[at], y[row] - np.nan_to_num(estimate[:, row])[at], out=z[row])
        count[:, row] = np.bincount(at, weights=valid[row], minlength=groups)
    return Ratios(estimate, count, z)


def variance(z: Floats, design: Design) -> Floats:
    """The with-replacement stratified variance (domains × k) of the linearised values ``z``
    (k × n)."""
    n_strata = int(design.strata.max()) + 1 if len(design.strata) else 0
    sizes = np.bincount(design.strata, minlength=n_strata).astype(np.float64)
    factor = np.divide(sizes, sizes - 1, out=np.zeros_like(sizes), where=sizes > 1)
    cell = design.domains * n_strata + design.strata
    cells, inverse = np.unique(cell, return_inverse=True)
    first = np.empty((len(cells), z.shape[0]), dtype=np.float64)
    second = np.empty_like(first)
    for row in range(z.shape[0]):
        first[:, row] = np.bincount(inverse, weights=z[row], minlength=len(cells))
        second[:, row] = np.bincount(inverse, weights=z[row] * z[row], minlength=len(cells))
    stratum = cells % n_strata
    per_cell = factor[stratum, None] * (second - first * first / sizes[stratum, None])
    domain = (cells // n_strata).astype(np.intp)
    return _sums(domain, np.ascontiguousarray(per_cell.T), design.n_domains)
