"""Bearer authentication with personal API tokens (see :class:`.models.ApiToken`).

A wrong token counts against the client address's rate (:mod:`.throttling`), so that tokens
cannot be guessed at speed; an expired one is refused with its own error code."""

from __future__ import annotations

import math
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import HttpBearer

from parindex_web.lib.users import SignedInRequest, User

from .errors import TokenExpired
from .models import ApiToken
from .throttling import AnonThrottle

# "Last used" is precise to a minute: a busy client does not write on every request.
RECORD_USE_EVERY = timedelta(minutes=1)


class TokenRequest(SignedInRequest):
    """The request an endpoint behind :class:`TokenAuth` receives: ninja sets ``auth`` to what
    ``authenticate`` returned, the token's user (``user`` too)."""

    auth: User


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the request acts as the token's user."""

    guesses = AnonThrottle()

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = ApiToken.find(token.strip())
        if found is None:
            if not self.guesses.allow_request(request):
                wait = self.guesses.wait()  # ninja's Throttled takes whole seconds
                raise Throttled(wait=None if wait is None else math.ceil(wait))
            return None
        now = timezone.now()
        if found.expires <= now:
            raise TokenExpired()
        if found.last_used is None or now - found.last_used > RECORD_USE_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        return found.user
