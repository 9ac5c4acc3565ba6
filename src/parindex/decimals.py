"""Exact decimal helpers: parsing and the rounding rules of published figures."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

__all__ = ["HUNDRED", "ZERO", "Rounding", "format_fixed", "parse_decimal", "quantize"]

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# "11,5" as Vietnamese Excel writes it; a comma with a dot too is ambiguous and refused.
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


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


def parse_decimal(value: object) -> Decimal:
    """Parse a number given as text, int, float or Decimal into an exact Decimal.

    Text may use a decimal dot ("11.5") or a lone decimal comma ("11,5"). Floats are taken by
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
        text = value.strip().replace("\u00a0", "")
        if not text:
            raise ValueError("expected a number, got an empty value")
        if _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    else:
        raise ValueError(f"expected a number, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError("expected a finite number")
    return result
