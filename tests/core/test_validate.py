"""Validation: every problem, each with its node code."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from parindex import (
    Band,
    LevelsRule,
    Methodology,
    MethodologyError,
    Node,
    ensure_valid,
    load_methodology,
    shipped_methodologies,
    validate,
)

from .helpers import D, branch, flat, leaf


def tree(*nodes: Node, **meta: object) -> Methodology:
    return Methodology(id="t", name="t", nodes=nodes, **meta)  # type: ignore[arg-type]


def messages(m: Methodology) -> list[tuple[str | None, str]]:
    return [(p.location.code, p.message) for p in validate(m)]


@pytest.mark.parametrize("name", sorted(shipped_methodologies()))
def test_every_shipped_methodology_validates(name: str) -> None:
    assert validate(load_methodology(shipped_methodologies()[name])) == []


@pytest.mark.parametrize(
    ("m", "code", "message"),
    [
        (tree(leaf("1", None, "5"), leaf("1", None, "5")), "1", "used 2 times"),
        (tree(leaf("1", None, "5"), leaf("2", "9", "5")), "2", "parent '9' does not exist"),
        (tree(leaf("1", None, "5"), leaf("2", "2", "5")), "2", "its own parent"),
        (tree(leaf(" ", None, "5")), " ", "empty code"),
        (
            tree(branch("1", None, "5"), leaf("1.1", "1", "2"), leaf("1.2", "1", "2")),
            "1",
            "differs from the sum",
        ),
        (tree(leaf("1", None, "0")), "1", "must be above 0"),
        (tree(leaf("1", None, "-2")), "1", "must be above 0"),
        (tree(Node("1", None, "x", D(5))), "1", "no scoring rule"),
        (
            tree(
                Node("1", None, "x", D(5), rule=LevelsRule(())),
            ),
            "1",
            "at least one level",
        ),
        (
            tree(
                replace(branch("1", None, "2"), rule=leaf("x", None, "1").rule),
                leaf("1.1", "1", "2"),
            ),
            "1",
            "only leaves",
        ),
    ],
)
def test_each_problem_names_its_node(m: Methodology, code: str, message: str) -> None:
    found = messages(m)
    assert any(c == code and message in text for c, text in found), found


def test_a_cycle_is_reported_for_each_node_in_it() -> None:
    m = tree(leaf("0", None, "1"), branch("a", "b", "1"), branch("b", "a", "1"))
    found = messages(m)
    assert ("a", "the node is part of a parent cycle") in found
    assert ("b", "the node is part of a parent cycle") in found


def test_a_tree_with_no_fields_is_refused() -> None:
    found = messages(tree())
    assert (None, "the methodology has no fields (nodes without a parent)") in found


def test_sums_are_compared_at_the_methodology_places() -> None:
    ok = tree(branch("1", None, "1"), leaf("1.1", "1", "0.333"), leaf("1.2", "1", "0.667"))
    assert validate(ok) == []
    off = tree(branch("1", None, "1"), leaf("1.1", "1", "0.33"), leaf("1.2", "1", "0.66"))
    assert [c for c, _ in messages(off)] == ["1"]


def test_the_stated_total_must_equal_the_sum_of_the_fields() -> None:
    m = tree(leaf("1", None, "40"), leaf("2", None, "50"), total_points=D(100))
    problems = validate(m)
    assert len(problems) == 1 and problems[0].location.column == "total_points"
    assert "differs from the sum of the fields' maxima 90" in problems[0].message


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((Band("A", D(80)), Band("B", D(90))), "highest first"),
        ((Band("A", D(80)), Band("A", D(70))), "used twice"),
        ((Band(" ", D(80)),), "empty label"),
        ((Band("A", D(120)),), "outside [0, 100]"),
        ((Band("A", D(-1)),), "outside [0, 100]"),
    ],
)
def test_bad_bands_are_reported(bands: tuple[Band, ...], message: str) -> None:
    problems = validate(flat("100", bands=bands))
    assert any(message in p.message for p in problems), problems


def test_places_and_tie_rule_are_checked() -> None:
    m = tree(leaf("1", None, "100"), places=7, tie_rule="dense")
    columns = {p.location.column for p in validate(m)}
    assert columns == {"places", "tie_rule"}


def test_ensure_valid_raises_with_every_problem_and_the_file() -> None:
    m = tree(leaf("1", None, "0"), leaf("2", "9", "1"))
    with pytest.raises(MethodologyError) as caught:
        ensure_valid(m, "m.yaml")
    assert all(p.location.file == "m.yaml" for p in caught.value.problems)
    assert "m.yaml, node 2: the parent '9' does not exist" in str(caught.value)


def test_a_valid_methodology_is_returned_unchanged() -> None:
    m = flat("60", "40")
    assert ensure_valid(m) is m
    assert m.max_total == Decimal(100)


def test_levels_stop_at_a_cycle_instead_of_looping() -> None:
    m = tree(branch("a", "b", "1"), branch("b", "a", "1"))
    assert m.level("a") == 2
