"""Calibration of design weights to known totals: post-stratification and raking.

With one variable, :func:`calibrate` post-stratifies: each respondent of category ``c`` gets
``w_i · T_c / Σ_{j ∈ c} w_j``, so the weights of each category add up to its known total
``T_c``. With several (dossiers per service, sex, age group …) it rakes (iterative proportional
fitting): it post-stratifies to each variable in turn, again and again, until every category's
weights are within ``tolerance`` (relative) of its total, or fails after ``max_iterations``
rounds: no silent result. A category with a known total and no respondent, or a respondent
whose category has no total, cannot be calibrated: each is a problem naming the variable and the
category. :func:`read_totals` reads the totals from a CSV file ``variable,category,total``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import numpy as np

from ..decimals import parse_decimal
from ..errors import Location, Problem
from ..inputs import Source, csv_records
from .definitions import SurveyError
from .estimation import Floats, Ints, codes

__all__ = ["TOTALS_COLUMNS", "calibrate", "read_totals"]

TOTALS_COLUMNS = ("variable", "category", "total")
"""The header of a totals file."""


def read_totals(source: Source, file: str | None = None) -> dict[str, dict[str, float]]:
    """The known totals in the CSV ``source`` (columns :data:`TOTALS_COLUMNS`, in any order;
    a total a number above 0; a variable and category given once), by variable and category."""
    name = file if file is not None else str(source)
    records = csv_records(source, name, error=SurveyError)
    if not records:
        raise SurveyError(Problem.of("empty", Location(name)))
    header_row, header = records[0]
    header = [h.strip().lower() for h in header]
    missing = [c for c in TOTALS_COLUMNS if c not in header]
    if missing:
        raise SurveyError(
            Problem.of(
                "missing_columns",
                Location(name, row=header_row),
                columns=", ".join(missing),
                header=",".join(TOTALS_COLUMNS),
            )
        )
    at = {c: header.index(c) for c in TOTALS_COLUMNS}
    totals: dict[str, dict[str, float]] = {}
    first: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    for row, cells in records[1:]:
        cells = [c.strip() for c in cells] + [""] * len(header)
        variable, category, total = (cells[at[c]] for c in TOTALS_COLUMNS)
        for column, value in (("variable", variable), ("category", category)):
            if not value:
                problems.append(Problem.of("value_required", Location(name, row, column)))
        if (variable, category) in first:
            where = Location(name, row, "category")
            problems.append(
                Problem.of(
                    "calibration_total_twice",
                    where,
                    variable=variable,
                    category=category,
                    first=first[(variable, category)],
                )
            )
            continue
        first[(variable, category)] = row
        number = _positive(total)
        if number is None:
            problems.append(
                Problem.of("calibration_total", Location(name, row, "total"), value=total)
            )
            continue
        totals.setdefault(variable, {})[category] = float(number)
    if problems:
        raise SurveyError(problems)
    if not totals:
        raise SurveyError(Problem.of("calibration_no_totals", Location(name)))
    return totals


def _positive(text: str) -> Decimal | None:
    try:
        value = parse_decimal(text)
    except ValueError:
        return None
    return value if value > 0 else None


def calibrate(
    weights: Sequence[float],
    margins: Mapping[str, Sequence[str]],
    known_totals: Mapping[str, Mapping[str, float]],
    *,
    tolerance: float = 1e-10,
    max_iterations: int = 100,
    file: str | Path = "totals",
) -> list[float]:
    """The ``weights`` calibrated so that, for each variable of ``known_totals``, the weights of
    the respondents in each category (``margins[variable][i]``, respondent ``i``'s) add up to
    its total. ``file`` names the totals in problems. See the module docstring."""
    name = str(file)
    if not known_totals:
        raise SurveyError(Problem.of("calibration_no_totals", Location(name)))
    problems: list[Problem] = []
    coded: list[tuple[Ints, Floats]] = []
    for variable, totals in known_totals.items():
        if variable not in margins:
            problems.append(Problem.of("calibration_variable", Location(name), variable=variable))
            continue
        categories, index = codes(margins[variable])
        for category in sorted(set(totals) - set(categories)):
            problems.append(
                Problem.of(
                    "calibration_empty_cell", Location(name), variable=variable, category=category
                )
            )
        for category in sorted(set(categories) - set(totals)):
            problems.append(
                Problem.of(
                    "calibration_no_total", Location(name), variable=variable, category=category
                )
            )
        target = np.array([float(totals.get(c, 0.0)) for c in categories], dtype=np.float64)
        coded.append((index, target))
    if problems:
        raise SurveyError(problems)
    w = np.array(weights, dtype=np.float64)
    gap = float("inf")
    for _round in range(max_iterations):
        for index, target in coded:
            achieved = np.bincount(index, weights=w, minlength=len(target))
            w = w * (target / achieved)[index]
        gap = max(
            float(np.max(np.abs(np.bincount(i, weights=w, minlength=len(t)) / t - 1)))
            for i, t in coded
        )
        if gap <= tolerance:
            return [float(x) for x in w]
    raise SurveyError(
        Problem.of(
            "calibration_diverged",
            Location(name),
            iterations=max_iterations,
            gap=f"{gap:.3g}",
            tolerance=f"{tolerance:.3g}",
        )
    )
