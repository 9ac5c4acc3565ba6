"""Exact aggregation: points per node, component indices, totals, ranks, groups, changes.

Contract
--------
* Sums are exact decimals. A figure is rounded only where it is published: points and indices
  are rounded half-up (or as the methodology says) to ``places`` decimals from the *exact*
  value, never from rounded parts. So a published total may differ by ±0.01 from the sum of
  its published parts, as the official tables do.
* index = points / max × 100 (per cent), for every node and for the total.
* Ranks are competition ranks (1, 2, 2, 4) on the published (rounded) total index, highest first.
* A unit's group is the first band (highest first) whose minimum its published index reaches.
* Results are ordered by rank, then by unit name in Vietnamese collation.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .decimals import HUNDRED, ZERO, Rounding, quantize
from .errors import InputError, Location, Problem
from .model import Band, Methodology, Source
from .rules import RuleInputError
from .text import vi_sort_key
from .validate import check_bands, ensure_valid

__all__ = [
    "Change",
    "NodeResult",
    "Previous",
    "Results",
    "Stats",
    "UnitResult",
    "competition_ranks",
    "compute",
    "group_for",
    "score_leaf",
]

Scores = Mapping[str, Mapping[str, Decimal]]


@dataclass(frozen=True)
class NodeResult:
    """One node for one unit: exact points and index, and their published (rounded) values."""

    code: str
    points: Decimal
    max_points: Decimal
    index: Decimal
    published_points: Decimal
    published_index: Decimal


@dataclass(frozen=True)
class Previous:
    """A unit's published result in an earlier cycle (for changes)."""

    index: Decimal
    rank: int | None = None
    group: str | None = None


@dataclass(frozen=True)
class Change:
    """Change against the previous cycle: index difference, ranks gained (positive = better)."""

    previous_index: Decimal
    index_change: Decimal
    previous_rank: int | None
    rank_change: int | None


@dataclass(frozen=True)
class UnitResult:
    """The results of one unit."""

    unit: str
    nodes: Mapping[str, NodeResult]
    total: NodeResult
    by_source: Mapping[Source, NodeResult]
    rank: int
    group: str | None
    change: Change | None = None

    @property
    def index(self) -> Decimal:
        """The published total index (per cent)."""
        return self.total.published_index

    @property
    def total_points(self) -> Decimal:
        """The published total points."""
        return self.total.published_points


@dataclass(frozen=True)
class Stats:
    """Summary of published indices across units, each rounded to the published places."""

    count: int
    mean: Decimal
    median: Decimal
    minimum: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Results:
    """Everything :func:`compute` returns."""

    methodology: Methodology
    places: int
    bands: tuple[Band, ...]
    units: tuple[UnitResult, ...]
    stats: Mapping[str, Stats]
    warnings: tuple[Problem, ...] = field(default=())

    def unit(self, name: str) -> UnitResult:
        """The result of unit ``name``; ``KeyError`` if it was not computed."""
        for result in self.units:
            if result.unit == name:
                return result
        raise KeyError(name)


def competition_ranks(values: Mapping[str, Decimal]) -> dict[str, int]:
    """Competition ranks (1, 2, 2, 4), highest value first."""
    ordered = sorted(values.values(), reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {unit: first[value] for unit, value in values.items()}


def group_for(index: Decimal, bands: Iterable[Band]) -> str | None:
    """The label of the first band whose minimum ``index`` reaches; None below every band."""
    for band in bands:
        if index >= band.minimum:
            return band.label
    return None


def _node(
    code: str, points: Decimal, max_points: Decimal, places: int, rounding: Rounding
) -> NodeResult:
    index = points / max_points * HUNDRED if max_points else ZERO
    return NodeResult(
        code=code,
        points=points,
        max_points=max_points,
        index=index,
        published_points=quantize(points, places, rounding),
        published_index=quantize(index, places, rounding),
    )


def check_scores(m: Methodology, scores: Scores) -> list[Problem]:
    """Problems with ``scores`` against ``m``: unknown or non-leaf codes, points out of range."""
    problems: list[Problem] = []
    for unit, leaves in scores.items():
        for code, points in leaves.items():
            where = Location(column="code", code=code)
            if code not in m.by_code:
                problems.append(Problem.of("score_unknown_code", where, unit=unit, code=code))
            elif not m.is_leaf(code):
                problems.append(Problem.of("score_not_a_leaf", where, unit=unit, code=code))
            elif not ZERO <= points <= m.by_code[code].max_points:
                where, top = Location(column="points", code=code), m.by_code[code].max_points
                problems.append(
                    Problem.of("score_outside", where, unit=unit, points=points, max=top)
                )
    return problems


def _unit_nodes(
    m: Methodology, leaves: Mapping[str, Decimal], places: int
) -> tuple[dict[str, NodeResult], dict[Source, NodeResult]]:
    exact: dict[str, Decimal] = {}
    source_points: dict[Source, Decimal] = {}
    source_max: dict[Source, Decimal] = {}
    # Children come after their parents in source order, so walk backwards to sum bottom-up.
    for node in reversed(m.nodes):
        kids = m.children.get(node.code)
        if kids:
            exact[node.code] = sum((exact[kid.code] for kid in kids), ZERO)
        else:
            exact[node.code] = leaves.get(node.code, ZERO)
            source = m.source_of(node.code)
            source_points[source] = source_points.get(source, ZERO) + exact[node.code]
            source_max[source] = source_max.get(source, ZERO) + node.max_points
    nodes = {
        node.code: _node(node.code, exact[node.code], node.max_points, places, m.rounding)
        for node in m.nodes
    }
    by_source = {
        source: _node(source.value, source_points[source], source_max[source], places, m.rounding)
        for source in Source
        if source in source_points
    }
    return nodes, by_source


def _stats(values: list[Decimal], places: int, rounding: Rounding) -> Stats:
    return Stats(
        count=len(values),
        mean=quantize(sum(values, ZERO) / len(values), places, rounding),
        median=quantize(statistics.median(values), places, rounding),
        minimum=min(values),
        maximum=max(values),
    )


def _change(result: NodeResult, rank: int, previous: Previous | None) -> Change | None:
    if previous is None:
        return None
    return Change(
        previous_index=previous.index,
        index_change=result.published_index - previous.index,
        previous_rank=previous.rank,
        rank_change=None if previous.rank is None else previous.rank - rank,
    )


def compute(
    m: Methodology,
    scores: Scores,
    *,
    places: int | None = None,
    bands: tuple[Band, ...] | None = None,
    previous: Mapping[str, Previous] | None = None,
) -> Results:
    """Compute results for every unit in ``scores`` (unit → leaf code → points).

    ``places`` and ``bands`` override the methodology's. A leaf missing for a unit counts as 0
    and is reported in ``Results.warnings``. Raises :class:`MethodologyError` if ``m`` does not
    validate and :class:`InputError` for unknown codes, non-leaves or points outside [0, max].
    """
    ensure_valid(m)
    places = m.places if places is None else places
    bands = m.bands if bands is None else bands
    problems = check_bands(bands) if bands is not m.bands else []
    problems += check_scores(m, scores)
    if problems:
        raise InputError(problems)
    warnings = [
        Problem.of("missing_leaf", Location(code=leaf.code), unit=unit, code=leaf.code)
        for unit, leaves in scores.items()
        for leaf in m.leaves
        if leaf.code not in leaves
    ]
    per_unit = {unit: _unit_nodes(m, leaves, places) for unit, leaves in scores.items()}
    totals = {
        unit: _node(
            "total",
            sum((nodes[f.code].points for f in m.fields), ZERO),
            m.max_total,
            places,
            m.rounding,
        )
        for unit, (nodes, _) in per_unit.items()
    }
    ranks = competition_ranks({unit: total.published_index for unit, total in totals.items()})
    previous = previous or {}
    units = [
        UnitResult(
            unit=unit,
            nodes=per_unit[unit][0],
            total=totals[unit],
            by_source=per_unit[unit][1],
            rank=ranks[unit],
            group=group_for(totals[unit].published_index, bands),
            change=_change(totals[unit], ranks[unit], previous.get(unit)),
        )
        for unit in scores
    ]
    units.sort(key=lambda r: (r.rank, vi_sort_key(r.unit), r.unit))
    stats: dict[str, Stats] = {}
    if units:
        stats["total"] = _stats([u.index for u in units], places, m.rounding)
        for node in m.nodes:
            values = [u.nodes[node.code].published_index for u in units]
            stats[node.code] = _stats(values, places, m.rounding)
    return Results(m, places, bands, tuple(units), stats, tuple(warnings))


def score_leaf(m: Methodology, code: str, values: Mapping[str, object]) -> Decimal:
    """Points the leaf's rule gives for ``values``, rounded to the methodology's places.

    Raises :class:`InputError` naming the leaf and the input field when the input does not fit
    the rule, or when ``code`` is not a leaf with a rule.
    """
    if not m.is_leaf(code) or m.by_code[code].rule is None:
        raise InputError(Problem.of("no_rule", Location(code=code)))
    node = m.by_code[code]
    assert node.rule is not None
    try:
        points = node.rule.score(values, node.max_points)
    except RuleInputError as exc:
        where = Location(column=exc.field, code=code)
        raise InputError(Problem(str(exc), where, exc.kind, {"detail": exc.detail})) from None
    return quantize(points, m.places, m.rounding)
