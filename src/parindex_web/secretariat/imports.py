"""Reading a file of survey, SIPAS and service-data points: ``unit,code,points``.

The file is CSV (UTF-8) or the first sheet of an XLSX workbook, read and checked by the core
(:func:`parindex.read_scores`); ``unit`` is the unit's code, ``code`` the leaf's code. Every row is
checked against the cycle before anything is saved, and every problem is reported with its row
(the header is row 1) and column, in the user's language (:mod:`parindex_web.lib.core_problems`).
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

MAX_BYTES = 10 * 1024 * 1024
MAX_PROBLEMS = 50

Points = dict[tuple[str, str], Decimal]


def read_points(upload: Any, cycle: Cycle) -> Points:
    """(unit code, leaf code) → points from the upload, all checked by the core's
    :func:`parindex.read_scores` (encodings, sizes, workbooks, names; each row against the
    cycle's units and its survey and data leaves); else a ValidationError listing every problem
    (up to 50) in the user's language. The file is read as one made for people (a filled-in
    :func:`template_csv`): a BOM is skipped and the quote :func:`parindex.csv_field` put before
    ``-x`` is removed. Columns other than ``unit``, ``code`` and ``points`` are ignored."""
    name = upload.name or ""
    if not name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    units = set(cycle.assessments.values_list("unit__code", flat=True))
    try:
        scores = parindex.read_scores(
            upload,
            cycle.core(),
            file=name,
            units=units,
            appraisal=False,
            limits=upload_limits(max_bytes=MAX_BYTES),
            people=True,
        )
    except parindex.InputError as exc:
        raise ValidationError([describe(p) for p in exc.problems[:MAX_PROBLEMS]]) from None
    return {
        (unit, code): points for unit, leaves in scores.items() for code, points in leaves.items()
    }


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
