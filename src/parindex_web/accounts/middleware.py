"""Session expiry and the second factor, checked on every request.

:class:`SessionExpiryMiddleware` ends a signed-in session after ``PARINDEX_SESSION_IDLE_MINUTES``
without a request and ``PARINDEX_SESSION_MAX_HOURS`` after sign-in. It keeps two timestamps in
the session (seconds since the epoch): the sign-in time, set when the user signs in, and the
last request's, refreshed at most once a minute so that a busy page does not write its session
on every request (unlike ``SESSION_SAVE_EVERY_REQUEST``).

:class:`SecondFactorMiddleware` sends a signed-in person who has not passed the second factor to
the code page (they have a device) or to the set-up page (their role requires one), whatever
page they asked for; only the sign-in, sign-out, second-factor and language pages, static
files and the token-authenticated API (which ignores the session) are open to them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse

from parindex_web.lib.users import User

from . import twofactor

LOGIN_AT = "parindex_login_at"
SEEN_AT = "parindex_seen_at"
NO_DEVICE = "parindex_otp_none"  # this session found no device for a user who needs none
REFRESH_EVERY = 60  # seconds


def stamp_session(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """At sign-in (``user_logged_in``): the session starts now."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = request.session[SEEN_AT] = now


def _has_session(request: HttpRequest) -> bool:
    """Whether the client sent a session cookie: without one nobody is signed in, and the
    session is left untouched (reading it would add ``Vary: Cookie`` to public responses)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _login_redirect(request: HttpRequest, target: str, **params: str) -> HttpResponseRedirect:
    query = {"next": request.get_full_path()} if request.method == "GET" else {}
    query.update(params)
    return HttpResponseRedirect(f"{resolve_url(target)}?{urlencode(query)}")


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if _has_session(request) and SESSION_KEY in session:
            now = int(time.time())
            login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
            if login_at is None or seen_at is None:  # a session from before this check
                session[LOGIN_AT] = session[SEEN_AT] = now
            elif now - seen_at > settings.PARINDEX_SESSION_IDLE_MINUTES * 60:
                return self.expire(request, "idle")
            elif now - login_at > settings.PARINDEX_SESSION_MAX_HOURS * 3600:
                return self.expire(request, "absolute")
            elif now - seen_at >= REFRESH_EVERY:
                session[SEEN_AT] = now
        return self.get_response(request)

    def expire(self, request: HttpRequest, why: str) -> HttpResponse:
        logout(request)
        return _login_redirect(request, settings.LOGIN_URL, expired=why)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def open_paths(self) -> tuple[str, ...]:
        if self._open is None:
            names = ["accounts:login", "accounts:logout", "accounts:otp", "set_language"]
            self._open = (*(reverse(n) for n in names), f"/{settings.STATIC_URL.lstrip('/')}")
        return self._open

    def is_open(self, path: str) -> bool:
        if path.startswith("/api/"):
            return not path.startswith(reverse("api:tokens"))
        return path.startswith(self.open_paths())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            _has_session(request)
            and user.is_authenticated
            and not twofactor.is_verified(user)
            and not self.is_open(request.path_info)
        ):
            required = twofactor.is_required(user)  # roles: read once per request anyway
            if required or not request.session.get(NO_DEVICE):
                if twofactor.has_device(user):
                    return _login_redirect(request, "accounts:otp-verify")
                if required:
                    return _login_redirect(request, "accounts:otp")
                request.session[NO_DEVICE] = True
        return self.get_response(request)
