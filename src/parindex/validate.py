"""Validation of a methodology tree: every problem, each with its node code."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace
from decimal import Decimal

from .decimals import HUNDRED, ZERO, quantize
from .errors import Location, MethodologyError, Problem
from .model import Band, Methodology

__all__ = ["check_bands", "ensure_valid", "validate"]

TIE_RULES = ("competition",)
MAX_PLACES = 6


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_bands(bands: tuple[Band, ...], where: Location | None = None) -> list[Problem]:
    """Bands need labels, unique labels, minima in [0, 100], strictly descending."""
    loc = where or Location(column="bands")
    problems: list[Problem] = []
    labels = [band.label for band in bands]
    if any(not label.strip() for label in labels):
        problems.append(Problem.of("band_empty_label", loc))
    for label, count in Counter(labels).items():
        if count > 1 and label.strip():
            problems.append(Problem.of("band_label_twice", loc, label=label))
    for band in bands:
        if not ZERO <= band.minimum <= HUNDRED:
            problems.append(
                Problem.of(
                    "band_minimum", loc, label=repr(band.label), minimum=_plain(band.minimum)
                )
            )
    minima = [band.minimum for band in bands]
    if any(a <= b for a, b in itertools.pairwise(minima)):
        problems.append(Problem.of("band_order", loc))
    return problems


def _structure(m: Methodology) -> list[Problem]:
    problems: list[Problem] = []
    for code, count in Counter(node.code for node in m.nodes).items():
        if count > 1:
            problems.append(Problem.of("code_twice", Location(code=code), count=count))
    for node in m.nodes:
        if not node.code.strip():
            problems.append(Problem.of("code_empty", Location(code=node.code)))
        if node.parent is not None and node.parent not in m.by_code:
            problems.append(Problem.of("no_parent", Location(code=node.code), parent=node.parent))
        elif node.parent == node.code:
            problems.append(Problem.of("own_parent", Location(code=node.code)))
    if not m.fields:
        problems.append(Problem.of("no_fields"))
    # A parent chain that never reaches a field is a cycle.
    for node in m.nodes:
        seen, current = {node.code}, node
        while current.parent is not None and current.parent in m.by_code:
            if current.parent in seen:
                problems.append(Problem.of("parent_cycle", Location(code=node.code)))
                break
            seen.add(current.parent)
            current = m.by_code[current.parent]
    return problems


def _points(m: Methodology) -> list[Problem]:
    problems: list[Problem] = []
    for node in m.nodes:
        where = Location(code=node.code)
        if node.max_points <= 0:
            problems.append(Problem.of("max_not_positive", where, max=_plain(node.max_points)))
        kids = m.children.get(node.code, ())
        if kids:
            if node.rule is not None:
                problems.append(Problem.of("rule_on_parent", where))
            total = sum((kid.max_points for kid in kids), ZERO)
            if quantize(total, m.places) != quantize(node.max_points, m.places):
                problems.append(
                    Problem.of(
                        "max_not_sum", where, max=_plain(node.max_points), total=_plain(total)
                    )
                )
        elif node.rule is None:
            problems.append(Problem.of("no_rule_on_leaf", where))
        else:
            problems += [
                Problem.of("rule_misfit", where, reason=msg)
                for msg in node.rule.check(node.max_points)
            ]
        if node.evidence_mandatory and node.code not in m.evidence_mandatory:
            problems.append(Problem.of("evidence_mandatory", where))
    if m.total_points is not None and quantize(m.total_points, m.places) != quantize(
        m.max_total, m.places
    ):
        problems.append(
            Problem.of(
                "total_not_sum",
                Location(column="total_points"),
                total=_plain(m.total_points),
                sum=_plain(m.max_total),
            )
        )
    return problems


def validate(m: Methodology) -> list[Problem]:
    """Every problem of ``m``, in a stable order; an empty list means it is sound.

    Checks: unique non-empty codes, parents exist, no cycles, at least one field, maxima above 0,
    each parent's maximum equals the sum of its children's (compared at the methodology's decimal
    places), leaves and only leaves have rules and each rule fits its maximum, the stated total
    equals the sum of the fields, bands are well formed, places in [0, 6], a known tie rule,
    ``evidence_mandatory`` only on an appraisal leaf that names its evidence.
    """
    problems = _structure(m) + _points(m)
    problems += check_bands(m.bands)
    if not 0 <= m.places <= MAX_PLACES:
        problems.append(Problem.of("places", Location(column="places"), max=MAX_PLACES))
    if m.tie_rule not in TIE_RULES:
        problems.append(Problem.of("tie_rule", Location(column="tie_rule"), rule=repr(m.tie_rule)))
    return problems


def ensure_valid(m: Methodology, file: str | None = None) -> Methodology:
    """Return ``m`` if it validates; raise :class:`MethodologyError` with every problem."""
    problems = validate(m)
    if problems:
        raise MethodologyError(
            replace(p, location=replace(p.location, file=file)) for p in problems
        )
    return m
