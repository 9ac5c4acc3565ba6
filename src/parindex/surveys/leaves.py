"""Survey figures into the points of a cycle's survey- and SIPAS-sourced leaves, as data.

Which figure feeds which leaf is written on the questionnaire's ``settings`` sheet, in the extra
column ``par_leaves`` (pyxform accepts it): pairs ``LEAF=ITEM`` separated by spaces, commas or
new lines, ``LEAF`` the code of a leaf of the PAR methodology whose source is ``survey`` or
``sipas``, ``ITEM`` a question's name, a factor's code or the overall index's code (the items of
:func:`~parindex.surveys.estimate_indices`)::

    par_leaves: "6.1.1=access 6.1.2=procedures 6.2=sipas"

The rule (the default, the only one so far): a unit's points on the leaf are the leaf's maximum
× the published share satisfied (the figure's estimate, per cent, / 100), rounded to the PAR
methodology's places with its rounding. Each row keeps the estimate, its interval and ``n`` for
the uncertainty analysis. A unit with no valid answer to the item (no estimate) or no response at
all gets no points but a problem; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..decimals import HUNDRED, quantize
from ..errors import Location, Problem
from ..model import Methodology, Source
from .definitions import SurveyError
from .indices import Figure
from .xlsform import Form

__all__ = [
    "LeafFill",
    "LeafPoints",
    "LeafSource",
    "leaf_points",
    "leaf_sources",
    "parse_leaf_sources",
]

#: The ``settings`` column that maps the form's figures to leaves.
COLUMN = "par_leaves"

_PAIR = re.compile(r"^([^=\s]+)=([^=\s]+)$")


@dataclass(frozen=True)
class LeafSource:
    """One leaf fed by one figure: ``points = maximum × share`` (``rule`` ``share``)."""

    leaf: str
    item: str
    rule: str = "share"


@dataclass(frozen=True)
class LeafPoints:
    """A unit's points on a leaf and the figure they come from (per cent, as published)."""

    unit: str
    leaf: str
    item: str
    points: Decimal
    estimate: Decimal
    ci_low: Decimal
    ci_high: Decimal
    n: int
    few: bool


@dataclass(frozen=True)
class LeafFill:
    """The points to write (by unit, then leaf in the mapping's order) and the problems of the
    pairs that give none (a leaf with no valid answers in a unit, a unit with no response)."""

    rows: tuple[LeafPoints, ...]
    problems: tuple[Problem, ...]


def parse_leaf_sources(text: str, file: str) -> tuple[LeafSource, ...]:
    """The pairs ``LEAF=ITEM`` of ``text`` (a ``par_leaves`` cell); :class:`SurveyError` names
    every malformed pair and every leaf given twice."""
    where = Location(file, column=f"settings.{COLUMN}")
    out: list[LeafSource] = []
    problems: list[Problem] = []
    for part in re.split(r"[\s,]+", text.strip()):
        if not part:
            continue
        found = _PAIR.match(part)
        if found is None:
            problems.append(Problem.of("survey_leaf_pair", where, value=part))
        elif any(s.leaf == found.group(1) for s in out):
            problems.append(Problem.of("survey_leaf_twice", where, leaf=found.group(1)))
        else:
            out.append(LeafSource(found.group(1), found.group(2)))
    if problems:
        raise SurveyError(problems)
    return tuple(out)


def leaf_sources(form: Form) -> tuple[LeafSource, ...]:
    """The questionnaire's ``par_leaves`` pairs (none when the column is absent or blank)."""
    return parse_leaf_sources(form.settings.get(COLUMN, ""), form.file)


def leaf_points(
    methodology: Methodology,
    figures: Sequence[Figure],
    sources: Sequence[LeafSource],
    units: Sequence[str],
    file: str = "",
) -> LeafFill:
    """Every unit's points on every leaf of ``sources`` from ``figures`` (those of
    :func:`~parindex.surveys.estimate_indices`). A pair naming no survey/SIPAS leaf of the
    methodology, or an item no figure has, is a :class:`SurveyError` (the mapping is wrong:
    nothing is filled); a unit of ``units`` without the figure, or whose figure has no
    estimate, is a problem of the :class:`LeafFill` and gets no row."""
    where = Location(file or None, column=f"settings.{COLUMN}")
    items = {f.item for f in figures}
    wrong: list[Problem] = []
    for s in sources:
        if not methodology.is_leaf(s.leaf):
            wrong.append(Problem.of("survey_leaf_unknown", where, leaf=s.leaf))
        elif methodology.source_of(s.leaf) not in {Source.SURVEY, Source.SIPAS}:
            wrong.append(Problem.of("survey_leaf_appraisal", where, leaf=s.leaf))
        if s.item not in items:
            wrong.append(Problem.of("survey_leaf_item", where, leaf=s.leaf, item=s.item))
    if wrong:
        raise SurveyError(wrong)
    by = {(f.unit, f.item): f for f in figures}
    rows: list[LeafPoints] = []
    problems: list[Problem] = []
    for unit in units:
        for s in sources:
            figure = by.get((unit, s.item))
            at = Location(file or None, code=s.leaf)
            if figure is None:
                problems.append(Problem.of("survey_leaf_no_unit", at, unit=unit, leaf=s.leaf))
            elif figure.estimate is None or figure.ci_low is None or figure.ci_high is None:
                problems.append(
                    Problem.of("survey_leaf_no_answers", at, unit=unit, leaf=s.leaf, item=s.item)
                )
            else:
                maximum = methodology.by_code[s.leaf].max_points
                points = quantize(
                    maximum * figure.estimate / HUNDRED, methodology.places, methodology.rounding
                )
                rows.append(
                    LeafPoints(
                        unit,
                        s.leaf,
                        s.item,
                        points,
                        figure.estimate,
                        figure.ci_low,
                        figure.ci_high,
                        figure.n,
                        figure.few,
                    )
                )
    return LeafFill(tuple(rows), tuple(problems))
