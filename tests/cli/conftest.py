"""Fixtures for the command-line tests: run ``parindex.cli.main`` in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.cli import main

from .helpers import BO_A, BO_B, METHODOLOGY_CSV, Run, RunCli, scores_csv, write


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


@pytest.fixture
def methodology(tmp_path: Path) -> Path:
    """The two-field interchange-CSV methodology of :data:`helpers.METHODOLOGY_CSV`."""
    return write(tmp_path, "method.csv", METHODOLOGY_CSV)


@pytest.fixture
def scores(tmp_path: Path) -> Path:
    """The worked example's scores file: units Bộ A and Bộ B."""
    return write(tmp_path, "scores.csv", scores_csv(BO_A + BO_B))
