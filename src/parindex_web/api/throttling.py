"""Rate limits of the API, with django-ninja's own throttles (see docs/api.md).

A request without a valid token counts against its client address at
``PARINDEX_API_ANON_RATE``; a request with one counts against the token's user (all their
tokens together) at ``PARINDEX_API_USER_RATE``. A wrong token counts as a request without one,
so guessing tokens is throttled too. Rates are read from the settings on every request, so that
a test (or an override) takes effect at once; ``"off"`` means no limit. The counts are kept in
the default cache: share it between server processes, or each process counts on its own. The
client address is the connection's, or with ``PARINDEX_API_PROXIES`` trusted proxies in front
the one they add to ``X-Forwarded-For`` (django-ninja's ``NINJA_NUM_PROXIES``).
"""

from __future__ import annotations

import copy
import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, SimpleRateThrottle

__all__ = ["AnonThrottle", "UserThrottle"]


class _RateFromSettings(SimpleRateThrottle):
    """A throttle whose rate is the setting named ``setting``, read on every request.

    django-ninja keeps one throttle object per API (and ``TokenAuth`` one more), shared by every
    thread of a server process, and its ``allow_request`` keeps the request's state on that
    object (``key``, ``history``, ``now``) for ``wait`` to read after it. So each request runs
    the library's own ``allow_request`` on a copy of its own, kept for the thread until
    ``wait`` asks; the library's algorithm and cache format are used as they are.
    """

    setting = ""

    def __init__(self) -> None:
        self._requests = threading.local()
        super().__init__()

    def get_rate(self) -> str | None:
        rate: str = getattr(settings, self.setting)
        return None if rate == "off" else rate

    def allow_request(self, request: HttpRequest) -> bool:
        mine = copy.copy(self)
        mine.rate = self.get_rate()
        mine.num_requests, mine.duration = self.parse_rate(mine.rate)
        self._requests.current = mine
        if mine.rate is None:
            return True
        allowed: bool = super(_RateFromSettings, mine).allow_request(request)
        return allowed

    def wait(self) -> float | None:
        """Seconds until the oldest request that still counts leaves the window (the library's
        own ``wait`` spreads the window over the requests left, which says nothing useful to
        a client that has none left)."""
        mine: _RateFromSettings | None = getattr(self._requests, "current", None)
        if mine is None or mine.num_requests is None or mine.duration is None:
            return None
        # The library keeps the times it read from its timer (time.time) in the cache, untyped.
        counting: list[float] = mine.history[: mine.num_requests]  # newest first
        if len(counting) < mine.num_requests:
            return None
        now: float = mine.now
        return max(0.0, mine.duration - (now - counting[-1]))


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    """Requests without a valid token, per client address."""

    scope = "anon"
    setting = "PARINDEX_API_ANON_RATE"


class UserThrottle(_RateFromSettings):
    """Requests with a valid token, per user."""

    scope = "user"
    setting = "PARINDEX_API_USER_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        if user is None:
            return None  # counted by AnonThrottle
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
