"""A signed-in session ends after the idle time and, however active, after the absolute time."""

from __future__ import annotations

import time

import pytest

from parindex_web.accounts.middleware import LOGIN_AT, SEEN_AT

pytestmark = pytest.mark.django_db


def age(client, *, login_ago: int, seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[LOGIN_AT], session[SEEN_AT] = now - login_ago, now - seen_ago
    session.save()


def test_signing_in_starts_the_session_clock(client, officer):
    before = int(time.time())
    client.force_login(officer)
    assert client.session[LOGIN_AT] >= before and client.session[SEEN_AT] >= before


def test_an_idle_session_ends_after_the_idle_time(client, officer):
    client.force_login(officer)
    age(client, login_ago=31 * 60, seen_ago=31 * 60)
    r = client.get("/work/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=%2Fwork%2F&expired=idle"
    assert "_auth_user_id" not in client.session


def test_an_active_session_goes_on(client, officer):
    client.force_login(officer)
    age(client, login_ago=3 * 3600, seen_ago=29 * 60)
    assert client.get("/work/").status_code == 200


def test_a_session_ends_after_the_absolute_time_however_active(client, officer):
    client.force_login(officer)
    age(client, login_ago=12 * 3600 + 1, seen_ago=10)
    r = client.get("/work/")
    assert r["Location"].endswith("expired=absolute")
    assert "_auth_user_id" not in client.session


def test_the_times_are_settings(client, settings, officer):
    settings.PARINDEX_SESSION_IDLE_MINUTES = 5
    client.force_login(officer)
    age(client, login_ago=6 * 60, seen_ago=6 * 60)
    assert client.get("/work/")["Location"].endswith("expired=idle")


def test_the_last_request_time_is_written_at_most_once_a_minute(client, officer):
    client.force_login(officer)
    age(client, login_ago=100, seen_ago=30)
    seen = client.session[SEEN_AT]
    client.get("/work/")
    assert client.session[SEEN_AT] == seen
    age(client, login_ago=100, seen_ago=61)
    client.get("/work/")
    assert client.session[SEEN_AT] >= int(time.time()) - 1


def test_a_post_after_expiry_is_sent_to_sign_in_without_next(client, officer):
    client.force_login(officer)
    age(client, login_ago=31 * 60, seen_ago=31 * 60)
    r = client.post("/accounts/otp/remove")
    assert r["Location"] == "/accounts/login/?expired=idle"


@pytest.mark.parametrize(
    ("why", "text"),
    [
        ("idle", "Phiên làm việc đã kết thúc sau 30 phút không hoạt động"),
        ("absolute", "Phiên làm việc đã kết thúc sau 12 giờ kể từ khi đăng nhập"),
    ],
)
def test_the_login_page_says_the_session_expired(client, parse, why, text):
    page = parse(client.get(f"/accounts/login/?expired={why}").content)
    assert text in page.find("p", role="status").text


def test_the_session_cookie_lasts_no_longer_than_the_absolute_time(settings):
    assert settings.SESSION_COOKIE_AGE == settings.PARINDEX_SESSION_MAX_HOURS * 3600


def test_a_visitor_without_a_session_cookie_leaves_the_session_untouched(client):
    r = client.get("/results.json")
    assert "Cookie" not in r.get("Vary", "")
