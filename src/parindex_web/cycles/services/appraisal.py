"""The appraisal: an appraiser's score for each leaf, "accept all remaining" and completion."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

import parindex
from parindex_web.audit.models import AuditRecord, append
from parindex_web.audit.models import entry as audit_entry
from parindex_web.lib.users import User
from parindex_web.notifications import services as handovers

from .. import access
from ..models import (
    Assessment,
    Entry,
    Phase,
)
from .entries import (
    _entry_audit,
    _entry_change,
    _locked_update,
    _unfilled,
    checked_points,
    require_appraisal_leaf,
)
from .errors import CycleError, InputRefused, StaleList
from .phases import _set_status, require_phase


def _require_appraising(user: User, assessment: Assessment) -> None:
    """Refuse unless the appraisal phase is open (before its deadline), ``user`` is assigned to
    appraise the unit and the self-assessment is submitted."""
    require_phase(assessment.cycle, Phase.APPRAISAL)
    if not access.is_appraiser(user, assessment):
        raise CycleError(
            _("Only the appraisers assigned to this unit can appraise it."), code="not_assigned"
        )
    if assessment.status != Assessment.Status.SUBMITTED:
        raise CycleError(_("Only a submitted self-assessment can be appraised."))


@transaction.atomic
def appraise(
    user: User,
    entry: Entry,
    *,
    points: Decimal | None = None,
    reason: str,
    version: int,
    accept: bool = False,
    replace: bool = False,
) -> Entry:
    """Assigned appraiser: accept or set a leaf's score; a reason is required when it differs.

    Only a leaf scored by appraisal (not from surveys or service data), by an appraiser assigned
    to the unit, in the appraisal phase before its deadline, for a submitted self-assessment;
    the points between 0 and the leaf's maximum (:func:`.entries.checked_points`).

    ``accept``: the self-assessed points become the appraised score (``points`` is ignored).
    Accepting over an appraised score that differs (a reasoned decision) is refused unless
    ``replace`` is given with a reason for the change.
    """
    assessment = entry.assessment
    core = assessment.cycle.core()
    require_appraisal_leaf(core, entry.code)
    _require_appraising(user, assessment)
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
            raise InputRefused(_("Give a reason for replacing the appraised score."), "reason")
        points = entry.self_points
    if points is None:
        raise InputRefused(
            _("Enter the appraised points, or accept the self-assessment."), "points"
        )
    points = checked_points(core, entry.code, points)
    if points != entry.self_points and not reason.strip():
        raise InputRefused(
            _("Give a reason when the appraised score differs from the self-assessment."), "reason"
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
def accept_remaining(user: User, assessment: Assessment, confirmed: str) -> list[Entry]:
    """Assigned appraiser: accept the self-assessed points of every leaf not appraised yet.

    ``confirmed`` is the :func:`remaining_fingerprint` of the list the appraiser was shown;
    :class:`StaleList` (and nothing saved) if the list has changed since. Only in the
    appraisal phase before its deadline, for a submitted self-assessment. One transaction:
    each leaf is audited as a single accept is (``entry.appraised_points``), then the bulk
    action once (``assessment.accept_remaining``, the codes and the total). Returns the leaves
    accepted; each can still be changed one by one.
    """
    _require_appraising(user, assessment)
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
def complete_appraisal(user: User, assessment: Assessment) -> None:
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
