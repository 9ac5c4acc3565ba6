"""Benchmarks of the aggregation, as ratios against a plain-Python baseline timed in the same run.

Run with ``make bench`` (``.venv/bin/python bench/run.py``). Three paths compute the same
results on the same data:

* exact     ``parindex.compute.compute``: Decimal arithmetic, rounding, ranks, groups, stats;
* baseline  a plain-Python implementation in this file (dicts and floats, ~30 lines);
* arrays    ``parindex.arrays.TreeArrays.node_index`` + ``competition_ranks_array`` (NumPy).

The methodology is SYNTHETIC (7 fields, 20 criteria, 100 leaves, maxima summing to 100), built
here so that the sizes match a full PAR INDEX tree; it is not an official methodology. Points are
seeded random numbers with two decimals. Sizes: 63 units (the provinces) and 3,300 units (a
national commune-level run). Then 10,000 Monte Carlo runs × 63 units on the array path.

Times are medians of a few repeats (``time.perf_counter``); they are not asserted, as benchmarks
are not tests. The bench does check that the three paths agree on every node index (to 1e-9)
and on the ranks, and exits with status 1 if they do not.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

# Benchmark the working tree, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np

from parindex.arrays import TreeArrays, competition_ranks_array
from parindex.compute import Results, compute
from parindex.model import Methodology, Node
from parindex.rules import PointsRule
from parindex.validate import ensure_valid

SEED = 20240101
PLACES = 2
TOLERANCE = 1e-9
FIELD_MAXIMA = ("12", "17", "16", "13", "17", "7.5", "17.5")  # PAR INDEX-like, sum 100
CRITERIA_PER_FIELD = (3, 3, 3, 3, 3, 2, 3)  # 20 criteria
LEAVES_PER_CRITERION = 5  # 100 leaves
SIZES = ((63, 7), (3_300, 3))  # (units, repeats)
MC_RUNS, MC_UNITS, MC_BATCH, MC_NOISE = 10_000, 63, 500, 0.05

T = TypeVar("T")


# --- data -----------------------------------------------------------------------------------


def _split(cents: int, parts: int, rng: random.Random) -> list[int]:
    """``cents`` split into ``parts`` positive whole numbers of cents, seeded."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    shares = [max(1, int(cents * w / sum(weights))) for w in weights]
    shares[-1] = cents - sum(shares[:-1])
    assert shares[-1] > 0
    return shares


def _node(code: str, parent: str | None, cents: int, leaf: bool = False) -> Node:
    kind = "leaf" if leaf else "criterion" if parent else "field"
    rule = PointsRule() if leaf else None
    return Node(code, parent, f"Synthetic {kind} {code}", Decimal(cents) / 100, rule=rule)


def synthetic_methodology(rng: random.Random) -> Methodology:
    """SYNTHETIC: 7 fields → 20 criteria → 100 leaves, maxima in cents, summing to 100."""
    nodes: list[Node] = []
    for f, (field_max, criteria) in enumerate(zip(FIELD_MAXIMA, CRITERIA_PER_FIELD, strict=True)):
        field, field_cents = str(f + 1), int(Decimal(field_max) * 100)
        nodes.append(_node(field, None, field_cents))
        for c, criterion_cents in enumerate(_split(field_cents, criteria, rng), start=1):
            criterion = f"{field}.{c}"
            nodes.append(_node(criterion, field, criterion_cents))
            leaves = _split(criterion_cents, LEAVES_PER_CRITERION, rng)
            for leaf, leaf_cents in enumerate(leaves, start=1):
                nodes.append(_node(f"{criterion}.{leaf}", criterion, leaf_cents, leaf=True))
    m = Methodology(
        id="synthetic-bench",
        name="SYNTHETIC benchmark methodology (not official)",
        nodes=tuple(nodes),
        places=PLACES,
        total_points=Decimal(100),
        example=True,
    )
    return ensure_valid(m)


def synthetic_scores(
    m: Methodology, units: int, rng: random.Random
) -> dict[str, dict[str, Decimal]]:
    """Seeded random points with two decimals in [0, max] for every unit and leaf."""
    return {
        f"Unit {i:05d}": {
            leaf.code: Decimal(rng.randint(0, int(leaf.max_points * 100))) / 100
            for leaf in m.leaves
        }
        for i in range(units)
    }


# --- the plain-Python baseline --------------------------------------------------------------


@dataclass(frozen=True)
class PlainTree:
    """The tree as plain dicts and floats, for the baseline."""

    codes: tuple[str, ...]  # source order: parents before children
    children: dict[str, tuple[str, ...]]
    maximum: dict[str, float]
    fields: tuple[str, ...]
    max_total: float

    @classmethod
    def from_methodology(cls, m: Methodology) -> PlainTree:
        return cls(
            codes=tuple(n.code for n in m.nodes),
            children={n.code: tuple(k.code for k in m.children.get(n.code, ())) for n in m.nodes},
            maximum={n.code: float(n.max_points) for n in m.nodes},
            fields=tuple(f.code for f in m.fields),
            max_total=float(m.max_total),
        )


def baseline(
    tree: PlainTree, scores: dict[str, dict[str, float]], places: int
) -> tuple[dict[str, dict[str, float]], dict[str, float], dict[str, int]]:
    """Node indices, total index and competition ranks with dicts and floats."""
    node_index: dict[str, dict[str, float]] = {}
    total_index: dict[str, float] = {}
    for unit, leaves in scores.items():
        points: dict[str, float] = {}
        for code in reversed(tree.codes):  # children before their parents
            kids = tree.children[code]
            points[code] = sum(points[k] for k in kids) if kids else leaves.get(code, 0.0)
        node_index[unit] = {c: points[c] / tree.maximum[c] * 100.0 for c in tree.codes}
        total_index[unit] = sum(points[f] for f in tree.fields) / tree.max_total * 100.0
    # Rank the published figure. round() is fine here: a synthetic total is a whole number of
    # cents, so there is no half-way case for its half-even rounding to decide differently.
    published = {unit: round(value, places) for unit, value in total_index.items()}
    first: dict[float, int] = {}
    for position, value in enumerate(sorted(published.values(), reverse=True), start=1):
        first.setdefault(value, position)
    ranks = {unit: first[value] for unit, value in published.items()}
    return node_index, total_index, ranks


# --- timing ---------------------------------------------------------------------------------


def measure(fn: Callable[[], T], repeats: int, min_sample: float = 0.05) -> tuple[float, T]:
    """Median seconds per call over ``repeats`` samples, and the last result.

    A sample loops the call enough times to last about ``min_sample`` seconds.
    """
    start = time.perf_counter()
    result = fn()  # warm-up, and the result to check
    first = time.perf_counter() - start
    loops = max(1, math.ceil(min_sample / first)) if first < min_sample else 1
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(loops):
            result = fn()
        samples.append((time.perf_counter() - start) / loops)
    return statistics.median(samples), result


# --- checks ---------------------------------------------------------------------------------


def disagreements(
    m: Methodology,
    units: list[str],
    exact: Results,
    plain: tuple[dict[str, dict[str, float]], dict[str, float], dict[str, int]],
    arrays: tuple[Any, Any, Any],
    tree: TreeArrays,
) -> list[str]:
    """Where the three paths differ: node indices beyond 1e-9, or ranks."""
    problems: list[str] = []
    plain_nodes, plain_total, plain_ranks = plain
    array_nodes, array_total, array_ranks = arrays
    column = {code: j for j, code in enumerate(tree.node_codes)}
    by_unit = {u.unit: u for u in exact.units}
    for i, unit in enumerate(units):
        result = by_unit[unit]
        pairs = [("total", float(result.total.index), plain_total[unit], float(array_total[i]))]
        pairs += [
            (code, float(r.index), plain_nodes[unit][code], float(array_nodes[i, column[code]]))
            for code, r in result.nodes.items()
        ]
        for code, e, p, a in pairs:
            if abs(e - p) > TOLERANCE or abs(e - a) > TOLERANCE:
                problems.append(f"{unit} {code}: exact {e!r}, baseline {p!r}, arrays {a!r}")
        ranks = (result.rank, plain_ranks[unit], int(array_ranks[i]))
        if len(set(ranks)) != 1:
            problems.append(f"{unit}: ranks exact/baseline/arrays = {ranks}")
    return problems[:20]


# --- main -----------------------------------------------------------------------------------


def bench_size(m: Methodology, units_count: int, repeats: int, rng: random.Random) -> bool:
    """Time the three paths on ``units_count`` units; True if they agree."""
    scores = synthetic_scores(m, units_count, rng)
    units = list(scores)
    float_scores = {u: {c: float(p) for c, p in leaves.items()} for u, leaves in scores.items()}
    plain_tree = PlainTree.from_methodology(m)
    setup_start = time.perf_counter()
    tree = TreeArrays.from_methodology(m)
    matrix = tree.leaf_matrix(scores, units)
    setup = time.perf_counter() - setup_start

    def arrays() -> tuple[Any, Any, Any]:
        total = tree.total_index(matrix)
        return tree.node_index(matrix), total, competition_ranks_array(total, places=PLACES)

    t_exact, exact = measure(lambda: compute(m, scores), repeats)
    t_plain, plain = measure(lambda: baseline(plain_tree, float_scores, PLACES), repeats)
    t_arrays, array_result = measure(arrays, repeats)

    us = 1e6 / units_count
    print(f"\n{units_count:,} units × {len(m.leaves)} leaves ({len(m.nodes)} nodes)")
    print(f"  baseline  plain Python floats   {t_plain * us:9.2f} µs/unit")
    print(
        f"  exact     compute(), Decimal    {t_exact * us:9.2f} µs/unit"
        f"   exact/baseline = {t_exact / t_plain:.1f}×"
    )
    print(
        f"  arrays    NumPy                 {t_arrays * us:9.2f} µs/unit"
        f"   arrays/baseline = {t_arrays / t_plain:.3f}×"
        f" (baseline/arrays = {t_plain / t_arrays:.0f}×)"
    )
    print(f"  (not timed: TreeArrays + leaf matrix set-up, {setup * 1e3:.1f} ms once)")
    per_rank = Counter(u.rank for u in exact.units)
    tied = sum(count for count in per_rank.values() if count > 1)
    print(f"  ({tied} of the units share their rank with another: the rank check covers ties)")
    problems = disagreements(m, units, exact, plain, array_result, tree)
    return _report_check(problems)


def _report_check(problems: list[str]) -> bool:
    for problem in problems:
        print(f"  DISAGREEMENT {problem}", file=sys.stderr)
    verdict = "yes" if not problems else "NO"
    print(f"  check: all paths agree on every node index (to 1e-9) and on ranks: {verdict}")
    return not problems


def bench_monte_carlo(m: Methodology, rng: random.Random) -> bool:
    """MC_RUNS runs × MC_UNITS units, leaf points perturbed by noise, in (runs, units, leaves)."""
    tree = TreeArrays.from_methodology(m)
    scores = synthetic_scores(m, MC_UNITS, rng)
    units = list(scores)
    base = tree.leaf_matrix(scores, units)
    noise_rng = np.random.default_rng(SEED)
    shape = (MC_BATCH, MC_UNITS, len(tree.leaf_codes))
    first_batch: tuple[Any, Any, Any] | None = None
    top_rank = np.zeros(MC_UNITS, dtype=np.int64)
    start = time.perf_counter()
    for batch_start in range(0, MC_RUNS, MC_BATCH):
        noise = noise_rng.normal(0.0, MC_NOISE, shape)[: MC_RUNS - batch_start] * tree.leaf_max
        leaves = np.clip(base + noise, 0.0, tree.leaf_max)
        nodes = tree.node_index(leaves)  # (runs, units, nodes)
        ranks = competition_ranks_array(tree.total_index(leaves), places=PLACES)  # (runs, units)
        top_rank += (ranks == 1).sum(axis=0)
        if first_batch is None:
            first_batch = (leaves[:3], nodes[:3], ranks[:3])
    elapsed = time.perf_counter() - start
    print(f"\nMonte Carlo, array path: {MC_RUNS:,} runs × {MC_UNITS} units × {shape[2]} leaves")
    print(
        f"  leaf points + N(0, {MC_NOISE:.0%} of the leaf maximum), clipped to [0, max];"
        f" (runs, units, leaves) batches of {MC_BATCH}"
    )
    print(
        f"  {elapsed:.2f} s: {MC_RUNS / elapsed:,.0f} runs/s ({elapsed / MC_RUNS * 1e6:.0f} µs/run)"
    )
    best = int(top_rank.argmax())
    print(f"  most often first: {units[best]}, in {top_rank[best] / MC_RUNS:.1%} of the runs")
    assert first_batch is not None
    return _report_check(_check_runs(m, tree, units, *first_batch))


def _check_runs(
    m: Methodology, tree: TreeArrays, units: list[str], leaves: Any, nodes: Any, ranks: Any
) -> list[str]:
    """The batched results of a few runs against the baseline run by run."""
    plain_tree = PlainTree.from_methodology(m)
    problems: list[str] = []
    for run in range(leaves.shape[0]):
        scores = {u: dict(zip(tree.leaf_codes, leaves[run, i].tolist(), strict=True))
                  for i, u in enumerate(units)}  # fmt: skip
        plain_nodes, _, plain_ranks = baseline(plain_tree, scores, PLACES)
        for i, unit in enumerate(units):
            for j, code in enumerate(tree.node_codes):
                if abs(nodes[run, i, j] - plain_nodes[unit][code]) > TOLERANCE:
                    problems.append(f"run {run} {unit} {code}: {nodes[run, i, j]!r}")
            if ranks[run, i] != plain_ranks[unit]:
                problems.append(f"run {run} {unit}: rank {ranks[run, i]} ≠ {plain_ranks[unit]}")
    return problems[:20]


def main() -> int:
    rng = random.Random(SEED)
    m = synthetic_methodology(rng)
    print(f"parindex benchmark — SYNTHETIC methodology: {len(m.fields)} fields, "
          f"{sum(1 for n in m.nodes if m.level(n.code) == 2)} criteria, {len(m.leaves)} leaves, "
          f"total {m.max_total:.2f} points; seed {SEED}")  # fmt: skip
    print(
        f"Python {sys.version.split()[0]}, NumPy {np.__version__}, {os.cpu_count()} CPUs;"
        " times are medians of a few repeats"
    )
    start = time.perf_counter()
    checks = [bench_size(m, units, repeats, rng) for units, repeats in SIZES]
    checks.append(bench_monte_carlo(m, rng))
    print(f"\ntotal bench time {time.perf_counter() - start:.1f} s")
    if not all(checks):
        print("FAILED: the paths disagree (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
