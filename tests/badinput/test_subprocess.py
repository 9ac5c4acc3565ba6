"""A handful of the corpus's cases through a real ``parindex`` process: what reaches a terminal
is the one-line message and exit status 1 or 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .cases import CASES
from .points import GOOD, HEADER, Case

BY_NAME = {c.name: c for c in CASES}
RUNS = [
    ("invalid-utf8", ["compute", "example-commune", "{file}"]),
    ("xlsx-zip-bomb", ["compute", "example-commune", "{file}", "--format", "json"]),
    ("xlsx-dtd-billion-laughs", ["compute", "example-commune", "{file}"]),
    ("yaml-deep-10000", ["methodology", "validate", "{file}"]),
    ("yaml-billion-laughs", ["methodology", "show", "{file}"]),
    ("rule-json-deep-10000", ["compute", "{file}", "{good}"]),
    ("previous-json-deep", ["compute", "example-commune", "{good}", "--previous", "{file}"]),
]


@pytest.mark.parametrize(("name", "argv"), RUNS, ids=[name for name, _ in RUNS])
def test_a_real_process_prints_one_message_and_no_traceback(
    name: str, argv: list[str], case_path: Callable[[Case], Path], tmp_path: Path
) -> None:
    path = case_path(BY_NAME[name])
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    args = [a.format(file=path, good=good) for a in argv]
    done = subprocess.run(
        [sys.executable, "-m", "parindex.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (1, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.stderr.startswith("error: "), done.stderr[:500]
    assert str(path) in done.stderr.splitlines()[0]
    assert done.stdout == ""
