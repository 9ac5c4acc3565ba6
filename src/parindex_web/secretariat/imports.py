"""Reading a file of survey, SIPAS and service-data points: ``unit,code,points``.

The file is CSV (UTF-8) or the first sheet of an XLSX workbook; ``unit`` is the unit's code,
``code`` the leaf's code. Every row is checked against the cycle before anything is saved, and
every problem is reported with its row (the header is row 1) and column, in the user's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

import parindex
from parindex_web.cycles.models import Cycle

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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _xlsx_rows(upload: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ValidationError(_("The workbook cannot be opened.")) from None
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(value) for value in row]
    finally:
        book.close()


def _csv_rows(upload: IO[bytes]) -> Iterator[list[str]]:
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text; save the CSV as UTF-8.")) from None
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as exc:
        raise ValidationError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None


def read_table(upload: Any) -> list[tuple[int, dict[str, str]]]:
    """Rows as dicts of the three columns, with their row numbers; file-level problems raise."""
    name = (upload.name or "").lower()
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    if name.endswith((".xlsx", ".xlsm")):
        raw = list(_xlsx_rows(upload))
    elif name.endswith((".csv", ".txt")):
        raw = list(_csv_rows(upload))
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    rows = [(n, row) for n, row in enumerate(raw, start=1) if any(c.strip() for c in row)]
    if not rows:
        raise ValidationError(_("The file is empty; the first row must be unit,code,points."))
    header = [h.strip().lstrip("\ufeff").lower() for h in rows[0][1]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _("Row 1: missing column(s) %(columns)s; the header must be unit,code,points.")
            % {"columns": ", ".join(missing)}
        )
    where = {c: header.index(c) for c in COLUMNS}
    return [
        (n, {c: (row[i].strip() if i < len(row) else "") for c, i in where.items()})
        for n, row in rows[1:]
    ]


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


def template_csv(cycle: Cycle) -> str:
    """Every unit and survey/data leaf of the cycle with its current points: a file to fill in."""
    core = cycle.core()
    codes = [
        leaf.code
        for leaf in core.leaves
        if core.source_of(leaf.code) is not parindex.Source.APPRAISAL
    ]
    current = {
        (unit, code): points
        for unit, code, points in cycle.assessments.values_list(
            "unit__code", "entries__code", "entries__external_points"
        )
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for unit in sorted(cycle.assessments.values_list("unit__code", flat=True)):
        for code in codes:
            value = current.get((unit, code))
            writer.writerow([unit, code, "" if value is None else f"{value.normalize():f}"])
    return out.getvalue()
