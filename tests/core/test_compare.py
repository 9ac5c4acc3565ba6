"""Year-over-year comparison across successions: worked cases and properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from parindex import (
    Comparison,
    Previous,
    Rounding,
    Succession,
    UnitRegistry,
    compare_with_previous,
)

D = Decimal
JULY = date(2025, 7, 1)


def link(before: str, after: str, weight: str | None = "1", primary: bool = True) -> Succession:
    return Succession(before, after, JULY, None if weight is None else D(weight), primary)


def test_a_unit_in_both_cycles_compares_with_itself() -> None:
    found = compare_with_previous({"A": D("80.50")}, {"A": Previous(D("78.25"), 3)}, [], places=2)
    assert found == {"A": Comparison("same", "itself", ("A",), D("78.25"), 3, D("2.25"))}


def test_a_unit_without_an_assessed_predecessor_has_no_comparison() -> None:
    found = compare_with_previous(
        {"N": D("70")}, {"A": Previous(D("60"), 1)}, [link("X", "N")], places=2
    )
    assert found == {"N": Comparison("none")}


def test_one_predecessor_with_the_same_name_is_the_same_unit_under_a_new_code() -> None:
    names = {"P63-01": "Hà Nội", "P34-01": "Hà Nội"}
    found = compare_with_previous(
        {"P34-01": D("90.10")},
        {"P63-01": Previous(D("89.00"), 2)},
        [link("P63-01", "P34-01")],
        places=2,
        names=names,
    )
    assert found["P34-01"] == Comparison(
        "same", "predecessor", ("P63-01",), D("89.00"), 2, D("1.10")
    )


def test_one_predecessor_with_another_name_is_a_successor_keeping_its_rank() -> None:
    names = {"OLD": "Bộ Kế hoạch và Đầu tư", "NEW": "Bộ Tài chính"}
    found = compare_with_previous(
        {"NEW": D("85")}, {"OLD": Previous(D("88"), 5)}, [link("OLD", "NEW")], places=2, names=names
    )
    assert found["NEW"] == Comparison("successor", "predecessor", ("OLD",), D("88"), 5, D("-3"))


def test_a_merged_unit_compares_with_the_mean_weighted_by_the_published_shares() -> None:
    # Worked example: A passed wholly (1), B half (0.5): (1 × 80 + 0.5 × 86) / 1.5 = 82.
    previous = {"A": Previous(D("80.00"), 4), "B": Previous(D("86.00"), 1)}
    links = [link("B", "M", "0.5"), link("A", "M", "1")]
    found = compare_with_previous({"M": D("83.00")}, previous, links, places=2)
    assert found["M"] == Comparison(
        "merged", "weighted_mean", ("A", "B"), D("82.00"), None, D("1.00"), (D("1"), D("0.5"))
    )


def test_a_merged_unit_without_every_share_takes_the_plain_mean_and_says_so() -> None:
    previous = {"A": Previous(D("80.00")), "B": Previous(D("86.00")), "C": Previous(D("71.00"))}
    links = [link("A", "M"), link("B", "M", None), link("C", "M")]
    found = compare_with_previous({"M": D("80.00")}, previous, links, places=2)
    assert found["M"] == Comparison("merged", "mean", ("A", "B", "C"), D("79.00"), None, D("1.00"))


def test_the_mean_is_rounded_by_the_methodologys_rule() -> None:
    # (80.00 + 80.05) / 2 = 80.025: half up gives 80.03, half even 80.02.
    previous = {"A": Previous(D("80.00")), "B": Previous(D("80.05"))}
    links = [link("A", "M"), link("B", "M")]
    up = compare_with_previous({"M": D("81.00")}, previous, links, places=2)
    even = compare_with_previous(
        {"M": D("81.00")}, previous, links, places=2, rounding=Rounding.HALF_EVEN
    )
    assert (up["M"].previous_index, up["M"].change) == (D("80.03"), D("0.97"))
    assert (even["M"].previous_index, even["M"].change) == (D("80.02"), D("0.98"))


def test_links_from_units_not_assessed_before_are_left_out_of_the_mean() -> None:
    previous = {"A": Previous(D("70"), 2)}
    found = compare_with_previous(
        {"M": D("75")}, previous, [link("A", "M"), link("Z", "M")], places=0
    )
    assert found["M"].basis == "successor"
    assert found["M"].predecessors == ("A",)


def test_the_shipped_2025_province_mergers_compare_each_of_the_34_with_its_predecessors() -> None:
    registry = UnitRegistry.shipped()
    before = [u.id for u in registry.units_on(date(2025, 6, 30), "province")]
    after = [u.id for u in registry.units_on(date(2025, 7, 1), "province")]
    assert (len(before), len(after)) == (63, 34)
    previous = {code: Previous(D(60 + n % 30), n + 1) for n, code in enumerate(before)}
    links = [s for code in after for s in registry.predecessors(code)]
    names = {u.id: u.short_name for u in registry.units}
    found = compare_with_previous(
        dict.fromkeys(after, D("80.00")), previous, links, places=2, names=names
    )
    assert list(found) == after
    assert sum(len(c.predecessors) for c in found.values()) == 63
    merged = [c for c in found.values() if c.basis == "merged"]
    assert merged and all(c.method == "weighted_mean" and c.previous_rank is None for c in merged)
    assert all(c.basis == "same" for c in found.values() if len(c.predecessors) == 1)


indices = st.decimals(min_value=0, max_value=100, places=2)


@given(st.lists(indices, min_size=2, max_size=6), indices)
def test_equal_shares_give_the_plain_mean(olds: list[Decimal], now: Decimal) -> None:
    codes = [f"U{n}" for n in range(len(olds))]
    previous = {code: Previous(old) for code, old in zip(codes, olds, strict=True)}
    weighted = compare_with_previous(
        {"M": now}, previous, [link(c, "M", "1") for c in codes], places=2
    )["M"]
    plain = compare_with_previous(
        {"M": now}, previous, [link(c, "M", None) for c in codes], places=2
    )["M"]
    assert weighted.previous_index == plain.previous_index
    assert (weighted.method, plain.method) == ("weighted_mean", "mean")


@given(st.dictionaries(st.sampled_from("ABCDEF"), indices, min_size=1), indices)
def test_the_change_is_always_the_index_less_the_previous_figure(
    olds: dict[str, Decimal], now: Decimal
) -> None:
    previous = {code: Previous(old) for code, old in olds.items()}
    current = {"A": now, "M": now}
    found = compare_with_previous(current, previous, [link(c, "M") for c in olds], places=2)
    assert list(found) == ["A", "M"]
    for comparison in found.values():
        if comparison.previous_index is not None:
            assert comparison.change == now - comparison.previous_index
            assert min(olds.values()) <= comparison.previous_index <= max(olds.values())
