"""Two factors: who must have a TOTP app, who has one, and setting one up (django-otp).

A person signs in with the password, then (if they have a confirmed device) enters a code from
their authenticator app; :class:`~.middleware.SecondFactorMiddleware` lets them do nothing else
until then. Roles in ``PARINDEX_OTP_REQUIRED_ROLES`` (and "staff" for staff and superusers)
must set up a device first. Backup codes (django-otp's static device) replace a lost phone once
each. A code is accepted once: TOTPDevice refuses a code of a time step already used, and
slows down wrong guesses (twice as long after each).
"""

from __future__ import annotations

import base64
from typing import Protocol, cast

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex_web.accounts.models import Role
from parindex_web.cycles.access import body_ids, unit_ids
from parindex_web.lib.users import User, Visitor

__all__ = [
    "BACKUP_CODES",
    "confirmed_devices",
    "has_device",
    "is_required",
    "is_verified",
    "new_backup_codes",
    "pending_device",
    "qr_svg",
    "remove_devices",
    "secret_text",
]

BACKUP_CODES = 10
BODY_ROLES = {"secretariat": Role.SECRETARIAT, "appraiser": Role.APPRAISER}
UNIT_ROLES = {"officer": Role.OFFICER, "leader": Role.LEADER}


class _Verifiable(Protocol):
    def is_verified(self) -> bool: ...


def is_verified(user: Visitor) -> bool:
    """Whether the request's session passed its second factor: django-otp's ``OTPMiddleware``
    gives every ``request.user`` an ``is_verified`` method (which no type declares)."""
    return cast(_Verifiable, user).is_verified()


def is_required(user: Visitor) -> bool:
    """Whether the user's roles (memberships, or staff) require a second factor."""
    required = settings.PARINDEX_OTP_REQUIRED_ROLES
    if "staff" in required and (user.is_staff or user.is_superuser):
        return True
    return any(name in required and body_ids(user, r) for name, r in BODY_ROLES.items()) or any(
        name in required and unit_ids(user, r) for name, r in UNIT_ROLES.items()
    )


def confirmed_devices(user: User) -> list[Device]:
    """The user's confirmed devices: the TOTP app(s) first, then the backup codes."""
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def has_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def pending_device(user: User) -> TOTPDevice:
    """The user's device being set up (not yet confirmed by a first code), made if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    b32 = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code (no style attributes, no script)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR", svgclass="otp-qr", lineclass=None
    )
    return mark_safe(svg)  # segno's own markup, of our own URL


def new_backup_codes(user: User) -> list[str]:
    """Replaces the user's backup codes with BACKUP_CODES new ones, each good once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def remove_devices(user: User) -> int:
    """Deletes all the user's devices (app and backup codes); returns how many apps."""
    count: int
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return count
