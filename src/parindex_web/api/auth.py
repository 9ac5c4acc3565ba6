"""Bearer authentication with personal API tokens (see :class:`.models.ApiToken`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken

# "Last used" is precise to a minute: a busy client does not write on every request.
RECORD_USE_EVERY = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the request acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find(token.strip())
        if found is None:
            return None
        now = timezone.now()
        if found.last_used is None or now - found.last_used > RECORD_USE_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        return found.user
