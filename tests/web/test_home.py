import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_it_renders_in_vietnamese_by_default(client, parse):
    r = client.get("/")
    assert r.status_code == 200
    assert r["Content-Language"] == "vi"
    page = parse(r.content)
    assert page.find("html").attrs["lang"] == "vi"
    assert page.find("a", class_="site-name").text == "parindex — Chỉ số CCHC"
    assert page.find("h1").text == "Đo lường kết quả cải cách hành chính"
    assert "Dịch vụ công trực tuyến" in page.find("main").text


def test_it_renders_in_english_for_accept_language_en(client, parse):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    page = parse(r.content)
    assert page.find("html").attrs["lang"] == "en"
    assert page.find("a", class_="site-name").text == "parindex — PAR Index"
    assert page.find("h1").text == "Measuring public administration reform"


def test_it_renders_in_english_with_the_language_cookie(client, parse):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = parse(client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content)
    assert page.find("html").attrs["lang"] == "en"


def test_it_falls_back_to_vietnamese_for_other_languages(client, parse):
    page = parse(client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content)
    assert page.find("html").attrs["lang"] == "vi"


def test_it_links_to_the_json_twin_and_not_to_the_admin_for_a_visitor(client, parse):
    page = parse(client.get("/").content)
    hrefs = {a.attrs.get("href") for a in page.find_all("a")}
    assert "/admin/" not in hrefs  # only those who can open it (tests/web/permissions/test_menu.py)
    assert "/index.json" in hrefs
    assert page.find("link", rel="alternate").attrs["href"] == "/index.json"


def test_it_offers_both_languages_in_the_switcher(client, parse):
    page = parse(client.get("/").content)
    form = page.find("form", class_="language-switcher")
    assert form.attrs["action"] == "/i18n/setlang/"
    buttons = page.find_all("button", name="language")
    assert [(b.attrs["value"], b.text, b.attrs["aria-pressed"]) for b in buttons] == [
        ("vi", "Tiếng Việt", "true"),
        ("en", "English", "false"),
    ]


def test_it_links_the_stylesheet(client, parse):
    page = parse(client.get("/").content)
    assert page.find("link", rel="stylesheet").attrs["href"] == "/static/parindex/site.css"


def test_it_shows_log_out_to_a_signed_in_user(client, parse, django_user_model):
    user = django_user_model.objects.create_user("alice", password="x")
    client.force_login(user)
    page = parse(client.get("/").content)
    assert page.find("form", action="/accounts/logout/").attrs["method"] == "post"
    assert "Đăng nhập" not in page.find("nav").text
