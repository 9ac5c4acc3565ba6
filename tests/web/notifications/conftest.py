"""Notifications over the web tests' shared world (one body, three communes, its people and a
cycle: tests/web/world.py) and the API tests' ``run_to``, imported rather than copied; ``sent`` runs the e-mails that wait for the transaction's commit and returns the outbox.
"""

from __future__ import annotations

from typing import Any

import pytest
from api.conftest import run_to  # noqa: F401  (a fixture, used by name)
from django.core import mail

from parindex_web.notifications.models import Notice


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.PARINDEX_SITE_URL = "https://chiso.example.vn"


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Any):
    """Calls ``action`` as if its transaction committed; returns the e-mails it sent."""

    def run(action: Any, *args: Any, **kwargs: Any) -> list[Any]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action(*args, **kwargs)
        return list(mail.outbox)

    return run


def recipients(**where: Any) -> set[str]:
    """User names of the recipients of the notices matching ``where``."""
    return set(Notice.objects.filter(**where).values_list("recipient__username", flat=True))


__all__ = ["recipients"]
