"""Rate limits: per address without a token, per user with one; 429 with the API's error object
and Retry-After; rates from the settings ("off" for none); a wrong token counts as anonymous."""

from __future__ import annotations

import threading

import pytest
from ninja.conf import settings as ninja_settings

from parindex_web.api.models import ApiToken
from parindex_web.api.throttling import AnonThrottle, UserThrottle

from .conftest import assert_error

PUBLIC, PRIVATE = "/api/cycles", "/api/assessments"


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, moved by hand (seconds)."""
    now = [1_000_000.0]
    for cls in (AnonThrottle, UserThrottle):
        monkeypatch.setattr(cls, "timer", staticmethod(lambda: now[0]))
    return now


def bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


@pytest.mark.django_db
def test_an_anonymous_reader_gets_429_after_the_rate(client, settings, clock):
    settings.PARINDEX_API_ANON_RATE = "3/min"
    assert [client.get(PUBLIC).status_code for _ in range(3)] == [200, 200, 200]
    clock[0] += 20
    r = client.get(PUBLIC)
    error = assert_error(r, 429, "throttled")
    assert r["Retry-After"] == "40"  # the first request leaves the minute's window then
    assert "40" in error["message"]


@pytest.mark.django_db
def test_the_window_slides(client, settings, clock):
    settings.PARINDEX_API_ANON_RATE = "2/min"
    assert [client.get(PUBLIC).status_code for _ in range(3)] == [200, 200, 429]
    clock[0] += 60
    assert client.get(PUBLIC).status_code == 200


@pytest.mark.django_db
def test_each_address_has_its_own_count(client, settings, clock):
    settings.PARINDEX_API_ANON_RATE = "1/min"
    assert client.get(PUBLIC, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get(PUBLIC, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(PUBLIC, REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_reset_the_count(client, settings, clock):
    settings.PARINDEX_API_ANON_RATE = "1/min"
    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_address_it_adds_is_the_client(
    client, settings, clock, monkeypatch
):
    monkeypatch.setattr(ninja_settings, "NUM_PROXIES", 1)
    settings.PARINDEX_API_ANON_RATE = "1/min"
    # The proxy appends the address it saw; whatever the client sent before it is ignored.
    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.1").status_code == 200
    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="8.8.8.8, 10.0.0.1").status_code == 429
    assert client.get(PUBLIC, HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_a_token_user_is_counted_per_user_at_the_user_rate(client, settings, people, clock):
    settings.PARINDEX_API_ANON_RATE = "1/min"
    settings.PARINDEX_API_USER_RATE = "3/min"
    first = ApiToken.issue(people.officer, "one")[1]
    second = ApiToken.issue(people.officer, "two")[1]
    assert client.get(PRIVATE, headers=bearer(first)).status_code == 200
    assert client.get(PRIVATE, headers=bearer(second)).status_code == 200
    assert client.get(PRIVATE, headers=bearer(first)).status_code == 200
    # The user's three requests are spent, whichever token they came with.
    r = client.get(PRIVATE, headers=bearer(second))
    assert_error(r, 429, "throttled")
    assert int(r["Retry-After"]) == 60
    # Another user from the same address is not held back.
    other = ApiToken.issue(people.leader, "x")[1]
    assert client.get(PRIVATE, headers=bearer(other)).status_code == 200


@pytest.mark.django_db
def test_token_requests_do_not_use_up_the_anonymous_rate(client, settings, people, clock):
    settings.PARINDEX_API_ANON_RATE = "1/min"
    secret = ApiToken.issue(people.officer, "x")[1]
    for _ in range(3):
        assert client.get(PRIVATE, headers=bearer(secret)).status_code == 200
    assert client.get(PUBLIC).status_code == 200


@pytest.mark.django_db
def test_wrong_tokens_count_against_the_address(client, settings, people, clock):
    settings.PARINDEX_API_ANON_RATE = "2/min"
    wrong = bearer("pix_guess")
    assert_error(client.get(PRIVATE, headers=wrong), 401, "unauthenticated")
    assert_error(client.get(PRIVATE, headers=wrong), 401, "unauthenticated")
    r = client.get(PRIVATE, headers=wrong)
    assert_error(r, 429, "throttled")
    assert r["Retry-After"] == "60"
    # ... and a reader from that address is held back with them.
    assert client.get(PUBLIC).status_code == 429


@pytest.mark.django_db
def test_off_means_no_limit(client, settings):
    settings.PARINDEX_API_ANON_RATE = "off"
    assert {client.get(PUBLIC).status_code for _ in range(30)} == {200}


@pytest.mark.django_db
def test_the_default_rates_let_a_normal_client_through(client, settings):
    assert settings.PARINDEX_API_ANON_RATE == "120/min"
    assert settings.PARINDEX_API_USER_RATE == "600/min"
    assert {client.get(PUBLIC).status_code for _ in range(20)} == {200}


@pytest.mark.django_db
def test_the_message_follows_the_requested_language(client, settings):
    settings.PARINDEX_API_ANON_RATE = "1/hour"
    client.get(PUBLIC)
    vi = client.get(PUBLIC).json()["error"]["message"]
    en = client.get(PUBLIC, headers={"accept-language": "en"}).json()["error"]["message"]
    assert vi.startswith("Quá nhiều yêu cầu")
    assert en.startswith("Too many requests")


def test_one_throttle_keeps_each_threads_request_apart(rf, settings):
    """Server threads share one throttle object: a request in another thread must not change
    the key, history or wait of the request being refused in this one."""
    settings.PARINDEX_API_ANON_RATE = "2/min"
    throttle = AnonThrottle()
    clock = [1000.0]
    throttle.timer = lambda: clock[0]
    mine, theirs = rf.get(PUBLIC, REMOTE_ADDR="10.0.0.1"), rf.get(PUBLIC, REMOTE_ADDR="10.0.0.2")
    assert throttle.allow_request(mine)
    clock[0] += 30
    assert throttle.allow_request(mine)
    assert not throttle.allow_request(mine)
    answers = []
    other = threading.Thread(
        target=lambda: answers.append((throttle.allow_request(theirs), throttle.wait()))
    )
    other.start()
    other.join()
    assert answers == [(True, None)]  # their first request: nothing to wait for
    assert throttle.wait() == 30  # mine: the first of my two leaves the window in 30 s
