"""Publication-day caching of the public results pages and their twins.

Every page and twin is rendered once per key and then served from Django's cache
(``settings.CACHES``). The key holds the path with its query, the language, who is asking
(anonymous, or one signed-in user, because the header differs) and
:func:`~parindex_web.cycles.published.cache_version`, which grows with every publication: a new
publication makes new keys, so nothing stale is served after it.

Responses carry ``Cache-Control: public, max-age=300`` (``private`` for a signed-in user), an
``ETag`` (a hash of the content) honoured by ``If-None-Match`` (304), and gzip when the client
accepts it (compressed once, when stored).

Anonymous pages hold no CSRF token, so that one copy serves everyone and shared caches may keep
it: the language switcher's view is exempt from CSRF (``parindex_web/urls.py``). A signed-in
user's page needs one for the log-out form: it is rendered with a placeholder that each
response replaces with the user's token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import render
from django.utils.cache import parse_etags, patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from parindex_web.cycles.published import cache_version

MAX_AGE = 300
KEY_PREFIX = "results:1"
# Rendered in place of the CSRF token: replaced per response in a signed-in user's page, and
# removed with its form field from an anonymous one.
TOKEN_PLACEHOLDER = "parindex-csrf-token-placeholder"
TOKEN_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN_PLACEHOLDER}">'
# Headers of the view's response that are kept with the cached content.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")
MIN_GZIP = 200

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Stored:
    """A rendered response as kept in the cache."""

    body: bytes
    gzipped: bytes | None
    etag: str  # quoted, strong: a hash of ``body``
    headers: tuple[tuple[str, str], ...]


def viewer(request: HttpRequest) -> str:
    """Who the page is for: pages differ (header links, log-out form) for signed-in users."""
    user = request.user
    return f"u{user.pk}" if user.is_authenticated else "anon"


def cache_key(request: HttpRequest, is_page: bool) -> str:
    who = viewer(request) if is_page else "any"
    where = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{cache_version()}:{get_language()}:{who}:{where}"


def render_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """``render`` for a cached page: the CSRF token is a placeholder (see :func:`store`)."""
    return render(request, template, {**context, "csrf_token": TOKEN_PLACEHOLDER})


def _gzip(body: bytes) -> bytes | None:
    if len(body) < MIN_GZIP:
        return None
    compressed = compress_string(body, max_random_bytes=100)
    return compressed if len(compressed) < len(body) else None


def store(response: HttpResponse, personal: bool) -> Stored:
    """What to keep of the view's response. An anonymous page loses its CSRF token fields."""
    body = response.content
    if not personal:
        body = body.replace(TOKEN_FIELD.encode(), b"")
    return Stored(
        body=body,
        gzipped=None if personal else _gzip(body),
        etag='"' + hashlib.sha256(body).hexdigest()[:40] + '"',
        headers=tuple((h, response[h]) for h in KEPT_HEADERS if response.has_header(h)),
    )


def not_modified(request: HttpRequest, etag: str) -> bool:
    """``If-None-Match`` names this ETag (compared weakly, as gzip makes ETags weak)."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    return tags == ["*"] or etag.removeprefix("W/") in {t.removeprefix("W/") for t in tags}


def respond(request: HttpRequest, stored: Stored, is_page: bool) -> HttpResponse:
    personal = is_page and request.user.is_authenticated
    gzip = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None
    body, encoding, etag = stored.body, None, stored.etag
    if personal:  # the content changes with each token: the ETag can only be weak
        body = body.replace(TOKEN_PLACEHOLDER.encode(), get_token(request).encode())
        etag = "W/" + etag
        compressed = _gzip(body) if gzip else None
        if compressed is not None:
            body, encoding = compressed, "gzip"
    elif gzip and stored.gzipped is not None:
        body, encoding, etag = stored.gzipped, "gzip", "W/" + etag
    if not_modified(request, etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body)
        for name, value in stored.headers:
            response[name] = value
        if encoding:
            response["Content-Encoding"] = encoding
    response["ETag"] = etag
    response["Cache-Control"] = f"{'private' if personal else 'public'}, max-age={MAX_AGE}"
    patch_vary_headers(response, ("Accept-Encoding", "Cookie") if is_page else ("Accept-Encoding",))
    return response


def public(view: View) -> View:
    """Serve a public page (``fmt`` "html") or twin (``fmt`` "json"/"csv") from the cache.

    Only 200 responses are stored; a 404 (no publication) is raised again on every request.
    """

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        is_page = kwargs.get("fmt", "html") == "html"
        key = cache_key(request, is_page)
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            stored = store(response, is_page and request.user.is_authenticated)
            cache.set(key, stored)
        return respond(request, stored, is_page)

    return wrapper
