"""Self-assessed inputs in words, as the appraisal pages show them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

import parindex
from parindex_web.appraisal.display import describe_input, plain

LEVELS = parindex.LevelsRule(
    (
        parindex.Level("timely", "Ban hành kịp thời", Decimal(1)),
        parindex.Level("late", "Ban hành không kịp thời", Decimal("0.5")),
    )
)


@pytest.mark.parametrize(
    ("rule", "inputs", "vi", "en"),
    [
        (LEVELS, {"level": "late"}, "Ban hành không kịp thời", "Ban hành không kịp thời"),
        (LEVELS, {"level": "unknown"}, "unknown", "unknown"),
        (parindex.YesNoRule(), {"value": "yes"}, "Có", "Yes"),
        (parindex.YesNoRule(), {"value": "không"}, "Không", "No"),
        (parindex.YesNoRule(), {"value": True}, "Có", "Yes"),
        (parindex.YesNoRule(), {"value": "maybe"}, "maybe", "maybe"),
        (parindex.ThresholdsRule(), {"percent": "92.5"}, "92,5 %", "92.5 %"),
        (
            parindex.ThresholdsRule(),
            {"achieved": 9, "planned": 10},
            "đạt 9 trên 10 theo kế hoạch",
            "9 achieved of 10 planned",
        ),
        (
            parindex.ProportionalRule(),
            {"achieved": "7", "planned": 8},
            "đạt 7 trên 8 theo kế hoạch",
            "7 achieved of 8 planned",
        ),
        (parindex.DeductionRule(), {"count": 2}, "2 mục", "2 item(s)"),
        (parindex.PointsRule(), {"points": "1.25"}, "1,25 điểm", "1.25 points"),
        (parindex.PointsRule(), {}, "", ""),
    ],
)
def test_it_describes_the_input(rule, inputs, vi, en):
    with translation.override("vi"):
        assert describe_input(rule, inputs) == vi
    with translation.override("en"):
        assert describe_input(rule, inputs) == en


@pytest.mark.parametrize(
    ("stored", "shown"),
    [(Decimal("0.5000"), "0.5"), (Decimal("10.0000"), "10"), (None, None), (Decimal(0), "0")],
)
def test_plain_drops_trailing_zeros_without_an_exponent(stored, shown):
    result = plain(stored)
    assert (None if result is None else str(result)) == shown
