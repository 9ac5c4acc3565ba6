"""The sample-size planner: n = N / (1 + N·e²), allocated to strata in proportion to their size.

``n`` is rounded up (a plan never falls short of the margin). The allocation gives stratum ``h``
``n · N_h / N`` forms, rounded down, and the forms left over go one each to the strata with the
largest remainders (ties to the earlier stratum), so the allocation adds up to ``n`` exactly
(Hamilton's largest-remainder method). Exact arithmetic throughout (:class:`fractions.Fraction`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

__all__ = ["SamplePlan", "plan_sample", "sample_size"]


def sample_size(population: int, margin: Decimal) -> int:
    """Forms needed for ``population`` at the margin ``e``: ⌈N / (1 + N·e²)⌉ (0 for N = 0)."""
    if population < 0 or not 0 < margin < 1:
        raise ValueError("the population must be at least 0 and the margin between 0 and 1")
    e = Fraction(margin)
    return math.ceil(Fraction(population) / (1 + population * e * e))


@dataclass(frozen=True)
class SamplePlan:
    """The forms to collect: in all, and per stratum (in the order the strata were given)."""

    total: int
    strata: dict[str, int]


def plan_sample(population: Mapping[str, int], margin: Decimal) -> SamplePlan:
    """The plan for the strata's ``population`` sizes (the dossiers or transactions of each)."""
    if any(size < 0 for size in population.values()):
        raise ValueError("a stratum's population must be at least 0")
    total_population = sum(population.values())
    n = sample_size(total_population, margin)
    if total_population == 0:
        return SamplePlan(0, dict.fromkeys(population, 0))
    shares = {h: Fraction(n * size, total_population) for h, size in population.items()}
    allocation = {h: math.floor(share) for h, share in shares.items()}
    left = n - sum(allocation.values())
    order = sorted(shares, key=lambda h: shares[h] - allocation[h], reverse=True)
    for h in order[:left]:
        allocation[h] += 1
    return SamplePlan(n, allocation)
