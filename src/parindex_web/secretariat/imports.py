"""Reading a file of survey, SIPAS and service-data points: ``unit,code,points``.

The file is CSV (UTF-8) or the first sheet of an XLSX workbook, read by the core's one table
reader (:func:`parindex.read_table`); ``unit`` is the unit's code,
``code`` the leaf's code. Every row is checked against the cycle before anything is saved, and
every problem is reported with its row (the header is row 1) and column, in the user's language.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import parindex
from parindex_web.cycles.models import Cycle
from parindex_web.lib.core_problems import describe, upload_limits

COLUMNS = ("unit", "code", "points")
MAX_BYTES = 10 * 1024 * 1024
MAX_PROBLEMS = 50

Points = dict[tuple[str, str], Decimal]


def _problem(row: int, column: str, message: str) -> str:
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def read_table(upload: Any) -> list[tuple[int, dict[str, str]]]:
    """Rows as dicts of the columns, with their row numbers, read by the core's table reader
    (encodings, line ends, sizes, names and workbooks checked there); file-level problems and
    bad names raise, in the user's language. The file is read as one made for people (a filled-in
    :func:`template_csv`): a BOM is skipped and the quote :func:`parindex.csv_field` put before
    ``-x`` is removed. Columns other than :data:`COLUMNS` are ignored."""
    name = upload.name or ""
    if not name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    try:
        _header, rows = parindex.read_table(
            upload,
            COLUMNS,
            file=name,
            names=("unit", "code"),
            limits=upload_limits(max_bytes=MAX_BYTES),
            people=True,
        )
    except parindex.InputError as exc:
        raise ValidationError([describe(p) for p in exc.problems[:MAX_PROBLEMS]]) from None
    return rows


def _check_row(
    core: parindex.Methodology, units: set[str], rec: dict[str, str], number: int
) -> tuple[str, str, Decimal] | str:
    """The row's key and points, or the message of its first problem."""
    unit, code, text = rec["unit"], rec["code"], rec["points"]
    if not unit:
        return _problem(number, "unit", _("the unit is empty"))
    if unit not in units:
        return _problem(number, "unit", _("unit “%(unit)s” is not in this cycle") % {"unit": unit})
    if not core.is_leaf(code):
        return _problem(
            number, "code", _("“%(code)s” is not a criterion of the methodology") % {"code": code}
        )
    if core.source_of(code) is parindex.Source.APPRAISAL:
        return _problem(
            number,
            "code",
            _("“%(code)s” is scored by appraisal, not from surveys or data") % {"code": code},
        )
    try:
        points = parindex.parse_decimal(text)
    except ValueError:
        return _problem(number, "points", _("“%(value)s” is not a number") % {"value": text})
    maximum = core.by_code[code].max_points
    if not Decimal(0) <= points <= maximum:
        return _problem(
            number,
            "points",
            _("%(points)s is outside 0 to %(max)s")
            % {"points": text, "max": f"{maximum.normalize():f}"},
        )
    return unit, code, points


def read_points(upload: Any, cycle: Cycle) -> Points:
    """(unit code, leaf code) → points from the upload, all checked; else a ValidationError
    listing every problem (up to 50)."""
    core = cycle.core()
    units = set(cycle.assessments.values_list("unit__code", flat=True))
    points: Points = {}
    first: dict[tuple[str, str], int] = {}
    problems: list[str] = []
    for number, rec in read_table(upload):
        checked = _check_row(core, units, rec, number)
        if isinstance(checked, str):
            problems.append(checked)
            continue
        unit, code, value = checked
        if (unit, code) in first:
            message = _("“%(unit)s” and “%(code)s” are given twice (first in row %(first)s)")
            params = {"unit": unit, "code": code, "first": first[(unit, code)]}
            problems.append(_problem(number, "code", message % params))
            continue
        first[(unit, code)] = number
        points[(unit, code)] = value
    if problems:
        raise ValidationError(problems[:MAX_PROBLEMS])
    if not points:
        raise ValidationError(_("The file has no rows of points."))
    return points


TEMPLATE_COLUMNS = ("unit", "unit_name", "code", "criterion", "max_points", "points")
"""The template's columns: ``unit``, ``code`` and ``points`` are read back; ``unit_name``,
``criterion`` (the criterion's name) and ``max_points`` are there for the person filling it in
and are ignored by the import."""


def template_csv(cycle: Cycle) -> str:
    """Every unit and survey/data leaf of the cycle with its current points: a file to fill in.

    One row per unit (by code) and leaf (in methodology order), columns :data:`TEMPLATE_COLUMNS`.
    A file for people (opened in a spreadsheet): it starts with :data:`parindex.CSV_BOM` and
    every field goes through :func:`parindex.csv_row`; :func:`read_table` reads it back.
    """
    core = cycle.core()
    leaves = [
        leaf for leaf in core.leaves if core.source_of(leaf.code) is not parindex.Source.APPRAISAL
    ]
    current = {
        (unit, code): points
        for unit, code, points in cycle.assessments.values_list(
            "unit__code", "entries__code", "entries__external_points"
        )
    }
    units = sorted(cycle.assessments.values_list("unit__code", "unit__name"))
    out = io.StringIO()
    out.write(parindex.CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(parindex.csv_row(TEMPLATE_COLUMNS))
    for unit, unit_name in units:
        for leaf in leaves:
            value = current.get((unit, leaf.code))
            points = "" if value is None else f"{value.normalize():f}"
            maximum = f"{leaf.max_points.normalize():f}"
            row = [unit, unit_name, leaf.code, leaf.name, maximum, points]
            writer.writerow(parindex.csv_row(row))
    return out.getvalue()
