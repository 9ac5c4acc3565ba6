"""One error shape for every refusal: ``{"error": {"code", "message", "details"}}``.

Mapping (documented in docs/api.md): no or bad token → 401 ``unauthenticated``; a role that
does not allow the action → 403 ``forbidden``; an object outside the caller's scope or not
published → 404 ``not_found``; someone saved the entry first → 409 ``version_conflict`` (with
both versions); a refusal by the cycle's rules (phase, deadline, status, an input the leaf's
rule does not accept) → 409 ``cycle_rule``; a request that does not fit the schema → 422
``invalid`` (400 ``bad_request`` when the body cannot even be read). So 422 always means "fix
the request to fit the schema", 409 "the request fits, but the cycle refuses it now".
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from parindex_web.cycles.services import Conflict, CycleError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("django.request")

# Every status an operation may answer with an error object.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 422})
PUBLIC_ERRORS = frozenset({400, 404, 422})
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}


def error_data(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or []}}


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers (and Django's 403/404 pages) inside the API."""

    def respond(request: HttpRequest, status: int, code: str, message: str, details=None):
        return api.create_response(request, error_data(code, message, details), status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("A valid API token is required: send “Authorization: Bearer <token>”.")
        response = respond(request, 401, "unauthenticated", message)
        response["WWW-Authenticate"] = 'Bearer realm="parindex"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = CODES.get(exc.status_code, "error")
        messages = {400: _("The request body cannot be read (is it valid JSON?).")}
        return respond(request, exc.status_code, code, messages.get(exc.status_code, str(exc)))

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
        details = getattr(exc, "details", [])  # both versions, added by the endpoint
        return respond(request, 409, "version_conflict", str(exc), details)

    @api.exception_handler(CycleError)
    def refused(request: HttpRequest, exc: CycleError) -> HttpResponse:
        return respond(request, 409, "cycle_rule", str(exc))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500}
        )
        return respond(request, 500, "server_error", _("Something went wrong on the server."))
