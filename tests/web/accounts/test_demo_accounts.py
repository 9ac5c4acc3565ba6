"""The demo's two-step accounts get a device with the fixed, printed demo key."""

from __future__ import annotations

import io

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex_web.cycles.management.commands.load_demo import DEMO_OTP_KEY, Command

pytestmark = pytest.mark.django_db


def test_the_demo_gives_its_two_step_accounts_the_demo_key(django_user_model):
    for name in ["admin", "thuky", "thamdinh1", "canbo1"]:
        django_user_model.objects.create_user(name)
    Command().demo_devices()
    Command().demo_devices()  # idempotent
    devices = TOTPDevice.objects.order_by("user__username")
    assert [d.user.username for d in devices] == ["admin", "thamdinh1", "thuky"]
    assert {d.key for d in devices} == {DEMO_OTP_KEY} and all(d.confirmed for d in devices)


def test_the_demo_prints_the_key_for_local_use():
    out = io.StringIO()
    command = Command(stdout=out)
    command.print_accounts()
    assert "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in out.getvalue()
