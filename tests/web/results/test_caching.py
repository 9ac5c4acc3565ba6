"""Publication-day caching of the public pages and twins: cache, ETag / 304, gzip, headers."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from parindex_web.cycles import services

pytestmark = pytest.mark.django_db

PAGES = ["", "components", "summary", "methodology"]


def urls(world):
    base = f"/results/{world.c2025.pk}"
    return [
        "/results/",
        "/results.json",
        "/results.csv",
        base + "/",
        base + ".json",
        base + ".csv",
        *(f"{base}/{p}{ext}" for p in PAGES[1:] for ext in ("", ".json", ".csv")),
    ]


def test_every_page_and_twin_is_public_and_cacheable(client, world):
    for url in urls(world):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r["Cache-Control"] == "public, max-age=300", url
        assert r["ETag"].startswith('"'), url


def test_a_second_request_is_served_from_the_cache(client, world, django_assert_num_queries):
    url = f"/results/{world.c2025.pk}/"
    first = client.get(url)
    with django_assert_num_queries(1):  # the publication count, part of the key
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_twin_is_served_from_the_cache_too(client, world, django_assert_num_queries):
    url = f"/results/{world.c2025.pk}/summary.json"
    client.get(url)
    with django_assert_num_queries(1):
        client.get(url)


def test_a_new_publication_changes_the_etag(client, world):
    url = f"/results/{world.c2025.pk}/"
    before = client.get(url)
    services.publish(world.secretariat, world.c2025, reason="Đính chính")
    after = client.get(url)
    assert after["ETag"] != before["ETag"]
    assert "Đính chính" in after.content.decode()


def test_a_new_publication_refreshes_the_list_of_cycles(client, world):
    marker = f'data-cycle="{world.draft.pk}"'
    assert marker not in client.get("/results/").content.decode()
    world.draft.phase = "finalised"
    world.draft.save()
    services.publish(world.secretariat, world.draft)
    assert marker in client.get("/results/").content.decode()


def test_if_none_match_gives_not_modified(client, world):
    url = f"/results/{world.c2025.pk}/"
    etag = client.get(url)["ETag"]
    r = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert r.status_code == 304
    assert r.content == b""
    assert r["ETag"] == etag
    assert r["Cache-Control"] == "public, max-age=300"


def test_if_none_match_with_another_etag_gives_the_page(client, world):
    r = client.get(f"/results/{world.c2025.pk}/", HTTP_IF_NONE_MATCH='"something-else"')
    assert r.status_code == 200


def test_it_compresses_with_gzip_when_the_client_accepts_it(client, world):
    url = f"/results/{world.c2025.pk}/"
    plain = client.get(url)
    r = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert r["Content-Encoding"] == "gzip"
    assert gzip.decompress(r.content) == plain.content
    assert "Accept-Encoding" in r["Vary"]
    assert r["ETag"] == "W/" + plain["ETag"]
    assert (
        client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=r["ETag"]).status_code
        == 304
    )


def test_it_compresses_twins_too(client, world):
    r = client.get(f"/results/{world.c2025.pk}.json", HTTP_ACCEPT_ENCODING="gzip")
    assert r["Content-Encoding"] == "gzip"
    assert gzip.decompress(r.content).startswith(b"{")


def test_pages_vary_with_language_and_cookies(client, world):
    r = client.get(f"/results/{world.c2025.pk}/")
    vary = {v.strip() for v in r["Vary"].split(",")}
    assert {"Accept-Language", "Cookie", "Accept-Encoding"} <= vary


def test_each_language_has_its_own_copy(client, world):
    url = f"/results/{world.c2025.pk}/"
    vi = client.get(url)
    client.cookies["django_language"] = "en"
    en = client.get(url)
    assert en["ETag"] != vi["ETag"]
    assert 'lang="en"' in en.content.decode()


def test_an_anonymous_page_holds_no_csrf_token_and_sets_no_cookie(client, world):
    r = client.get(f"/results/{world.c2025.pk}/")
    assert b"csrfmiddlewaretoken" not in r.content
    assert "csrftoken" not in r.cookies


def test_the_language_switcher_works_without_a_token(world):
    strict = Client(enforce_csrf_checks=True)
    page = f"/results/{world.c2025.pk}/"
    strict.get(page)
    r = strict.post("/i18n/setlang/", {"language": "en", "next": page})
    assert r.status_code == 302
    assert r.cookies["django_language"].value == "en"


def test_a_signed_in_user_gets_a_private_page_with_a_valid_token(world):
    user = Client(enforce_csrf_checks=True)
    user.force_login(world.secretariat)
    r = user.get(f"/results/{world.c2025.pk}/")
    assert r["Cache-Control"] == "private, max-age=300"
    assert r["ETag"].startswith('"')  # a hash of these very bytes, the user's token included
    html = r.content.decode()
    assert "parindex-csrf-token-placeholder" not in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    logout = user.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert logout.status_code == 302


def test_a_signed_in_user_does_not_get_the_anonymous_copy(client, world):
    url = f"/results/{world.c2025.pk}/"
    client.get(url)
    client.force_login(world.secretariat)
    assert b"csrfmiddlewaretoken" in client.get(url).content


def test_twins_can_be_read_by_scripts_on_other_sites(client, world):
    for suffix in (".json", ".csv"):
        r = client.get(f"/results/{world.c2025.pk}{suffix}")
        assert r["Access-Control-Allow-Origin"] == "*"


def test_twins_do_not_vary_with_cookies(client, world):
    r = client.get(f"/results/{world.c2025.pk}.json")
    assert "Cookie" not in r["Vary"]


def test_a_404_is_not_cached(client, world):
    url = f"/results/{world.draft.pk}/"
    assert client.get(url).status_code == 404
    world.draft.phase = "finalised"
    world.draft.save()
    services.publish(world.secretariat, world.draft)
    assert client.get(url).status_code == 200


def test_only_get_and_head_are_allowed(client, world):
    url = f"/results/{world.c2025.pk}/"
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200
