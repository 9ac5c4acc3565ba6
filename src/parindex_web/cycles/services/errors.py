"""The cycle's refusals: every action refused by its rules raises a :class:`CycleError`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from ..models import Entry


class CycleError(Exception):
    """An action refused by the cycle's rules; the message is shown to the user.

    ``field`` names the input refused (a reason, the points, a comment, a deadline…) when the
    refusal is about one, so that a form shows it on that field; ``code`` says which refusal it
    is, for callers that act on it. ``problems`` is every (field, message) refused: this one
    alone unless a subclass found several.
    """

    def __init__(self, message: str, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.field, self.code = field, code
        self.problems: list[tuple[str | None, str]] = [(field, message)]


class Conflict(CycleError):
    """Someone saved the leaf first. Holds both versions (``entry`` theirs, ``mine``) so nothing
    is lost."""

    def __init__(self, entry: Entry, mine: Mapping[str, Any]) -> None:
        self.entry, self.mine = entry, mine
        super().__init__(
            _(
                "Someone else saved this criterion while you were editing it. Their version is "
                "shown; your input is kept below so you can apply it again."
            ),
            code="version_conflict",
        )


class InputRefused(CycleError):
    """A value the request may not hold, whatever the phase: an input the leaf's rule does not
    accept, points out of range, a missing reason, a document that is not the unit's. ``field``
    names it (or is None). The API answers 422, not 409 (docs/api.md).

    ``problems``: every (field, message) refused when the check found several (the rule's
    inputs); the message is then the first of them.
    """

    def __init__(
        self,
        message: str,
        field: str | None = None,
        code: str | None = None,
        problems: Iterable[tuple[str | None, str]] = (),
    ) -> None:
        super().__init__(message, field, code)
        self.problems = list(problems) or self.problems


class EvidenceRefused(CycleError):
    """An evidence file refused for what its bytes are (or its name): the API answers 422."""


class StaleList(CycleError):
    """The list a confirmation was given for has changed since the page was shown."""
