from __future__ import annotations

from typing import Any

from django import template

from parindex_web.accounts.models import Role
from parindex_web.cycles.access import body_ids

register = template.Library()


@register.filter
def in_a_secretariat(user: Any) -> bool:
    """Whether the user is in some assessing body's secretariat (the lockouts page is theirs)."""
    return bool(body_ids(user, Role.SECRETARIAT))
