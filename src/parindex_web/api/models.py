"""Personal API tokens: a user acts through the API with their own roles, nothing more.

Only a SHA-256 of a token is stored; the token itself is shown once, when it is created. A
token expires ``PARINDEX_API_TOKEN_DAYS`` days after it is created. A revoked or expired token
stays listed (with when it was revoked or expired) and is refused from then on.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "pix_"


def default_expiry() -> datetime:
    """When a token created now expires: ``PARINDEX_API_TOKEN_DAYS`` days from now."""
    return timezone.now() + timedelta(days=settings.PARINDEX_API_TOKEN_DAYS)


def digest(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """One named token of one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("expires"), default=default_expiry)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires <= timezone.now()

    @property
    def active(self) -> bool:
        return self.revoked is None and not self.expired

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        """A new saved token and its secret (the only time the secret exists in clear)."""
        secret = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=digest(secret), prefix=secret[: len(PREFIX) + 4]
        )
        return token, secret

    @classmethod
    def find(cls, secret: str) -> ApiToken | None:
        """The unrevoked token of an active user with this secret, or None. It may have
        expired: the caller tells an expired token from a wrong one."""
        return (
            cls.objects.select_related("user")
            .filter(key_hash=digest(secret), revoked__isnull=True, user__is_active=True)
            .first()
        )
