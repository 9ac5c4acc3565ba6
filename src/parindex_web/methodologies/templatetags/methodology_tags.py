"""Template filters for methodology facts: ``{% load methodology_tags %}``."""

from __future__ import annotations

from decimal import Decimal

from django import template

import parindex
from parindex_web.lib.users import Visitor

from ..display import _plain
from ..display import rule_text as _rule_text

register = template.Library()


@register.filter
def rule_text(rule: parindex.Rule | None) -> str:
    """``{{ node.rule|rule_text }}``: how the leaf's points are given, translated."""
    return _rule_text(rule)


@register.filter
def points(value: Decimal) -> str:
    """``{{ node.max_points|points }}``: as written in the file, with the language's decimal mark."""
    return _plain(value)


@register.filter
def adopts_methodologies(user: Visitor) -> bool:
    """``{% if user|adopts_methodologies %}``: whether the user is of some body's secretariat."""
    from parindex_web.accounts.models import Role
    from parindex_web.cycles.access import body_ids

    return bool(user.is_authenticated and body_ids(user, Role.SECRETARIAT))
