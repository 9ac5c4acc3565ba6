"""The parindex REST API (django-ninja): public published data, and the cycle's work with a
personal token. The OpenAPI schema is at ``/api/openapi.json``, its browsable documentation at
``/api/docs`` (Swagger UI served from this site, no CDN). See docs/api.md.
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from . import errors, private, public
from .throttling import AnonThrottle, UserThrottle

DESCRIPTION = """\
Published PAR Index results, methodologies and units (public, no token), and the yearly cycle's
work (self-assessment, appraisal, evidence) with a personal API token created at `/api/tokens/`.

Errors always have the shape `{"error": {"code": "...", "message": "...", "details": [...]}}`:
`code` is a stable English word; `message` follows `Accept-Language` (Vietnamese by default).
422 `invalid`: fix the request (a bad value names its field in `details`); 409: the request is
right but the cycle refuses it now (`cycle_rule`: the phase, a deadline) or someone saved first
(`version_conflict`).
Requests are rate-limited per client; over the limit the answer is 429 with `Retry-After`.
Lists are paginated with `?page=` and `?page_size=` and answer `{"items": [...], "count": n}`.
Points and indices are strings with the published number of decimals. Keys may be added;
existing keys are never renamed or retyped within version 1.
"""


class Renderer(JSONRenderer):
    """JSON in UTF-8 as it is (Vietnamese names readable), not \\u-escaped."""

    json_dumps_params = {"ensure_ascii": False}


class JsonParser(Parser):
    """A JSON body is read only when it is declared JSON: another content type is a 415
    (ninja wraps the error in its 400; ``errors.http_error`` answers 415 for it)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        declared = (request.content_type or "").lower()
        if declared != "application/json" and not declared.endswith("+json"):
            raise errors.NotJson(declared)
        return super().parse_body(request)


api = NinjaAPI(
    title="parindex API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # No deep links: Swagger UI would put each path's link inside the operation's button, a
    # control nested in a control that keyboards and screen readers cannot reach (WCAG 4.1.2).
    docs=Swagger(settings={"persistAuthorization": False, "deepLinking": False}),
    # Swagger UI's stylesheet draws its icons from data: URIs; the rest of its page (scripts,
    # styles) is from this site, within the site's Content-Security-Policy (settings.py).
    docs_decorator=csp_update({"img-src": ["data:"]}),
    renderer=Renderer(),
    parser=JsonParser(),
    throttle=[AnonThrottle(), UserThrottle()],
)
errors.install(api)
api.add_router("", public.router)
api.add_router("", private.router)
