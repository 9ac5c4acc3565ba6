"""Pure helpers of the results pages: histogram bins, heat scale, the one unit search."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex_web.results import data, serializers
from parindex_web.results.serializers import Change, RankedUnit
from parindex_web.units.models import Unit


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        (["87.5"], [(85, 90, 1)]),
        (
            ["45", "75", "87.5", "87.5"],
            [
                (45, 50, 1),
                (50, 55, 0),
                (55, 60, 0),
                (60, 65, 0),
                (65, 70, 0),
                (70, 75, 0),
                (75, 80, 1),
                (80, 85, 0),
                (85, 90, 2),
            ],
        ),
        (["95", "99.99", "100"], [(95, 100, 3)]),
        (["90", "94.99"], [(90, 95, 2)]),
        (["0", "4.99", "5"], [(0, 5, 2), (5, 10, 1)]),
    ],
)
def test_histogram_bins_are_five_points_wide_and_closed_at_100(values, expected):
    bins = data.histogram([Decimal(v) for v in values])
    assert [(b["from"], b["to"], b["count"]) for b in bins] == expected


def test_the_heat_scale_spans_the_values():
    scale = data.HeatScale([Decimal("60"), Decimal("95")], 2)
    assert scale.cell("60.00")["bg"] == data.HEAT_COLOURS[0]
    assert scale.cell("95.00")["bg"] == data.HEAT_COLOURS[-1]
    legend = scale.legend()
    assert (legend[0]["from"], legend[-1]["to"]) == ("60.00", "95.00")


def test_the_heat_scale_copes_with_equal_values():
    assert data.HeatScale([Decimal("80")], 2).cell("80.00")["bg"] == data.HEAT_COLOURS[-1]


def _row(code: str, short: str, full: str, group: str, english: str = "") -> RankedUnit:
    unit = Unit(code=code, name=full, short_name=short, name_en=english)
    change = Change("none", (), None, None, None)
    return RankedUnit(
        1, code, short, full, "90.00", group, 0, None, "90.00", {}, (), change, "", unit
    )


ROWS = [
    _row("P34-48", "Đà Nẵng", "Thành phố Đà Nẵng", "Tốt"),
    _row("P34-66", "Đắk Lắk", "Tỉnh Đắk Lắk", "Khá"),
    _row("P34-01", "Hà Nội", "Thành phố Hà Nội", "Tốt", "Hanoi Capital"),
]


@pytest.mark.parametrize(
    ("group", "q", "expected"),
    [
        ("", "", ["P34-48", "P34-66", "P34-01"]),
        ("Tốt", "", ["P34-48", "P34-01"]),
        ("", "da nang", ["P34-48"]),
        ("", "DAK LAK", ["P34-66"]),
        ("", "thanh pho", ["P34-48", "P34-01"]),
        ("", "p34-01", ["P34-01"]),
        ("", "  hanoi   capital ", ["P34-01"]),  # the English name, as the API searches
        ("Khá", "ha noi", []),
        ("Giỏi", "", []),
    ],
)
def test_rows_filter_by_group_and_by_name_without_diacritics(group, q, expected):
    assert [r.unit for r in serializers.search(ROWS, group, q)] == expected
