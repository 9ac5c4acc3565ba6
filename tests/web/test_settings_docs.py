"""Every environment variable that settings.py reads is documented in docs/settings.md."""

import ast
import re
from pathlib import Path

import parindex_web.settings

SETTINGS_PY = Path(parindex_web.settings.__file__)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
HELPERS = {"envstr", "envbool", "envint", "envlist"}


def variables_read() -> set[str]:
    tree = ast.parse(SETTINGS_PY.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in HELPERS
        ):
            first = node.args[0]
            assert isinstance(first, ast.Constant), "read variables by literal name"
            names.add(first.value)
    return names


def variables_documented() -> set[str]:
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", DOCS.read_text(encoding="utf-8"), re.M)
    return set(rows)


def test_settings_reads_the_environment_only_through_the_helpers():
    source = SETTINGS_PY.read_text(encoding="utf-8")
    for pattern in ("os.environ", "os.getenv", "getenv(", "dj_database_url.config"):
        assert pattern not in source


def test_settings_reads_variables():
    assert {"PARINDEX_DEBUG", "PARINDEX_SECRET_KEY", "DATABASE_URL"} <= variables_read()


def test_every_variable_read_is_documented():
    assert variables_read() - variables_documented() == set()


def test_every_documented_variable_is_read():
    assert variables_documented() - variables_read() == set()


def test_variables_are_prefixed():
    assert all(n.startswith("PARINDEX_") or n == "DATABASE_URL" for n in variables_read())
