"""Wrong passwords lock an account (and an address) for a while; the right one is then refused."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from parindex_web.audit.models import AuditRecord, verify

from .conftest import sign_in

pytestmark = pytest.mark.django_db

ADDR = {"REMOTE_ADDR": "10.1.1.1"}


@pytest.fixture(autouse=True)
def limits(settings):
    settings.PARINDEX_LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 3
    settings.PARINDEX_LOGIN_ADDRESS_FAILURE_LIMIT = 5


def fail(client, username, times, **extra):
    return [sign_in(client, username, "wrong", **{**ADDR, **extra}) for _ in range(times)]


def test_wrong_passwords_below_the_limit_only_show_the_form_error(client, officer):
    answers = fail(client, "canbo", 2)
    assert [r.status_code for r in answers] == [200, 200]
    assert sign_in(client, "canbo", **ADDR).status_code == 302


def test_it_locks_an_account_after_the_failure_limit(client, officer, parse):
    r = fail(client, "canbo", 3)[-1]
    assert r.status_code == 429
    page = parse(r.content)
    assert page.find("h1").text == "Đăng nhập đang bị tạm khóa"
    assert "30 phút" in page.find("p", role="alert").text
    assert "bộ phận thường trực" in r.content.decode()


def test_the_right_password_is_refused_while_locked(client, officer):
    fail(client, "canbo", 3)
    r = sign_in(client, "canbo", **ADDR)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_account_is_refused_from_another_address(client, officer):
    fail(client, "canbo", 3)
    assert sign_in(client, "canbo", REMOTE_ADDR="10.9.9.9").status_code == 429


def test_it_locks_an_address_after_its_own_limit_across_accounts(client, officer, appraiser):
    for name in ["a", "b", "c", "d", "e"]:  # five accounts, one wrong password each
        last = sign_in(client, name, "wrong", **ADDR)
    assert last.status_code == 429
    assert sign_in(client, "canbo", **ADDR).status_code == 429
    assert sign_in(client, "thamdinh", REMOTE_ADDR="10.2.2.2").status_code == 302


def test_a_successful_sign_in_clears_the_account_count(client, officer):
    fail(client, "canbo", 2)
    assert sign_in(client, "canbo", **ADDR).status_code == 302
    client.post("/accounts/logout/")
    assert [r.status_code for r in fail(client, "canbo", 2)] == [200, 200]


def test_another_accounts_sign_in_does_not_clear_the_count_from_the_same_address(
    client, officer, appraiser
):
    fail(client, "canbo", 2)
    assert sign_in(client, "thamdinh", **ADDR).status_code == 302  # the attacker's own account
    client.post("/accounts/logout/")
    assert fail(client, "canbo", 1)[-1].status_code == 429


def test_a_sign_in_clears_only_its_own_address_failures(client, officer):
    fail(client, "canbo", 2, REMOTE_ADDR="10.7.7.7")  # someone elsewhere
    assert sign_in(client, "canbo", **ADDR).status_code == 302
    client.post("/accounts/logout/")
    assert sign_in(client, "canbo", "wrong", **ADDR).status_code == 429


def test_a_lockout_is_audited_once_when_it_begins(client, officer):
    fail(client, "canbo", 4)  # the fourth is refused during the lockout: no new record
    records = list(AuditRecord.objects.filter(action="account.locked_out"))
    assert len(records) == 1
    assert records[0].object_id == str(officer.pk)
    assert records[0].actor_name == "system"
    assert "3 failed sign-ins for account canbo" in records[0].reason
    assert verify() == []


def test_an_address_lockout_is_audited_with_the_address(client, db):
    for name in ["a", "b", "c", "d", "e"]:
        sign_in(client, name, "wrong", **ADDR)
    (rec,) = AuditRecord.objects.filter(action="account.locked_out")
    assert "5 failed sign-ins from address 10.1.1.1" in rec.reason


def test_the_admin_sign_in_is_covered(client, staff):
    data = {"username": "quantri", "password": "wrong", "otp_token": "123456"}
    answers = [client.post("/admin/login/", data, **ADDR) for _ in range(3)]
    assert answers[-1].status_code == 429
    assert AccessAttempt.objects.get(username="quantri").failures_since_start == 3
