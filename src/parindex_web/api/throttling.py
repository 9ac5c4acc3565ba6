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

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, SimpleRateThrottle

__all__ = ["AnonThrottle", "UserThrottle"]


class _PerThread:
    """An attribute kept per thread. One throttle object serves every thread of a server
    process, and django-ninja keeps a request's state (key, history, time) on it."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        return getattr(obj._local, self.name, None)

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(obj._local, self.name, value)


class _RateFromSettings(SimpleRateThrottle):
    """A throttle whose rate is the setting named ``setting``, read on every request."""

    setting = ""
    rate = _PerThread()
    num_requests = _PerThread()
    duration = _PerThread()
    key = _PerThread()
    history = _PerThread()
    now = _PerThread()

    def __init__(self) -> None:
        self._local = threading.local()
        super().__init__()

    def get_rate(self) -> str | None:
        rate = getattr(settings, self.setting)
        return None if rate == "off" else rate

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        return super().allow_request(request)

    def wait(self) -> float | None:
        """Seconds until the oldest request that still counts leaves the window."""
        if self.num_requests is None or self.duration is None:
            return None
        counting = self.history[: self.num_requests]  # newest first
        if len(counting) < self.num_requests:
            return None
        return max(0.0, self.duration - (self.now - counting[-1]))


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
