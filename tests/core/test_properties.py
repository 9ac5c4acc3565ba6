"""Properties that hold for every valid methodology and every set of scores."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex import Methodology, TreeArrays, competition_ranks_array, compute, validate

from .strategies import CENT, methodologies, scored

Scores = dict[str, dict[str, Decimal]]


@given(methodologies())
def test_a_generated_methodology_validates(m: Methodology) -> None:
    assert validate(m) == []


@given(scored())
def test_every_index_is_between_0_and_100(case: tuple[Methodology, Scores]) -> None:
    m, scores = case
    for unit in compute(m, scores).units:
        assert 0 <= unit.index <= 100
        assert all(0 <= node.published_index <= 100 for node in unit.nodes.values())


@given(scored(), st.data())
def test_raising_a_leaf_never_lowers_the_index_nor_improves_another_rank(
    case: tuple[Methodology, Scores], data: st.DataObject
) -> None:
    m, scores = case
    before = compute(m, scores)
    unit = data.draw(st.sampled_from(sorted(scores)))
    leaf = data.draw(st.sampled_from(m.leaves))
    current = scores[unit].get(leaf.code, Decimal(0))
    raised = (
        current + Decimal(data.draw(st.integers(0, int((leaf.max_points - current) / CENT)))) * CENT
    )
    after = compute(m, {**scores, unit: {**scores[unit], leaf.code: raised}})
    assert after.unit(unit).index >= before.unit(unit).index
    assert after.unit(unit).rank <= before.unit(unit).rank
    for other in scores:
        if other != unit:
            assert after.unit(other).rank >= before.unit(other).rank


@given(scored())
def test_ranks_follow_the_index_order(case: tuple[Methodology, Scores]) -> None:
    m, scores = case
    units = compute(m, scores).units
    for a in units:
        assert a.rank == 1 + sum(1 for b in units if b.index > a.index)
    assert [u.rank for u in units] == sorted(u.rank for u in units)


@given(scored(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(
    case: tuple[Methodology, Scores], rnd: random.Random
) -> None:
    m, scores = case
    units = list(scores.items())
    rnd.shuffle(units)
    shuffled = {unit: dict(rnd.sample(list(leaves.items()), len(leaves))) for unit, leaves in units}
    assert compute(m, shuffled).units == compute(m, scores).units


@settings(max_examples=50)
@given(scored())
def test_the_array_path_agrees_with_the_exact_path(case: tuple[Methodology, Scores]) -> None:
    m, scores = case
    exact = compute(m, scores)
    arrays = TreeArrays.from_methodology(m)
    names = sorted(scores)
    leaves = arrays.leaf_matrix(scores, names)
    node_index = arrays.node_index(leaves)
    total_index = arrays.total_index(leaves)
    for i, name in enumerate(names):
        result = exact.unit(name)
        assert abs(total_index[i] - float(result.total.index)) < 1e-9
        for j, code in enumerate(arrays.node_codes):
            assert abs(node_index[i, j] - float(result.nodes[code].index)) < 1e-9
    ranks = competition_ranks_array(total_index, exact.places)
    assert [int(r) for r in ranks] == [exact.unit(n).rank for n in names]
    batched = competition_ranks_array(np.stack([total_index, total_index]), exact.places)
    assert (batched == ranks).all()
