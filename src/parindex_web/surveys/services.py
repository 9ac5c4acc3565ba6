"""Questionnaires in and out: every read and check of an XLSForm is the core's.

:func:`read_upload` checks an upload's size and its bytes (an XLSX workbook, by
:func:`parindex.detect_file_type`), then has :func:`parindex.surveys.validate_xlsform` read and
check it against the shipped SIPAS methodology; :func:`store` saves it. A refusal is a
``ValidationError`` listing every problem in the user's language, each with its sheet, row and
column (:mod:`parindex_web.lib.core_problems`), and nothing is stored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from functools import cache
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

import parindex
from parindex.filetypes import XLSX
from parindex.surveys import (
    Form,
    SurveyError,
    SurveyMethodology,
    read_xlsform,
    shipped_survey_methodology,
    validate_xlsform,
)
from parindex_web.audit.models import record
from parindex_web.cycles.models import Cycle
from parindex_web.lib.core_problems import describe
from parindex_web.lib.users import User

from .models import Questionnaire

MAX_BYTES = 5 * 1024 * 1024
"""The largest XLSForm accepted (a 200-question form with its choices is well under 1 MB)."""
MAX_PROBLEMS = 50


@cache
def methodology() -> SurveyMethodology:
    """The survey methodology a form's ``sipas_factor`` codes are checked against."""
    return shipped_survey_methodology()


@dataclasses.dataclass(frozen=True)
class Upload:
    """A checked upload: its bytes, its name and the form the core read from them."""

    data: bytes
    name: str
    form: Form


def problem_text(problem: parindex.Problem) -> str:
    """A core problem of an XLSForm, its sheet named: the core's location column is
    ``sheet.column`` (``survey.type``)."""
    where = problem.location
    sheet, dot, column = (where.column or "").partition(".")
    if not dot:
        return describe(problem)
    bare = dataclasses.replace(problem, location=dataclasses.replace(where, row=None, column=None))
    return _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s") % {
        "sheet": sheet,
        "row": where.row,
        "column": column,
        "message": describe(bare),
    }


def _type_refusal(exc: parindex.FileTypeError) -> str:
    if exc.code == "empty":
        return _("The file is empty.")
    if exc.code == "damaged":
        return _("The file starts as a ZIP archive, as XLSX workbooks do, but cannot be read.")
    if exc.code == "dangerous_name":
        return _("The file name ends in %(extension)s, a kind of file that is never accepted.") % {
            "extension": exc.params["extension"]
        }
    return _("This file is of type %(mime)s, not an Excel workbook (.xlsx).") % {
        "mime": exc.params.get("found", "")
    }


def read_upload(upload: Any) -> Upload:
    """The upload, checked: at most :data:`MAX_BYTES`, an XLSX workbook by its bytes, a form the
    core accepts (pyxform included); else a ValidationError with every problem (up to 50)."""
    name = PurePath(upload.name or "form.xlsx").name
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": number_format(MAX_BYTES / 1024 / 1024)}
        )
    data = upload.read()
    try:
        parindex.detect_file_type(io.BytesIO(data), name, (XLSX,))
    except parindex.FileTypeError as exc:
        raise ValidationError(_type_refusal(exc)) from None
    try:
        form = validate_xlsform(data, name, methodology())
    except SurveyError as exc:
        raise ValidationError([problem_text(p) for p in exc.problems[:MAX_PROBLEMS]]) from None
    return Upload(data, name, form)


def form_identity(upload: Upload) -> tuple[str, str]:
    """(form id, version) from the settings sheet; the form id defaults to the file's stem, as
    pyxform's does."""
    settings = upload.form.settings
    return (settings.get("form_id") or PurePath(upload.name).stem, settings.get("version", ""))


def factors_of(form: Form) -> list[str]:
    """The factor codes the form's questions feed, in the methodology's order."""
    used = {q.factor for q in form.questions if q.factor}
    return [f.code for f in methodology().factors if f.code in used]


def store(cycle: Cycle, user: User, upload: Upload, group: str, title: str) -> Questionnaire:
    """Saves the checked upload as a questionnaire of ``cycle``, with its audit record
    (``questionnaire.upload``); a ValidationError when the cycle already has this form id and
    version."""
    form_id, version = form_identity(upload)
    with transaction.atomic():
        if cycle.questionnaires.filter(form_id=form_id, form_version=version).exists():
            raise ValidationError(
                _("This cycle already has the form “%(id)s” version “%(version)s”.")
                % {"id": form_id, "version": version}
            )
        questionnaire = Questionnaire.objects.create(
            cycle=cycle,
            group=group,
            title=title or upload.form.settings.get("form_title") or form_id,
            content=upload.data,
            file_name=upload.name,
            sha256=hashlib.sha256(upload.data).hexdigest(),
            form_id=form_id,
            form_version=version,
            questions=len(question_rows(upload.form)),
            factors=",".join(factors_of(upload.form)),
            uploaded_by=user,
        )
        new = {
            "form_id": form_id,
            "version": version,
            "group": group,
            "sha256": questionnaire.sha256,
            "questions": questionnaire.questions,
        }
        record(user, "questionnaire.upload", obj=questionnaire, cycle_id=cycle.pk, new=new)
        return questionnaire


def stored_form(questionnaire: Questionnaire) -> Form:
    """The stored workbook read again by the core: :func:`read_xlsform`, without pyxform's
    conversion, which accepted it at upload (a third of the time: 40 ms against 124 ms for the
    EXAMPLE form)."""
    return read_xlsform(bytes(questionnaire.content), questionnaire.file_name, methodology())


def question_rows(form: Form) -> list[dict[str, Any]]:
    """The form's questions (groups and notes left out: they take no answer) as rows: name, type,
    Vietnamese label (else the one label), factor, required."""
    rows = []
    for q in form.questions:
        if q.kind in ("note", "start", "end", "today", "deviceid", "calculate"):
            continue
        labels = dict(q.labels)
        vietnamese = next((text for lang, text in labels.items() if "(vi)" in lang), "")
        rows.append(
            {
                "name": q.name,
                "type": f"{q.kind} {q.list_name}".strip(),
                "label": vietnamese or labels.get("", "") or next(iter(labels.values()), ""),
                "sipas_factor": q.factor,
                "required": q.required,
            }
        )
    return rows
