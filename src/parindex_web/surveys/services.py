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
from collections.abc import Callable, Iterable, Mapping
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

from .models import ImportBatch, Questionnaire, Response

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


@dataclasses.dataclass(frozen=True)
class ResponseRow:
    """One respondent's checked answers, to store (:func:`record_responses`): by question name,
    each value as the core's :func:`parindex.surveys.read_responses` gives it (``""`` or absent
    for no answer, a choice's name, select-multiple choices space-separated)."""

    submission_id: str
    unit: str
    answers: Mapping[str, str]
    weight: float = 1.0
    stratum: str = ""


STORE_CHUNK = 500
"""Rows looked up and written per query (well under SQLite's bound parameters)."""


def _kept(answers: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in answers.items() if value}


def _same(row: ResponseRow, stored: tuple[str, dict[str, str], float, str]) -> bool:
    return stored == (row.unit, _kept(row.answers), float(row.weight), row.stratum)


def record_responses(
    questionnaire: Questionnaire,
    rows: Iterable[ResponseRow],
    *,
    source: str,
    batch: ImportBatch | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Stores ``rows`` (already checked by the core) as responses of ``questionnaire``, all or
    nothing, and returns how many were stored. A row whose submission id is already stored (or
    given earlier in ``rows``) with the same unit, answers, weight and stratum is an exact
    duplicate and skipped; with anything different it is refused: a ValidationError naming
    every such id, and nothing is stored. ``source`` is one of :class:`ImportBatch.Source`;
    ``progress(done, total)`` is called after each chunk of :data:`STORE_CHUNK` rows."""
    if source not in ImportBatch.Source.values:
        raise ValueError(f"unknown source {source!r}")
    rows = list(rows)
    seen: dict[str, ResponseRow] = {}
    fresh: list[ResponseRow] = []
    conflicts: list[str] = []
    for row in rows:
        if not row.submission_id:
            raise ValueError("every response needs a submission id")
        earlier = seen.get(row.submission_id)
        if earlier is None:
            seen[row.submission_id] = row
            fresh.append(row)
        elif not _same(
            row, (earlier.unit, _kept(earlier.answers), earlier.weight, earlier.stratum)
        ):
            conflicts.append(row.submission_id)
    stored = 0
    with transaction.atomic():
        new: list[ResponseRow] = []
        for start in range(0, len(fresh), STORE_CHUNK):
            chunk = fresh[start : start + STORE_CHUNK]
            found = {
                sid: (unit, answers, weight, stratum)
                for sid, unit, answers, weight, stratum in questionnaire.responses.filter(
                    submission_id__in=[r.submission_id for r in chunk]
                ).values_list("submission_id", "unit_code", "answers", "weight", "stratum")
            }
            for row in chunk:
                if row.submission_id not in found:
                    new.append(row)
                elif not _same(row, found[row.submission_id]):
                    conflicts.append(row.submission_id)
        if conflicts:
            shown = ", ".join(conflicts[:MAX_PROBLEMS])
            raise ValidationError(
                _(
                    "%(n)s submission(s) are already stored with other answers (submission ids: "
                    "%(ids)s); nothing was stored."
                )
                % {"n": len(conflicts), "ids": shown}
            )
        for start in range(0, len(new), STORE_CHUNK):
            chunk = new[start : start + STORE_CHUNK]
            Response.objects.bulk_create(
                Response(
                    questionnaire=questionnaire,
                    unit_code=row.unit,
                    submission_id=row.submission_id,
                    answers=_kept(row.answers),
                    weight=float(row.weight),
                    stratum=row.stratum,
                    source=source,
                    batch=batch,
                )
                for row in chunk
            )
            stored += len(chunk)
            if progress is not None:
                progress(stored, len(new))
    return stored
