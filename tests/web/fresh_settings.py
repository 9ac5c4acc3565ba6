"""settings.py run afresh under a given environment (not the live settings of the test run)."""

import os
import runpy
from pathlib import Path

import parindex_web

SETTINGS = str(Path(parindex_web.__file__).with_name("settings.py"))


def load(monkeypatch, tmp_path, **env):
    """The settings module's names, with only ``env`` set among the PARINDEX_* variables and an
    SQLite database under ``tmp_path``."""
    for name in list(os.environ):
        if name.startswith("PARINDEX_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db' / 'test.sqlite3'}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS, run_name="settings_under_test")
