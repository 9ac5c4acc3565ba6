"""Exact decimal helpers: parsing and the rounding rules of published figures."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "HUNDRED",
    "NUMBER_GRAMMAR",
    "ZERO",
    "Rounding",
    "format_fixed",
    "format_recorded",
    "parse_decimal",
    "parse_whole",
    "quantize",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)

NUMBER_GRAMMAR = "digits 0-9 with at most one decimal point or comma, e.g. 11.5 or 11,5"
"""The documented grammar of a number written as text (docs/methodology-format.md)."""

# An optional minus, ASCII digits (thousands may be grouped by no-break spaces, as Vietnamese
# Excel shows them: "1 000"), then at most one decimal point or comma ("11,5" as Vietnamese
# Excel writes it). Nothing else: no "1_0", "1e5", "nan", "inf", "+1", ".5" or full-width digits.
_NUMBER = re.compile(r"-?(?:[0-9]+|[0-9]{1,3}(?:\u00a0[0-9]{3})+)(?:[.,][0-9]+)?")
_WHOLE = re.compile(r"[0-9]+")


class Rounding(StrEnum):
    """How a published figure is rounded to its decimal places."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"


_MODES = {Rounding.HALF_UP: ROUND_HALF_UP, Rounding.HALF_EVEN: ROUND_HALF_EVEN}
_EXPONENTS = [Decimal(1).scaleb(-places) for places in range(13)]


def quantize(value: Decimal, places: int, rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """Return ``value`` rounded to ``places`` decimal places with ``rounding``.

    Half-up rounds away from zero on a tie (0.125 → 0.13, −0.125 → −0.13), as Excel's ROUND does.
    """
    exponent = _EXPONENTS[places] if 0 <= places < len(_EXPONENTS) else Decimal(1).scaleb(-places)
    return value.quantize(exponent, rounding=_MODES[rounding])


def format_fixed(value: Decimal, places: int, rounding: Rounding = Rounding.HALF_UP) -> str:
    """Return ``value`` as text with exactly ``places`` decimals and a dot ("11.50")."""
    text = f"{quantize(value, places, rounding):f}"
    return "0" + text[2:] if text.startswith("-0") and Decimal(text) == 0 else text


def format_recorded(value: Decimal, places: int) -> str:
    """Return a recorded value (an audited score) with at least ``places`` decimals and a dot,
    never rounded: zeros past ``places`` go ("2.0000" → "2.00" at 2 places), a significant
    digit stays ("0.125" → "0.125"). So a record reads as the methodology's figures do, and
    shows exactly what was saved."""
    exponent = value.normalize().as_tuple().exponent
    significant = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_fixed(value, max(places, significant))


def parse_decimal(value: object) -> Decimal:
    """Parse a number given as text, int, float or Decimal into an exact Decimal.

    Text is :data:`NUMBER_GRAMMAR`: an optional minus, ASCII digits (groups of three may be
    separated by no-break spaces), at most one decimal dot ("11.5") or comma ("11,5"); anything
    else (``1_0``, ``1e5``, ``nan``, ``inf``, ``+1``, full-width digits) is refused, and so is a
    negative zero (``-0``, ``-0,0``: no figure is negative zero; write ``0``). Floats are taken by
    their shortest repr (11.5, not 11.4999…), which is what a spreadsheet cell shows.
    Raises ``ValueError`` with a short reason for anything else (empty, NaN, infinite, bool).
    """
    if isinstance(value, bool):
        raise ValueError("expected a number, got a yes/no value")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("expected a finite number")
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip(" \t\u00a0")
        if not text:
            raise ValueError("expected a number, got an empty value")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"{value!r} is not a number; write {NUMBER_GRAMMAR}")
        result = Decimal(text.replace("\u00a0", "").replace(",", "."))
        if result.is_zero() and result.is_signed():
            raise ValueError(f"{value!r} is a negative zero; write 0")
    else:
        raise ValueError(f"expected a number, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError("expected a finite number")
    return result


def parse_whole(value: str) -> int:
    """A whole number from 0 written as ASCII digits ("12"); ``ValueError`` for anything else."""
    text = value.strip(" \t\u00a0")
    if not _WHOLE.fullmatch(text):
        raise ValueError(f"{value!r} is not a whole number; write digits 0-9")
    return int(text)
