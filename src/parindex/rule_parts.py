"""What a scoring rule declares as data: the inputs it reads, and its text for people.

Each rule (:mod:`parindex.rules`) declares its inputs (:class:`InputSpec`: name, kind, unit,
bounds, choices with their labels and points) and the ways they may be given (``modes``).
:func:`parindex.check_inputs` is the one check of a unit's input against those declarations;
the shells (forms, the workbook, the API, the demo data) build their fields, cells and values
from the same declarations and read people's words through :meth:`InputSpec.key_of` and
:meth:`InputSpec.label_of`, so that nothing outside the core needs to know a rule's kind.

Each rule also says how its points follow as :class:`Phrase` clauses (:meth:`Rule.text`): a code
per clause with its values, which the shells translate; :data:`RULE_TEXTS` is the English.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal, NamedTuple

from .decimals import ZERO

__all__ = ["RULE_TEXTS", "Choice", "InputSpec", "Phrase"]

_YES = {"yes", "y", "true", "1", "có", "co", "x", "đạt", "dat"}
_NO = {"no", "n", "false", "0", "không", "khong", "", "không đạt", "khong dat"}


InputKind = Literal["decimal", "whole", "choice", "yesno"]
InputUnit = Literal["%", "points", "count"]


class Choice(NamedTuple):
    """One allowed value of a ``choice`` or ``yesno`` input: the key stored, the label people
    read (as the methodology writes it; ``yes``/``no`` for yes/no, which the shells translate)
    and the points it gives (None when the points are not the choice's own)."""

    key: str
    label: str
    points: Decimal | None = None


def plain(value: Decimal) -> str:
    """A decimal as a file writes it: no exponent, no trailing zeros (0.50 → 0.5)."""
    return f"{value.normalize():f}"


def _comparable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def yes_no(raw: object) -> bool | None:
    """True for yes, False for no, None for anything else."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | Decimal) and raw in (0, 1):
        return bool(raw == 1)
    if isinstance(raw, str) and raw.strip().lower() in _YES | _NO:
        return raw.strip().lower() in _YES
    return None


@dataclass(frozen=True)
class InputSpec:
    """One input a rule reads: its name, kind, unit, bounds (inclusive) and choices.

    ``decimal`` and ``whole`` inputs are numbers (``whole``: digits only, no fraction) within
    [``minimum``, ``maximum``] (None: unbounded); ``choice`` is one of ``choices``, given by key
    or label; ``yesno`` is yes or no (có/không, đạt/không đạt, true/false, 1/0), its choices
    ``yes`` and ``no``.
    """

    name: str
    kind: InputKind
    unit: InputUnit | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[Choice, ...] = ()

    @property
    def numeric(self) -> bool:
        """Whether the input is a number (``decimal`` or ``whole``)."""
        return self.kind in ("decimal", "whole")

    def key_of(self, text: object) -> str | None:
        """The stored key of a choice or yes/no that ``text`` names, None if it names none (and
        for numbers). A choice is named by its key or label whatever the case, the Unicode form
        or the runs of spaces ("Ban hành kịp thời", "on_time"); yes/no by the words
        :func:`check_inputs` accepts (có, không, đạt, x, true, 1, …)."""
        if self.kind == "yesno":
            met = yes_no(text)
            return None if met is None else ("yes" if met else "no")
        wanted = _comparable(str(text))
        return next(
            (c.key for c in self.choices if wanted in (_comparable(c.key), _comparable(c.label))),
            None,
        )

    def label_of(self, key: object) -> str:
        """The label of the choice with ``key`` (``key`` itself as text if none has it)."""
        return next((c.label for c in self.choices if c.key == str(key)), str(key))


YES_NO_CHOICES = (Choice("yes", "yes"), Choice("no", "no"))


COUNTS = (
    InputSpec("achieved", "whole", "count", minimum=ZERO),
    InputSpec("planned", "whole", "count", minimum=Decimal(1)),
)


TextParam = Decimal | str | bool | None

# Each phrase code's English, the one line of :meth:`Rule.describe` (logs, the CLI, the API); the
# shells keep a message per code in their languages.
RULE_TEXTS: Mapping[str, str] = MappingProxyType(
    {
        "points": "points given directly",
        "yes_no": "yes: {yes}; no: {no}",
        "level": "{label}: {points}",
        "step": "{sign} {minimum} %: {points}",
        "proportional": "achieved / planned × max when {sign} {floor} %, else 0",
        "deduction": "{start} − {per} per item, not below {floor}",
    }
)


@dataclass(frozen=True)
class Phrase:
    """One clause of a rule's text for people (a rule's clauses read joined by " | ").

    ``code`` names the clause's message (:data:`RULE_TEXTS` has the English; the shells
    translate by the code); ``params`` are the message's values: numbers (``Decimal``, as the
    methodology writes them), the methodology's own words (``str``: a level's label, in the
    methodology's language), the sign of a bound (``bool``: True for "from", ≥; False for
    "above", >) and None for "the leaf's maximum".
    """

    code: str
    params: Mapping[str, TextParam] = field(default_factory=dict, hash=False)

    def english(self) -> str:
        """The clause in English, numbers as the file writes them."""

        def word(value: TextParam) -> str:
            if isinstance(value, bool):
                return "≥" if value else ">"
            if isinstance(value, Decimal):
                return plain(value)
            return "max" if value is None else value

        return RULE_TEXTS[self.code].format(**{k: word(v) for k, v in self.params.items()})


def english(phrases: tuple[Phrase, ...]) -> str:
    """A rule's clauses as one English line."""
    return " | ".join(phrase.english() for phrase in phrases)
