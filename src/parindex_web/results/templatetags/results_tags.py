"""Display helpers for the public results pages: localised figures, labels in words."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex_web.methodologies import display
from parindex_web.results import labels
from parindex_web.units.models import Unit

register = template.Library()


@register.filter
def dec(value: Any) -> str:
    """A published figure ("95.10") in the active language's format ("95,10"), places kept."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number_format(number, decimal_pos=places)


@register.filter
def signed(value: Any) -> str:
    """A change with its sign: "+1,25", "−0,50", "0,00"."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value))
    text = dec(abs(number))
    return ("+" + text) if number > 0 else ("−" + text) if number < 0 else text


@register.filter
def direction(value: Any) -> str:
    """ "up", "down" or "same" for a change."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    return "up" if number > 0 else "down" if number < 0 else "same"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def source_label(source: str) -> str:
    return labels.source_label(source)


@register.filter
def source_points_label(source: str) -> str:
    """A column heading: the points a unit got from one source."""
    return {
        "appraisal": _("Appraisal points"),
        "survey": _("Survey points"),
        "sipas": _("SIPAS points"),
        "data": _("Service data points"),
    }.get(source, source)


@register.filter
def unit_type_label(code: str) -> str:
    try:
        return str(Unit.Type(code).label)
    except ValueError:
        return code


@register.filter
def rule_kind_label(kind: str) -> str:
    return {
        "points": _("Points given directly"),
        "yes_no": _("Yes or no"),
        "levels": _("Levels"),
        "thresholds": _("Thresholds (per cent)"),
        "proportional": _("In proportion to achievement"),
        "deduction": _("Deductions"),
    }.get(kind, kind)


@register.filter
def stat_label(kind: str) -> str:
    return {
        "mean": _("Mean"),
        "median": _("Median"),
        "max": _("Best"),
        "min": _("Worst"),
    }.get(kind, kind)


@register.filter
def basis_text(change: dict[str, Any]) -> str:
    """How a change was worked out, in words (a ``change`` of :func:`results.data.change`)."""
    names = [p["name"] for p in change.get("predecessors", [])]
    return labels.basis_label(str(change.get("basis")), names)


@register.filter
def localised(item: dict[str, Any], key: str = "name") -> str:
    """``name_en`` in English when there is one, else ``name``."""
    if get_language() == "en" and item.get(f"{key}_en"):
        return str(item[f"{key}_en"])
    return str(item.get(key, ""))


@register.filter
def vi(text: Any) -> SafeString:
    """``{{ band.label|vi }}``: free text the data holds in Vietnamese only, marked
    ``lang="vi"`` on an English page (``methodologies.display.in_vietnamese``)."""
    return display.in_vietnamese(str(text or ""))


@register.filter
def name_html(item: Any, key: str = "name") -> SafeString:
    """``{{ node|name_html }}``, ``{{ m|name_html:"notes" }}``: ``key`` in the page's language,
    else ``key_en``/``key`` marked with its language (for element text, not attributes)."""
    if isinstance(item, dict):
        vietnamese, english = item.get(key, ""), item.get(f"{key}_en", "")
    else:
        vietnamese, english = getattr(item, key, ""), getattr(item, f"{key}_en", "")
    return display.localised_html(str(vietnamese or ""), str(english or ""))


@register.filter
def rule_html(rule: Any) -> SafeString:
    """How a leaf's points are given, its level labels marked ``lang="vi"`` on English pages."""
    return display.rule_html(rule)


@register.filter
def node_name(node: Any) -> str:
    if get_language() == "en" and node.name_en:
        return str(node.name_en)
    return str(node.name)
