"""The core's input problems in the user's language: one message per problem kind.

The core (``parindex``) says what is wrong with a file in English, with a stable ``code`` and its
``params`` on each :class:`parindex.Problem` (``docs/errors.md``); the uploads (external points, the self-assessment
workbook) show them through :func:`describe`, prefixed with the row and column when known, and read
them with :func:`upload_limits`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

import parindex

Params = Mapping[str, str]

# code -> message built from the problem's params (the codes: docs/errors.md).
_MESSAGES: dict[str, Callable[[Params], str]] = {
    "encoding": lambda p: _("The file is not UTF-8 text; save the CSV as UTF-8."),
    "encoding_guess": lambda p: (
        _("The file is not UTF-8 text (it looks like %(encoding)s); save it as UTF-8.")
        % {"encoding": p["encoding"]}
    ),
    "nul": lambda p: _("The file holds a NUL character; it is not a text file."),
    "csv": lambda p: _("The CSV file is malformed (a quote is not closed or misplaced)."),
    "field_too_long": lambda p: (
        _("the value is longer than %(limit)s characters") % {"limit": p["limit"]}
    ),
    "cell_too_long": lambda p: (
        _("the value is longer than %(limit)s characters") % {"limit": p["limit"]}
    ),
    "too_large": lambda p: _("The file is larger than %(limit)s MB.") % {"limit": p["limit"]},
    "unreadable": lambda p: _("The file cannot be read."),
    "empty": lambda p: _("The file is empty; the first row must be unit,code,points."),
    "missing_columns": lambda p: (
        _("missing column(s) %(columns)s; the header must be unit,code,points.")
        % {"columns": p["columns"].replace(", ", ",")}
    ),
    "extra_cells": lambda p: _("the row has more than %(count)s cells") % {"count": p["count"]},
    "name_control": lambda p: _("contains the control character %(char)s") % {"char": p["char"]},
    "name_format": lambda p: (
        _("contains the invisible format character %(char)s") % {"char": p["char"]}
    ),
    "duplicate_column": lambda p: (
        _("the column “%(column)s” is given twice (columns %(first)s and %(second)s)") % p
    ),
    "workbook_empty": lambda p: _("The workbook has no worksheet."),
    "workbook_formula": lambda p: (
        _("sheet “%(sheet)s”, cell %(cell)s holds a formula; type the value itself") % p
    ),
    "archive_not_zip": lambda p: _("The workbook cannot be opened."),
    "workbook": lambda p: _("The workbook cannot be opened."),
    "workbook_xml": lambda p: _(
        "The workbook cannot be opened: its XML declares entities or refers to other files."
    ),
    "archive_expands": lambda p: (
        _("The file expands to more than %(limit)s MB when unpacked; it was not opened.")
        % {"limit": p["limit"]}
    ),
    "archive_members": lambda p: (
        _("The file holds more than %(limit)s parts; it was not opened.") % {"limit": p["limit"]}
    ),
    "archive_ratio": lambda p: (
        _("The file is compressed more than %(limit)s times; it was not opened.")
        % {"limit": p["limit"]}
    ),
    # A row of points against the cycle (parindex.read_scores).
    "unit_empty": lambda p: _("the unit is empty"),
    "unknown_unit": lambda p: _("unit “%(unit)s” is not in this cycle") % {"unit": p["unit"]},
    "unknown_code": lambda p: (
        _("“%(code)s” is not a criterion of the methodology") % {"code": p["code"]}
    ),
    "not_a_leaf": lambda p: (
        _("“%(code)s” is not a criterion of the methodology") % {"code": p["code"]}
    ),
    "appraisal_leaf": lambda p: (
        _("“%(code)s” is scored by appraisal, not from surveys or data") % {"code": p["code"]}
    ),
    "not_a_number": lambda p: _("“%(value)s” is not a number") % {"value": p["value"]},
    "points_outside": lambda p: (
        _("%(points)s is outside 0 to %(max)s") % {"points": p["points"], "max": p["max"]}
    ),
    "duplicate_row": lambda p: (
        _("“%(unit)s” and “%(code)s” are given twice (first in row %(first)s)") % p
    ),
    "no_rows": lambda p: _("The file has no rows of points."),
    # A questionnaire (XLSForm) read by parindex.surveys.read_xlsform / validate_xlsform.
    "value_required": lambda p: _("a value is required"),
    "xlsform_sheet": lambda p: _("The workbook has no sheet “%(sheet)s”.") % {"sheet": p["sheet"]},
    "xlsform_column": lambda p: (
        _("sheet “%(sheet)s” has no column “%(column)s”")
        % {"sheet": p["sheet"], "column": p["column"]}
    ),
    "xlsform_no_questions": lambda p: _("The survey sheet has no questions."),
    "xlsform_type": lambda p: (
        _(
            "“%(value)s” is not a question type the project knows (such as select_one LIST, integer, text)"
        )
        % {"value": p["value"]}
    ),
    "xlsform_name": lambda p: (
        _("“%(value)s” is not a name (a letter or _, then letters, digits, _ . -)")
        % {"value": p["value"]}
    ),
    "xlsform_name_twice": lambda p: (
        _("the name “%(name)s” is given twice (first in row %(first)s)")
        % {"name": p["name"], "first": p["first"]}
    ),
    "xlsform_list": lambda p: (
        _("the choice list “%(list)s” is not in the choices sheet") % {"list": p["list"]}
    ),
    "xlsform_choice_twice": lambda p: (
        _("the choice “%(name)s” is given twice in the list “%(list)s” (first in row %(first)s)")
        % {"name": p["name"], "list": p["list"], "first": p["first"]}
    ),
    "xlsform_yes_no": lambda p: _("“%(value)s” is not yes or no") % {"value": p["value"]},
    "xlsform_unclosed": lambda p: (
        _("the %(kind)s begun in row %(row)s is not ended") % {"kind": p["kind"], "row": p["row"]}
    ),
    "xlsform_unopened": lambda p: _("end %(kind)s without a begin %(kind)s") % {"kind": p["kind"]},
    "xlsform_factor": lambda p: (
        _("“%(value)s” is not a factor of the survey methodology “%(methodology)s”")
        % {"value": p["value"], "methodology": p["methodology"]}
    ),
    "xlsform_factor_type": lambda p: _(
        "only a select_one question outside repeats can feed a factor"
    ),
    "survey_leaf_pair": lambda p: (
        _(
            "“%(value)s” is not a pair LEAF=ITEM (a criterion's code, =, a question, factor or overall code)"
        )
        % {"value": p["value"]}
    ),
    "survey_leaf_twice": lambda p: _("the criterion %(leaf)s is given twice") % {"leaf": p["leaf"]},
    "survey_leaf_unknown": lambda p: (
        _("%(leaf)s is no sub-criterion of the cycle's methodology") % {"leaf": p["leaf"]}
    ),
    "survey_leaf_appraisal": lambda p: (
        _("%(leaf)s is scored by appraisal, not from surveys") % {"leaf": p["leaf"]}
    ),
    "survey_leaf_item": lambda p: (
        _("%(leaf)s: “%(item)s” is no question, factor or overall index the form estimates")
        % {"leaf": p["leaf"], "item": p["item"]}
    ),
    "survey_leaf_no_unit": lambda p: (
        _("%(unit)s / %(leaf)s: the unit has no response") % {"unit": p["unit"], "leaf": p["leaf"]}
    ),
    "survey_leaf_no_answers": lambda p: (
        _("%(unit)s / %(leaf)s: no valid answer to “%(item)s”")
        % {"unit": p["unit"], "leaf": p["leaf"], "item": p["item"]}
    ),
    "xlsform_pyxform": lambda p: (
        _("pyxform, the reference converter, refuses the form: %(reason)s")
        % {"reason": p["reason"]}
    ),
    "xlsform_no_factors": lambda p: _(
        "No question of the form has a sipas_factor; there is nothing to estimate."
    ),
    "xlsform_expression": lambda p: (
        _("“%(expression)s” is not an expression the project evaluates (at character %(at)s)")
        % {"expression": p["expression"], "at": p["at"]}
    ),
    "xlsform_reference": lambda p: (
        _("the expression reads “%(name)s”, which is no question of the form") % {"name": p["name"]}
    ),
    # Field data (parindex.surveys.read_responses) and calibration (parindex.surveys.calibrate).
    "response_choice": lambda p: (
        _("“%(value)s” is not a choice of the list “%(list)s”")
        % {"value": p["value"], "list": p["list"]}
    ),
    "response_flag": lambda p: (
        _("“%(value)s” in a column of one choice must be 1 or 0") % {"value": p["value"]}
    ),
    "response_integer": lambda p: _("“%(value)s” is not a whole number") % {"value": p["value"]},
    "response_decimal": lambda p: _("“%(value)s” is not a number") % {"value": p["value"]},
    "response_date": lambda p: (
        _("“%(value)s” is not a date written yyyy-mm-dd") % {"value": p["value"]}
    ),
    "response_required": lambda p: (
        _("the question “%(name)s” needs an answer") % {"name": p["name"]}
    ),
    "response_missing_column": lambda p: (
        _("the file has no column for the required question “%(name)s”") % {"name": p["name"]}
    ),
    "response_no_rows": lambda p: _("The file has no responses."),
    "response_duplicate": lambda p: (
        _("the submission “%(id)s” is given twice with different answers (first in row %(first)s)")
        % {"id": p["id"], "first": p["first"]}
    ),
    "response_weight": lambda p: (
        _("“%(value)s” is not a weight greater than 0") % {"value": p["value"]}
    ),
    "response_not_relevant": lambda p: (
        _(
            "the question “%(name)s” does not apply to this response (its relevant is false) "
            "and must be blank"
        )
        % {"name": p["name"]}
    ),
    "response_constraint": lambda p: (
        _("“%(value)s” does not satisfy the constraint %(constraint)s")
        % {"value": p["value"], "constraint": p["constraint"]}
    ),
    "response_option_column": lambda p: (
        _("the file has no column “%(column)s”") % {"column": p["column"]}
    ),
    "calibration_total": lambda p: (
        _("“%(value)s” is not a total greater than 0") % {"value": p["value"]}
    ),
    "calibration_total_twice": lambda p: (
        _("the total of “%(variable)s” = “%(category)s” is given twice (first in row %(first)s)")
        % {"variable": p["variable"], "category": p["category"], "first": p["first"]}
    ),
    "calibration_no_totals": lambda p: _("No known totals are given."),
    "calibration_variable": lambda p: (
        _("the responses have no column “%(variable)s” for its known totals")
        % {"variable": p["variable"]}
    ),
    "calibration_empty_cell": lambda p: (
        _("no respondent has “%(variable)s” = “%(category)s”, which has a known total")
        % {"variable": p["variable"], "category": p["category"]}
    ),
    "calibration_no_total": lambda p: (
        _("respondents have “%(variable)s” = “%(category)s”, which has no known total")
        % {"variable": p["variable"], "category": p["category"]}
    ),
    "calibration_diverged": lambda p: (
        _(
            "raking did not converge in %(iterations)s rounds (a margin is still %(gap)s off, "
            "relative; the tolerance is %(tolerance)s); check that the totals of every variable "
            "add up alike"
        )
        % {"iterations": p["iterations"], "gap": p["gap"], "tolerance": p["tolerance"]}
    ),
    # A unit's input against its rule's declared inputs (parindex.check_inputs): params detail.
    "input_missing": lambda p: _("enter a value"),
    "input_number": lambda p: _("enter a number"),
    "input_whole": lambda p: _("enter a whole number"),
    "input_below": lambda p: (
        _("the value cannot be below %(limit)s") % {"limit": _number(p["detail"])}
    ),
    "input_above": lambda p: (
        _("the value cannot be above %(limit)s") % {"limit": _number(p["detail"])}
    ),
    "input_choice": lambda p: _("choose one of: %(choices)s") % {"choices": p["detail"]},
    "input_both_modes": lambda p: _(
        "enter either the percentage or the numbers achieved and planned, not both"
    ),
    "input_over_plan": lambda p: (
        _("the number achieved cannot be above the number planned (%(planned)s)")
        % {"planned": _number(p["detail"])}
    ),
    "input_unknown": lambda p: (
        _("this criterion takes no input “%(name)s”") % {"name": p["detail"]}
    ),
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
    build = _MESSAGES.get(problem.code)
    message = build(problem.params) if build is not None else problem.message
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
