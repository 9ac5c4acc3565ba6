"""Tokens expire PARINDEX_API_TOKEN_DAYS days after they are created: the API refuses an
expired one with 401 ``token_expired``; the token page shows each token's expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parindex_web.api.models import ApiToken

from .conftest import assert_error

URL, PAGE = "/api/assessments", "/api/tokens/"


def get(client, secret: str):
    return client.get(URL, headers={"authorization": f"Bearer {secret}"})


def expire(token: ApiToken, ago: timedelta = timedelta(seconds=1)) -> None:
    token.expires = timezone.now() - ago
    token.save(update_fields=["expires"])


@pytest.mark.django_db
def test_a_new_token_expires_after_the_configured_days(people, settings):
    settings.PARINDEX_API_TOKEN_DAYS = 30
    before = timezone.now()
    token, _secret = ApiToken.issue(people.officer, "x")
    assert before + timedelta(days=30) <= token.expires <= timezone.now() + timedelta(days=30)


@pytest.mark.django_db
def test_the_default_lifetime_is_ninety_days(people, settings):
    assert settings.PARINDEX_API_TOKEN_DAYS == 90
    token, _secret = ApiToken.issue(people.officer, "x")
    assert token.expires - token.created == pytest.approx(timedelta(days=90), abs=timedelta(1))


@pytest.mark.django_db
def test_a_token_works_until_it_expires(client, people, cycle):
    token, secret = ApiToken.issue(people.officer, "x")
    token.expires = timezone.now() + timedelta(minutes=1)
    token.save(update_fields=["expires"])
    assert get(client, secret).status_code == 200


@pytest.mark.django_db
def test_an_expired_token_is_refused_saying_it_expired(client, people, cycle):
    token, secret = ApiToken.issue(people.officer, "x")
    expire(token)
    r = get(client, secret)
    error = assert_error(r, 401, "token_expired")
    assert "hết hạn" in error["message"] and "/api/tokens/" in error["message"]
    assert 'error="invalid_token"' in r["WWW-Authenticate"]
    english = client.get(
        URL, headers={"authorization": f"Bearer {secret}", "accept-language": "en"}
    )
    assert "expired" in english.json()["error"]["message"]
    token.refresh_from_db()
    assert token.last_used is None  # an expired token is not recorded as used


@pytest.mark.django_db
def test_a_wrong_token_is_still_unauthenticated_not_expired(client, people):
    token, _secret = ApiToken.issue(people.officer, "x")
    expire(token)
    assert_error(get(client, "pix_wrong"), 401, "unauthenticated")


@pytest.mark.django_db
def test_the_token_page_shows_each_tokens_expiry(client, people, parse):
    active, _ = ApiToken.issue(people.officer, "active")
    active.expires = timezone.make_aware(timezone.datetime(2027, 2, 24, 12))
    active.save(update_fields=["expires"])
    old, _ = ApiToken.issue(people.officer, "old")
    expire(old, timedelta(days=3))
    client.force_login(people.officer)
    page = parse(client.get(PAGE).content)
    heads = [th.text for th in page.find_all("th", scope="col")]
    assert "Hết hạn" in heads
    expiries = [c.text for c in page.find_all("td", **{"data-label": "Hết hạn"})]
    assert len(expiries) == 2 and "24/02/2027" in expiries
    statuses = [c.text for c in page.find_all("td", **{"data-label": "Trạng thái"})]
    assert statuses.count("Đã hết hạn") == 1
    # Only the active token can be revoked.
    assert len(page.find_all("button", **{"class": "api-revoke"})) == 1
    assert "90 ngày" in page.find("p", **{"class": "lead"}).text


@pytest.mark.django_db
def test_the_user_still_revokes_an_active_token(client, people):
    token, secret = ApiToken.issue(people.officer, "x")
    client.force_login(people.officer)
    assert client.post(f"/api/tokens/{token.pk}/revoke").status_code == 302
    client.logout()
    assert_error(get(client, secret), 401, "unauthenticated")
