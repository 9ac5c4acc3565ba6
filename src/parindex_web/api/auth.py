"""Bearer authentication with personal API tokens (see :class:`.models.ApiToken`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the request acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find(token.strip())
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user
