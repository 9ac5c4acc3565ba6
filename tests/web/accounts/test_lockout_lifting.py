"""The secretariat lifts lockouts of its units' people and appraisers; an admin lifts any."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt

from parindex_web.audit.models import AuditRecord, verify

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.PARINDEX_LOGIN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 2


def lock(client, username):
    for _ in range(2):
        r = sign_in(client, username, "wrong", REMOTE_ADDR="10.3.3.3")
    assert r.status_code == 429
    return AccessAttempt.objects.get(username=username)


def test_the_secretariat_sees_its_officers_lockout(client, secretariat, officer, parse):
    lock(client, "canbo")
    client.force_login(secretariat)
    r = client.get("/accounts/lockouts/")
    assert r.status_code == 200
    rows = parse(r.content).find_all("td")
    assert rows[0].text == "canbo"


def test_the_secretariat_lifts_an_appraisers_lockout_and_it_is_audited(
    client, secretariat, appraiser
):
    attempt = lock(client, "thamdinh")
    client.force_login(secretariat)
    r = client.post(f"/accounts/lockouts/{attempt.pk}/lift")
    assert r.status_code == 302
    assert not AccessAttempt.objects.filter(username="thamdinh").exists()
    (rec,) = AuditRecord.objects.filter(action="account.lockout_lifted")
    assert rec.actor_name == "thuky" and rec.object_id == str(appraiser.pk)
    assert "by the secretariat" in rec.reason
    assert verify() == []
    client.post("/accounts/logout/")
    assert sign_in(client, "thamdinh").status_code == 302


def test_another_bodys_secretariat_neither_sees_nor_lifts_it(
    client, other_secretariat, officer, parse
):
    attempt = lock(client, "canbo")
    client.force_login(other_secretariat)
    assert not parse(client.get("/accounts/lockouts/").content).find_all("td")
    assert client.post(f"/accounts/lockouts/{attempt.pk}/lift").status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_the_secretariat_cannot_lift_a_staff_lockout(client, secretariat, staff):
    attempt = lock(client, "quantri")
    client.force_login(secretariat)
    assert client.post(f"/accounts/lockouts/{attempt.pk}/lift").status_code == 404


def test_an_officer_is_refused_the_lockouts_page(client, officer, appraiser):
    attempt = lock(client, "thamdinh")
    client.force_login(officer)
    assert client.get("/accounts/lockouts/").status_code == 403
    assert client.post(f"/accounts/lockouts/{attempt.pk}/lift").status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_a_visitor_is_sent_to_sign_in(client):
    r = client.get("/accounts/lockouts/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_lifting_needs_a_post(client, secretariat, officer):
    attempt = lock(client, "canbo")
    client.force_login(secretariat)
    assert client.get(f"/accounts/lockouts/{attempt.pk}/lift").status_code == 405


def test_an_admin_lifts_a_lockout_in_the_admin_and_it_is_audited(client, staff, secretariat):
    attempt = lock(client, "thuky")
    client.force_login(staff)
    r = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not AccessAttempt.objects.exists()
    (rec,) = AuditRecord.objects.filter(action="account.lockout_lifted")
    assert rec.actor_name == "quantri" and "in the admin" in rec.reason


def test_an_admin_lifts_several_at_once_each_audited(client, staff, officer, appraiser):
    lock(client, "canbo")
    lock(client, "thamdinh")
    client.force_login(staff)
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    data = {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    assert client.post("/admin/axes/accessattempt/", data).status_code == 302
    assert AuditRecord.objects.filter(action="account.lockout_lifted").count() == 2


def test_the_menu_links_the_lockouts_page_for_the_secretariat_only(client, secretariat, officer):
    client.force_login(secretariat)
    assert 'href="/accounts/lockouts/"' in client.get("/accounts/otp/").content.decode()
    client.force_login(officer)
    html = client.get("/accounts/otp/").content.decode()
    assert 'href="/accounts/lockouts/"' not in html and 'href="/accounts/otp/"' in html
