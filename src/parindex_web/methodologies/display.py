"""Methodology facts in the reader's language.

The core's ``Rule.describe()`` is one English line (for logs, the CLI and the API); pages,
workbooks and reports show :func:`rule_text` instead, translated with the active language.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

import parindex


def _plain(value: Decimal) -> str:
    """As written in the file (no trailing zeros), with the language's decimal mark."""
    return number_format(Decimal(f"{value.normalize():f}"))


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
