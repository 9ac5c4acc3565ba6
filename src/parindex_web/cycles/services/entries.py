"""What every action on a leaf shares: the versioned update, its audit records, the unit's
documents and the leaves still unfilled."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

import parindex
from parindex.compute import check_scores
from parindex_web.audit.models import AuditRecord, append
from parindex_web.audit.models import entry as audit_entry
from parindex_web.lib.users import User

from ..models import (
    Assessment,
    Cycle,
    Entry,
    Evidence,
)
from .errors import Conflict, CycleError, InputRefused


def _entry_audit(
    user: User, entry: Entry, field: str, old: Any, new: Any, reason: str = ""
) -> None:
    append(_entry_change(user, entry, field, old, new, reason))


def _entry_change(
    user: User, entry: Entry, field: str, old: Any, new: Any, reason: str = ""
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


def entry_row_change(
    user: User,
    cycle: Cycle,
    entry_id: int,
    unit_code: str,
    code: str,
    field: str,
    old: Any,
    new: Any,
) -> list[AuditRecord]:
    """:func:`_entry_change` for an entry known by its id, unit and leaf (a set-based step
    reads rows, not model instances): the same record, the same hash."""
    if old == new:
        return []
    rec = audit_entry(
        user,
        f"entry.{field}",
        cycle_id=cycle.pk,
        unit_code=unit_code,
        code=code,
        phase=cycle.phase,
        field=field,
        old=old,
        new=new,
    )
    rec.object_type, rec.object_id = Entry._meta.label_lower, str(entry_id)
    return [rec]


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


def _units_documents(assessment: Assessment, ids: Iterable[int]) -> list[Evidence]:
    """The assessment's documents with these ids; :class:`InputRefused` (``evidence``) if any
    id is not one."""
    wanted = set(ids)
    found = list(Evidence.objects.filter(assessment=assessment, pk__in=wanted))
    if len(found) != len(wanted):
        raise InputRefused(
            _("Only the unit's own documents can be attached to its criteria."), "evidence"
        )
    return found


def _evidence_change(
    user: User,
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


def checked_points(core: parindex.Methodology, code: str, points: Decimal | None) -> Decimal:
    """``points`` for the leaf ``code`` if given and within 0 and the leaf's maximum (the core's
    check, :func:`parindex.compute.check_scores`); else :class:`InputRefused` on ``points``.

    The one range check of every score a person enters: appraised, decided on an explanation,
    corrected after finalisation, from surveys and service data.
    """
    if points is None or check_scores(core, {"": {code: points}}):
        maximum = core.by_code[code].max_points
        raise InputRefused(
            _("Points must be between 0 and %(max)s.") % {"max": f"{maximum.normalize():f}"},
            "points",
            "points_range",
        )
    return points


def require_appraisal_leaf(core: parindex.Methodology, code: str) -> None:
    """Refuse (:class:`CycleError` on ``code``, code ``not_appraised``) unless the leaf is
    scored by appraisal: survey and service-data leaves are neither self-assessed nor
    appraised, their points come from :func:`.external.set_external_points`."""
    if core.source_of(code) is not parindex.Source.APPRAISAL:
        raise CycleError(
            _("This criterion is filled from surveys or service data."), "code", "not_appraised"
        )
