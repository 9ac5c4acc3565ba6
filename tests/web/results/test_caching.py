"""Publication-day caching of the public pages and twins: cache, ETag / 304, gzip, headers."""

from __future__ import annotations

import gzip
import time

import pytest
from django.http import HttpResponse
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex_web.cycles import services
from parindex_web.results import caching

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


# --- the in-process tier in front of the shared cache -------------------------------------------


@pytest.fixture
def shared_reads(monkeypatch):
    """Counts reads of the shared cache (the tests' LocMemCache stands for the files)."""
    from django.core.cache.backends.locmem import LocMemCache

    reads = []
    get = LocMemCache.get

    def counted(self, key, default=None, version=None):
        reads.append(key)
        return get(self, key, default, version)

    monkeypatch.setattr(LocMemCache, "get", counted)
    return reads


def test_a_page_kept_in_the_process_is_served_without_reading_the_shared_cache(
    client, world, shared_reads, django_assert_num_queries
):
    url = f"/results/{world.c2025.pk}/"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    shared_reads.clear()
    with django_assert_num_queries(1):  # the publication counter, nothing else
        second = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert shared_reads == []
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Encoding"] == "gzip"
    assert len(caching.PROCESS) == 1


def test_another_process_reads_the_shared_copy_and_keeps_its_own(client, world, shared_reads):
    url = f"/results/{world.c2025.pk}.json"
    first = client.get(url)
    caching.PROCESS.clear()  # as a process that has not served it yet
    shared_reads.clear()
    second = client.get(url)
    assert shared_reads  # found in the shared cache, not rendered again
    assert second.content == first.content
    assert len(caching.PROCESS) == 1


def test_a_new_publication_is_served_at_once_over_the_kept_copy(client, world):
    url = f"/results/{world.c2025.pk}/"
    client.get(url)
    kept = client.get(url)
    assert "Đính chính số 2" not in kept.content.decode()
    services.publish(world.secretariat, world.c2025, reason="Đính chính số 2")
    after = client.get(url)
    assert "Đính chính số 2" in after.content.decode()
    assert after["ETag"] != kept["ETag"]


def test_gzip_and_plain_copies_are_kept_apart(client, world):
    url = f"/results/{world.c2025.pk}.csv"
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(url)
    assert zipped["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(zipped.content) == plain.content
    assert client.get(url).content == plain.content  # each from its own kept copy
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip").content == zipped.content
    assert len(caching.PROCESS) == 2


def test_a_kept_copy_carries_every_header_and_the_outer_middleware_adds_its_own(client, world):
    url = f"/results/{world.c2025.pk}.csv"
    first = client.get(url)
    second = client.get(url)
    for header in (
        "Content-Type",
        "Content-Disposition",
        "Access-Control-Allow-Origin",
        "Cache-Control",
        "Expires",
        "ETag",
        "Vary",
        "Content-Security-Policy",
        "X-Frame-Options",
    ):
        assert second[header] == first[header], header


def test_a_kept_copy_answers_if_none_match(client, world):
    url = f"/results/{world.c2025.pk}/"
    etag = client.get(url, HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert etag.startswith('W/"')  # made weak by gzip, as GZipMiddleware does
    r = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert r.status_code == 304
    assert r.content == b""


def test_a_kept_copy_is_not_served_after_its_shared_copy_expires(client, world, monkeypatch):
    url = f"/results/{world.c2025.pk}/"
    client.get(url)
    assert len(caching.PROCESS) == 1
    now = time.time()
    monkeypatch.setattr(caching.time, "time", lambda: now + caching.MAX_AGE + 1)
    key = next(iter(caching.PROCESS._kept))
    assert caching.PROCESS.get(key) is None
    assert len(caching.PROCESS) == 0


def test_signed_in_pages_and_404s_are_not_kept(client, world):
    client.get(f"/results/{world.draft.pk}/")
    client.force_login(world.secretariat)
    client.get(f"/results/{world.c2025.pk}/")
    assert len(caching.PROCESS) == 0


def _response(content=b"x" * 300, **headers):
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def test_only_what_the_shared_cache_keeps_and_varies_on_nothing_else_is_kept():
    assert caching._keepable(_response(Cache_Control="public, max-age=300"))
    assert caching._keepable(_response(Vary="Accept-Language"))
    assert not caching._keepable(_response(Vary="Cookie"))
    assert not caching._keepable(_response(Vary="*"))
    assert not caching._keepable(_response(Cache_Control="private, max-age=300"))
    assert not caching._keepable(_response(Cache_Control="no-store"))
    assert not caching._keepable(HttpResponse(status=404))
    with_cookie = _response()
    with_cookie.set_cookie("csrftoken", "x")
    assert not caching._keepable(with_cookie)


def test_the_process_tier_drops_the_least_recently_used_beyond_its_entries():
    tier = caching.ProcessTier(entries=2, size=10_000)
    for name in ("a", "b"):
        tier.put((name,), _response(name.encode() * 10))
    assert tier.get(("a",)) is not None  # a is now the most recently used
    tier.put(("c",), _response(b"c" * 10))
    assert tier.get(("b",)) is None
    assert tier.get(("a",)).content == b"a" * 10
    assert tier.get(("c",)).content == b"c" * 10
    assert len(tier) == 2


def test_the_process_tier_holds_at_most_its_bytes_and_never_one_larger_body():
    tier = caching.ProcessTier(entries=100, size=1_000)
    tier.put(("big",), _response(b"x" * 1_001))
    assert len(tier) == 0
    for i in range(5):
        tier.put((str(i),), _response(b"x" * 300))
    assert tier.bytes == 900
    assert [k for (k,) in tier._kept] == ["2", "3", "4"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(0, 7), st.integers(0, 400)),
        max_size=60,
    ),
    st.integers(1, 5),
    st.integers(1, 1_000),
)
def test_the_process_tier_stays_within_its_bounds_whatever_is_put_and_read(steps, entries, size):
    tier = caching.ProcessTier(entries=entries, size=size)
    model: dict[str, bytes] = {}  # what was last put under each key
    for put, key, length in steps:
        body = bytes([key]) * length
        if put:
            tier.put((str(key),), _response(body))
            model[str(key)] = body
            if length <= size:
                assert tier.get((str(key),)).content == body  # the newest fits, so is kept
        else:
            found = tier.get((str(key),))
            assert found is None or found.content == model[str(key)]
        assert len(tier) <= entries
        assert tier.bytes <= size
        assert tier.bytes == sum(len(k.content) for k in tier._kept.values())


def test_a_kept_copy_is_finished_only_by_the_middleware_the_settings_name(client, world, settings):
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "django.middleware.gzip.GZipMiddleware"
    ]
    url = f"/results/{world.c2025.pk}/"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    kept = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert len(caching.PROCESS) == 1
    for r in (first, kept):
        assert not r.has_header("Content-Encoding")
        assert r["ETag"].startswith('"')


def test_a_body_too_large_for_the_tier_takes_the_older_copy_of_its_key_away():
    tier = caching.ProcessTier(entries=10, size=100)
    tier.put(("k",), _response(b"old"))
    tier.put(("k",), _response(b"x" * 101))
    assert tier.get(("k",)) is None
    assert tier.bytes == 0
