import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_the_form_in_vietnamese(client, parse):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    page = parse(r.content)
    assert page.find("h1").text == "Đăng nhập"
    assert page.find("label", for_="id_username").text == "Tên đăng nhập"
    assert page.find("input", name="password").attrs["type"] == "password"


def test_it_shows_the_form_in_english(client, parse):
    page = parse(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content)
    assert page.find("h1").text == "Log in"


def test_it_logs_in(client, django_user_model):
    django_user_model.objects.create_user("alice", password="correct horse")
    r = client.post("/accounts/login/", {"username": "alice", "password": "correct horse"})
    assert r.status_code == 302
    assert r["Location"] == "/work/"


def test_it_rejects_a_wrong_password(client, parse, django_user_model):
    django_user_model.objects.create_user("alice", password="correct horse")
    r = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert r.status_code == 200
    assert "Vui lòng thử lại" in parse(r.content).find("p", role="alert").text


def test_it_logs_out_on_post(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("alice", password="x"))
    r = client.post("/accounts/logout/")
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_it_refuses_logout_by_get(client):
    assert client.get("/accounts/logout/").status_code == 405
