from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser
from django.template import Context

from parindex_web.home.menu import Menu, menu

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context: Context) -> Menu:
    """The menu of the signed-in user (or visitor) for the page being rendered."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None) or AnonymousUser()
    return menu(user, request.path if request is not None else "")
