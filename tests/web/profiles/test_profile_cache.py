"""A unit's profile is computed once per publication; a cached profile reads no results."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex_web.cycles import services
from parindex_web.profiles import data as d

from .conftest import National

pytestmark = pytest.mark.django_db


def url(cycle: Any, code: str, twin: str = "") -> str:
    return f"/results/{cycle.pk}/units/{code}" + (f".{twin}" if twin else "/")


@pytest.fixture
def profiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The unit codes whose profile was computed, in order."""
    made: list[str] = []
    real = d.profile

    def counting(pub: Any, code: str) -> dict[str, Any]:
        made.append(code)
        return real(pub, code)

    monkeypatch.setattr(d, "profile", counting)
    return made


def test_a_profile_is_computed_once_and_then_reads_no_results(
    client: Client, national: National, profiles: list[str]
) -> None:
    first = client.get(url(national.c2025, "P34-01", "json")).json()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url(national.c2025, "P34-01", "json")).json()
        page = client.get(url(national.c2025, "P34-01"))
        sheet = client.get(url(national.c2025, "P34-01", "csv"))
    assert again == first
    assert page.status_code == sheet.status_code == 200
    assert profiles == ["P34-01"]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "results_json" not in sql
    assert "scores_csv" not in sql


def test_each_language_has_its_own_copy(
    client: Client, national: National, profiles: list[str]
) -> None:
    client.get(url(national.c2025, "P34-01"), HTTP_ACCEPT_LANGUAGE="vi")
    client.get(url(national.c2025, "P34-01"), HTTP_ACCEPT_LANGUAGE="en")
    client.get(url(national.c2025, "P34-01"), HTTP_ACCEPT_LANGUAGE="en")
    assert profiles == ["P34-01", "P34-01"]


def test_a_unit_not_in_the_publication_stays_404_without_recomputing(
    client: Client, national: National, profiles: list[str]
) -> None:
    assert client.get(url(national.c2025, "NOPE")).status_code == 404
    assert client.get(url(national.c2025, "NOPE", "json")).status_code == 404
    assert profiles == []  # the unit rows say it is not there


def test_a_new_publication_computes_the_profile_again(
    client: Client, national: National, profiles: list[str]
) -> None:
    before = client.get(url(national.c2025, "P34-01", "json")).json()
    services.publish(national.secretariat, national.c2025, reason="Đính chính")
    after = client.get(url(national.c2025, "P34-01", "json")).json()
    assert profiles == ["P34-01", "P34-01"]
    assert (before["cycle"]["version"], after["cycle"]["version"]) == (1, 2)
