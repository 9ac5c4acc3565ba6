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
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.middleware.cache import CacheMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from parindex_web.cycles.published import cache_version

MAX_AGE = 300
KEY_PREFIX = "results:2"
View = Callable[..., HttpResponse]


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
            cached = CacheMiddleware(respond, page_timeout=MAX_AGE, key_prefix=prefix)
            # Made with a sync view, the middleware answers synchronously, with that view's
            # response or one it stored from it: an HttpResponse (its type says any, or a future).
            response = cast(HttpResponse, cached(request))
        # After the cache, so that the key does not hold every browser's cookies and encodings
        # (the language is in it already); for the browsers and proxies downstream.
        patch_vary_headers(
            response, ("Cookie", "Accept-Encoding") if is_page else ("Accept-Encoding",)
        )
        return response

    return wrapper
