"""The cycle's actions: each checks phase, deadline and state, saves, audits and notifies.

Views call these after loading objects through :mod:`.access` (which checks roles); the
secretariat's set-up actions (:func:`create_cycle`, :func:`set_deadlines`,
:func:`set_assignments`) check the role again themselves. Every refusal is a :class:`CycleError`
with a translated message; every change is written to the audit trail inside the same
transaction as the change itself.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Max, Q, When
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import parindex
from parindex.filetypes import KNOWN_TYPES, LABELS
from parindex_web.accounts.models import Role
from parindex_web.audit.models import AuditRecord, append, record
from parindex_web.audit.models import entry as audit_entry
from parindex_web.lib.core_problems import describe
from parindex_web.lib.fields import checked_text
from parindex_web.methodologies.models import Methodology
from parindex_web.notifications import services as handovers
from parindex_web.units.models import AssessingBody, Unit

from . import access, evidence_status, storage
from .models import (
    Assessment,
    Assignment,
    Cycle,
    Entry,
    Evidence,
    Explanation,
    Phase,
    Publication,
)

DEADLINES = ("self_assessment_due", "appraisal_due", "explanation_due")
CLOSED = (Phase.FINALISED, Phase.PUBLISHED)
FIRST_YEAR = 2000


class CycleError(Exception):
    """An action refused by the cycle's rules; the message is shown to the user."""


class Conflict(CycleError):
    """Someone saved the leaf first. Holds both versions (``entry`` theirs, ``mine``) so nothing
    is lost."""

    def __init__(self, entry: Entry, mine: Mapping[str, Any]) -> None:
        self.entry, self.mine = entry, mine
        super().__init__(
            _(
                "Someone else saved this criterion while you were editing it. Their version is "
                "shown; your input is kept below so you can apply it again."
            )
        )


# --- phases -------------------------------------------------------------------------------


def require_phase(cycle: Cycle, *phases: str, deadline: bool = True) -> None:
    """Refuse unless the cycle is in one of ``phases`` and its deadline has not passed.

    ``deadline=False`` for the actions that close a phase's work rather than take part in it
    (deciding explanations, entering survey and data points, finalising): the deadline binds
    the units and the appraisers, and those actions must stay possible after it.
    """
    if cycle.phase not in phases:
        raise CycleError(
            _("This is not possible in the current phase (%(phase)s).")
            % {"phase": cycle.get_phase_display()}
        )
    if deadline and cycle.is_past_deadline():
        due = timezone.localtime(cycle.deadline())  # type: ignore[arg-type]
        raise CycleError(
            _("The deadline of this phase passed on %(due)s; changes are no longer accepted.")
            % {"due": due.strftime("%d/%m/%Y %H:%M")}
        )


def _set_phase(user: Any, cycle: Cycle, phase: str) -> None:
    """Move the cycle to ``phase`` and audit the change (inside the caller's transaction).

    Compare and set: the row changes only if it is still in the phase this copy was read in, so
    two secretaries pressing "open the next phase" at once move it one step, not two.
    """
    old = cycle.phase
    if not Cycle.objects.filter(pk=cycle.pk, phase=old).update(phase=phase):
        raise CycleError(
            _("Someone else changed the cycle's phase meanwhile: reload the page and try again.")
        )
    cycle.phase = phase
    record(
        user,
        "cycle.phase",
        obj=cycle,
        cycle_id=cycle.pk,
        phase=old,
        field="phase",
        old=old,
        new=phase,
    )


@transaction.atomic
def advance_phase(user: Any, cycle: Cycle) -> Cycle:
    """Open the next phase. Entering self-assessment creates each unit's entries."""
    nxt = cycle.next_phase()
    if nxt is None or nxt == Phase.PUBLISHED:
        raise CycleError(_("Use “publish” to publish results."))
    if nxt == Phase.FINALISED:
        finalise(user, cycle)
        return cycle
    if nxt == Phase.SELF_ASSESSMENT and not cycle.assessments.exists():
        raise CycleError(_("Add the units in scope before opening the self-assessment."))
    _set_phase(user, cycle, nxt)
    if nxt == Phase.SELF_ASSESSMENT:
        for assessment in cycle.assessments.all():
            ensure_entries(assessment)
    return cycle


def ensure_entries(assessment: Assessment) -> None:
    """Create an empty entry for every leaf of the methodology that has none."""
    codes = [leaf.code for leaf in assessment.cycle.core().leaves]
    have = set(assessment.entries.values_list("code", flat=True))
    Entry.objects.bulk_create(
        [Entry(assessment=assessment, code=code) for code in codes if code not in have]
    )


@transaction.atomic
def reopen(user: Any, assessment: Assessment, reason: str) -> None:
    """Secretariat: send a submitted self-assessment back to the unit."""
    require_phase(assessment.cycle, Phase.SELF_ASSESSMENT, Phase.APPRAISAL)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise CycleError(_("Only a submitted self-assessment can be reopened."))
    if not reason.strip():
        raise CycleError(_("Give a reason for reopening."))
    _set_status(user, assessment, Assessment.Status.DRAFT, reason)
    assessment.signed_by, assessment.signed_at = None, None
    assessment.save(update_fields=["signed_by", "signed_at"])
    handovers.reopened(assessment, reason.strip())


def _set_status(user: Any, assessment: Assessment, status: str, reason: str = "") -> None:
    old = assessment.status
    assessment.status = status
    assessment.save(update_fields=["status"])
    record(
        user,
        "assessment.status",
        obj=assessment,
        cycle_id=assessment.cycle_id,
        unit_code=assessment.unit.code,
        phase=assessment.cycle.phase,
        field="status",
        old=old,
        new=status,
        reason=reason,
    )


# --- setting up a cycle (secretariat) ---------------------------------------------------------


def allowed_years() -> range:
    """The years a cycle may be for: from 2000 to two years after the current one."""
    return range(FIRST_YEAR, timezone.localdate().year + 3)


def require_secretariat(user: Any, body: AssessingBody) -> None:
    """Refuse unless ``user`` is a member of ``body``'s secretariat."""
    if body.pk not in access.body_ids(user, Role.SECRETARIAT):
        raise CycleError(_("Only the secretariat of %(body)s can do this.") % {"body": body})


def deadline_order_problems(deadlines: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(name, previous)`` for each deadline not later than the deadline given before it.

    ``deadlines`` maps names of :data:`DEADLINES` to datetimes; a missing or None deadline is
    skipped (each deadline is compared with the nearest earlier one that is set).
    """
    problems: list[tuple[str, str]] = []
    previous: str | None = None
    for name in DEADLINES:
        value = deadlines.get(name)
        if value is None:
            continue
        if previous is not None and value <= deadlines[previous]:
            problems.append((name, previous))
        previous = name
    return problems


def _check_deadline_order(deadlines: Mapping[str, Any]) -> None:
    field = Cycle._meta.get_field
    problems = [
        _("%(deadline)s must be later than the %(previous)s.")
        % {"deadline": capfirst(field(name).verbose_name), "previous": field(previous).verbose_name}
        for name, previous in deadline_order_problems(deadlines)
    ]
    if problems:
        raise CycleError(" ".join(problems))


@transaction.atomic
def create_cycle(
    user: Any,
    *,
    body: AssessingBody,
    year: int,
    name: str,
    methodology: Methodology,
    units: Iterable[Unit],
    self_assessment_due: datetime | None = None,
    appraisal_due: datetime | None = None,
    explanation_due: datetime | None = None,
) -> Cycle:
    """Secretariat of ``body``: create a cycle in preparation with one assessment per unit.

    Refuses with :class:`CycleError` (and creates nothing) unless ``user`` is in the body's
    secretariat, ``name`` is not blank, ``year`` is in :func:`allowed_years`, every unit is
    assessed by ``body``, the deadlines given are in phase order and the body has no cycle of that
    name and year. The leaves' entries are created when the self-assessment opens
    (:func:`advance_phase`). Audited as ``cycle.create`` with the units' codes.
    """
    require_secretariat(user, body)
    name = name.strip()
    if not name:
        raise CycleError(_("Give the cycle a name."))
    years = allowed_years()
    if year not in years:
        raise CycleError(
            _("Give a year from %(first)s to %(last)s.") % {"first": years[0], "last": years[-1]}
        )
    units = list({u.pk: u for u in units}.values())
    other = [u.label for u in units if u.body_id != body.pk]
    if other:
        raise CycleError(
            _("These units are not assessed by %(body)s: %(units)s")
            % {"body": body, "units": ", ".join(other)}
        )
    deadlines = {
        "self_assessment_due": self_assessment_due,
        "appraisal_due": appraisal_due,
        "explanation_due": explanation_due,
    }
    _check_deadline_order(deadlines)
    duplicate = CycleError(_("This body already has a cycle of that name and year."))
    if Cycle.objects.filter(body=body, year=year, name=name).exists():
        raise duplicate
    cycle = Cycle(
        body=body, year=year, name=name, methodology=methodology, created_by=user, **deadlines
    )
    try:
        with transaction.atomic():  # another secretary may have created it in the meantime
            cycle.save()
    except IntegrityError:
        raise duplicate from None
    Assessment.objects.bulk_create([Assessment(cycle=cycle, unit=u) for u in units])
    record(
        user,
        "cycle.create",
        obj=cycle,
        cycle_id=cycle.pk,
        phase=cycle.phase,
        field="units",
        new=sorted(u.code for u in units),
    )
    return cycle


@transaction.atomic
def set_deadlines(user: Any, cycle: Cycle, **deadlines: datetime | None) -> Cycle:
    """Secretariat: change the cycle's deadlines, by name (:data:`DEADLINES`); None clears one.

    Deadlines not named are kept. Refuses with :class:`CycleError` (and changes nothing) unless
    ``user`` is in the body's secretariat, the cycle is not finalised or published, and the
    resulting deadlines are in phase order. Each deadline that changes is audited as
    ``cycle.deadline`` (old and new in ISO format), in phase order. Updates ``cycle`` in place and
    returns it. A name that is not a deadline is a :class:`TypeError`.
    """
    unknown = sorted(set(deadlines) - set(DEADLINES))
    if unknown:
        raise TypeError(f"not a deadline: {', '.join(unknown)}")
    require_secretariat(user, cycle.body)
    stored = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if stored.phase in CLOSED:
        raise CycleError(_("Deadlines cannot be changed after finalisation."))
    wanted = {name: deadlines.get(name, getattr(stored, name)) for name in DEADLINES}
    _check_deadline_order(wanted)
    changed = [name for name in DEADLINES if wanted[name] != getattr(stored, name)]
    for name in DEADLINES:
        setattr(cycle, name, wanted[name])
    if changed:
        cycle.save(update_fields=changed)
    for name in changed:
        before, after = getattr(stored, name), wanted[name]
        record(
            user,
            "cycle.deadline",
            obj=cycle,
            cycle_id=cycle.pk,
            phase=stored.phase,
            field=name,
            old=before.isoformat() if before else None,
            new=after.isoformat() if after else None,
        )
    return cycle


@transaction.atomic
def set_assignments(user: Any, cycle: Cycle, pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """Secretariat: make the cycle's assignments exactly ``pairs`` of (unit id, appraiser id).

    Refuses with :class:`CycleError` (and changes nothing) unless ``user`` is in the body's
    secretariat, the cycle is not finalised or published, every unit is in the cycle's scope and
    every appraiser holds the appraiser role in the cycle's body. Each assignment added or removed
    is audited (``assignment.add`` / ``assignment.remove``, field ``appraiser``, the appraiser's
    user name). Returns (assignments added, assignments removed).
    """
    require_secretariat(user, cycle.body)
    stored = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if stored.phase in CLOSED:
        raise CycleError(_("Assignments cannot be changed after finalisation."))
    wanted = {(int(unit), int(person)) for unit, person in pairs}
    units = {a.unit_id: a.unit for a in cycle.assessments.select_related("unit")}
    people = {
        p.pk: p
        for p in get_user_model().objects.filter(
            memberships__role=Role.APPRAISER, memberships__body=cycle.body_id
        )
    }
    if any(unit not in units for unit, _person in wanted):
        raise CycleError(_("Only the units in the cycle's scope can be assigned."))
    if any(person not in people for _unit, person in wanted):
        raise CycleError(_("Only appraisers of %(body)s can be assigned.") % {"body": cycle.body})
    current = {
        (a.unit_id, a.appraiser_id): a
        for a in cycle.assignments.select_related("unit", "appraiser")
    }
    added, removed = sorted(wanted - current.keys()), sorted(current.keys() - wanted)
    for unit_id, person_id in added:
        assignment = Assignment.objects.create(
            cycle=cycle, unit=units[unit_id], appraiser=people[person_id]
        )
        _assignment_audit(
            user, stored, "assignment.add", assignment, new=assignment.appraiser.get_username()
        )
    for key in removed:
        assignment = current[key]
        _assignment_audit(
            user, stored, "assignment.remove", assignment, old=assignment.appraiser.get_username()
        )
        assignment.delete()
    return len(added), len(removed)


def _assignment_audit(
    user: Any, cycle: Cycle, action: str, assignment: Assignment, **change: Any
) -> None:
    record(
        user,
        action,
        obj=assignment,
        cycle_id=cycle.pk,
        unit_code=assignment.unit.code,
        phase=cycle.phase,
        field="appraiser",
        **change,
    )


# --- self-assessment ----------------------------------------------------------------------


def _entry_audit(user: Any, entry: Entry, field: str, old: Any, new: Any, reason: str = "") -> None:
    append(_entry_change(user, entry, field, old, new, reason))


def _entry_change(
    user: Any, entry: Entry, field: str, old: Any, new: Any, reason: str = ""
) -> list[AuditRecord]:
    """The audit record of a leaf's field changing from ``old`` to ``new``; none if equal."""
    if old == new:
        return []
    return [
        audit_entry(
            user,
            f"entry.{field}",
            obj=entry,
            cycle_id=entry.assessment.cycle_id,
            unit_code=entry.assessment.unit.code,
            code=entry.code,
            phase=entry.assessment.cycle.phase,
            field=field,
            old=old,
            new=new,
            reason=reason,
        )
    ]


def _locked_update(entry: Entry, version: int, **fields: Any) -> Entry:
    """Save ``fields`` if nobody saved since ``version``; else raise :class:`Conflict`.

    Returns the entry as stored. Every writer of an entry's fields raises its version (but
    finalisation, which writes only ``final_points`` once no save or appraisal is open), so when
    ``entry`` was loaded at ``version`` and the UPDATE matched that version, the row now holds
    ``entry`` with ``fields``: ``entry`` itself is updated and returned, without reading the row
    back. Otherwise (the caller's entry is older or newer than ``version``) the row is read.
    """
    changes = {"version": version + 1, "updated_at": timezone.now(), **fields}
    updated = Entry.objects.filter(pk=entry.pk, version=version).update(**changes)
    if updated and entry.version == version:
        for name, value in changes.items():
            setattr(entry, name, value)
        return entry
    fresh = Entry.objects.select_related("updated_by").get(pk=entry.pk)
    fresh.assessment = entry.assessment  # the same row, already loaded with cycle and unit
    if not updated:
        raise Conflict(fresh, fields)
    return fresh


class InputRefused(CycleError):
    """A value the request may not hold, whatever the phase: an input the leaf's rule does not
    accept, points out of range, a missing reason, a document that is not the unit's. ``field``
    names it (or is None). The API answers 422, not 409 (docs/api.md)."""

    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        super().__init__(message)


def score_input(cycle: Cycle, code: str, inputs: Mapping[str, object]) -> Decimal:
    """Points the leaf's rule gives; :class:`InputRefused` naming the field on bad input.

    The input is checked against the rule's declared inputs (``parindex.check_inputs``: bounds,
    whole counts, one input mode, achieved above planned where the rule refuses it) first, so
    no entry point (form, workbook, API) can save what the rule does not accept.
    """
    try:
        return parindex.score_leaf(cycle.core(), code, inputs)
    except parindex.InputError as exc:
        problem = exc.problems[0]
        field = problem.location.column
        raise InputRefused(
            field,
            _("%(field)s: %(message)s") % {"field": field or code, "message": describe(problem)},
        ) from None


def require_officer_can_edit(assessment: Assessment) -> None:
    require_phase(assessment.cycle, Phase.SELF_ASSESSMENT)
    if assessment.status != Assessment.Status.DRAFT:
        raise CycleError(
            _("The self-assessment has been submitted; ask the secretariat to reopen it.")
        )


@transaction.atomic
def save_self_assessment(
    user: Any,
    entry: Entry,
    *,
    inputs: Mapping[str, object],
    note: str,
    version: int,
    evidence_ids: Iterable[int] | None = None,
) -> Entry:
    """Officer: save a leaf's input and note; points come from the leaf's rule.

    ``evidence_ids`` (optional) become the leaf's documents: every one must be the unit's, else
    :class:`CycleError` and nothing is saved.
    """
    assessment = entry.assessment
    require_officer_can_edit(assessment)
    source = assessment.cycle.core().source_of(entry.code)
    if source is not parindex.Source.APPRAISAL:
        raise CycleError(_("This criterion is filled from surveys or service data."))
    try:  # the forms and the API check it first; this is the last guard
        note = checked_text(note, "note")
    except ValueError as exc:
        raise InputRefused("note", str(exc)) from None
    documents = None if evidence_ids is None else _units_documents(assessment, evidence_ids)
    # JSON cannot hold a Decimal (a form's DecimalField gives one): keep it as exact text.
    clean = {
        k: f"{v:f}" if isinstance(v, Decimal) else v
        for k, v in inputs.items()
        if v is not None and v != ""
    }
    points = score_input(assessment.cycle, entry.code, clean)
    old_inputs, old_points, old_note = entry.inputs, entry.self_points, entry.note
    fresh = _locked_update(
        entry, version, inputs=clean, self_points=points, note=note, updated_by=user
    )
    append(
        [
            *_entry_change(user, fresh, "inputs", old_inputs, clean),
            *_entry_change(user, fresh, "self_points", old_points, points),
            *_entry_change(user, fresh, "note", old_note, note),
            *([] if documents is None else _evidence_change(user, fresh, exactly=documents)),
        ]
    )
    return fresh


@transaction.atomic
def link_evidence(user: Any, entry: Entry, documents: Iterable[Evidence | int]) -> None:
    """Officer: make ``documents`` (the unit's documents, or their ids) exactly those of a leaf.

    Refuses with :class:`CycleError` (and changes nothing) unless the officer can edit the
    self-assessment (its phase, before the deadline, not signed off), the leaf is scored by
    appraisal (not from surveys or service data), and every document is one of the same
    assessment's. Audited as ``entry.evidence`` with the sorted ids before and after, only when
    the set changes.
    """
    assessment = entry.assessment
    require_officer_can_edit(assessment)
    if assessment.cycle.core().source_of(entry.code) is not parindex.Source.APPRAISAL:
        raise CycleError(_("This criterion is filled from surveys or service data."))
    ids = [d.pk if isinstance(d, Evidence) else int(d) for d in documents]
    append(_evidence_change(user, entry, exactly=_units_documents(assessment, ids)))


def _units_documents(assessment: Assessment, ids: Iterable[int]) -> list[Evidence]:
    """The assessment's documents with these ids; :class:`InputRefused` (``evidence``) if any
    id is not one."""
    wanted = set(ids)
    found = list(Evidence.objects.filter(assessment=assessment, pk__in=wanted))
    if len(found) != len(wanted):
        raise InputRefused(
            "evidence", _("Only the unit's own documents can be attached to its criteria.")
        )
    return found


def _evidence_change(
    user: Any,
    entry: Entry,
    *,
    exactly: Iterable[Evidence] | None = None,
    adding: Iterable[Evidence] = (),
) -> list[AuditRecord]:
    """Make the leaf's documents ``exactly`` these (or its current ones plus ``adding``).

    Returns the audit record (sorted ids before and after) for the caller to :func:`append`
    with the rest of its change; none if the set is unchanged. A set that only grows is
    written with ``add`` (one read of the current ids, one INSERT), else with ``set``.
    """
    current = set(entry.evidence.values_list("pk", flat=True))
    wanted = {e.pk for e in exactly} if exactly is not None else current | {e.pk for e in adding}
    if wanted == current:
        return []
    if wanted > current:
        entry.evidence.add(*(wanted - current))
    else:
        entry.evidence.set(wanted)
    return _entry_change(user, entry, "evidence", sorted(current), sorted(wanted))


class EvidenceRefused(CycleError):
    """An evidence file refused for what its bytes are (or its name): the API answers 422."""


# What a refused file was found to be, by the MIME type the core found in its bytes.
_FOUND = {
    "application/x-executable": gettext_lazy("an executable program"),
    "application/x-msdownload": gettext_lazy("a Windows program"),
    "text/x-shellscript": gettext_lazy("a script"),
    "text/html": gettext_lazy("an HTML page"),
    "image/svg+xml": gettext_lazy("an SVG image"),
    "application/xml": gettext_lazy("an XML document"),
    "application/x-ole-storage": gettext_lazy(
        "an OLE2 compound file that is not a Word or Excel document"
    ),
    "application/vnd.ms-office.vbaProject": gettext_lazy("an Office document with macros"),
    "application/octet-stream": gettext_lazy("a file of unknown type"),
}


def accepted_types() -> str:
    """The accepted evidence types as people know them: "PDF, JPEG, PNG, …"."""
    return ", ".join(LABELS.get(t, t) for t in settings.PARINDEX_EVIDENCE_TYPES)


def evidence_type(upload: UploadedFile) -> str:
    """The upload's MIME type, found in its bytes by the core (the declared type and the name's
    extension are not trusted); :class:`EvidenceRefused`, saying what it is, when refused."""
    name = upload.name or ""
    try:
        found = parindex.detect_file_type(
            cast(BinaryIO, upload), name, settings.PARINDEX_EVIDENCE_TYPES
        )
    except parindex.FileTypeError as exc:
        raise EvidenceRefused(_file_type_message(exc)) from None
    return found.mime


def _file_type_message(exc: parindex.FileTypeError) -> str:
    p, allowed = exc.params, accepted_types()
    if exc.code == "dangerous_name":
        return _(
            "The file name “%(name)s” ends in %(extension)s, a kind of file that runs a program "
            "or opens as a web page: it is not accepted. Accepted types: %(allowed)s."
        ) % {**p, "allowed": allowed}
    if exc.code == "empty":
        return _("The file is empty.")
    if exc.code == "damaged":
        return _(
            "The file starts as a ZIP archive (as Word and Excel documents do) but cannot be "
            "read: it is damaged or incomplete."
        )
    found = p["found"]
    if found in _FOUND:
        label = str(_FOUND[found])
    elif found in KNOWN_TYPES:  # a known type this installation does not accept
        label = _("a %(type)s file") % {"type": p["label"]}
    else:
        label = _("a file of type “%(type)s”") % {"type": p["label"]}
    return _("This file is %(found)s (%(mime)s), not one of the accepted types: %(allowed)s.") % {
        "found": label,
        "mime": found,
        "allowed": allowed,
    }


@transaction.atomic
def add_evidence(
    user: Any,
    assessment: Assessment,
    upload: UploadedFile,
    *,
    doc_number: str = "",
    doc_date: Any = None,
    issuer: str = "",
    entry: Entry | None = None,
) -> Evidence:
    """Store an evidence file by content hash (once per unit and cycle), optionally on a leaf.

    ``entry`` must be a leaf of the same assessment (else :class:`CycleError`); the document is
    added to its documents. The new document and the leaf's new list are audited together.
    """
    if entry is not None and entry.assessment_id != assessment.pk:
        raise CycleError(_("Only the unit's own documents can be attached to its criteria."))
    if entry is None and assessment.cycle.phase == Phase.EXPLANATION:
        require_phase(assessment.cycle, Phase.EXPLANATION)  # documents for an explanation
    else:
        require_officer_can_edit(assessment)
    limit = settings.PARINDEX_EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise CycleError(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    content_type = evidence_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    records: list[AuditRecord] = []
    # One read answers both "does the unit have it already?" (its own row first) and "are
    # these bytes stored for another unit?" (share that file rather than write it again).
    stored = (
        Evidence.objects.filter(sha256=sha)
        .filter(Q(assessment=assessment) | ~Q(file=""))
        .order_by(Case(When(assessment=assessment, then=0), default=1), "pk")
        .first()
    )
    evidence = stored if stored is not None and stored.assessment_id == assessment.pk else None
    if evidence is None:
        evidence = Evidence(
            assessment=assessment,
            sha256=sha,
            size=upload.size,
            content_type=content_type,
            original_name=(upload.name or "document")[:255],
            doc_number=doc_number,
            doc_date=doc_date,
            issuer=issuer,
            uploaded_by=user,
        )
        if stored is not None:  # the same bytes are already stored: share the file
            evidence.file.name = stored.file.name
        else:
            evidence.file.name = storage.store(upload.chunks(), sha)  # whole or not at all
        evidence.save()
        records += [
            audit_entry(
                user,
                "evidence.add",
                obj=evidence,
                cycle_id=assessment.cycle_id,
                unit_code=assessment.unit.code,
                phase=assessment.cycle.phase,
                field="file",
                new=f"{evidence.original_name} sha256:{sha}",
            )
        ]
    if entry is not None:
        records += _evidence_change(user, entry, adding=[evidence])
    append(records)
    return evidence


def _unfilled(assessment: Assessment, field: str) -> list[str]:
    """Appraisal leaves, in methodology order, whose ``field`` is empty or that have no entry."""
    core = assessment.cycle.core()
    filled = set(
        assessment.entries.filter(**{f"{field}__isnull": False}).values_list("code", flat=True)
    )
    return [
        leaf.code
        for leaf in core.leaves
        if core.source_of(leaf.code) is parindex.Source.APPRAISAL and leaf.code not in filled
    ]


@transaction.atomic
def sign_off(user: Any, assessment: Assessment) -> None:
    """Leader: sign off and submit. Every appraisal leaf needs its input first, and a leaf whose
    methodology makes its evidence mandatory needs a document if it claims points
    (:func:`.evidence_status.at_sign_off`; other leaves lacking evidence do not stop it)."""
    require_officer_can_edit(assessment)
    missing = _unfilled(assessment, "self_points")
    if missing:
        raise CycleError(
            _("Fill in every criterion before signing off. Missing: %(codes)s")
            % {"codes": ", ".join(missing)}
        )
    refused = evidence_status.at_sign_off(assessment).refused
    if refused:
        raise CycleError(
            _(
                "The methodology makes evidence mandatory for these criteria, which claim points "
                "without a document: attach one to each (or claim 0 points) before signing off. "
                "Missing for: %(codes)s"
            )
            % {"codes": ", ".join(refused)}
        )
    _set_status(user, assessment, Assessment.Status.SUBMITTED)
    assessment.signed_by, assessment.signed_at = user, timezone.now()
    assessment.save(update_fields=["signed_by", "signed_at"])
    handovers.signed_off(assessment)


SENT_BACK = "assessment.sent_back"


@transaction.atomic
def send_back(user: Any, assessment: Assessment, comment: str) -> None:
    """Leader: return the draft to the unit's officers with a comment instead of signing off.

    Only a leader of the unit, while the officers may still edit it; the comment is required,
    audited (``assessment.sent_back``, its ``reason``) and e-mailed to the unit's officers.
    """
    if not access.is_leader(user, assessment):
        raise CycleError(_("Only the unit's leaders can send the self-assessment back."))
    require_officer_can_edit(assessment)
    if not comment.strip():
        raise CycleError(_("Write a comment for the officers."))
    record(
        user,
        SENT_BACK,
        obj=assessment,
        cycle_id=assessment.cycle_id,
        unit_code=assessment.unit.code,
        phase=assessment.cycle.phase,
        field="status",
        old=assessment.status,
        new=assessment.status,
        reason=comment.strip(),
    )
    handovers.sent_back(assessment, comment.strip())


def sent_back(assessment: Assessment) -> AuditRecord | None:
    """The leader's latest send-back (its ``reason`` is the comment) while it still stands: a
    later sign-off or status change ends it."""
    latest = (
        AuditRecord.objects.filter(
            object_type=assessment._meta.label_lower,
            object_id=str(assessment.pk),
            action__in=[SENT_BACK, "assessment.status"],
        )
        .order_by("-at", "-pk")
        .first()
    )
    if latest is None or latest.action != SENT_BACK or assessment.status != Assessment.Status.DRAFT:
        return None
    return latest


# --- appraisal ------------------------------------------------------------------------------


@transaction.atomic
def appraise(
    user: Any,
    entry: Entry,
    *,
    points: Decimal | None = None,
    reason: str,
    version: int,
    accept: bool = False,
    replace: bool = False,
) -> Entry:
    """Appraiser: accept or set a leaf's score; a reason is required when it differs.

    ``accept``: the self-assessed points become the appraised score (``points`` is ignored).
    Accepting over an appraised score that differs (a reasoned decision) is refused unless
    ``replace`` is given with a reason for the change.
    """
    assessment = entry.assessment
    require_phase(assessment.cycle, Phase.APPRAISAL)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise CycleError(_("Only a submitted self-assessment can be appraised."))
    if accept:
        if entry.self_points is None:
            raise CycleError(_("There are no self-assessed points to accept."))
        differs = entry.appraised_points not in (None, entry.self_points)
        if differs and not replace:
            raise CycleError(
                _(
                    "This criterion already has an appraised score that differs from the "
                    "self-assessment. To replace it with the self-assessed points, use "
                    "“Replace with the self-assessed points” and give the reason."
                )
            )
        if differs and not reason.strip():
            raise InputRefused("reason", _("Give a reason for replacing the appraised score."))
        points = entry.self_points
    if points is None:
        raise InputRefused(
            "points", _("Enter the appraised points, or accept the self-assessment.")
        )
    node = assessment.cycle.core().by_code[entry.code]
    if not Decimal(0) <= points <= node.max_points:
        raise InputRefused(
            "points",
            _("Points must be between 0 and %(max)s.")
            % {"max": f"{node.max_points.normalize():f}"},
        )
    if points != entry.self_points and not reason.strip():
        raise InputRefused(
            "reason", _("Give a reason when the appraised score differs from the self-assessment.")
        )
    old = entry.appraised_points
    fresh = _locked_update(
        entry, version, appraised_points=points, appraisal_reason=reason, appraised_by=user
    )
    _entry_audit(user, fresh, "appraised_points", old, points, reason)
    return fresh


def fingerprint(items: Any) -> str:
    """What a confirmation page carries for the list it showed: the count and a digest of
    ``items`` (JSON data), so a confirmation given for one list does not pass for a changed
    one (the phase pre-flight's table, the leaves "accept all remaining" accepts)."""
    digest = hashlib.sha256(json.dumps(items, default=str).encode()).hexdigest()
    return f"{len(items)}-{digest[:12]}"


class StaleList(CycleError):
    """The list a confirmation was given for has changed since the page was shown."""


def remaining_to_accept(assessment: Assessment, *, lock: bool = False) -> list[Entry]:
    """The appraisal leaves "accept all remaining" accepts, in methodology order: those with
    self-assessed points and no appraised score yet (an appraised leaf is never among them).

    ``lock``: lock the rows until the transaction ends (inside :func:`accept_remaining`).
    """
    core = assessment.cycle.core()
    order = {
        leaf.code: i
        for i, leaf in enumerate(core.leaves)
        if core.source_of(leaf.code) is parindex.Source.APPRAISAL
    }
    rows = assessment.entries.filter(
        code__in=order, self_points__isnull=False, appraised_points__isnull=True
    )
    if lock:
        rows = rows.select_for_update()
    entries = sorted(rows, key=lambda e: order[e.code])
    for entry in entries:
        entry.assessment = assessment  # already loaded with its cycle and unit
    return entries


def remaining_fingerprint(entries: Iterable[Entry]) -> str:
    """The :func:`fingerprint` of the leaves to accept: ids, versions and points."""
    return fingerprint([[e.pk, e.version, f"{e.self_points}"] for e in entries])


def points_total(entries: Iterable[Entry]) -> Decimal:
    """The self-assessed points of ``entries`` added up (exact): what accepting them adds."""
    return sum((e.self_points for e in entries if e.self_points is not None), Decimal(0))


@transaction.atomic
def accept_remaining(user: Any, assessment: Assessment, confirmed: str) -> list[Entry]:
    """Assigned appraiser: accept the self-assessed points of every leaf not appraised yet.

    ``confirmed`` is the :func:`remaining_fingerprint` of the list the appraiser was shown;
    :class:`StaleList` (and nothing saved) if the list has changed since. Only in the
    appraisal phase before its deadline, for a submitted self-assessment. One transaction:
    each leaf is audited as a single accept is (``entry.appraised_points``), then the bulk
    action once (``assessment.accept_remaining``, the codes and the total). Returns the leaves
    accepted; each can still be changed one by one.
    """
    require_phase(assessment.cycle, Phase.APPRAISAL)
    if not access.is_appraiser(user, assessment):
        raise CycleError(_("Only the appraisers assigned to this unit can appraise it."))
    if assessment.status != Assessment.Status.SUBMITTED:
        raise CycleError(_("Only a submitted self-assessment can be appraised."))
    entries = remaining_to_accept(assessment, lock=True)
    if confirmed != remaining_fingerprint(entries):
        raise StaleList(
            _(
                "The criteria left to accept have changed since the list was shown (someone "
                "appraised or changed one). Nothing was accepted: read the new list and "
                "confirm again."
            )
        )
    if not entries:
        raise CycleError(_("Every criterion with self-assessed points is already appraised."))
    now = timezone.now()
    Entry.objects.filter(pk__in=[e.pk for e in entries]).update(
        appraised_points=F("self_points"),
        appraisal_reason="",
        appraised_by=user,
        version=F("version") + 1,
        updated_at=now,
    )
    records: list[AuditRecord] = []
    for entry in entries:
        entry.appraised_points, entry.appraisal_reason, entry.appraised_by = (
            entry.self_points,
            "",
            user,
        )
        entry.version, entry.updated_at = entry.version + 1, now
        records += _entry_change(user, entry, "appraised_points", None, entry.self_points)
    total = points_total(entries)
    records.append(
        audit_entry(
            user,
            "assessment.accept_remaining",
            obj=assessment,
            cycle_id=assessment.cycle_id,
            unit_code=assessment.unit.code,
            phase=assessment.cycle.phase,
            field="appraised_points",
            new={"count": len(entries), "codes": [e.code for e in entries], "total": f"{total:f}"},
        )
    )
    append(records)
    return entries


@transaction.atomic
def complete_appraisal(user: Any, assessment: Assessment) -> None:
    """Appraiser: every appraisal leaf has an appraised score; notify the unit."""
    require_phase(assessment.cycle, Phase.APPRAISAL)
    missing = _unfilled(assessment, "appraised_points")
    if missing:
        raise CycleError(
            _("Appraise every criterion first. Missing: %(codes)s") % {"codes": ", ".join(missing)}
        )
    if assessment.status != Assessment.Status.SUBMITTED:
        raise CycleError(_("Only a submitted self-assessment can be appraised."))
    _set_status(user, assessment, Assessment.Status.APPRAISED)
    assessment.appraised_at = timezone.now()
    assessment.save(update_fields=["appraised_at"])
    handovers.appraised(assessment)


# --- explanations -----------------------------------------------------------------------------


@transaction.atomic
def explain(user: Any, entry: Entry, *, text: str, evidence_ids: Iterable[int] = ()) -> Explanation:
    """Unit officer: reply to the appraisal of a leaf during the explanation window."""
    require_phase(entry.assessment.cycle, Phase.EXPLANATION)
    if entry.appraised_points is None:
        raise CycleError(_("This criterion has not been appraised."))
    if not text.strip():
        raise CycleError(_("Write the explanation."))
    if entry.explanations.filter(status=Explanation.Status.PENDING).exists():
        raise CycleError(_("An explanation for this criterion is already awaiting a decision."))
    documents = _units_documents(entry.assessment, evidence_ids)
    explanation = Explanation.objects.create(entry=entry, text=text, submitted_by=user)
    explanation.evidence.set(documents)
    _entry_audit(user, entry, "explanation", None, text)
    handovers.explanation_filed(explanation)
    return explanation


@transaction.atomic
def decide(
    user: Any, explanation: Explanation, *, accept: bool, points: Decimal | None, reason: str
) -> None:
    """Appraiser: accept (with the points that now count) or reject an explanation."""
    entry = explanation.entry
    require_phase(entry.assessment.cycle, Phase.EXPLANATION, deadline=False)
    if explanation.status != Explanation.Status.PENDING:
        raise CycleError(_("This explanation has already been decided."))
    if not reason.strip():
        raise CycleError(_("Give a reason for the decision."))
    node = entry.assessment.cycle.core().by_code[entry.code]
    if accept:
        points = entry.self_points if points is None else points
        if points is None or not Decimal(0) <= points <= node.max_points:
            raise CycleError(
                _("Points must be between 0 and %(max)s.")
                % {"max": f"{node.max_points.normalize():f}"}
            )
    explanation.status = Explanation.Status.ACCEPTED if accept else Explanation.Status.REJECTED
    explanation.decided_points = points if accept else None
    explanation.decision_reason, explanation.decided_by = reason, user
    explanation.decided_at = timezone.now()
    explanation.save()
    _entry_audit(
        user,
        entry,
        "explanation_decision",
        entry.appraised_points,
        points if accept else entry.appraised_points,
        reason,
    )
    handovers.explanation_decided(explanation)


# --- survey and service-data points ----------------------------------------------------------


@transaction.atomic
def set_external_points(user: Any, cycle: Cycle, rows: Mapping[tuple[str, str], Decimal]) -> int:
    """Secretariat: points of survey/SIPAS/data leaves, by (unit code, leaf code). All or nothing."""
    require_phase(cycle, Phase.SELF_ASSESSMENT, Phase.APPRAISAL, Phase.EXPLANATION, deadline=False)
    core = cycle.core()
    # The entries asked for (and a few more), locked until the import ends.
    entries = {
        (e.assessment.unit.code, e.code): e
        for e in Entry.objects.filter(
            assessment__cycle=cycle,
            assessment__unit__code__in={unit for unit, _code in rows},
            code__in={code for _unit, code in rows},
        )
        .select_related("assessment__unit")
        .select_for_update(of=("self",))
    }
    problems = []
    for (unit, code), points in rows.items():
        if (unit, code) not in entries:
            problems.append(
                _("%(unit)s / %(code)s: no such unit or criterion in this cycle")
                % {"unit": unit, "code": code}
            )
        elif core.source_of(code) is parindex.Source.APPRAISAL:
            problems.append(
                _("%(code)s is scored by appraisal, not from surveys or data") % {"code": code}
            )
        elif not Decimal(0) <= points <= core.by_code[code].max_points:
            problems.append(
                _("%(unit)s / %(code)s: points outside the maximum") % {"unit": unit, "code": code}
            )
    if problems:
        raise CycleError("; ".join(problems))
    for key, points in rows.items():
        entry = entries[key]
        old = entry.external_points
        Entry.objects.filter(pk=entry.pk).update(
            external_points=points, version=F("version") + 1, updated_at=timezone.now()
        )
        entry.external_points = points
        _entry_audit(user, entry, "external_points", old, points)
    return len(rows)


# --- finalisation and publication ---------------------------------------------------------------


def final_scores(cycle: Cycle) -> dict[str, dict[str, Decimal]]:
    """Unit code → leaf code → points that count (final once finalised)."""
    core = cycle.core()
    scores: dict[str, dict[str, Decimal]] = {}
    entries = (
        Entry.objects.filter(assessment__cycle=cycle)
        .select_related("assessment__unit")
        .prefetch_related("explanations")
        .order_by("assessment__unit__code", "pk")
    )
    for entry in entries:
        unit = entry.assessment.unit.code
        points = (
            entry.final_points
            if cycle.phase in (Phase.FINALISED, Phase.PUBLISHED)
            else (entry.result_points(core.source_of(entry.code)))
        )
        scores.setdefault(unit, {})
        if points is not None:
            scores[unit][entry.code] = points
    return scores


def compute_results(cycle: Cycle) -> parindex.Results:
    """Results with the core engine, from the points that count now."""
    return parindex.compute(cycle.core(), final_scores(cycle))


@transaction.atomic
def finalise(user: Any, cycle: Cycle) -> None:
    """Secretariat: lock every score. Pending explanations must be decided first."""
    require_phase(cycle, Phase.EXPLANATION, deadline=False)
    pending = Explanation.objects.filter(
        entry__assessment__cycle=cycle, status=Explanation.Status.PENDING
    ).count()
    if pending:
        raise CycleError(_("%(n)s explanation(s) still await a decision.") % {"n": pending})
    core = cycle.core()
    entries = list(Entry.objects.filter(assessment__cycle=cycle).prefetch_related("explanations"))
    for entry in entries:
        entry.final_points = entry.result_points(core.source_of(entry.code))
    # A national cycle has tens of thousands of leaves: batched updates, not one per entry.
    Entry.objects.bulk_update(entries, ["final_points"], batch_size=500)
    cycle.assessments.update(status=Assessment.Status.FINAL)
    _set_phase(user, cycle, Phase.FINALISED)


@transaction.atomic
def correct_final_points(
    user: Any, cycle: Cycle, *, unit_code: str, code: str, points: Decimal, reason: str
) -> Entry:
    """Secretariat: correct a locked score after finalisation, with a reason (audited).

    The published snapshot is not touched: publishing again makes the correction a new,
    visible version.
    """
    require_phase(cycle, Phase.FINALISED, Phase.PUBLISHED)
    if not reason.strip():
        raise CycleError(_("Give a reason for the correction."))
    core = cycle.core()
    if not core.is_leaf(code):
        raise CycleError(_("%(code)s is not a criterion of this methodology.") % {"code": code})
    if not Decimal(0) <= points <= core.by_code[code].max_points:
        raise CycleError(
            _("Points must be between 0 and %(max)s.")
            % {"max": f"{core.by_code[code].max_points.normalize():f}"}
        )
    entry = (
        Entry.objects.select_related("assessment__unit", "assessment__cycle")
        .select_for_update(of=("self",))
        .filter(assessment__cycle=cycle, assessment__unit__code=unit_code, code=code)
        .first()
    )
    if entry is None:
        raise CycleError(_("No such unit in this cycle."))
    old = entry.final_points
    Entry.objects.filter(pk=entry.pk).update(
        final_points=points, version=F("version") + 1, updated_at=timezone.now()
    )
    entry.refresh_from_db(fields=["final_points", "version", "updated_at"])
    _entry_audit(user, entry, "final_points", old, points, reason)
    return entry


def scores_csv(scores: Mapping[str, Mapping[str, Decimal]], core: parindex.Methodology) -> str:
    """Long-form ``unit,code,points`` as the CLI reads it; leaves in methodology order.

    A unit without any points is written with 0 for every leaf (what ``compute`` counts for it),
    so that the CLI sees the unit too and reproduces the published results.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "code", "points"])
    for unit in sorted(scores):
        for leaf in core.leaves:
            if leaf.code in scores[unit]:
                writer.writerow([unit, leaf.code, f"{scores[unit][leaf.code].normalize():f}"])
            elif not scores[unit]:
                writer.writerow([unit, leaf.code, "0"])
    return out.getvalue()


@transaction.atomic
def publish(user: Any, cycle: Cycle, reason: str = "") -> Publication:
    """Secretariat: freeze a snapshot (methodology, inputs, results, content hash).

    The first publication needs a finalised cycle; a later one is a correction and needs a reason.
    """
    previous = cycle.publications.aggregate(v=Max("version"))["v"] or 0
    if previous == 0 and cycle.phase != Phase.FINALISED:
        raise CycleError(_("Finalise the cycle before publishing."))
    if previous and not reason.strip():
        raise CycleError(_("A new version of published results needs a reason (the correction)."))
    core = cycle.core()
    scores = final_scores(cycle)
    results = parindex.compute(core, scores)
    inputs = scores_csv(scores, core)
    results_csv = parindex.results_to_csv(results)
    results_json = parindex.results_to_dict(results)
    digest = hashlib.sha256()
    for part in (cycle.methodology.source_text, inputs, results_csv):
        digest.update(hashlib.sha256(part.encode("utf-8")).digest())
    publication = Publication.objects.create(
        cycle=cycle,
        version=previous + 1,
        published_by=user,
        reason=reason,
        methodology_text=cycle.methodology.source_text,
        methodology_format=cycle.methodology.source_format,
        scores_csv=inputs,
        results_csv=results_csv,
        results_json=json.loads(json.dumps(results_json)),
        content_hash=digest.hexdigest(),
    )
    if cycle.phase != Phase.PUBLISHED:
        cycle.phase = Phase.PUBLISHED
        cycle.save(update_fields=["phase"])
    record(
        user,
        "cycle.publish",
        obj=publication,
        cycle_id=cycle.pk,
        phase=cycle.phase,
        field="version",
        old=previous or None,
        new=publication.version,
        reason=reason,
    )
    handovers.published(publication)
    return publication
