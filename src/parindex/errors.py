"""The core's own errors.

Every problem the core finds in its input is a :class:`ParindexError` (or a subclass) carrying
*where* it is: a file, a row (1-based, counting the header row as row 1), a column or field name,
and a node code. The shells (CLI, web) turn these into messages; the core never prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .messages import MESSAGES

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
    """One problem: a message, its location, its stable ``code`` and the ``params`` of its message.

    ``code`` names the kind of problem (``"encoding"``, ``"missing_columns"``, ``"unknown_unit"``
    …; see ``docs/errors.md``): the codes are stable, so the shells translate by them.
    ``params`` holds the values the message names (an encoding, a limit, a column), as text. Build
    a problem with :meth:`of`, which writes ``message`` from the table
    :data:`parindex.messages.MESSAGES`; :meth:`text` gives it in Vietnamese too.
    """

    message: str
    location: Location = Location()
    code: str = ""
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, code: str, where: Location = Location(), /, **params: object) -> Problem:
        """The problem ``code`` at ``where``, its message filled in from ``params``."""
        values = {name: str(value) for name, value in params.items()}
        return cls(MESSAGES[code].en.format(**values), where, code, values)

    def text(self, language: str = "en") -> str:
        """The message in ``language`` (``"en"`` or ``"vi"``) without the location."""
        template = MESSAGES.get(self.code)
        if template is None or language != "vi":
            return self.message
        return template.vi.format(**self.params)

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
