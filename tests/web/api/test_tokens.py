"""/api/tokens/: a user creates (shown once, only a hash stored) and revokes their tokens."""

from __future__ import annotations

import hashlib

import pytest

from parindex_web.api.models import ApiToken
from parindex_web.audit.models import AuditRecord

URL = "/api/tokens/"


@pytest.mark.django_db
def test_it_shows_a_new_token_once_and_stores_only_its_hash(client, people, parse):
    client.force_login(people.officer)
    r = client.post(URL, {"name": "Phần mềm một cửa"})
    assert r.status_code == 201
    assert r["Cache-Control"] == "no-store"
    secret = parse(r.content).find("input", id="api-secret-value").attrs["value"]
    assert secret.startswith("pix_") and len(secret) > 40
    token = ApiToken.objects.get()
    assert token.user == people.officer
    assert token.name == "Phần mềm một cửa"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:8]
    assert secret not in {str(v) for v in ApiToken.objects.values_list(flat=False).get()}
    again = client.get(URL)
    assert secret.encode() not in again.content
    assert not parse(again.content).find_all("input", id="api-secret-value")
    assert AuditRecord.objects.filter(action="api_token.create", actor=people.officer).exists()


@pytest.mark.django_db
def test_it_lists_the_users_own_tokens(client, people, parse):
    ApiToken.issue(people.officer, "mine")
    ApiToken.issue(people.leader, "someone else's")
    client.force_login(people.officer)
    page = parse(client.get(URL).content)
    assert [th.text for th in page.find_all("th", scope="row")] == ["mine"]
    assert page.find("h1").text == "Khóa API"


@pytest.mark.django_db
def test_it_requires_a_name(client, people, parse, described):
    client.force_login(people.officer)
    r = client.post(URL, {"name": ""})
    assert r.status_code == 400
    assert not ApiToken.objects.exists()
    assert [e.attrs["name"] for e in described(parse(r.content))] == ["name"]


@pytest.mark.django_db
def test_it_revokes_a_token(client, people):
    token, _secret = ApiToken.issue(people.officer, "old")
    client.force_login(people.officer)
    r = client.post(f"/api/tokens/{token.pk}/revoke")
    assert r.status_code == 302 and r["Location"] == URL
    token.refresh_from_db()
    assert token.revoked is not None
    assert AuditRecord.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


@pytest.mark.django_db
def test_it_does_not_revoke_another_users_token(client, people):
    token, _secret = ApiToken.issue(people.leader, "theirs")
    client.force_login(people.officer)
    assert client.post(f"/api/tokens/{token.pk}/revoke").status_code == 404
    token.refresh_from_db()
    assert token.revoked is None


@pytest.mark.django_db
def test_it_sends_anonymous_users_to_log_in(client, people):
    token, _secret = ApiToken.issue(people.officer, "x")
    for r in (client.get(URL), client.post(URL, {"name": "x"})):
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    r = client.post(f"/api/tokens/{token.pk}/revoke")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_revoking_needs_a_post(client, people):
    token, _secret = ApiToken.issue(people.officer, "x")
    client.force_login(people.officer)
    assert client.get(f"/api/tokens/{token.pk}/revoke").status_code == 405
