"""Filters for the PDF templates: figures with the published places and a sign."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def fixed(value: Decimal | None, places: int = 2) -> str:
    """``value`` with exactly ``places`` decimals in the active language (decimal comma in vi)."""
    if value is None or value == "":
        return "—"
    return formats.number_format(Decimal(value), int(places))


@register.filter
def signed(value: Decimal | None, places: int = 2) -> str:
    """Like :func:`fixed`, with "+" before a rise and "−" before a fall."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    text = formats.number_format(abs(value), int(places))
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text
