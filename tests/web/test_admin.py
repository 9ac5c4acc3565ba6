import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_visitors_to_the_admin_login(client):
    r = client.get("/admin/")
    assert r.status_code == 302
    assert r["Location"].startswith("/admin/login/")


def test_the_login_page_has_a_translated_header(client, parse):
    r = client.get("/admin/login/")
    assert r.status_code == 200
    page = parse(r.content)
    assert page.find("html").attrs["lang"] == "vi"
    assert "Quản trị parindex" in page.find("div", id="site-name").text


def test_the_login_page_in_english(client, parse):
    page = parse(client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content)
    assert "parindex administration" in page.find("div", id="site-name").text


def test_the_index_has_a_translated_title(admin_client, parse):
    page = parse(admin_client.get("/admin/").content)
    assert page.find("h1").text == "Quản trị Chỉ số CCHC"
