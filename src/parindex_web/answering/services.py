"""Codes in, answers out: generating a batch, finding a code, storing a submission.

Every check of an answer is the core's (:func:`parindex.surveys.check_submission`); the answers
are stored by :func:`parindex_web.surveys.services.record_responses` with the source
``online``, under a random submission id, with the batch's unit, weight 1 and no stratum. A code
is burnt (its day of use set) in the same transaction, by an UPDATE that only an unused code
matches: of two submissions with one code, one is stored and the other refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.surveys import Form, Question, online_questions, read_xlsform
from parindex_web.audit.models import record
from parindex_web.cycles.models import Cycle, Phase
from parindex_web.lib.users import User
from parindex_web.surveys.models import ImportBatch, Questionnaire
from parindex_web.surveys.services import ResponseRow, methodology, record_responses
from parindex_web.units.models import Unit

from . import codes
from .models import AnswerCode, CodeBatch

CLOSED_PHASES = frozenset({Phase.FINALISED, Phase.PUBLISHED})
"""Phases in which the online form takes no answers: the cycle's scores are locked."""

MAX_CODES = 500
"""The most codes of one batch (the sheet shows each with its QR code)."""


class CodeUsed(Exception):
    """The code answered already (or a concurrent submission used it first)."""


@lru_cache(maxsize=32)
def _form(pk: int, sha256: str) -> Form:
    q = Questionnaire.objects.only("content", "file_name").get(pk=pk)
    return read_xlsform(bytes(q.content), q.file_name, methodology())


def form_of(questionnaire: Questionnaire) -> Form:
    """The questionnaire's form as the core reads its stored bytes (kept per process by id and
    SHA-256: the bytes of a questionnaire never change)."""
    return _form(questionnaire.pk, questionnaire.sha256)


def units_of(cycle: Cycle) -> QuerySet[Unit]:
    """The units in the cycle's scope, by code."""
    return Unit.objects.filter(assessments__cycle=cycle).order_by("code").distinct()


def service_questions(form: Form) -> list[Question]:
    """The questions a batch's service can answer: the select-one questions the form asks."""
    return [q for q in online_questions(form) if q.kind == "select_one"]


def check_service(form: Form, question: str, choice: str) -> None:
    """A ValidationError unless (``question``, ``choice``) is empty or a choice of a service
    question of the form."""
    if not question and not choice:
        return
    found = next((q for q in service_questions(form) if q.name == question), None)
    if found is None:
        raise ValidationError(
            _("“%(name)s” is no single-choice question of the form.") % {"name": question}
        )
    if choice not in {c.name for c in form.choices.get(found.list_name, ())}:
        raise ValidationError(
            _("“%(choice)s” is not a choice of the question “%(name)s”.")
            % {"choice": choice, "name": question}
        )


def generate(
    questionnaire: Questionnaire,
    unit: Unit,
    size: int,
    user: User,
    *,
    service_question: str = "",
    service: str = "",
) -> tuple[CodeBatch, list[str]]:
    """A new batch of ``size`` codes (1 to :data:`MAX_CODES`) and the codes as printed, which
    are not kept: only their digests are. Leaves an audit record ``answer_codes.generate``."""
    if not 1 <= size <= MAX_CODES:
        raise ValidationError(_("Between 1 and %(n)s codes.") % {"n": MAX_CODES})
    if questionnaire.cycle.phase in CLOSED_PHASES:
        raise ValidationError(
            _("The cycle's scores are locked: its online form takes no more answers.")
        )
    check_service(form_of(questionnaire), service_question, service)
    made: dict[str, str] = {}
    while len(made) < size:
        code = codes.new_code()
        made[codes.digest(codes.normal(code) or "")] = code
    with transaction.atomic():
        batch = CodeBatch.objects.create(
            questionnaire=questionnaire,
            unit=unit,
            service_question=service_question,
            service=service,
            size=size,
            created_by=user,
        )
        AnswerCode.objects.bulk_create(AnswerCode(batch=batch, digest=d) for d in made)
        new = {"questionnaire": questionnaire.pk, "unit": unit.code, "codes": size}
        if service:
            new["service"] = f"{service_question}={service}"
        cycle_id = questionnaire.cycle_id
        record(
            user,
            "answer_codes.generate",
            obj=batch,
            cycle_id=cycle_id,
            unit_code=unit.code,
            new=new,
        )
    return batch, list(made.values())


def find(text: str) -> AnswerCode | None:
    """The code ``text`` names (read without case, spaces or hyphens), or ``None``."""
    raw = codes.normal(text)
    if raw is None:
        return None
    return (
        AnswerCode.objects.select_related("batch__questionnaire__cycle", "batch__unit")
        .defer("batch__questionnaire__content")
        .filter(digest=codes.digest(raw))
        .first()
    )


def submit(code: AnswerCode, answers: Mapping[str, str]) -> None:
    """Stores ``answers`` (checked by the core) for the code's questionnaire and unit and burns
    the code, in one transaction; :class:`CodeUsed` when the code has been used, also by a
    submission that committed after ``code`` was read."""
    batch = code.batch
    row = ResponseRow(submission_id=uuid.uuid4().hex, unit=batch.unit.code, answers=answers)
    with transaction.atomic():
        burnt = AnswerCode.objects.filter(pk=code.pk, used_on__isnull=True).update(
            used_on=timezone.localdate()
        )
        if not burnt:
            raise CodeUsed
        record_responses(batch.questionnaire, [row], source=ImportBatch.Source.ONLINE)
