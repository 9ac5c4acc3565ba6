"""Methodology facts in the reader's language.

The core's ``Rule.describe()`` is one English line (for logs, the CLI and the API); pages,
workbooks and reports show :func:`rule_text` instead, translated with the active language.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
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


# The core's rule phrases (``Rule.text()``; English: ``parindex.RULE_TEXTS``) by code, in the
# reader's language. Signs, numbers, labels and "maximum" are filled in by :func:`_words`.
_PHRASES: dict[str, Callable[[], str]] = {
    "points": lambda: _("points given directly"),
    "yes_no": lambda: _("yes: %(yes)s; no: %(no)s"),
    "level": lambda: "%(label)s: %(points)s",
    "step": lambda: "%(sign)s %(minimum)s %%: %(points)s",
    "proportional": lambda: _("achieved / planned × maximum when %(sign)s %(floor)s %%, else 0"),
    "deduction": lambda: _("%(start)s − %(per)s per item, not below %(floor)s"),
}


def _word(value: Decimal | str | bool | None) -> str:
    """A phrase's value as people read it: a bound's sign, a number, "maximum", a label."""
    if isinstance(value, bool):
        return "≥" if value else ">"
    if isinstance(value, Decimal):
        return _plain(value)
    return _("maximum") if value is None else value


def rule_html(rule: parindex.Rule | None) -> SafeString:
    """:func:`rule_text` for a page, escaped: the methodology's own words (the level labels,
    which it writes in Vietnamese) marked with :func:`in_vietnamese`."""
    if rule is None:
        return SafeString("")
    clauses = []
    for phrase in rule.text():
        values = {
            name: in_vietnamese(value) if isinstance(value, str) else escape(_word(value))
            for name, value in phrase.params.items()
        }
        clauses.append(escape(_PHRASES[phrase.code]()) % values)
    return mark_safe(" | ".join(clauses))  # every part is escaped above


def rule_text(rule: parindex.Rule | None) -> str:
    """How a leaf's points are given, in the active language ("" for a node without a rule).

    Level labels come from the methodology file as written there; numbers keep the file's
    digits (no rounding, no trailing zeros) with the language's decimal mark (0,5 in Vietnamese).
    """
    if rule is None:
        return ""
    return " | ".join(
        _PHRASES[phrase.code]() % {name: _word(v) for name, v in phrase.params.items()}
        for phrase in rule.text()
    )


# A yes/no input's two values in words (form choices, pages, the workbook's history).
YES_NO = (("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No")))


def choice_text(spec: parindex.InputSpec, value: object) -> str | None:
    """A choice input's value as people read it: the label of the choice it names (as the
    methodology writes it), or Yes/No in the active language; None for a number input or a
    value that names no choice."""
    key = None if spec.numeric else spec.key_of(value)
    if key is None:
        return None
    return str(dict(YES_NO)[key]) if spec.kind == "yesno" else spec.label_of(key)
