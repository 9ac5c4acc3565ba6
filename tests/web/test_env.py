import pytest
from django.core.exceptions import ImproperlyConfigured

from parindex_web.lib.env import envbool, envint, envlist, envstr

NAME = "PARINDEX_TEST_VARIABLE"

# (helper, raw value or None for unset, default, expected)
GOOD = [
    (envstr, None, "dflt", "dflt"),
    (envstr, "", "dflt", "dflt"),
    (envstr, "  ", "dflt", "dflt"),
    (envstr, " value ", "dflt", "value"),
    (envbool, None, True, True),
    (envbool, "", False, False),
    (envbool, "1", False, True),
    (envbool, "true", False, True),
    (envbool, "True", False, True),
    (envbool, "YES", False, True),
    (envbool, "on", False, True),
    (envbool, "0", True, False),
    (envbool, "false", True, False),
    (envbool, "False", True, False),
    (envbool, "no", True, False),
    (envbool, "Off", True, False),
    (envint, None, 25, 25),
    (envint, "587", 25, 587),
    (envint, " 0 ", 25, 0),
    (envint, "-1", 25, -1),
    (envlist, None, ["a"], ["a"]),
    (envlist, "", [], []),
    (envlist, "example.org", [], ["example.org"]),
    (envlist, "a.example, b.example ,c.example", [], ["a.example", "b.example", "c.example"]),
]

# (helper, raw value, default)
BAD = [
    (envbool, "maybe", True),
    (envbool, "2", True),
    (envbool, "y", False),
    (envbool, "tru", False),
    (envint, "abc", 0),
    (envint, "1.5", 0),
    (envint, "1e3", 0),
    (envint, "25 seconds", 0),
    (envlist, "a,,b", []),
    (envlist, "a,", []),
    (envlist, ",", []),
]


@pytest.mark.parametrize(("helper", "raw", "default", "expected"), GOOD)
def test_it_reads_a_good_value(monkeypatch, helper, raw, default, expected):
    if raw is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, raw)
    assert helper(NAME, default) == expected


@pytest.mark.parametrize(("helper", "raw", "default"), BAD)
def test_it_raises_on_a_bad_value(monkeypatch, helper, raw, default):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        helper(NAME, default)


def test_envlist_returns_a_copy_of_the_default(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    default = ["a"]
    envlist(NAME, default).append("b")
    assert default == ["a"]
