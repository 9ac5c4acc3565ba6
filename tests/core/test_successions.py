"""Succession events as a unit's profile tells them: a table of worked cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parindex import Succession, SuccessionEvent, predecessor_events, successor_events
from parindex.units import UnitRegistry

MARCH, JULY = date(2025, 3, 1), date(2025, 7, 1)
LAW = "Nghị quyết 202/2025/QH15"


def link(
    before: str, after: str, weight: str | None = "1", day: date = JULY, basis: str = LAW
) -> Succession:
    return Succession(before, after, day, None if weight is None else Decimal(weight), True, basis)


NAMES = {
    "BG": "Bắc Giang",
    "BN": "Bắc Ninh",
    "BN2": "Bắc Ninh",
    "HN": "Hà Nội",
    "HN2": "Hà Nội",
    "KH": "Bộ Kế hoạch và Đầu tư",
    "TC": "Bộ Tài chính",
    "TC2": "Bộ Tài chính",
    "X": "Xã A",
    "Y": "Xã B",
    "Z": "Xã C",
}

CASES = [
    # (links, unit, backwards, forwards)
    ([link("BG", "BN2"), link("BN", "BN2")], "BN2", [("merged", ("BG", "BN"), ())], []),
    ([link("BG", "BN2"), link("BN", "BN2")], "BG", [], [("merged_into", ("BN2",), ("BN",))]),
    ([link("HN", "HN2")], "HN2", [("continues", ("HN",), ())], []),
    ([link("HN", "HN2")], "HN", [], [("continued_by", ("HN2",), ())]),
    ([link("KH", "TC2")], "TC2", [("successor", ("KH",), ())], []),
    ([link("KH", "TC2")], "KH", [], [("succeeded_by", ("TC2",), ())]),
    ([link("X", "Y", "0.6"), link("X", "Z", "0.4")], "Y", [("split", ("X",), ())], []),
    ([link("X", "Y", "0.6"), link("X", "Z", "0.4")], "X", [], [("split_into", ("Y", "Z"), ())]),
    ([link("HN", "HN2", None)], "HN2", [("continues", ("HN",), ())], []),
    ([], "HN", [], []),
]


@pytest.mark.parametrize(("links", "unit", "backwards", "forwards"), CASES)
def test_each_kind_of_succession_is_told_by_one_classification(
    links: list[Succession],
    unit: str,
    backwards: list[tuple[str, tuple[str, ...], tuple[str, ...]]],
    forwards: list[tuple[str, tuple[str, ...], tuple[str, ...]]],
) -> None:
    def told(events: list[SuccessionEvent]) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        return [(e.kind, e.units, e.partners) for e in events]

    assert told(predecessor_events(unit, links, NAMES)) == backwards
    assert told(successor_events(unit, links, NAMES)) == forwards


def test_links_on_other_dates_or_bases_are_separate_events_oldest_first() -> None:
    links = [link("TC", "TC2", day=JULY), link("KH", "TC", day=MARCH, basis="NQ 176")]
    assert successor_events("TC", links, NAMES) == [
        SuccessionEvent("continued_by", JULY, LAW, ("TC2",))
    ]
    assert predecessor_events("TC", links, NAMES) == [
        SuccessionEvent("successor", MARCH, "NQ 176", ("KH",))
    ]


def test_units_are_listed_in_vietnamese_order_of_their_names() -> None:
    names = {"A": "Đắk Lắk", "B": "Bình Định", "C": "Phú Yên"}
    events = predecessor_events("A", [link("C", "A"), link("B", "A")], names)
    assert events[0].units == ("B", "C")


def test_a_unit_without_a_name_is_never_the_same_unit() -> None:
    assert predecessor_events("NEW", [link("OLD", "NEW")], {})[0].kind == "successor"


def test_the_shipped_2025_mergers_make_every_old_province_merged_into_or_continued() -> None:
    registry = UnitRegistry.shipped()
    links = [s for u in registry.units_on(JULY, "province") for s in registry.predecessors(u.id)]
    names = {u.id: u.short_name for u in registry.units}
    kinds = {
        e.kind
        for u in registry.units_on(date(2025, 6, 30), "province")
        for e in successor_events(u.id, links, names)
    }
    assert kinds <= {"merged_into", "continued_by"} and "merged_into" in kinds
