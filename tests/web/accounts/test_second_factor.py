"""Two-step sign-in (TOTP): required for the secretariat, appraisers and staff, offered to all.

These tests use the real check (the ``real_second_factor`` fixture) and codes computed from the
device's key, as the person's app would."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex_web.audit.models import AuditRecord

from .conftest import code_for, device_for, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_second_factor")]


def enter(client, code, next_url="/work/"):
    return client.post("/accounts/otp/verify/", {"code": code, "next": next_url})


@pytest.mark.parametrize("persona", ["secretariat", "appraiser", "staff"])
def test_a_required_role_without_a_device_is_sent_to_set_up(client, persona, request):
    user = request.getfixturevalue(persona)
    assert sign_in(client, user.username).status_code == 302
    for path in ["/work/", "/api/tokens/", "/admin/", "/"]:
        r = client.get(path)
        assert r.status_code == 302, path
        assert r["Location"].startswith("/accounts/otp/?next="), path


def test_an_officer_without_a_device_needs_no_code(client, officer):
    sign_in(client, "canbo")
    assert client.get("/work/").status_code == 200


def test_the_required_roles_come_from_the_setting(client, settings, officer):
    settings.PARINDEX_OTP_REQUIRED_ROLES = ["officer"]
    sign_in(client, "canbo")
    assert client.get("/work/")["Location"].startswith("/accounts/otp/")


def test_the_set_up_page_shows_an_inline_svg_qr_code_without_style_or_script(
    client, secretariat, parse
):
    sign_in(client, "thuky")
    r = client.get("/accounts/otp/")
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    html = r.content.decode()
    assert parse(html).find("svg").attrs["class"] == "otp-qr"
    assert "<script" not in html and "style=" not in html
    device = TOTPDevice.objects.get(user=secretariat, confirmed=False)
    shown = parse(html).find("code", id="otp-secret").text.replace(" ", "")
    assert device.config_url.split("secret=")[1].startswith(shown)


def test_set_up_confirmed_with_a_first_code_verifies_and_gives_backup_codes(
    client, secretariat, parse
):
    sign_in(client, "thuky")
    client.get("/accounts/otp/")
    device = TOTPDevice.objects.get(user=secretariat)
    r = client.post("/accounts/otp/", {"code": code_for(device), "next": "/work/"})
    assert r.status_code == 200
    codes = [c.text for c in parse(r.content).find_all("code")]
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/work/").status_code == 200
    assert AuditRecord.objects.filter(action="otp.device_added", actor_name="thuky").exists()


def test_a_wrong_first_code_does_not_set_up(client, secretariat):
    sign_in(client, "thuky")
    client.get("/accounts/otp/")
    device = TOTPDevice.objects.get(user=secretariat)
    r = client.post("/accounts/otp/", {"code": code_for(device, steps_ahead=5)})
    assert r.status_code == 400
    assert "Mã không đúng" in r.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/work/").status_code == 302


def test_a_person_with_a_device_enters_a_code_after_the_password(client, appraiser):
    device = device_for(appraiser)
    sign_in(client, "thamdinh")
    r = client.get("/work/")
    assert r["Location"] == "/accounts/otp/verify/?next=%2Fwork%2F"
    r = enter(client, code_for(device))
    assert r.status_code == 302 and r["Location"] == "/work/"
    assert client.get("/work/").status_code == 200


def test_an_officer_with_a_device_also_enters_a_code(client, officer):
    device = device_for(officer)
    sign_in(client, "canbo")
    assert client.get("/work/")["Location"].startswith("/accounts/otp/verify/")
    enter(client, code_for(device))
    assert client.get("/work/").status_code == 200


def test_a_wrong_code_is_refused(client, appraiser, parse):
    device = device_for(appraiser)
    sign_in(client, "thamdinh")
    r = enter(client, code_for(device, steps_ahead=5))
    assert r.status_code == 400
    page = parse(r.content)
    assert "Mã không đúng hoặc đã được dùng" in page.find("span", role="alert").text
    assert (
        page.find("input", name="code").attrs["aria-describedby"]
        == "id_code_helptext id_code_error"
    )
    assert client.get("/work/").status_code == 302


def test_a_used_code_is_refused_again(client, appraiser):
    device = device_for(appraiser)
    sign_in(client, "thamdinh")
    code = code_for(device)
    assert enter(client, code).status_code == 302
    client.post("/accounts/logout/")
    sign_in(client, "thamdinh")
    assert enter(client, code).status_code == 400
    assert client.get("/work/").status_code == 302


def test_wrong_codes_slow_down_the_next_tries(client, appraiser):
    device = device_for(appraiser)
    sign_in(client, "thamdinh")
    enter(client, "000000" if code_for(device) != "000000" else "111111")
    r = enter(client, code_for(device))  # right, but within the wait after a wrong one
    assert r.status_code == 400
    assert "Nhập sai mã quá nhiều lần" in r.content.decode()


def test_a_backup_code_works_once(client, appraiser):
    device_for(appraiser)
    from parindex_web.accounts.twofactor import new_backup_codes

    backup = new_backup_codes(appraiser)[0]
    sign_in(client, "thamdinh")
    assert enter(client, backup).status_code == 302
    client.post("/accounts/logout/")
    sign_in(client, "thamdinh")
    assert enter(client, backup).status_code == 400


def test_the_set_up_page_asks_for_a_code_first_when_a_device_exists(client, appraiser):
    device_for(appraiser)
    sign_in(client, "thamdinh")
    r = client.get("/accounts/otp/")
    assert r["Location"].startswith("/accounts/otp/verify/")
    assert client.post("/accounts/otp/remove")["Location"].startswith("/accounts/otp/verify/")
    assert TOTPDevice.objects.filter(user=appraiser).exists()


def test_an_officer_removes_the_app_from_a_verified_session_and_it_is_audited(client, officer):
    device = device_for(officer)
    sign_in(client, "canbo")
    enter(client, code_for(device))
    r = client.post("/accounts/otp/remove")
    assert r.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert AuditRecord.objects.filter(action="otp.device_removed", actor_name="canbo").exists()
    client.post("/accounts/logout/")
    sign_in(client, "canbo")
    assert client.get("/work/").status_code == 200


def test_removal_needs_a_post(client, officer):
    client.force_login(officer)
    assert client.get("/accounts/otp/remove").status_code == 405


def test_the_second_factor_pages_send_visitors_to_sign_in(client):
    for path in ["/accounts/otp/", "/accounts/otp/verify/"]:
        assert client.get(path)["Location"].startswith("/accounts/login/")


def test_next_is_kept_on_this_site(client, appraiser):
    device = device_for(appraiser)
    sign_in(client, "thamdinh")
    r = enter(client, code_for(device), next_url="https://evil.example/")
    assert r["Location"] == "/work/"


def test_the_admin_requires_a_verified_session(client, staff):
    device = device_for(staff)
    client.force_login(staff)
    assert client.get("/admin/")["Location"].startswith("/accounts/otp/verify/")
    enter(client, code_for(device))
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_itself_refuses_an_unverified_staff_member(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff
    staff.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    staff.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_the_admin_sign_in_asks_for_the_code_too(client, staff):
    device = device_for(staff)
    data = {"username": "quantri", "password": "correct horse battery", "next": "/admin/"}
    r = client.post("/admin/login/", data)
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    r = client.post(
        "/admin/login/", {**data, "otp_device": device.persistent_id, "otp_token": code_for(device)}
    )
    assert r.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_api_token_works_without_a_code(client, appraiser):
    from parindex_web.api.models import ApiToken

    device_for(appraiser)
    _token, secret = ApiToken.issue(appraiser, "script")
    r = client.get("/api/assessments", headers={"authorization": f"Bearer {secret}"})
    assert r.status_code == 200
    assert r.json()["items"] == []


def test_an_admin_removing_a_lost_phone_is_audited(client, staff, appraiser):
    device = device_for(appraiser)
    admin_device = device_for(staff)
    client.force_login(staff)
    enter(client, code_for(admin_device))
    r = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    (rec,) = AuditRecord.objects.filter(action="otp.device_removed")
    assert rec.actor_name == "quantri" and rec.object_id == str(appraiser.pk)
