"""Questionnaires written as XLSForm (https://xlsform.org/): the survey, choices and settings sheets.

:func:`read_xlsform` reads a workbook (path, bytes or stream) into a :class:`Form`:

* ``survey`` (required): ``type``, ``name`` (required columns), ``label`` and
  ``label::Language (code)`` columns, ``required``, ``constraint``, ``relevant`` and the extra
  column ``sipas_factor`` (the code of the factor a question feeds). Types: those of
  :data:`PLAIN_TYPES`, ``select_one LIST``, ``select_multiple LIST``, ``begin group`` /
  ``end group`` and ``begin repeat`` / ``end repeat`` (with a space or an underscore).
* ``choices`` (required once a question selects from a list): ``list_name``, ``name``, labels.
* ``settings`` (optional): its first row below the header, as a mapping.

Sheet names and the known columns are matched without case. Names are unique in the whole
form (an export's headers name questions by their last path segment). Each problem names the
sheet (in its message or column) and the row: all are reported at once, as a
:class:`~parindex.surveys.SurveyError`. ``constraint`` and ``relevant`` are kept as text,
read once by :mod:`parindex.surveys.expressions` (outside its subset, or naming no question of
the form: a problem); :func:`validate_xlsform` also runs pyxform, the reference converter.
Groups and repeats are kept as :attr:`Form.blocks`, the columns the core does not read as
:attr:`Question.other` (for :func:`~parindex.surveys.write_xlsform`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..archives import open_workbook, sheet_rows
from ..errors import Location, Problem
from ..inputs import Source, read_bytes
from .definitions import SurveyError, SurveyMethodology
from .expressions import ExpressionError, parse, references

__all__ = ["PLAIN_TYPES", "Choice", "Form", "Question", "read_xlsform", "validate_xlsform"]

PLAIN_TYPES = frozenset(
    {
        "text", "integer", "decimal", "note", "date", "time", "datetime", "calculate",
        "acknowledge", "range", "geopoint", "image", "audio", "file", "barcode",
        "start", "end", "today", "deviceid", "username", "phonenumber", "email", "audit",
    }
)  # fmt: skip
"""Question types taken as they are (those with answers checked: integer, decimal, text)."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_YES = frozenset({"yes", "true", "true()", "1"})
_NO = frozenset({"", "no", "false", "false()", "0"})
_BLOCKS = {"group", "repeat"}
_READ = frozenset({"type", "name", "label", "required", "constraint", "relevant", "sipas_factor"})


@dataclass(frozen=True)
class Choice:
    """One option of a choice list: its name (the value stored) and labels by language."""

    name: str
    labels: Mapping[str, str]


@dataclass(frozen=True)
class Question:
    """One question: ``kind`` is its type's first word (``select_one``, ``integer`` …);
    ``groups`` the names of the groups and repeats around it; ``labels`` by language (``""``
    for the plain ``label`` column)."""

    name: str
    kind: str
    row: int
    list_name: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    required: bool = False
    constraint: str = ""
    relevant: str = ""
    factor: str = ""
    groups: tuple[str, ...] = ()
    in_repeat: bool = False
    other: Mapping[str, str] = field(default_factory=dict)
    """The row's other non-empty cells (``hint``, ``appearance``, ``calculation`` …) by the
    header as written, kept for :func:`~parindex.surveys.write_xlsform`."""


@dataclass(frozen=True)
class Form:
    """A questionnaire: its questions in order, its choice lists and its settings."""

    file: str
    questions: tuple[Question, ...]
    choices: Mapping[str, tuple[Choice, ...]]
    settings: Mapping[str, str]
    blocks: tuple[Question, ...] = ()
    """The groups and repeats (``kind`` ``group`` or ``repeat``), in order."""

    def block(self, name: str) -> Question | None:
        """The group or repeat named ``name``, or ``None``."""
        return next((b for b in self.blocks if b.name == name), None)

    def question(self, name: str) -> Question | None:
        """The question named ``name``, or ``None``."""
        return next((q for q in self.questions if q.name == name), None)


class _Sheet:
    """One sheet's rows as mappings of lower-case column names, problems collected by row."""

    def __init__(self, title: str, rows: list[tuple[int, list[str]]], file: str) -> None:
        self.title, self.file = title, file
        rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
        self.header_row, header = rows[0] if rows else (1, [])
        self.header = [h.strip() for h in header]
        self.rows = [
            (
                n,
                {
                    h.lower(): (r[i].strip() if i < len(r) else "")
                    for i, h in enumerate(self.header)
                    if h
                },
            )
            for n, r in rows[1:]
        ]
        self.languages = {
            h.lower(): h[len("label::") :].strip()
            for h in self.header
            if h.lower().startswith("label::")
        }
        if any(h.lower() == "label" for h in self.header):
            self.languages["label"] = ""
        self.cased = {h.lower(): h for h in self.header if h}

    def other(self, record: Mapping[str, str]) -> dict[str, str]:
        """The record's non-empty cells of columns the core does not read, by header."""
        return {
            self.cased[key]: value
            for key, value in record.items()
            if value and key not in _READ and key not in self.languages
        }

    def at(self, row: int, column: str) -> Location:
        return Location(self.file, row=row, column=f"{self.title}.{column}")

    def missing(self, columns: tuple[str, ...]) -> list[Problem]:
        present = {h.lower() for h in self.header}
        return [
            Problem.of(
                "xlsform_column",
                Location(self.file, row=self.header_row),
                sheet=self.title,
                column=c,
            )
            for c in columns
            if c not in present
        ]

    def labels(self, record: Mapping[str, str]) -> dict[str, str]:
        return {
            language: record[key] for key, language in self.languages.items() if record.get(key)
        }


def _sheets(book: Any, file: str) -> dict[str, _Sheet]:
    titles = {sheet.title.strip().lower(): sheet for sheet in book.worksheets}
    return {
        name: _Sheet(name, sheet_rows(titles[name], file, error=SurveyError), file)
        for name in ("survey", "choices", "settings")
        if name in titles
    }


def read_xlsform(
    source: Source, file: str | None = None, methodology: SurveyMethodology | None = None
) -> Form:
    """The questionnaire in the XLSForm workbook ``source``; with ``methodology``, every
    ``sipas_factor`` must be one of its factors. Raises :class:`SurveyError` with every problem."""
    name = file if file is not None else str(source)
    book = open_workbook(source, name, read_only=True, error=SurveyError)
    try:
        sheets = _sheets(book, name)
    finally:
        book.close()
    if "survey" not in sheets:
        raise SurveyError(Problem.of("xlsform_sheet", Location(name), sheet="survey"))
    problems: list[Problem] = []
    choices = _choices(sheets.get("choices"), problems)
    questions = _questions(sheets["survey"], problems, methodology)
    lists = {q.list_name: q for q in questions if q.list_name}
    _check_expressions(questions, sheets["survey"], problems)
    if lists and "choices" not in sheets:
        problems.append(Problem.of("xlsform_sheet", Location(name), sheet="choices"))
    elif lists and choices is not None:
        for q in lists.values():
            if q.list_name not in choices:
                where = sheets["survey"].at(q.row, "type")
                problems.append(Problem.of("xlsform_list", where, list=q.list_name))
    if not problems and not any(q.kind not in _BLOCKS for q in questions):
        problems.append(Problem.of("xlsform_no_questions", Location(name, column="survey")))
    if problems:
        raise SurveyError(sorted(problems, key=_order))
    settings = sheets.get("settings")
    first = settings.rows[0][1] if settings is not None and settings.rows else {}
    assert choices is not None  # a missing column is a problem, raised above
    return Form(
        name,
        tuple(q for q in questions if q.kind not in _BLOCKS),
        choices,
        first,
        tuple(q for q in questions if q.kind in _BLOCKS),
    )


def _order(problem: Problem) -> tuple[str, int]:
    column = problem.location.column or ""
    return (column.partition(".")[0], problem.location.row or 0)


def _choices(sheet: _Sheet | None, problems: list[Problem]) -> dict[str, tuple[Choice, ...]] | None:
    """The choice lists; ``None`` when the sheet lacks a column (its lists are not known)."""
    if sheet is None:
        return {}
    missing = sheet.missing(("list_name", "name"))
    if missing:
        problems += missing
        return None
    lists: dict[str, list[Choice]] = {}
    first: dict[tuple[str, str], int] = {}
    for row, record in sheet.rows:
        list_name, value = record["list_name"], record["name"]
        if not value:
            problems.append(Problem.of("value_required", sheet.at(row, "name")))
            continue
        if (list_name, value) in first:
            where, earlier = sheet.at(row, "name"), first[(list_name, value)]
            problems.append(
                Problem.of("xlsform_choice_twice", where, name=value, list=list_name, first=earlier)
            )
            continue
        first[(list_name, value)] = row
        lists.setdefault(list_name, []).append(Choice(value, sheet.labels(record)))
    return {name: tuple(items) for name, items in lists.items()}


def _kind(text: str) -> tuple[str, str, str] | None:
    """(``kind``, list name, block) of a type: ``("select_one", "yn", "")``,
    ``("begin", "", "group")``; ``None`` for a type not known."""
    words = text.replace("begin_", "begin ").replace("end_", "end ").split()
    if len(words) == 2 and words[0] in ("select_one", "select_multiple"):
        return words[0], words[1], ""
    if len(words) == 2 and words[0] in ("begin", "end") and words[1] in _BLOCKS:
        return words[0], "", words[1]
    if len(words) == 1 and words[0] in PLAIN_TYPES:
        return words[0], "", ""
    return None


def _yes_no(value: str, where: Location, problems: list[Problem]) -> bool:
    if value.lower() in _YES:
        return True
    if value.lower() not in _NO:
        problems.append(Problem.of("xlsform_yes_no", where, value=value))
    return False


def _questions(
    sheet: _Sheet, problems: list[Problem], methodology: SurveyMethodology | None
) -> list[Question]:
    missing = sheet.missing(("type", "name"))
    if missing:
        problems += missing
        return []
    out: list[Question] = []
    stack: list[tuple[str, str, int]] = []  # (block, name, row)
    seen: dict[str, int] = {}
    for row, record in sheet.rows:
        kind = _kind(record["type"])
        if kind is None:
            problems.append(Problem.of("xlsform_type", sheet.at(row, "type"), value=record["type"]))
            continue
        word, list_name, block = kind
        if word == "end":
            if not stack or stack[-1][0] != block:
                problems.append(Problem.of("xlsform_unopened", sheet.at(row, "type"), kind=block))
            else:
                stack.pop()
            continue
        name = record["name"]
        if not _NAME.fullmatch(name):
            problems.append(Problem.of("xlsform_name", sheet.at(row, "name"), value=name))
        elif name in seen:
            problems.append(
                Problem.of("xlsform_name_twice", sheet.at(row, "name"), name=name, first=seen[name])
            )
        seen.setdefault(name, row)
        question = Question(
            name=name,
            kind=block or word,
            row=row,
            list_name=list_name,
            labels=sheet.labels(record),
            required=_yes_no(record.get("required", ""), sheet.at(row, "required"), problems),
            constraint=record.get("constraint", ""),
            relevant=record.get("relevant", ""),
            factor=record.get("sipas_factor", ""),
            groups=tuple(n for _b, n, _r in stack),
            in_repeat=any(b == "repeat" for b, _n, _r in stack),
            other=sheet.other(record),
        )
        _check_factor(question, sheet, problems, methodology)
        if word == "begin":
            stack.append((block, name, row))
        out.append(question)
    for block, _name, begun in stack:
        problems.append(
            Problem.of("xlsform_unclosed", sheet.at(begun, "type"), kind=block, row=begun)
        )
    return out


def _check_factor(
    q: Question, sheet: _Sheet, problems: list[Problem], methodology: SurveyMethodology | None
) -> None:
    if not q.factor:
        return
    where = sheet.at(q.row, "sipas_factor")
    if q.kind != "select_one" or q.in_repeat:
        problems.append(Problem.of("xlsform_factor_type", where))
    elif methodology is not None and methodology.factor(q.factor) is None:
        problems.append(
            Problem.of("xlsform_factor", where, value=q.factor, methodology=methodology.id)
        )


def _check_expressions(questions: list[Question], sheet: _Sheet, problems: list[Problem]) -> None:
    """Each ``relevant`` and ``constraint`` must be in the evaluator's subset and name only
    questions, groups or repeats of the form."""
    names = {q.name for q in questions}
    for q in questions:
        for column, text in (("relevant", q.relevant), ("constraint", q.constraint)):
            if not text:
                continue
            where = sheet.at(q.row, column)
            try:
                node = parse(text)
            except ExpressionError as exc:
                problems.append(Problem.of("xlsform_expression", where, expression=text, at=exc.at))
                continue
            problems += [
                Problem.of("xlsform_reference", where, name=name)
                for name in sorted(references(node) - names)
            ]


_PYXFORM_ROW = re.compile(r"\[row : (\d+)\]")


def validate_xlsform(
    source: Source, file: str | None = None, methodology: SurveyMethodology | None = None
) -> Form:
    """:func:`read_xlsform`, then pyxform's conversion to an XForm (without ODK Validate, which
    needs Java): its refusal is a ``xlsform_pyxform`` problem naming the row when it says one."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    name = file if file is not None else str(source)
    data = read_bytes(source, name, SurveyError)
    form = read_xlsform(data, name, methodology)
    try:
        convert(xlsform=io.BytesIO(data), file_type=".xlsx", validate=False)
    except PyXFormError as exc:
        reason = " ".join(str(exc).split())
        found = _PYXFORM_ROW.search(reason)
        where = Location(name, row=int(found.group(1)) if found else None)
        raise SurveyError(Problem.of("xlsform_pyxform", where, reason=reason)) from None
    return form
