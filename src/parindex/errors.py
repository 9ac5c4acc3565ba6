"""The core's own errors.

Every problem the core finds in its input is a :class:`ParindexError` (or a subclass) carrying
*where* it is: a file, a row (1-based, counting the header row as row 1), a column or field name,
and a node code. The shells (CLI, web) turn these into messages; the core never prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["InputError", "Location", "MethodologyError", "ParindexError", "Problem"]


@dataclass(frozen=True)
class Location:
    """Where a problem is. Every part is optional; ``str()`` joins those present."""

    file: str | None = None
    row: int | None = None
    column: str | None = None
    code: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.code is not None:
            parts.append(f"node {self.code}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One problem: a message, its location and its kind.

    ``kind`` is a stable code for the shells to translate by (``"encoding"``, ``"csv"``,
    ``"field_too_long"``, ``"too_deep"``, ``"archive_expands"``, …; empty when none is needed)
    and ``detail`` the one value such a message needs (an encoding's name, a limit, a character).
    """

    message: str
    location: Location = Location()
    kind: str = ""
    detail: str = ""

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message


class ParindexError(Exception):
    """Base error of the core. Holds one or more :class:`Problem` objects."""

    def __init__(self, problems: Iterable[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            items = [Problem(problems)]
        elif isinstance(problems, Problem):
            items = [problems]
        else:
            items = list(problems)
        if not items:
            raise ValueError("a ParindexError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(items)
        super().__init__("\n".join(str(p) for p in self.problems))


class MethodologyError(ParindexError):
    """A methodology file or tree is malformed or does not validate."""


class InputError(ParindexError):
    """Unit input (scores, previous results, band specs, unit lists) is malformed."""
