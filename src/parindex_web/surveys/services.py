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

from django.core.cache import cache as shared_cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

import parindex
from parindex.filetypes import UNKNOWN, XLSX
from parindex.surveys import (
    Figure,
    Form,
    Responses,
    SurveyAnswers,
    SurveyError,
    SurveyMethodology,
    estimate_indices,
    read_responses,
    read_xlsform,
    sample_size,
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


# ---------------------------------------------------------------------------------------------
# Field data: a KoboToolbox/ODK export or the filled-in template, read and checked by the core.

MAX_FIELD_BYTES = 50 * 1024 * 1024
"""The largest file of responses accepted (a 40-question CSV export of 100,000 rows is ~25 MB)."""
INLINE_BYTES = 256 * 1024
"""A file of responses up to this size is imported within the request (about 1,000 rows of 40
questions, under a second); a larger one is a job, followed on its page."""
MAX_FIELD_PROBLEMS = 500
"""Problems shown of a refused file (every one is counted)."""
_TEXT = (UNKNOWN, "text/plain", "text/csv")


@dataclasses.dataclass(frozen=True)
class FieldFile:
    """A file of responses checked by its bytes: its data, the name it was uploaded with, the
    name the core reads it under (``.xlsx`` or ``.csv``, as its bytes say) and its SHA-256."""

    data: bytes
    name: str
    read_as: str
    sha256: str


@dataclasses.dataclass(frozen=True)
class Columns:
    """The columns of a file of responses that hold each row's unit (required), design weight
    and stratum (optional)."""

    unit: str
    weight: str = ""
    stratum: str = ""

    def extra(self) -> dict[str, str]:
        found = {"by": self.unit, "weight": self.weight, "strata": self.stratum}
        return {key: column for key, column in found.items() if column}


def check_field_file(upload: Any) -> FieldFile:
    """The upload, checked: at most :data:`MAX_FIELD_BYTES`, an XLSX workbook or text (CSV) by
    its bytes (:func:`parindex.detect_file_type`; the encoding is the core's to check); else a
    ValidationError."""
    name = PurePath(upload.name or "responses.csv").name
    if upload.size > MAX_FIELD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": number_format(MAX_FIELD_BYTES / 1024 / 1024)}
        )
    data = upload.read()
    try:
        parindex.detect_file_type(io.BytesIO(data), name, (XLSX,))
        suffix = ".xlsx"
    except parindex.FileTypeError as exc:
        if exc.code != "refused" or exc.params.get("found", UNKNOWN) not in _TEXT:
            raise ValidationError(_field_type_refusal(exc)) from None
        suffix = ".csv"
    read_as = (PurePath(name).stem or "responses") + suffix
    return FieldFile(data, name, read_as, hashlib.sha256(data).hexdigest())


def _field_type_refusal(exc: parindex.FileTypeError) -> str:
    if exc.code in ("empty", "damaged", "dangerous_name"):
        return _type_refusal(exc)
    return _("This file is of type %(mime)s, not a CSV file or an Excel workbook (.xlsx).") % {
        "mime": exc.params.get("found", "")
    }


def field_problems(exc: SurveyError) -> list[str]:
    """Every problem of a refused file of responses, in the user's language (the first
    :data:`MAX_FIELD_PROBLEMS`, then how many more)."""
    shown = [describe(p) for p in exc.problems[:MAX_FIELD_PROBLEMS]]
    more = len(exc.problems) - len(shown)
    if more > 0:
        shown.append(_("… and %(n)s more problems.") % {"n": number_format(more)})
    return shown


def cycle_units(questionnaire: Questionnaire) -> set[str]:
    return set(questionnaire.cycle.assessments.values_list("unit__code", flat=True))


def read_field_data(
    questionnaire: Questionnaire,
    file: FieldFile,
    columns: Columns,
    progress: Callable[[int, int], None] | None = None,
) -> Responses:
    """The responses of ``file`` read and checked by the core against the questionnaire's form
    and the cycle's units; a ValidationError with every problem (row, column, reason)."""
    form = stored_form(questionnaire)
    try:
        return read_responses(
            file.data,
            form,
            file=file.read_as,
            extra=columns.extra(),
            units=cycle_units(questionnaire),
            progress=progress,
        )
    except SurveyError as exc:
        raise ValidationError(field_problems(exc)) from None


def rows_of(responses: Responses, file: FieldFile) -> list[ResponseRow]:
    """The checked responses as rows to store. A row without a submission id in the file gets
    ``<the file's SHA-256, 16 digits>:<its row>``: the same file imported again is skipped."""
    count = len(responses.rows)
    weights = responses.extra.get("weight", ["1"] * count)
    strata = responses.extra.get("strata", [""] * count)
    units = responses.extra["by"]
    ids = responses.ids or ("",) * count
    names = list(responses.answers)
    out = []
    for i, row in enumerate(responses.rows):
        answers = {name: responses.answers[name][i] for name in names}
        sid = ids[i] or f"{file.sha256[:16]}:{row}"
        weight = float(parindex.parse_decimal(weights[i]))
        out.append(ResponseRow(sid, units[i], answers, weight, strata[i]))
    return out


def stored_summary(stored: int, duplicates: int) -> str:
    """What an import of field data did, in words: the one sentence the import page and the
    job's page show (counts as labels, so no plural forms are needed in either language)."""
    return _("Responses stored: %(stored)s; exact duplicates skipped: %(duplicates)s.") % {
        "stored": number_format(stored, force_grouping=True),
        "duplicates": number_format(duplicates, force_grouping=True),
    }


def import_field_data(
    questionnaire: Questionnaire,
    user: User | None,
    file: FieldFile,
    columns: Columns,
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportBatch:
    """Reads, checks and stores the responses of ``file`` (all or nothing), with the batch and
    its audit record (``questionnaire.responses``). ``progress(done, total)`` goes from the
    core's checks (the first half) to the rows stored (the second)."""
    half = 50  # per cent: the page shows "done / 100"

    def reading(done: int, total: int) -> None:
        if progress is not None:
            progress(half * done // max(total, 1), 2 * half)

    def storing(done: int, total: int) -> None:
        if progress is not None:
            progress(half + half * done // max(total, 1), 2 * half)

    responses = read_field_data(questionnaire, file, columns, reading)
    rows = rows_of(responses, file)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            questionnaire=questionnaire,
            source=source,
            file_name=file.name[:200],
            sha256=file.sha256,
            unit_column=columns.unit,
            weight_column=columns.weight,
            stratum_column=columns.stratum,
            rows=len(rows) + responses.duplicates,
            uploaded_by=user,
        )
        stored = record_responses(questionnaire, rows, source=source, batch=batch, progress=storing)
        batch.stored, batch.duplicates = stored, len(rows) + responses.duplicates - stored
        batch.save(update_fields=["stored", "duplicates"])
        new = {
            "file": batch.file_name,
            "sha256": file.sha256,
            "source": source,
            "rows": batch.rows,
            "stored": stored,
            "duplicates": batch.duplicates,
        }
        record(
            user,
            "questionnaire.responses",
            obj=questionnaire,
            cycle_id=questionnaire.cycle_id,
            new=new,
        )
    if progress is not None:
        progress(2 * half, 2 * half)
    return batch


# ---------------------------------------------------------------------------------------------
# Progress against the sample target, and the estimates per unit (the core's).


@dataclasses.dataclass(frozen=True)
class UnitProgress:
    unit: str
    name: str
    responses: int
    target: int | None


def sample_target(questionnaire: Questionnaire) -> int | None:
    """Forms to collect per unit: the planner's ``⌈N / (1 + N·e²)⌉`` for the questionnaire's
    population per unit, ``e`` the survey methodology's margin; None when no population is set."""
    if questionnaire.population is None:
        return None
    return sample_size(questionnaire.population, methodology().margin)


def unit_progress(questionnaire: Questionnaire) -> list[UnitProgress]:
    """Each unit of the cycle (by code) with its stored responses and the sample target; units
    of responses no longer in the cycle come last."""
    counts = dict(
        questionnaire.responses.order_by()
        .values("unit_code")
        .annotate(n=models.Count("pk"))
        .values_list("unit_code", "n")
    )
    target = sample_target(questionnaire)
    units = questionnaire.cycle.assessments.select_related("unit").order_by("unit__code")
    rows = [
        UnitProgress(a.unit.code, a.unit.name, counts.pop(a.unit.code, 0), target) for a in units
    ]
    rows += [UnitProgress(code, "", n, target) for code, n in sorted(counts.items())]
    return rows


def answers_of(questionnaire: Questionnaire, form: Form) -> SurveyAnswers | None:
    """The stored responses as the core estimates from them (the questions feeding a factor,
    the weights, strata and units as domains); None without a response or a factor."""
    items = [q for q in form.questions if q.factor and not q.in_repeat]
    stored = list(
        questionnaire.responses.order_by("pk").values_list(
            "answers", "weight", "stratum", "unit_code"
        )
    )
    if not items or not stored:
        return None
    return SurveyAnswers(
        answers={q.name: [answers.get(q.name, "") for answers, *_ in stored] for q in items},
        factors={q.name: q.factor for q in items},
        weights=[weight for _a, weight, _s, _u in stored],
        strata=[stratum for _a, _w, stratum, _u in stored],
        domains=[unit for _a, _w, _s, unit in stored],
    )


ESTIMATES_SECONDS = 24 * 3600


def estimates(questionnaire: Questionnaire, form: Form | None = None) -> list[Figure]:
    """Every figure per unit (questions, factors, overall) with its 95 % interval and n, by
    :func:`parindex.surveys.estimate_indices` on the stored responses (``form``: the stored
    form, when the caller has read it already). Kept in the cache under the questionnaire (id,
    workbook, upload time) and its responses' count, last id and last arrival: responses are
    only ever added (or deleted with their questionnaire), so any change makes a new key, and
    ids that come round again (a database restored, a test rolled back) differ in time."""
    stored = questionnaire.responses.aggregate(
        n=models.Count("pk"), last=models.Max("pk"), at=models.Max("received_at")
    )
    when = stored["at"].isoformat() if stored["at"] else ""
    uploaded = questionnaire.uploaded_at.isoformat() if questionnaire.uploaded_at else ""
    parts = [questionnaire.pk, questionnaire.sha256, uploaded, stored["n"], stored["last"], when]
    key = "surveys:estimates:" + ":".join(str(part) for part in parts)
    found: list[Figure] | None = shared_cache.get(key)
    if found is None:
        data = answers_of(questionnaire, form or stored_form(questionnaire))
        found = [] if data is None else estimate_indices(methodology(), data)
        shared_cache.set(key, found, ESTIMATES_SECONDS)
    return found


def delete(questionnaire: Questionnaire, user: User) -> None:
    """Deletes the questionnaire with its responses and import batches, with an audit record
    (``questionnaire.delete``: form id, version, responses deleted)."""
    with transaction.atomic():
        old = {
            "form_id": questionnaire.form_id,
            "version": questionnaire.form_version,
            "title": questionnaire.title,
            "sha256": questionnaire.sha256,
            "responses": questionnaire.responses.count(),
        }
        record(
            user,
            "questionnaire.delete",
            obj=questionnaire,
            cycle_id=questionnaire.cycle_id,
            old=old,
        )
        questionnaire.delete()
