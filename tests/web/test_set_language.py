from django.conf import settings


def test_it_sets_the_language_cookie_and_returns(client, parse):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = parse(client.get("/").content)
    assert page.find("html").attrs["lang"] == "en"


def test_it_ignores_an_unknown_language(client):
    r = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in r.cookies


def test_it_does_not_redirect_off_site(client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert r["Location"] == "/"
