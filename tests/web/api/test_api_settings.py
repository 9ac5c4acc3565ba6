"""The API's settings read afresh from the environment: token lifetime, rates, proxies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from fresh_settings import load


def test_the_defaults(monkeypatch, tmp_path):
    s = load(monkeypatch, tmp_path)
    assert s["PARINDEX_API_TOKEN_DAYS"] == 90
    assert s["PARINDEX_API_ANON_RATE"] == "120/min"
    assert s["PARINDEX_API_USER_RATE"] == "600/min"
    assert s["NINJA_NUM_PROXIES"] == 0


@pytest.mark.parametrize("rate", ["off", "10/s", "5/min", "1000/day", "30/5min", "2/hour"])
def test_it_reads_a_rate(monkeypatch, tmp_path, rate):
    s = load(monkeypatch, tmp_path, PARINDEX_API_ANON_RATE=rate, PARINDEX_API_USER_RATE=rate)
    assert s["PARINDEX_API_ANON_RATE"] == s["PARINDEX_API_USER_RATE"] == rate


@pytest.mark.parametrize("rate", ["lots", "120", "0/min", "120/fortnight", "10/0min", "-1/s"])
@pytest.mark.parametrize("name", ["PARINDEX_API_ANON_RATE", "PARINDEX_API_USER_RATE"])
def test_it_refuses_a_bad_rate(monkeypatch, tmp_path, name, rate):
    with pytest.raises(ImproperlyConfigured, match=name):
        load(monkeypatch, tmp_path, **{name: rate})


@pytest.mark.parametrize("days", ["0", "-5", "ninety"])
def test_it_refuses_a_bad_token_lifetime(monkeypatch, tmp_path, days):
    with pytest.raises(ImproperlyConfigured, match="PARINDEX_API_TOKEN_DAYS"):
        load(monkeypatch, tmp_path, PARINDEX_API_TOKEN_DAYS=days)


def test_it_reads_the_number_of_trusted_proxies(monkeypatch, tmp_path):
    assert load(monkeypatch, tmp_path, PARINDEX_API_PROXIES="1")["NINJA_NUM_PROXIES"] == 1
    with pytest.raises(ImproperlyConfigured, match="PARINDEX_API_PROXIES"):
        load(monkeypatch, tmp_path, PARINDEX_API_PROXIES="-1")
