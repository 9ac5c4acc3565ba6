"""Bearer tokens on the API: a valid token acts as its user; anything else is a 401."""

from __future__ import annotations

import pytest

from parindex_web.api.models import ApiToken

from .conftest import assert_error

URL = "/api/assessments"


def get(client, header: str | None):
    headers = {"authorization": header} if header is not None else {}
    return client.get(URL, headers=headers)


@pytest.mark.django_db
def test_a_valid_token_acts_as_its_user(client, people, cycle):
    token, secret = ApiToken.issue(people.officer, "x")
    r = get(client, f"Bearer {secret}")
    assert r.status_code == 200
    assert [a["unit"]["code"] for a in r.json()["items"]] == ["xa-1"]
    token.refresh_from_db()
    assert token.last_used is not None


@pytest.mark.django_db
def test_it_refuses_a_request_without_a_token(client, people):
    r = get(client, None)
    assert_error(r, 401, "unauthenticated")
    assert r["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_it_refuses_a_wrong_token(client, people):
    ApiToken.issue(people.officer, "x")
    for header in ("Bearer pix_wrong", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"):
        assert_error(get(client, header), 401, "unauthenticated")


@pytest.mark.django_db
def test_it_refuses_a_revoked_token(client, people):
    token, secret = ApiToken.issue(people.officer, "x")
    assert get(client, f"Bearer {secret}").status_code == 200
    client.force_login(people.officer)
    client.post(f"/api/tokens/{token.pk}/revoke")
    client.logout()
    assert_error(get(client, f"Bearer {secret}"), 401, "unauthenticated")


@pytest.mark.django_db
def test_it_refuses_the_token_of_a_deactivated_user(client, people):
    _token, secret = ApiToken.issue(people.officer, "x")
    people.officer.is_active = False
    people.officer.save()
    assert_error(get(client, f"Bearer {secret}"), 401, "unauthenticated")


@pytest.mark.django_db
def test_a_browser_session_is_not_a_token(client, people):
    client.force_login(people.officer)
    assert_error(get(client, None), 401, "unauthenticated")


@pytest.mark.django_db
def test_public_endpoints_need_no_token(client, db):
    assert client.get("/api/cycles").status_code == 200
    assert client.get("/api/cycles", headers={"authorization": "Bearer wrong"}).status_code == 200
