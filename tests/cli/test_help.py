"""``--help`` on every command and subcommand, ``--version``, and the real entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import parindex

from .helpers import RunCli

COMMANDS = [
    [],
    ["methodology"],
    ["methodology", "validate"],
    ["methodology", "show"],
    ["methodology", "list"],
    ["compute"],
    ["services"],
    ["services", "indicators"],
    ["services", "catalogue"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "parindex")
def test_help_works_on_every_command(run: RunCli, command: list[str]) -> None:
    result = run(*command, "--help")

    assert result.code == 0
    assert result.err == ""
    assert result.out.startswith(f"usage: parindex {' '.join(command)}".rstrip())


def test_the_compute_help_documents_every_option(run: RunCli) -> None:
    out = run("compute", "--help").out

    for option in ("--out", "--format", "--places", "--bands", "--previous"):
        assert option in out
    assert "{csv,json,xlsx}" in out


def test_version(run: RunCli) -> None:
    result = run("--version")

    assert (result.code, result.out) == (0, f"parindex {parindex.__version__}\n")


@pytest.mark.parametrize(
    "command", [[], ["methodology"], ["frobnicate"]], ids=["nothing", "no subcommand", "unknown"]
)
def test_a_missing_or_unknown_command_is_a_usage_error(run: RunCli, command: list[str]) -> None:
    result = run(*command)

    assert result.code == 2
    assert "usage: parindex" in result.err


def test_the_installed_command_runs_in_a_fresh_process() -> None:
    src = Path(parindex.__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
    }
    script = shutil.which("parindex", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "parindex.cli"]

    done = subprocess.run(
        [*command, "--help"], capture_output=True, text=True, env=env, timeout=60, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: parindex")
    for name in ("methodology", "compute"):
        assert name in done.stdout
    assert done.stderr == ""
