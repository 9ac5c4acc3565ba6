from __future__ import annotations

from django import template

from parindex_web.accounts.models import Role
from parindex_web.cycles.access import body_ids
from parindex_web.lib.users import Visitor

register = template.Library()


@register.filter
def in_a_secretariat(user: Visitor) -> bool:
    """Whether the user is in some assessing body's secretariat (the lockouts page is theirs)."""
    return bool(body_ids(user, Role.SECRETARIAT))
