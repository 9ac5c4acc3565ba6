from __future__ import annotations

from django import template

from parindex_web.lib.users import User, Visitor
from parindex_web.notifications.models import Notice

register = template.Library()


@register.simple_tag
def unread_notices(user: Visitor) -> int:
    """How many of the user's notices are unread (0 for a visitor)."""
    if not isinstance(user, User):  # anonymous, or no user in the template's context
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()
