"""Browser tests: Playwright driving Debian's Chromium (no browser download), headless.

Screenshots go to ``artifacts/screenshots/`` (kept by CI). Tests here are marked ``browser`` and
skipped when no Chromium is installed; ``.ci/run`` installs it, so CI always runs them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("PARINDEX_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would
# otherwise refuse the ORM calls the tests make to set up data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}")
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    yield pg
    context.close()


def shot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as artifacts/screenshots/NAME.png and return its path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def second_factor_code(username: str) -> str | None:
    """The code the person's authenticator app shows now (None: they have no device).

    Computed from the device's key, as the app would; if this time step's code was used
    already (a second sign-in within 30 s), the next step's, which the server accepts too."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():
        totp.drift += 1
    return f"{totp.token():0{device.digits}d}"


def login(page: Any, base: str, username: str, password: str = "parindex-demo") -> None:
    """Sign in through the form: the password, then (if the person has a device) the code."""
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/otp/verify/" in page.url:
        code = second_factor_code(username)
        assert code is not None, f"{username} is asked for a code but has no device"
        page.fill("input[name=code]", code)
        page.click("main form.stacked-form button[type=submit]")
        page.wait_for_load_state("networkidle")
