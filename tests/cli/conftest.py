"""Fixtures for the command-line tests: run ``parindex.cli.main`` in-process, write inputs."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from parindex.cli import main

# A small interchange-CSV methodology: two fields, field 1 with two criteria (max 12 = 7 + 5),
# field 2 a leaf (max 88). Total 100, so the total index equals the total points.
METHODOLOGY_CSV = """\
code,parent,name,max_points,comment
1,,Công tác chỉ đạo,12,ignored
1.1,1,Kế hoạch,7,
1.2,1,Báo cáo,5,
2,,Hiện đại hoá,88,
"""


@dataclass(frozen=True)
class Run:
    """The outcome of one CLI run."""

    code: int
    out: str
    err: str


RunCli = Callable[..., Run]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run the CLI in-process; argparse's ``SystemExit`` becomes the exit code.

    Every run checks the CLI's promise never to show a traceback.
    """

    def _run(*args: str | Path) -> Run:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    return _run


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def scores_csv(rows: Sequence[tuple[str, str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "code", "points"])
    writer.writerows(rows)
    return out.getvalue()


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_nothing_written(folder: Path, before: set[str]) -> None:
    """No output file and no temporary file appeared in ``folder``."""
    assert {p.name for p in folder.iterdir()} == before


@pytest.fixture
def methodology(tmp_path: Path) -> Path:
    return write(tmp_path, "method.csv", METHODOLOGY_CSV)
