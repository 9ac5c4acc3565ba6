"""Who is acting, for records written where no user is passed (signals on roles and accounts).

:class:`ActorMiddleware` sets the signed-in user for the length of a request; management
commands and the shell act as "system" unless they wrap their work in :func:`acting_as`.
A context variable, so that every server thread (and task) sees only its own actor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from parindex_web.lib.users import Visitor

_actor: ContextVar[Visitor | None] = ContextVar("parindex_audit_actor", default=None)


def current_actor() -> Visitor | None:
    """The user acting now, or None (recorded as "system")."""
    return _actor.get()


@contextmanager
def acting_as(user: Visitor | None) -> Iterator[None]:
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


class ActorMiddleware:
    """Makes ``request.user`` the actor of records written during the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)
