"""Personas for the account tests: a body's secretariat, appraiser, officer; another body's
secretariat; a staff member (the bodies are the web tests' shared ``body`` and ``other_body``).
All have the password PASSWORD."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex_web.accounts.models import Membership, Role
from parindex_web.units.models import AssessingBody, Unit

PASSWORD = "correct horse battery"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or ``steps_ahead`` time steps later)."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def sign_in(client: Any, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def unit(body: AssessingBody) -> Unit:
    return Unit.objects.create(code="x-tk", name="Xã Thử", unit_type=Unit.Type.COMMUNE, body=body)


def _user(django_user_model: Any, username: str, **membership: Any) -> Any:
    extra = {k: membership.pop(k) for k in ("is_staff", "is_superuser") if k in membership}
    user = django_user_model.objects.create_user(username, password=PASSWORD, **extra)
    if membership:
        Membership.objects.create(user=user, **membership)
    return user


@pytest.fixture
def secretariat(django_user_model: Any, body: AssessingBody) -> Any:
    return _user(django_user_model, "thuky", role=Role.SECRETARIAT, body=body)


@pytest.fixture
def appraiser(django_user_model: Any, body: AssessingBody) -> Any:
    return _user(django_user_model, "thamdinh", role=Role.APPRAISER, body=body)


@pytest.fixture
def officer(django_user_model: Any, unit: Unit) -> Any:
    return _user(django_user_model, "canbo", role=Role.OFFICER, unit=unit)


@pytest.fixture
def other_secretariat(django_user_model: Any, other_body: AssessingBody) -> Any:
    return _user(django_user_model, "thuky-khac", role=Role.SECRETARIAT, body=other_body)


@pytest.fixture
def staff(django_user_model: Any) -> Any:
    return _user(django_user_model, "quantri", is_staff=True, is_superuser=True)


def device_for(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


@pytest.fixture(autouse=True)
def quick_hashing(settings: Any) -> None:
    """These tests sign in by password dozens of times: a fast hasher keeps them quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
