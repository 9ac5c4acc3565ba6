"""Methodology facts in the reader's language.

The core's ``Rule.describe()`` is one English line (for logs, the CLI and the API); pages,
workbooks and reports show :func:`rule_text` instead, translated with the active language.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import parindex


def _plain(value: Decimal) -> str:
    """As written in the file (no trailing zeros), with the language's decimal mark."""
    return number_format(Decimal(f"{value.normalize():f}"))


def in_vietnamese(text: str) -> SafeString:
    """Free text that the data holds in Vietnamese only (a methodology's labels, evidence, legal
    bases and notes; a cycle's or a unit's name), escaped. On a page in another language it is
    wrapped in ``<span lang="vi">``: the page says that this is the source's language, not a
    translation left out (screen readers switch voice, the language checks skip it)."""
    if not text or get_language() == "vi":
        return conditional_escape(text)
    return format_html('<span lang="vi">{}</span>', text)


def localised_html(vietnamese: str, english: str) -> SafeString:
    """A text the data may hold in both languages (``name``/``name_en``, ``notes``/``notes_en``):
    the page's language when there is one, else the other marked with its ``lang``."""
    if get_language() == "vi":
        if vietnamese or not english:
            return conditional_escape(vietnamese)
        return format_html('<span lang="en">{}</span>', english)
    return conditional_escape(english) if english else in_vietnamese(vietnamese)


def rule_html(rule: parindex.Rule | None) -> SafeString:
    """:func:`rule_text` for a page: the level labels, which the methodology writes in
    Vietnamese, marked with :func:`in_vietnamese`."""
    if isinstance(rule, parindex.LevelsRule):
        return format_html_join(
            " | ", "{}: {}", ((in_vietnamese(lv.label), _plain(lv.points)) for lv in rule.levels)
        )
    return conditional_escape(rule_text(rule))


def rule_text(rule: parindex.Rule | None) -> str:
    """How a leaf's points are given, in the active language ("" for a node without a rule).

    Level labels come from the methodology file as written there; numbers keep the file's
    digits (no rounding, no trailing zeros) with the language's decimal mark (0,5 in Vietnamese).
    """
    if rule is None:
        return ""
    if isinstance(rule, parindex.PointsRule):
        return _("points given directly")
    if isinstance(rule, parindex.YesNoRule):
        yes = _("maximum") if rule.yes is None else _plain(rule.yes)
        return _("yes: %(yes)s; no: %(no)s") % {"yes": yes, "no": _plain(rule.no)}
    if isinstance(rule, parindex.LevelsRule):
        return " | ".join(f"{lv.label}: {_plain(lv.points)}" for lv in rule.levels)
    if isinstance(rule, parindex.ThresholdsRule):
        return " | ".join(
            f"{'≥' if s.inclusive else '>'} {_plain(s.minimum)} %: {_plain(s.points)}"
            for s in rule.steps
        )
    if isinstance(rule, parindex.ProportionalRule):
        sign = "≥" if rule.floor_inclusive else ">"
        return _("achieved / planned × maximum when %(sign)s %(floor)s %%, else 0") % {
            "sign": sign,
            "floor": _plain(rule.floor),
        }
    if isinstance(rule, parindex.DeductionRule):
        start = _("maximum") if rule.start is None else _plain(rule.start)
        return _("%(start)s − %(per)s per item, not below %(floor)s") % {
            "start": start,
            "per": _plain(rule.per_item),
            "floor": _plain(rule.floor),
        }
    return rule.describe()  # a rule kind added to the core but not yet here
