"""The types of the people the shell serves, named once.

The project uses Django's own user model. ``request.user`` is a :data:`Visitor`: a signed-in
:class:`User` or Django's ``AnonymousUser``. Functions that anonymous visitors can reach (menus,
template tags, access checks) take a ``Visitor``; services behind a login take a ``User``, and
views behind ``login_required`` take a :class:`SignedInRequest`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

__all__ = ["SignedInRequest", "User", "Visitor"]

Visitor = User | AnonymousUser


class SignedInRequest(HttpRequest):
    """The request a view behind ``login_required`` receives: its user is signed in."""

    user: User
