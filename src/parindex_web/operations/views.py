"""What a person sees when the database cannot be reached (a restart, a failover): a 503 page
that says to wait and try again, instead of a server error. Installed as ``handler500``."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, or the database-unavailable page when that is what failed."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After; JSON for the API. Rendered without the database (no user menu)."""
    message = _(
        "The service is briefly unavailable: its database cannot be reached, usually for less "
        "than a minute during maintenance. If you were saving, wait a minute, check whether "
        "your change is there and send it again if not."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "database_unavailable"}, status=503
        )
    else:
        response = HttpResponse(
            render_to_string("operations/unavailable.html", {"message": message}), status=503
        )
    response["Retry-After"] = str(RETRY_SECONDS)
    return response
