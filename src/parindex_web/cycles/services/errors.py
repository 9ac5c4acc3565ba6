"""The cycle's refusals: every action refused by its rules raises a :class:`CycleError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    Entry,
)


class CycleError(Exception):
    """An action refused by the cycle's rules; the message is shown to the user."""


class Conflict(CycleError):
    """Someone saved the leaf first. Holds both versions (``entry`` theirs, ``mine``) so nothing
    is lost."""

    def __init__(self, entry: Entry, mine: Mapping[str, Any]) -> None:
        self.entry, self.mine = entry, mine
        super().__init__(
            _(
                "Someone else saved this criterion while you were editing it. Their version is "
                "shown; your input is kept below so you can apply it again."
            )
        )


class InputRefused(CycleError):
    """A value the request may not hold, whatever the phase: an input the leaf's rule does not
    accept, points out of range, a missing reason, a document that is not the unit's. ``field``
    names it (or is None). The API answers 422, not 409 (docs/api.md)."""

    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        super().__init__(message)


class EvidenceRefused(CycleError):
    """An evidence file refused for what its bytes are (or its name): the API answers 422."""


class StaleList(CycleError):
    """The list a confirmation was given for has changed since the page was shown."""
