"""Response headers Django does not set itself.

``Permissions-Policy`` turns off the browser features named in ``settings.PERMISSIONS_POLICY``
(a feature mapped to the origins allowed to use it; an empty list allows none), e.g.
``camera=(), microphone=(), geolocation=()``. A view that sets the header keeps its own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

__all__ = ["PermissionsPolicyMiddleware", "permissions_policy"]


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """The header's value: ``feature=(origin …)`` items joined by ", ", in the given order."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` to every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        value = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))
        if value:
            response.headers.setdefault("Permissions-Policy", value)
        return response
