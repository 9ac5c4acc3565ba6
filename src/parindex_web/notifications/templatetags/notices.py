from __future__ import annotations

from typing import Any

from django import template

from parindex_web.notifications.models import Notice

register = template.Library()


@register.simple_tag
def unread_notices(user: Any) -> int:
    """How many of the user's notices are unread (0 for a visitor)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()
