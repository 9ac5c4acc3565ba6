"""The version of parindex, for pages and their JSON twins."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["get_version"]

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


@cache
def get_version() -> str:
    """Returns the installed package version, else the one in a checkout's pyproject.toml."""
    try:
        return version("parindex")
    except PackageNotFoundError:
        pass
    try:
        with PYPROJECT.open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"
