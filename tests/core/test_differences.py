"""Appraisal differences (appraised − self-assessed) per leaf and unit, and required evidence."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from parindex import Methodology, Node, Source, appraisal_differences

from .helpers import branch, leaf

D = Decimal


def test_a_worked_example_counts_cuts_and_sums_them_per_leaf_and_unit() -> None:
    # Three units, three leaves. "1.1" is cut for two units, "1.2" raised for one,
    # "1.3" left alone (and not appraised at all for "c").
    points = {
        ("a", "1.1"): (D("2.00"), D("1.00")),
        ("b", "1.1"): (D("2.00"), D("0")),
        ("c", "1.1"): (D("1.50"), D("1.50")),
        ("a", "1.2"): (D("1"), D("1.25")),
        ("b", "1.2"): (D("1"), D("1")),
        ("a", "1.3"): (D("3"), D("3")),
        ("c", "1.3"): (D("3"), None),
        ("b", "1.3"): (None, D("2")),
        ("a", "9.9"): (D("5"), D("0")),  # not a leaf asked for
    }
    d = appraisal_differences(["1.1", "1.2", "1.3"], points)
    assert d.cells == {
        ("a", "1.1"): D("-1.00"),
        ("b", "1.1"): D("-2.00"),
        ("c", "1.1"): D("0.00"),
        ("a", "1.2"): D("0.25"),
        ("b", "1.2"): D("0"),
        ("a", "1.3"): D("0"),
    }
    first, second, third = d.leaves
    assert (first.code, first.lowered, first.raised, first.total, first.compared) == (
        "1.1",
        2,
        0,
        D("-3.00"),
        3,
    )
    assert (second.code, second.differing, second.total) == ("1.2", 1, D("0.25"))
    assert (third.code, third.differing, third.compared) == ("1.3", 0, 1)
    assert d.by_unit == {"a": D("-0.75"), "b": D("-2.00"), "c": D("0.00")}


def test_leaves_cut_equally_often_are_ordered_by_the_larger_cut_then_methodology_order() -> None:
    points = {
        ("a", "x"): (D(1), D("0.5")),
        ("a", "y"): (D(1), D(0)),
        ("a", "z"): (D(1), D("0.5")),
    }
    d = appraisal_differences(["x", "y", "z", "w"], points)
    assert [leaf.code for leaf in d.leaves] == ["y", "x", "z", "w"]
    assert d.leaves[-1].compared == 0 and d.leaves[-1].total == 0


PAIRS = st.dictionaries(
    st.tuples(st.sampled_from("abc"), st.sampled_from(["1", "2", "3"])),
    st.tuples(
        st.none() | st.decimals(min_value=0, max_value=10, places=2),
        st.none() | st.decimals(min_value=0, max_value=10, places=2),
    ),
)


@given(PAIRS)
def test_the_sums_per_leaf_and_per_unit_add_up_to_the_same_total(points) -> None:
    d = appraisal_differences(["1", "2", "3"], points)
    assert sum(leaf.total for leaf in d.leaves) == sum(d.by_unit.values(), D(0))
    assert sum(leaf.compared for leaf in d.leaves) == len(d.cells)
    for leaf_result in d.leaves:
        assert leaf_result.differing <= leaf_result.compared


def test_evidence_is_required_on_appraisal_leaves_that_name_documents() -> None:
    nodes = (
        branch("1", None, "10"),
        Node("1.1", "1", "a", D(5), rule=leaf("x", None, "1").rule, evidence="Kế hoạch"),
        Node("1.2", "1", "b", D(5), rule=leaf("x", None, "1").rule, evidence="  "),
        branch("2", None, "10", source=Source.SURVEY),
        Node("2.1", "2", "c", D(10), rule=leaf("x", None, "1").rule, evidence="Phiếu"),
    )
    m = Methodology(id="m", name="m", nodes=nodes)
    assert m.evidence_required == ("1.1",)
