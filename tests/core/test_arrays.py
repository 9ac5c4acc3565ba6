"""The NumPy path: matrices, batched runs, half-up rounding, competition ranks."""

from __future__ import annotations

import numpy as np
import pytest

from parindex import (
    MethodologyError,
    TreeArrays,
    competition_ranks_array,
    load_methodology,
    round_half_up,
    shipped_methodologies,
)

from .helpers import flat, leaf


def test_membership_links_each_leaf_to_its_ancestors() -> None:
    m = load_methodology(shipped_methodologies()["example-commune"])
    arrays = TreeArrays.from_methodology(m)
    i = arrays.leaf_codes.index("1.1.4")
    under = {arrays.node_codes[j] for j in np.flatnonzero(arrays.membership[i])}
    assert under == {"1", "1.1", "1.1.4"}
    assert arrays.max_total == 100.0
    assert [arrays.node_codes[j] for j in arrays.field_columns] == ["1", "2", "3", "4"]


def test_batched_runs_aggregate_like_single_runs() -> None:
    arrays = TreeArrays.from_methodology(flat("12", "88"))
    single = arrays.leaf_matrix({"a": {"1": "11.5", "2": "70"}, "b": {"1": 6}}, ["a", "b"])
    runs = np.stack([single, single * 0.5])
    assert arrays.node_index(runs).shape == (2, 2, 2)
    assert np.allclose(arrays.node_index(runs)[0], arrays.node_index(single))
    assert np.allclose(arrays.total_index(single), [81.5, 6.0])
    assert np.allclose(arrays.total_points(runs)[1], [40.75, 3.0])
    assert np.allclose(arrays.node_points(single)[0], [11.5, 70.0])


def test_an_invalid_methodology_is_refused() -> None:
    with pytest.raises(MethodologyError):
        TreeArrays.from_methodology(flat("0"))


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (2.675, 2, 2.68),
        (0.125, 2, 0.13),
        (-0.125, 2, -0.13),
        (95.83333, 2, 95.83),
        (89.995, 2, 90.0),
        (1.5, 0, 2.0),
    ],
)
def test_round_half_up_rounds_like_the_published_figures(
    value: float, places: int, expected: float
) -> None:
    assert round_half_up(np.array([value]), places)[0] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        ([90, 85, 85, 80], [1, 2, 2, 4]),
        ([70, 70, 70], [1, 1, 1]),
        ([10, 20, 30], [3, 2, 1]),
        ([85.004, 84.996, 84.994], [1, 2, 3]),
    ],
)
def test_competition_ranks_on_arrays(values: list[float], ranks: list[int]) -> None:
    assert competition_ranks_array(np.array(values, dtype=np.float64)).tolist() == ranks


def test_competition_ranks_on_published_values_tie_after_rounding() -> None:
    values = np.array([[85.004, 84.996, 84.994], [1.0, 2.0, 2.0]])
    assert competition_ranks_array(values, places=2).tolist() == [[1, 1, 3], [3, 1, 1]]


def test_a_leaf_matrix_ignores_unknown_units_and_keeps_missing_leaves_at_zero() -> None:
    arrays = TreeArrays.from_methodology(flat("50", "50"))
    matrix = arrays.leaf_matrix({"a": {"1": 10}}, ["a", "ghost"])
    assert matrix.tolist() == [[10.0, 0.0], [0.0, 0.0]]


def test_leaf_helper_builds_points_leaves() -> None:
    assert leaf("1", None, "5").rule is not None
