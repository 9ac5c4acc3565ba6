"""Django's password validators apply wherever a password is set (the admin's forms)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_refuses_a_common_password_for_a_new_user(admin_client, django_user_model):
    data = {
        "username": "moi",
        "password1": "12345678",
        "password2": "12345678",
        "usable_password": "true",
    }
    r = admin_client.post("/admin/auth/user/add/", data)
    assert r.status_code == 200
    assert not django_user_model.objects.filter(username="moi").exists()
    assert "quá phổ biến" in r.content.decode() or "too common" in r.content.decode()


def test_the_admin_refuses_a_short_password_on_change(admin_client, officer):
    data = {"password1": "abc", "password2": "abc", "usable_password": "true"}
    r = admin_client.post(f"/admin/auth/user/{officer.pk}/password/", data)
    assert r.status_code == 200
    officer.refresh_from_db()
    assert officer.check_password("correct horse battery")
