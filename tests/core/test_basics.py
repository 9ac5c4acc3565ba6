"""Decimals, errors and the public API."""

from __future__ import annotations

import inspect
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import parindex
from parindex import (
    Location,
    ParindexError,
    Problem,
    Rounding,
    format_fixed,
    format_recorded,
    parse_decimal,
    quantize,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11.5", "11.5"),
        ("11,5", "11.5"),
        (" 7 ", "7"),
        (3, "3"),
        (0.1, "0.1"),
        (Decimal("2.50"), "2.50"),
        ("1\u00a0000", "1000"),
    ],
)
def test_parse_decimal_reads_numbers_as_people_write_them(raw: object, expected: str) -> None:
    assert parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw", ["", "abc", "1,000.5", True, None, float("nan"), float("inf"), "NaN", "Infinity", [1]]
)
def test_parse_decimal_refuses_anything_else(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_decimal(raw)


@pytest.mark.parametrize(
    ("value", "places", "rounding", "expected"),
    [
        ("0.125", 2, Rounding.HALF_UP, "0.13"),
        ("0.125", 2, Rounding.HALF_EVEN, "0.12"),
        ("-0.125", 2, Rounding.HALF_UP, "-0.13"),
        ("95.8333", 2, Rounding.HALF_UP, "95.83"),
        ("11.5", 2, Rounding.HALF_UP, "11.50"),
        ("1.5", 14, Rounding.HALF_UP, "1.50000000000000"),
        ("2.5", 0, Rounding.HALF_UP, "3"),
        ("-0.001", 2, Rounding.HALF_UP, "0.00"),
    ],
)
def test_format_fixed_writes_exactly_the_published_places(
    value: str, places: int, rounding: Rounding, expected: str
) -> None:
    assert format_fixed(Decimal(value), places, rounding) == expected
    assert quantize(Decimal(value), places, rounding) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("2.0000", 2, "2.00"),
        ("2", 2, "2.00"),
        ("20", 0, "20"),
        ("0.125", 2, "0.125"),
        ("0.50", 0, "0.5"),
        ("-0.0000", 2, "0.00"),
        ("7.2500", 3, "7.250"),
    ],
)
def test_format_recorded_drops_zeros_past_the_places_and_never_rounds(
    value: str, places: int, expected: str
) -> None:
    assert format_recorded(Decimal(value), places) == expected


@given(
    st.decimals(min_value=-1000, max_value=1000, places=6, allow_nan=False),
    st.integers(0, 4),
)
def test_format_recorded_keeps_the_exact_value_with_at_least_the_places(
    value: Decimal, places: int
) -> None:
    text = format_recorded(value, places)
    assert Decimal(text) == value
    assert len(text.partition(".")[2]) >= places


def test_errors_carry_every_problem_with_its_location() -> None:
    error = ParindexError([Problem("bad", Location("f.csv", 3, "points", "1.1")), Problem("worse")])
    assert str(error) == "f.csv, row 3, column 'points', node 1.1: bad\nworse"
    assert len(error.problems) == 2
    assert str(ParindexError("plain")) == "plain"
    assert str(ParindexError(Problem("one", Location(code="2")))) == "node 2: one"
    with pytest.raises(ValueError):
        ParindexError([])


def test_the_public_api_is_what_all_lists() -> None:
    exported = set(parindex.__all__)
    public = {
        name
        for name, value in vars(parindex).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public == exported
    assert all(hasattr(parindex, name) for name in exported)


def test_the_core_imports_no_web_framework() -> None:
    import subprocess
    import sys

    code = (
        "import sys, parindex, parindex.cli; "
        "print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
