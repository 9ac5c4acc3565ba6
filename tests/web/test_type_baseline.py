"""mypy checks the core and the shell; the shell's baseline (modules not yet clean) is written down
in docs/deployment.md ("Type checking") with a reason for each, and nothing else is relaxed."""

import re
import tomllib
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, User

from parindex_web.lib.users import SignedInRequest, Visitor

REPO = Path(__file__).resolve().parents[2]
MYPY = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
DOCS = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")


def baseline() -> set[str]:
    return {
        module
        for override in MYPY["overrides"]
        if override.get("ignore_errors")
        for module in override["module"]
    }


def documented() -> set[str]:
    section = DOCS.split("## Type checking", 1)[1].split("\n## ", 1)[0]
    return {f"parindex_web.{m}" for m in re.findall(r"^\| `([a-z_.]+)` \| \d+ \|", section, re.M)}


def test_mypy_checks_the_core_and_the_shell_strictly():
    assert MYPY["strict"] is True
    assert set(MYPY["files"]) == {"src/parindex", "src/parindex_web"}
    assert "mypy_django_plugin.main" in MYPY["plugins"]


def test_every_module_of_the_baseline_is_documented_with_its_reason_and_no_other():
    assert baseline() == documented()


def test_the_baseline_names_modules_that_exist_in_the_shell():
    for module in baseline():
        path = REPO / "src" / (module.replace(".", "/") + ".py")
        assert path.is_file(), module


def test_only_the_baseline_ignores_errors_and_no_core_module_is_relaxed():
    for override in MYPY["overrides"]:
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        relaxed = {k for k in override if k not in ("module", "ignore_missing_imports")}
        if relaxed:
            assert all(m.startswith("parindex_web.") for m in modules), modules


def test_visitor_is_what_request_user_may_be():
    assert Visitor == User | AnonymousUser
    assert SignedInRequest.__annotations__["user"] in ("User", User)
