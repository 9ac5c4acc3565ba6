"""The API tests' world (one body, three communes, its people and a cycle) for notifications.

The fixtures are the API tests' own (tests/web/api/conftest.py), imported rather than copied;
``sent`` runs the e-mails that wait for the transaction's commit and returns the outbox.
"""

from __future__ import annotations

from typing import Any

import pytest
from api.conftest import (  # noqa: F401  (fixtures, used by name)
    People,
    _media,
    _no_requests_counted,
    assessment,
    body,
    cycle,
    entry_of,
    methodology,
    other_body,
    people,
    run_to,
    units,
)
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


__all__ = ["People", "entry_of", "recipients"]
