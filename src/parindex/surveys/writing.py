"""Workbooks written from a questionnaire: the XLSForm itself, and the template for paper forms.

:func:`write_xlsform` writes a :class:`~parindex.surveys.Form` back as an XLSForm workbook
(``survey``, ``choices`` and, when the form has settings, ``settings``) that
:func:`~parindex.surveys.read_xlsform` reads back to an equal form (the rows renumbered from 2,
with no blank rows; a choice's columns other than ``list_name``, ``name`` and labels are not
kept) and pyxform converts, to load into KoboToolbox or ODK.

:func:`response_template` writes the plain template a team keys paper forms into: one sheet
``phieu`` whose header row holds ``_uuid`` (the form's id, any text unique per form) and each
question outside repeats that takes an answer, by XML name; each header cell carries the
question's Vietnamese label (or its first) as a comment; each ``select_one`` column a drop-down
of its choices' names (data validation from the sheet ``lua_chon``); a sheet ``huong_dan``
lists every column with its label, type and choices. :func:`~parindex.surveys.read_responses`
reads the filled template as any export.

Every text is a string cell, never a formula (:func:`parindex.sheets.append_row`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from ..sheets import append_row, put_cell
from .xlsform import Form, Question

__all__ = ["ANSWERLESS", "TEMPLATE_ID", "response_template", "write_xlsform"]

ANSWERLESS = frozenset(
    {"note", "calculate", "start", "end", "today", "deviceid", "username", "audit"}
)
"""Types without a column in the template (no answer is keyed in, or the device writes it)."""

TEMPLATE_ID = "_uuid"
"""The template's submission-id column."""


def _languages(labels: Iterable[Mapping[str, str]]) -> list[str]:
    seen: dict[str, None] = {}
    for each in labels:
        for language in each:
            seen.setdefault(language)
    return list(seen)


def _label_column(language: str) -> str:
    return f"label::{language}" if language else "label"


def _type(q: Question) -> str:
    if q.kind in ("group", "repeat"):
        return f"begin {q.kind}"
    return f"{q.kind} {q.list_name}" if q.list_name else q.kind


def _saved(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsform(form: Form) -> bytes:
    """The XLSForm workbook of ``form``, as ``.xlsx`` bytes (see the module docstring)."""
    from openpyxl import Workbook

    items = sorted((*form.questions, *form.blocks), key=lambda q: q.row)
    languages = _languages(q.labels for q in items)
    others = list(_languages(q.other for q in items))
    header = ["type", "name", *map(_label_column, languages), "required", "relevant"]
    header += ["constraint", "sipas_factor", *others]
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    append_row(survey, header)
    open_blocks: list[Question] = []
    for q in items:
        while open_blocks and open_blocks[-1].name not in q.groups:
            append_row(survey, [f"end {open_blocks.pop().kind}"])
        labels = [q.labels.get(language, "") for language in languages]
        fixed = ["yes" if q.required else "", q.relevant, q.constraint, q.factor]
        append_row(
            survey, [_type(q), q.name, *labels, *fixed, *(q.other.get(o, "") for o in others)]
        )
        if q.kind in ("group", "repeat"):
            open_blocks.append(q)
    while open_blocks:
        append_row(survey, [f"end {open_blocks.pop().kind}"])
    choices = book.create_sheet("choices")
    languages = _languages(c.labels for items in form.choices.values() for c in items)
    append_row(choices, ["list_name", "name", *map(_label_column, languages)])
    for list_name, options in form.choices.items():
        for c in options:
            append_row(
                choices, [list_name, c.name, *(c.labels.get(lang, "") for lang in languages)]
            )
    if form.settings:
        settings = book.create_sheet("settings")
        append_row(settings, list(form.settings))
        append_row(settings, list(form.settings.values()))
    return _saved(book)


def _vietnamese(labels: Mapping[str, str]) -> str:
    """The Vietnamese label (a language named ``… (vi)`` or ``Vietnamese``), else the first."""
    for language, text in labels.items():
        if language.endswith("(vi)") or language.lower().startswith(("vietnamese", "tiếng việt")):
            return text
    return next(iter(labels.values()), "")


def template_questions(form: Form) -> list[Question]:
    """The questions that get a column of the template, in order."""
    return [q for q in form.questions if not q.in_repeat and q.kind not in ANSWERLESS]


def response_template(form: Form) -> bytes:
    """The template for paper forms keyed in by hand, as ``.xlsx`` bytes (see the module
    docstring)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    questions = template_questions(form)
    book = Workbook()
    sheet = book.active
    sheet.title = "phieu"
    lists = book.create_sheet("lua_chon")
    guide = book.create_sheet("huong_dan")
    append_row(guide, ["Cột", "Câu hỏi", "Loại", "Bắt buộc", "Lựa chọn (mã = nhãn)"])
    append_row(guide, [TEMPLATE_ID, "Mã phiếu (mỗi phiếu một mã khác nhau)", "text", "", ""])
    put_cell(sheet, 1, 1, TEMPLATE_ID).comment = Comment("Mã phiếu, mỗi phiếu một mã", "parindex")
    used: dict[str, str] = {}  # list name -> the range of its names on lua_chon
    for index, q in enumerate(questions, start=2):
        label = _vietnamese(q.labels)
        cell = put_cell(sheet, 1, index, q.name)
        note = label + (
            " (chọn nhiều: mã cách nhau bởi dấu cách)" if q.kind == "select_multiple" else ""
        )
        if note:
            cell.comment = Comment(note, "parindex")
        options = form.choices.get(q.list_name, ())
        append_row(
            guide,
            [
                q.name,
                label,
                _type(q),
                "có" if q.required else "",
                "; ".join(f"{c.name} = {_vietnamese(c.labels)}" for c in options),
            ],
        )
        if q.kind != "select_one" or not options:
            continue
        if q.list_name not in used:
            column = len(used) + 1
            put_cell(lists, 1, column, q.list_name)
            for row, c in enumerate(options, start=2):
                put_cell(lists, row, column, c.name)
            letter = get_column_letter(column)
            used[q.list_name] = (
                f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(options) + 1}"
            )
        check = DataValidation(type="list", formula1=used[q.list_name], allow_blank=True)
        check.error, check.errorTitle = "Chọn một mã trong danh sách", "Không hợp lệ"
        sheet.add_data_validation(check)
        letter = get_column_letter(index)
        check.add(f"{letter}2:{letter}10000")
    sheet.freeze_panes = "A2"
    return _saved(book)
