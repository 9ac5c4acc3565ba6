"""PARINDEX_SITE_URL and PARINDEX_REMINDER_DAYS as settings.py reads them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from fresh_settings import load


def test_the_defaults_suit_make_run(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    assert s["PARINDEX_SITE_URL"] == "http://localhost:8000"
    assert s["PARINDEX_REMINDER_DAYS"] == (7, 3, 1, -1)


def test_it_reads_the_site_address_and_a_schedule(monkeypatch, tmp_path):
    s = load(
        monkeypatch,
        tmp_path,
        PARINDEX_SITE_URL="https://chisocchc.example.gov.vn",
        PARINDEX_REMINDER_DAYS="1, 14, 0",
    )
    assert s["PARINDEX_SITE_URL"] == "https://chisocchc.example.gov.vn"
    assert s["PARINDEX_REMINDER_DAYS"] == (14, 1, 0)


@pytest.mark.parametrize("value", ["chiso.example.vn", "ftp://chiso.example.vn", "https://"])
def test_it_refuses_a_site_address_that_is_not_one(monkeypatch, tmp_path, value):
    with pytest.raises(ImproperlyConfigured, match="PARINDEX_SITE_URL"):
        load(monkeypatch, tmp_path, PARINDEX_SITE_URL=value)


@pytest.mark.parametrize(
    ("value", "message"),
    [("7,three", "'three' is not a whole number"), ("7,,1", "empty item"), ("400", "366 days")],
)
def test_it_refuses_a_bad_schedule_naming_the_item(monkeypatch, tmp_path, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(monkeypatch, tmp_path, PARINDEX_REMINDER_DAYS=value)
