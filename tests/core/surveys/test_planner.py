"""The sample-size planner: n = N / (1 + N·e²) and a proportional allocation that adds up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.surveys.planner import SamplePlan, plan_sample, sample_size

E = Decimal("0.05")


@pytest.mark.parametrize(
    ("population", "forms"),
    [
        (0, 0),
        (1, 1),
        (100, 80),  # 100 / (1 + 0.25) = 80 exactly
        (1000, 286),  # 1000 / 3.5 = 285.71… → 286
        (10_000, 385),  # 10000 / 26 = 384.6… → 385
        (1_000_000, 400),  # 1e6 / 2501 = 399.84… → 400
    ],
)
def test_the_sample_size_is_rounded_up(population: int, forms: int) -> None:
    assert sample_size(population, E) == forms


def test_the_allocation_is_proportional_and_the_remainders_go_to_the_largest() -> None:
    """N = 1000 → n = 286. Shares: 286·500/1000 = 143, 286·300/1000 = 85.8, 286·200/1000 =
    57.2: floors 143 + 85 + 57 = 285, one left, to the largest remainder (0.8): b."""
    plan = plan_sample({"a": 500, "b": 300, "c": 200}, E)
    assert plan == SamplePlan(286, {"a": 143, "b": 86, "c": 57})


def test_equal_remainders_go_to_the_earlier_stratum_and_empty_populations_get_nothing() -> None:
    # N = 3 → n = ⌈3 / 1.0075⌉ = 3; each 1 exactly.
    assert plan_sample({"a": 1, "b": 1, "c": 1}, E).strata == {"a": 1, "b": 1, "c": 1}
    # N = 2 → n = ⌈2 / 1.005⌉ = 2: shares 1, 1 and 0.
    assert plan_sample({"a": 1, "b": 1, "c": 0}, E).strata == {"a": 1, "b": 1, "c": 0}
    assert plan_sample({"a": 0, "b": 0}, E) == SamplePlan(0, {"a": 0, "b": 0})


@pytest.mark.parametrize(
    ("population", "margin"), [({"a": -1}, E), ({"a": 5}, Decimal(0)), ({"a": 5}, Decimal(1))]
)
def test_a_negative_population_or_a_margin_outside_0_to_1_is_refused(
    population: dict[str, int], margin: Decimal
) -> None:
    with pytest.raises(ValueError):
        plan_sample(population, margin)


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(0, 100_000), min_size=1))
def test_the_allocation_always_adds_up_and_stays_within_one_of_its_share(
    population: dict[str, int],
) -> None:
    plan = plan_sample(population, E)
    assert sum(plan.strata.values()) == plan.total == sample_size(sum(population.values()), E)
    total = sum(population.values())
    for h, forms in plan.strata.items():
        share = plan.total * population[h] / total if total else 0
        assert share - 1 < forms < share + 1
