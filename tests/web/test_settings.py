"""settings.py run afresh under a given environment (not the live settings of the test run)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from fresh_settings import load


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="PARINDEX_SECRET_KEY"):
        load(monkeypatch, tmp_path, PARINDEX_DEBUG="false")


def test_it_refuses_an_empty_secret_key_when_debug_is_off(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="PARINDEX_SECRET_KEY"):
        load(monkeypatch, tmp_path, PARINDEX_DEBUG="0", PARINDEX_SECRET_KEY="  ")


def test_it_uses_the_given_secret_key(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path, PARINDEX_DEBUG="off", PARINDEX_SECRET_KEY="s3cret" * 10)
    assert s["DEBUG"] is False
    assert s["SECRET_KEY"] == "s3cret" * 10


def test_it_defaults_to_debug_with_a_development_key(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    assert s["DEBUG"] is True
    assert s["SECRET_KEY"].startswith("django-insecure-")


def test_it_refuses_a_bad_debug_value(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="PARINDEX_DEBUG"):
        load(monkeypatch, tmp_path, PARINDEX_DEBUG="maybe")


def test_it_refuses_a_bad_database_url(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        load(monkeypatch, tmp_path, DATABASE_URL="nosuchdb://x")


def test_it_creates_the_folder_of_a_sqlite_database(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    assert s["DATABASES"]["default"]["NAME"] == str(tmp_path / "db" / "test.sqlite3")
    assert (tmp_path / "db").is_dir()


def test_it_reads_a_postgres_url(monkeypatch, tmp_path):
    url = "postgres://u:p@db.example:5432/parindex"
    s = load(monkeypatch, tmp_path, DATABASE_URL=url, PARINDEX_DB_CONN_MAX_AGE="60")
    db = s["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["NAME"], db["CONN_MAX_AGE"]) == (
        "django.db.backends.postgresql",
        "db.example",
        "parindex",
        60,
    )


def test_it_defaults_to_vietnamese_in_vietnam_time(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    assert s["LANGUAGE_CODE"] == "vi"
    assert [code for code, _name in s["LANGUAGES"]] == ["vi", "en"]
    assert s["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_the_project_apps_are_installed(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    assert set(s["PARINDEX_APPS"]) <= set(s["INSTALLED_APPS"])
    assert all(app.startswith("parindex_web.") for app in s["PARINDEX_APPS"])
