"""Requests malformed below the form: bodies that are not JSON, multipart without a boundary,
ids of 22 digits, unknown fields, very long query strings. Each answers 4xx (the API with its
JSON error object) and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from parindex_web.api.models import ApiToken
from parindex_web.cycles.models import Entry

from .conftest import World, snapshot
from .http_cases import HTTP_CASES, HttpCase
from .test_web import problems_of

pytestmark = pytest.mark.django_db


def _request(case: HttpCase, world: World, client: Client) -> Any:
    a, b = world.assessment, world.appraised
    shorthand = {
        "self": (f"/api/assessments/{a.pk}/entries/1.1.4/self-assessment", a, world.officer),
        "appraisal": (f"/api/assessments/{b.pk}/entries/1.1.4/appraisal", b, world.appraiser),
        "evidence": (f"/api/assessments/{a.pk}/evidence", a, world.officer),
        "page": (f"/assessments/{a.pk}/evidence/", a, world.officer),
    }
    url, assessment, user = shorthand.get(case.url, (case.url.format(a=a.pk), a, world.officer))
    version = Entry.objects.get(assessment=assessment, code="1.1.4").version
    body = case.body.replace(b"{v}", str(version).encode())
    headers = {}
    if url.startswith("/api/"):
        headers = {"authorization": f"Bearer {ApiToken.issue(user, 'badinput')[1]}"}
    else:
        client.force_login(user)
    if case.method == "get":
        return client.get(url, headers=headers)
    send = getattr(client, case.method)
    return send(url, body, content_type=case.content_type, headers=headers)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [],
        )
        for c in HTTP_CASES
    ],
)
def test_a_malformed_request_is_refused_with_a_4xx_and_writes_nothing(
    case: HttpCase, world: World, client: Client
) -> None:
    cache.clear()
    before = snapshot(world)
    r = _request(case, world, client)
    said = f"{r.status_code}: {r.content[:300]!r}"
    assert 400 <= r.status_code < 500, said
    if r.request["PATH_INFO"].startswith("/api/"):
        assert r["Content-Type"].startswith("application/json"), said
        assert set(r.json()) == {"error"}, said
    if case.named:
        assert problems_of(r), said
    assert snapshot(world) == before, "something was written"
