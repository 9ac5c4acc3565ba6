"""The core's input problems in the user's language: one message per problem kind.

The core (``parindex``) says what is wrong with a file in English, with a stable ``kind`` and
``detail`` on each :class:`parindex.Problem`; the uploads (external points, the self-assessment
workbook) show them through :func:`describe`, prefixed with the row and column when known, and read
them with :func:`upload_limits`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

import parindex

# kind -> message built from the problem's detail.
_MESSAGES: dict[str, Callable[[str], str]] = {
    "encoding": lambda d: (
        _("The file is not UTF-8 text (it looks like %(encoding)s); save it as UTF-8.")
        % {"encoding": d}
        if d
        else _("The file is not UTF-8 text; save the CSV as UTF-8.")
    ),
    "nul": lambda d: _("The file holds a NUL character; it is not a text file."),
    "csv": lambda d: _("The CSV file is malformed (a quote is not closed or misplaced)."),
    "field_too_long": lambda d: _("the value is longer than %(limit)s characters") % {"limit": d},
    "too_large": lambda d: _("The file is larger than %(limit)s MB.") % {"limit": d},
    "unreadable": lambda d: _("The file cannot be read."),
    "empty": lambda d: _("The file is empty; the first row must be unit,code,points."),
    "missing_columns": lambda d: (
        _("missing column(s) %(columns)s; the header must be unit,code,points.") % {"columns": d}
    ),
    "extra_cells": lambda d: _("the row has more than %(count)s cells") % {"count": d},
    "name": lambda d: _("contains the control character %(char)s") % {"char": d},
    "duplicate_column": lambda d: (
        _("the column “%(column)s” is given twice (columns %(first)s and %(second)s)")
        % dict(zip(("column", "first", "second"), d.rsplit(",", 2), strict=True))
    ),
    "workbook_empty": lambda d: _("The workbook has no worksheet."),
    "workbook_formula": lambda d: (
        _("sheet “%(sheet)s”, cell %(cell)s holds a formula; type the value itself")
        % dict(zip(("sheet", "cell"), d.rsplit("|", 1), strict=True))
    ),
    "archive_not_zip": lambda d: _("The workbook cannot be opened."),
    "workbook": lambda d: _("The workbook cannot be opened."),
    "workbook_xml": lambda d: _(
        "The workbook cannot be opened: its XML declares entities or refers to other files."
    ),
    "archive_expands": lambda d: (
        _("The file expands to more than %(limit)s MB when unpacked; it was not opened.")
        % {"limit": d}
    ),
    "archive_members": lambda d: (
        _("The file holds more than %(limit)s parts; it was not opened.") % {"limit": d}
    ),
    "archive_ratio": lambda d: (
        _("The file is compressed more than %(limit)s times; it was not opened.") % {"limit": d}
    ),
    # A unit's input against its rule's declared inputs (parindex.check_inputs).
    "input_missing": lambda d: _("enter a value"),
    "input_number": lambda d: _("enter a number"),
    "input_whole": lambda d: _("enter a whole number"),
    "input_below": lambda d: _("the value cannot be below %(limit)s") % {"limit": _number(d)},
    "input_above": lambda d: _("the value cannot be above %(limit)s") % {"limit": _number(d)},
    "input_choice": lambda d: _("choose one of: %(choices)s") % {"choices": d},
    "input_both_modes": lambda d: _(
        "enter either the percentage or the numbers achieved and planned, not both"
    ),
    "input_over_plan": lambda d: (
        _("the number achieved cannot be above the number planned (%(planned)s)")
        % {"planned": _number(d)}
    ),
    "input_unknown": lambda d: _("this criterion takes no input “%(name)s”") % {"name": d},
}


def _number(text: str) -> str:
    """A bound from the core (plain ``12.5``) as the site writes numbers (``12,5`` in Vietnamese)."""
    return number_format(parindex.parse_decimal(text))


def upload_limits(**limits: int) -> parindex.Limits:
    """The core's reading limits for an upload: ``PARINDEX_UPLOAD_MAX_EXPANDED_MB`` and ``limits``."""
    expanded = settings.PARINDEX_UPLOAD_MAX_EXPANDED_MB * 1024 * 1024
    return parindex.Limits(**{"max_expanded": expanded, **limits})


def describe(problem: parindex.Problem) -> str:
    """``problem`` as a translated message, with "Row R, column “C”: " when it has them."""
    build = _MESSAGES.get(problem.kind)
    message = build(problem.detail) if build is not None else problem.message
    where = problem.location
    if where.row is not None and where.column is not None:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": where.row,
            "column": where.column,
            "message": message,
        }
    if where.row is not None:
        return _("Row %(row)s: %(message)s") % {"row": where.row, "message": message}
    return message
