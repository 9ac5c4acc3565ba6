"""Authenticated endpoints (a personal API token): assessments, entries, evidence.

The same rules as the web pages, because the same code enforces them: every endpoint loads
through :func:`parindex_web.cycles.access.assessment_for` (404 outside the caller's scope, 403
for a role the action does not allow) and acts through :mod:`parindex_web.cycles.services`
(phase, deadline, state, optimistic locking, audit trail, e-mail).
"""

from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import WithJsonSchema

import parindex
from parindex_web.accounts.models import Role
from parindex_web.cycles import access, services
from parindex_web.cycles.models import Assessment, Assignment, Entry, Evidence, Phase
from parindex_web.lib.users import User

from .auth import TokenAuth, TokenRequest
from .errors import ERROR_STATUSES, ConflictWithVersions, InputRefusedAt
from .pagination import Pages
from .schemas import (
    AppraisalIn,
    AssessmentOut,
    EntryOut,
    ErrorOut,
    EvidenceIn,
    EvidenceOut,
    Id,
    SelfAssessmentIn,
)

router = Router(tags=["assessments"], auth=TokenAuth())

VIEWERS = ("officer", "leader", "secretariat", "appraiser")
# Phases from which the unit sees its appraised scores (the explanation window opens them).
APPRAISAL_VISIBLE = (Phase.EXPLANATION, Phase.FINALISED, Phase.PUBLISHED)


def _responses(ok: Any, status: int = 200) -> dict[int | frozenset[int], Any]:
    return {status: ok, ERROR_STATUSES: ErrorOut}


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


# --- assessments --------------------------------------------------------------------------------


class Roles:
    """The caller's roles, read once, to tell their roles over many assessments."""

    def __init__(self, user: User) -> None:
        self.secretariat = access.body_ids(user, Role.SECRETARIAT)
        self.officer = access.unit_ids(user, Role.OFFICER)
        self.leader = access.unit_ids(user, Role.LEADER)
        self.assigned = set(
            Assignment.objects.filter(
                appraiser=user, cycle__body__in=access.body_ids(user, Role.APPRAISER)
            ).values_list("cycle_id", "unit_id")
        )

    def of(self, a: Assessment) -> list[str]:
        held = {
            "secretariat": a.cycle.body_id in self.secretariat,
            "appraiser": (a.cycle_id, a.unit_id) in self.assigned,
            "officer": a.unit_id in self.officer,
            "leader": a.unit_id in self.leader,
        }
        return [role for role, yes in held.items() if yes]

    def visible(self) -> QuerySet[Assessment]:
        assigned = Q(pk__in=[])
        for cycle_id, unit_id in self.assigned:
            assigned |= Q(cycle_id=cycle_id, unit_id=unit_id)
        return Assessment.objects.filter(
            Q(cycle__body__in=self.secretariat) | Q(unit__in=self.officer | self.leader) | assigned
        )


def _assessment(a: Assessment, roles: list[str]) -> dict[str, Any]:
    return {
        "id": a.pk,
        "cycle": {
            "id": a.cycle.pk,
            "name": a.cycle.name,
            "year": a.cycle.year,
            "phase": a.cycle.phase,
            "deadline": a.cycle.deadline(),
        },
        "unit": {"code": a.unit.code, "name": a.unit.name},
        "status": a.status,
        "roles": roles,
    }


class AssessmentFilters(Schema):
    cycle: Id | None = None
    phase: Phase | None = None


@router.get("/assessments", response=_responses(list[AssessmentOut]), summary="Your assessments")
@paginate(Pages)
def assessments(request: TokenRequest, filters: Query[AssessmentFilters]) -> list[dict[str, Any]]:
    """Assessments you hold a role over (secretariat, assigned appraiser, unit officer or
    leader), newest cycle first."""
    roles = Roles(request.auth)
    found = roles.visible().select_related("cycle", "unit")
    if filters.cycle is not None:
        found = found.filter(cycle_id=filters.cycle)
    if filters.phase is not None:
        found = found.filter(cycle__phase=filters.phase)
    found = found.order_by("-cycle__year", "cycle__name", "unit__code", "pk")
    return [_assessment(a, roles.of(a)) for a in found]


@router.get(
    "/assessments/{assessment_id}", response=_responses(AssessmentOut), summary="An assessment"
)
def assessment(request: TokenRequest, assessment_id: Id) -> dict[str, Any]:
    a = access.assessment_for(request.auth, assessment_id, allow=VIEWERS)
    return _assessment(a, Roles(request.auth).of(a))


# --- entries -------------------------------------------------------------------------------------


def _sees_appraisal(user: User, a: Assessment) -> bool:
    return (
        a.cycle.phase in APPRAISAL_VISIBLE
        or access.is_secretariat(user, a.cycle)
        or access.is_appraiser(user, a)
    )


def _entry(entry: Entry, core: parindex.Methodology, appraisal: bool) -> dict[str, Any]:
    node = core.by_code.get(entry.code)
    rule = node.rule if node is not None else None
    return {
        "id": entry.pk,
        "code": entry.code,
        "name": node.name if node else entry.code,
        "source": core.source_of(entry.code).value if node else "",
        "max_points": _plain(node.max_points) if node else "0",
        "input_fields": list(rule.fields()) if rule else [],
        "rule_text": rule.describe() if rule else "",
        "inputs": entry.inputs,
        "self_points": _plain(entry.self_points),
        "note": entry.note,
        "appraised_points": _plain(entry.appraised_points) if appraisal else None,
        "appraisal_reason": entry.appraisal_reason if appraisal else None,
        "external_points": _plain(entry.external_points),
        "final_points": _plain(entry.final_points),
        "evidence": sorted(e.pk for e in entry.evidence.all()),
        "version": entry.version,
        "updated_at": entry.updated_at,
    }


def _load_entry(assessment: Assessment, code: str) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("assessment__cycle", "assessment__unit"),
        assessment=assessment,
        code=code,
    )


@router.get(
    "/assessments/{assessment_id}/entries",
    response=_responses(list[EntryOut]),
    summary="Entries of an assessment",
)
@paginate(Pages)
def entries(request: TokenRequest, assessment_id: Id) -> list[dict[str, Any]]:
    """Every leaf of the assessment in methodology order. Appraised scores are hidden from the
    unit until the explanation phase."""
    a = access.assessment_for(request.auth, assessment_id, allow=VIEWERS)
    core = a.cycle.core()
    order = {leaf.code: i for i, leaf in enumerate(core.leaves)}
    rows = sorted(
        a.entries.prefetch_related("evidence"), key=lambda e: (order.get(e.code, len(order)), e.pk)
    )
    appraisal = _sees_appraisal(request.auth, a)
    return [_entry(e, core, appraisal) for e in rows]


@router.get(
    "/assessments/{assessment_id}/entries/{code}",
    response=_responses(EntryOut),
    summary="One entry",
)
def entry(request: TokenRequest, assessment_id: Id, code: str) -> dict[str, Any]:
    a = access.assessment_for(request.auth, assessment_id, allow=VIEWERS)
    return _entry(_load_entry(a, code), a.cycle.core(), _sees_appraisal(request.auth, a))


def _conflict(
    exc: services.Conflict, request: TokenRequest, a: Assessment, sent: dict[str, Any]
) -> ConflictWithVersions:
    """The conflict answered with both versions: the saved one and the caller's."""
    current = _entry(exc.entry, a.cycle.core(), _sees_appraisal(request.auth, a))
    return ConflictWithVersions(
        exc, [{"which": "current", "entry": current}, {"which": "yours", "entry": sent}]
    )


@router.put(
    "/assessments/{assessment_id}/entries/{code}/self-assessment",
    response=_responses(EntryOut),
    summary="Save a self-assessment",
)
def save_self_assessment(
    request: TokenRequest, assessment_id: Id, code: str, data: SelfAssessmentIn
) -> dict[str, Any]:
    """Unit officer: a leaf's input and note; the leaf's rule gives the points. Send the
    ``version`` you read; if someone saved since, the answer is 409 with both versions. An input
    the rule does not accept (a percentage above 100, a fractional or negative count, achieved
    above planned where the rule refuses it, a percentage and counts together) is 422
    ``invalid`` with ``details`` ``[{"field": name, "loc": [...], ...}]``, and nothing is saved."""
    a = access.assessment_for(request.auth, assessment_id, allow=("officer",))
    current = _load_entry(a, code)
    try:
        saved = services.save_self_assessment(
            request.auth,
            current,
            inputs=data.inputs,
            note=data.note,
            version=data.version,
            evidence_ids=data.evidence,
        )
    except services.Conflict as exc:
        raise _conflict(exc, request, a, data.model_dump(mode="json")) from exc
    except services.InputRefused as exc:  # checked by the rule's declared inputs, in the core
        if exc.field not in ("note", "evidence", None):
            raise InputRefusedAt(exc, ["inputs", exc.field]) from exc
        raise
    return _entry(saved, a.cycle.core(), _sees_appraisal(request.auth, a))


@router.put(
    "/assessments/{assessment_id}/entries/{code}/appraisal",
    response=_responses(EntryOut),
    summary="Save an appraised score",
)
def appraise(
    request: TokenRequest, assessment_id: Id, code: str, data: AppraisalIn
) -> dict[str, Any]:
    """Assigned appraiser: accept or change a leaf's score; a reason is required when it
    differs from the self-assessment."""
    a = access.assessment_for(request.auth, assessment_id, allow=("appraiser",))
    current = _load_entry(a, code)
    try:  # a survey or data leaf, points out of range, no reason: refused by the service
        saved = services.appraise(
            request.auth,
            current,
            points=data.decimal_points(),
            reason=data.reason,
            version=data.version,
        )
    except services.Conflict as exc:
        raise _conflict(exc, request, a, data.model_dump(mode="json")) from exc
    return _entry(saved, a.cycle.core(), True)


# --- evidence ------------------------------------------------------------------------------------


# An empty file part is dropped by Django's multipart parser: the schema asks for a byte at least.
Document = Annotated[
    UploadedFile, WithJsonSchema({"type": "string", "format": "binary", "minLength": 1})
]


def _evidence(e: Evidence) -> dict[str, Any]:
    return {
        "id": e.pk,
        "original_name": e.original_name,
        "size": e.size,
        "content_type": e.content_type,
        "sha256": e.sha256,
        "doc_number": e.doc_number,
        "doc_date": e.doc_date,
        "issuer": e.issuer,
        "uploaded_at": e.uploaded_at,
        "entries": sorted(x.code for x in e.entries.all()),
    }


@router.get(
    "/assessments/{assessment_id}/evidence",
    response=_responses(list[EvidenceOut]),
    summary="Evidence documents",
)
@paginate(Pages)
def evidence(request: TokenRequest, assessment_id: Id) -> list[dict[str, Any]]:
    """The unit's evidence documents (metadata), oldest first."""
    a = access.assessment_for(request.auth, assessment_id, allow=VIEWERS)
    return [_evidence(e) for e in a.evidence.prefetch_related("entries")]


@router.post(
    "/assessments/{assessment_id}/evidence",
    response=_responses(EvidenceOut, 201),
    summary="Upload an evidence document",
)
def add_evidence(
    request: TokenRequest,
    assessment_id: Id,
    file: File[Document],
    meta: Form[EvidenceIn],
) -> Status[dict[str, Any]]:
    """Unit officer: upload a document (multipart) with its number, date and issuer,
    optionally attached to a leaf. The same bytes uploaded again are the same document. Its
    type is found in its bytes: a file of another type, or named like a program, is 422."""
    a = access.assessment_for(request.auth, assessment_id, allow=("officer",))
    leaf = None
    if meta.entry:
        leaf = _load_entry(a, meta.entry)  # 404 for a leaf the assessment does not have
    try:
        document = services.add_evidence(
            request.auth,
            a,
            file,
            doc_number=meta.doc_number,
            doc_date=meta.doc_date,
            issuer=meta.issuer,
            entry=leaf,
        )
    except services.EvidenceRefused as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201, _evidence(document))
