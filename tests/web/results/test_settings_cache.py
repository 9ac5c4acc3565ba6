"""Settings for publication day: the cache from the environment, WhiteNoise for static files."""

from fresh_settings import load


def test_it_caches_in_files_every_server_process_shares_by_default(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    cache = s["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert cache["LOCATION"] == str(s["VAR_DIR"] / "cache")
    assert cache["TIMEOUT"] == 300


def test_the_tests_keep_their_cache_in_memory():
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_gzip_and_conditional_get_come_from_django_in_the_right_order(monkeypatch, tmp_path):
    middleware = load(monkeypatch, tmp_path)["MIDDLEWARE"]
    gzip = middleware.index("django.middleware.gzip.GZipMiddleware")
    conditional = middleware.index("django.middleware.http.ConditionalGetMiddleware")
    # After WhiteNoise (static files are compressed once); ETags of the uncompressed bytes.
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip < conditional
    assert conditional < middleware.index("django.middleware.common.CommonMiddleware")


def test_it_reads_the_cache_from_the_environment(monkeypatch, tmp_path):
    s = load(
        monkeypatch,
        tmp_path,
        PARINDEX_CACHE_BACKEND="django.core.cache.backends.redis.RedisCache",
        PARINDEX_CACHE_LOCATION="redis://127.0.0.1:6379/1",
        PARINDEX_CACHE_TIMEOUT="900",
    )
    assert s["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "TIMEOUT": 900,
    }


def test_whitenoise_serves_static_files(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    middleware = s["MIDDLEWARE"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 1
    assert middleware[0] == "django.middleware.security.SecurityMiddleware"


def test_it_needs_no_collectstatic_in_development(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    assert s["WHITENOISE_USE_FINDERS"] is True


def test_it_serves_compressed_hashed_files_in_production(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path, PARINDEX_DEBUG="false", PARINDEX_SECRET_KEY="k" * 50)
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert s["WHITENOISE_USE_FINDERS"] is False
    assert s["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
