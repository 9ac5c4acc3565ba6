"""One error shape for every refusal: ``{"error": {"code", "message", "details"}}``.

Mapping (documented in docs/api.md): no or bad token → 401 ``unauthenticated`` (an expired
one → 401 ``token_expired``); too many requests → 429 ``throttled`` with ``Retry-After``; a
role that does not allow the action → 403 ``forbidden``; an object outside the caller's scope or not
published → 404 ``not_found``; someone saved the entry first → 409 ``version_conflict`` (with
both versions); a refusal by the cycle's state (phase, deadline, status) → 409 ``cycle_rule``;
a request that does not fit the schema, or holds a value no state of the cycle accepts (an input
the leaf's rule does not accept, points out of range, a missing reason: ``InputRefused``) → 422
``invalid`` with the field named in ``details`` (400 ``bad_request`` when the body cannot even be
read: malformed JSON, a multipart body without its boundary or cut short, too many fields; 413
``too_large`` when it is over the size limit). So 422 always means "fix the request", 409 "the
request is right, but the cycle refuses it now". Codes are stable English words; messages follow
the request's language (``Accept-Language``; Vietnamese by default).
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from parindex_web.cycles.services import Conflict, CycleError, InputRefused

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("django.request")

# Every status an operation may answer with an error object.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 413, 422, 429})
PUBLIC_ERRORS = frozenset({400, 404, 422, 429})
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
}


class NotJson(Exception):
    """A JSON operation's body was sent with another content type (answered 415)."""


class TokenExpired(AuthenticationError):
    """The token was right, but its expiry date has passed."""


class ConflictWithVersions(Conflict):
    """A version conflict answered with both versions (the saved one, the caller's) as its
    ``details``: the endpoint that knows the caller's entry raises it from the service's."""

    def __init__(self, conflict: Conflict, details: list[dict[str, Any]]) -> None:
        super().__init__(conflict.entry, conflict.mine)
        self.details = details


class InputRefusedAt(InputRefused):
    """A refused input answered at ``path`` in the request's body (``["inputs", name]`` for
    one of a rule's inputs), where the service names only the field."""

    def __init__(self, refused: InputRefused, path: list[str]) -> None:
        super().__init__(str(refused), refused.field, refused.code, refused.problems)
        self.path = path


def error_data(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers (and Django's 403/404 pages) inside the API."""

    def respond(
        request: HttpRequest,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
    ) -> HttpResponse:
        return api.create_response(request, error_data(code, message, details), status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("A valid API token is required: send “Authorization: Bearer <token>”.")
        response = respond(request, 401, "unauthenticated", message)
        response["WWW-Authenticate"] = 'Bearer realm="parindex"'
        return response

    @api.exception_handler(TokenExpired)
    def expired(request: HttpRequest, exc: TokenExpired) -> HttpResponse:
        message = _("This API token has expired: create a new one at %(url)s.") % {
            "url": reverse("api:tokens")
        }
        response = respond(request, 401, "token_expired", message)
        response["WWW-Authenticate"] = (
            'Bearer realm="parindex", error="invalid_token", '
            'error_description="The token has expired"'
        )
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        if exc.wait is None:
            message = _("Too many requests: wait a moment and try again.")
        else:
            seconds = max(1, math.ceil(exc.wait))
            message = _("Too many requests: try again in %(seconds)s s.") % {"seconds": seconds}
        response = respond(request, 429, "throttled", message)
        if exc.wait is not None:
            response["Retry-After"] = str(max(1, math.ceil(exc.wait)))
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, NotJson):
            message = _("Send the body as JSON, with “Content-Type: application/json”.")
            return respond(request, 415, CODES[415], message)
        code = CODES.get(exc.status_code, "error")
        messages = {400: _("The request body cannot be read (is it valid JSON?).")}
        return respond(request, exc.status_code, code, messages.get(exc.status_code, str(exc)))

    @api.exception_handler(MultiPartParserError)
    def unreadable_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        message = _(
            "The multipart body cannot be read: send it as multipart/form-data with the "
            "boundary declared in Content-Type, and complete."
        )
        return respond(request, 400, "bad_request", message)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        message = _("The request body is too large: the limit is %(size)s, files not counted.") % {
            "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
        return respond(request, 413, "too_large", message)

    @api.exception_handler(TooManyFieldsSent)
    @api.exception_handler(TooManyFilesSent)
    def too_many(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, 400, "bad_request", _("The request has too many fields or files."))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Django answers these 400 outside the API; the reason is logged, not shown.
        logging.getLogger("django.security").warning("%s: %s", type(exc).__name__, exc)
        return respond(request, 400, "bad_request", _("The request cannot be read."))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": e.get("msg", ""),
                "type": e.get("type", ""),
            }
            for e in exc.errors
        ]
        return respond(request, 422, "invalid", _("The request is not valid."), details)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = _("Your role does not allow this action.")
        return respond(request, 403, "forbidden", message)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        details = exc.details if isinstance(exc, ConflictWithVersions) else []
        return respond(request, 409, "version_conflict", str(exc), details)

    @api.exception_handler(InputRefused)
    def bad_value(request: HttpRequest, exc: InputRefused) -> HttpResponse:
        path = exc.path if isinstance(exc, InputRefusedAt) else [exc.field] if exc.field else []
        detail = {"loc": ["body", "data", *path], "msg": str(exc), "type": "value_refused"}
        return respond(request, 422, "invalid", str(exc), [{**detail, "field": exc.field}])

    @api.exception_handler(CycleError)
    def refused(request: HttpRequest, exc: CycleError) -> HttpResponse:
        details = getattr(exc, "details", None)  # e.g. the input field the rule refused
        return respond(request, 409, "cycle_rule", str(exc), details)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500}
        )
        return respond(request, 500, "server_error", _("Something went wrong on the server."))
