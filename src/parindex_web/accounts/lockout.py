"""Lockout after repeated wrong passwords (django-axes), per account and per address.

Axes counts failures per lockout parameter (``AXES_LOCKOUT_PARAMETERS = ["username",
"ip_address"]``) and compares the largest count with one limit. Offices share an address, so
the address gets its own, higher limit: :class:`AccountAndAddressHandler` scales the address's
count onto the account's limit (``failures * account_limit // address_limit`` reaches the
account limit exactly when the address count reaches its own). The lockout page, the client
address (the API's, see ``PARINDEX_API_PROXIES``) and the audit records of lockouts and of
their lifting are here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from ninja.throttling import BaseThrottle

from parindex_web.audit.models import record
from parindex_web.lib.users import Visitor

__all__ = [
    "AccountAndAddressHandler",
    "client_address",
    "current_lockouts",
    "lift",
    "lockout_response",
]


def client_address(request: HttpRequest) -> str:
    """The client's address as the API's throttles see it (one source for both)."""
    return BaseThrottle().get_ident(request) or ""


def _counts(attempts_list: list[QuerySet[AccessAttempt]]) -> tuple[int, int]:
    """Failures (by account, by address) from the handler's querysets, in parameter order."""
    by_account, by_address = (
        qs.aggregate(n=Sum("failures_since_start"))["n"] or 0 for qs in attempts_list
    )
    return by_account, by_address


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes's database handler with a separate limit for an address."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = _counts(self.get_user_attempts(request, credentials))
        request.parindex_failures = (by_account, by_address)
        limit = settings.PARINDEX_LOGIN_FAILURE_LIMIT
        scaled = by_address * limit // settings.PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """After a sign-in: forgets this account's failures from this address only.

        Axes would delete every attempt matching either parameter, so one valid account would
        clear, from its address, the failures counted against every other account there."""
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        )
        count: int
        count, _ = attempts.delete()
        return count


def lockout_response(
    request: HttpRequest, response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out person sees (429): why, for how long, and what to do."""
    context = {
        "minutes": settings.PARINDEX_LOGIN_LOCKOUT_MINUTES,
        "account_limit": settings.PARINDEX_LOGIN_FAILURE_LIMIT,
        "address_limit": settings.PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def on_locked_out(
    sender: Any, request: Any, username: str | None, ip_address: str, **kw: Any
) -> None:
    """Audits a lockout when it begins (the failure that reaches a limit), not every refusal."""
    by_account, by_address = getattr(request, "parindex_failures", (0, 0))
    reasons = []
    if by_account == settings.PARINDEX_LOGIN_FAILURE_LIMIT:
        reasons.append(f"{by_account} failed sign-ins for account {username}")
    if by_address == settings.PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT:
        reasons.append(f"{by_address} failed sign-ins from address {ip_address}")
    if not reasons:
        return
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(
        None,
        "account.locked_out",
        obj=user,
        field="username" if by_account == settings.PARINDEX_LOGIN_FAILURE_LIMIT else "ip_address",
        new=f"{username or ''} @ {ip_address}",
        reason="; ".join(reasons),
    )


def current_lockouts() -> QuerySet[AccessAttempt]:
    """Attempts that lock their account now: within the cool-off, at or over the limit."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        attempt_time__gte=since,
        failures_since_start__gte=settings.PARINDEX_LOGIN_FAILURE_LIMIT,
    ).order_by("-attempt_time")


def lift(actor: Visitor | None, attempts: Iterable[AccessAttempt], how: str) -> int:
    """Deletes ``attempts`` (lifting their lockout), each one audited; returns how many."""
    count = 0
    for attempt in list(attempts):
        user = get_user_model().objects.filter(username=attempt.username).first()
        record(
            actor,
            "account.lockout_lifted",
            obj=user,
            field="username",
            old=f"{attempt.username or ''} @ {attempt.ip_address}",
            reason=f"{attempt.failures_since_start} failed sign-ins; lifted {how}",
        )
        attempt.delete()
        count += 1
    return count
