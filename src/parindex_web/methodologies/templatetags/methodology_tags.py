"""Template filters for methodology facts: ``{% load methodology_tags %}``."""

from __future__ import annotations

from django import template

import parindex

from ..display import rule_text as _rule_text

register = template.Library()


@register.filter
def rule_text(rule: parindex.Rule | None) -> str:
    """``{{ node.rule|rule_text }}``: how the leaf's points are given, translated."""
    return _rule_text(rule)
