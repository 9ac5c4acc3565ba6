"""Publication-day caching of the public results pages and their twins, with Django's own tools.

Every page and twin is rendered once per key and then served from Django's cache
(``settings.CACHES``) by Django's :class:`~django.middleware.cache.CacheMiddleware`, the
machinery of ``cache_page``. Its key holds the path with its query and the language; the key
prefix holds :func:`~parindex_web.cycles.published.cache_version`, which grows with every
publication: a new publication makes new keys, so nothing stale is served after it. The prefix
is read once per request, before the view reads the data, which is why the middleware is made
per request here rather than once by ``cache_page`` (whose prefix is fixed when it decorates).

Only anonymous pages (and the twins, which are the same for everyone) are kept. A signed-in
user's page differs (their name, the log-out form with their CSRF token): it is rendered for
them each time and sent ``private``, as Django's cache never keeps private responses.

Responses carry ``Cache-Control: public, max-age=300`` (``private`` for a signed-in user).
The ETag with its 304 on ``If-None-Match`` and gzip come from ``ConditionalGetMiddleware``
and ``GZipMiddleware`` (``settings.MIDDLEWARE``).

Anonymous pages hold no CSRF token, so that one copy serves everyone and shared caches may keep
it: the language switcher's form has none, its view being exempt from CSRF
(``parindex_web/urls.py``); only a signed-in user's log-out form has one.

In front of the shared cache, each server process keeps the responses it served last in its own
memory (:class:`ProcessTier`, bounded in entries and bytes), finished once: the ETag computed
and the body gzipped by the very functions ``ConditionalGetMiddleware`` and ``GZipMiddleware``
use, so those two find their work done. Django's cache cannot keep that: the shared cache holds
the plain response (one rendering per publication for every process), and reading it costs a
file read, zlib and unpickling, and the middleware then gzips and hashes it again, on every
request. Its key holds the same prefix (the publication counter, read on every request), so a
new publication is served at once by every process; an entry lives no longer than its shared
copy's ``Expires``. Only GET responses that the shared cache would keep and that vary on nothing
outside the key (the address, the language, gzip or not) are kept (measured in
docs/deployment.md, ``bench/publish_load.py`` on 8 December 2026).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.cache import CacheMiddleware
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from parindex_web.cycles.published import cache_version

MAX_AGE = 300
KEY_PREFIX = "results:2"
View = Callable[..., HttpResponse]

# What one server process keeps in memory: the demo's ranking of 34 provinces is 59 kB plain
# and 8 kB gzipped, so the bytes allow some 500 plain pages, more than the entries.
PROCESS_ENTRIES = 256
PROCESS_BYTES = 32 * 1024 * 1024
# Nothing about the requests is read but these: responses that vary on another header (a view
# that reads the session adds Vary: Cookie) are not kept in the process.
KEYED_VARY = frozenset({"accept-language"})


@dataclass(frozen=True)
class Kept:
    """A finished response as a process keeps it: bytes and headers, never the object that
    middleware further out modifies."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    until: float  # time.time() after which it is not served

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


class ProcessTier:
    """The last responses served, least recently used dropped first, at most ``entries`` of
    them and ``size`` bytes of bodies; safe for a process's threads."""

    def __init__(self, entries: int = PROCESS_ENTRIES, size: int = PROCESS_BYTES) -> None:
        self.entries, self.size = entries, size
        self._kept: OrderedDict[tuple[str, ...], Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> HttpResponse | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            if kept.until <= time.time():
                self._drop(key)
                return None
            self._kept.move_to_end(key)
        return kept.response()

    def put(self, key: tuple[str, ...], response: HttpResponse) -> None:
        content = response.content
        expires = parse_http_date_safe(response.get("Expires", ""))
        until = min(time.time() + MAX_AGE, expires if expires is not None else float("inf"))
        kept = Kept(response.status_code, tuple(response.items()), content, until)
        with self._lock:
            if key in self._kept:  # an older copy goes, even when this one is too large
                self._drop(key)
            if len(content) > self.size:
                return
            self._kept[key] = kept
            self._bytes += len(content)
            while len(self._kept) > self.entries or self._bytes > self.size:
                self._drop(next(iter(self._kept)))

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def bytes(self) -> int:
        return self._bytes

    def _drop(self, key: tuple[str, ...]) -> None:
        self._bytes -= len(self._kept.pop(key).content)


PROCESS = ProcessTier()
# GZipMiddleware's own compression (its random padding included), applied once per kept copy.
_GZIP = GZipMiddleware(lambda request: HttpResponse())


def _process_key(request: HttpRequest, prefix: str) -> tuple[str, ...]:
    """What a kept response depends on: what Django's cache key holds (the prefix, the address
    with its query, the language and time zone) and whether the client takes gzip."""
    gzip = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None
    return (
        prefix,
        request.build_absolute_uri(),
        get_language() or "",
        get_current_timezone_name(),
        "gzip" if gzip else "",
    )


def _words(header: str) -> set[str]:
    """The directives of a Cache-Control or the names of a Vary header, in lower case."""
    return {w.split("=")[0].strip().lower() for w in header.split(",")} - {""}


def _keepable(response: HttpResponse) -> bool:
    """What the shared cache keeps (CacheMiddleware's rules) and varies only on the key."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if _words(response.get("Cache-Control", "")) & {"private", "no-cache", "no-store"}:
        return False
    return _words(response.get("Vary", "")) <= KEYED_VARY  # "*" is not kept either


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """What ConditionalGetMiddleware then GZipMiddleware do to a response, done once: the ETag
    of the plain bytes, then gzip (the ETag made weak) when the client takes it; each only while
    ``settings.MIDDLEWARE`` has that middleware."""
    if "django.middleware.http.ConditionalGetMiddleware" in settings.MIDDLEWARE:
        set_response_etag(response)
    if "django.middleware.gzip.GZipMiddleware" in settings.MIDDLEWARE:
        response = cast(HttpResponse, _GZIP.process_response(request, response))
    return response


def public(view: View) -> View:
    """Serve a public page (``fmt`` "html") or twin (``fmt`` "json"/"csv") from the cache.

    Only 200 responses are stored; a 404 (no publication) is raised again on every request.
    """

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        is_page = kwargs.get("fmt", "html") == "html"
        personal = is_page and request.user.is_authenticated

        def respond(request: HttpRequest) -> HttpResponse:
            response = view(request, *args, **kwargs)
            patch_cache_control(
                response, **{"private" if personal else "public": True}, max_age=MAX_AGE
            )
            return response

        if personal:
            response = respond(request)
        else:
            prefix = f"{KEY_PREFIX}:{cache_version()}"
            key = _process_key(request, prefix) if request.method == "GET" else None
            found = PROCESS.get(key) if key is not None else None
            if found is not None:
                response = found
            else:
                cached = CacheMiddleware(respond, page_timeout=MAX_AGE, key_prefix=prefix)
                # Made with a sync view, the middleware answers synchronously, with that view's
                # response or one it stored from it: an HttpResponse (its type says any, or a
                # future).
                response = cast(HttpResponse, cached(request))
                if key is not None and _keepable(response):
                    response = _finish(request, response)
                    PROCESS.put(key, response)
        # After the cache, so that the key does not hold every browser's cookies and encodings
        # (the language is in it already); for the browsers and proxies downstream.
        patch_vary_headers(
            response, ("Cookie", "Accept-Encoding") if is_page else ("Accept-Encoding",)
        )
        return response

    return wrapper
