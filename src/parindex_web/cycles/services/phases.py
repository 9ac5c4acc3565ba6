"""The cycle's phases: the phase and deadline checks every action makes, and the phase changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex_web.audit.models import record
from parindex_web.notifications import services as handovers

from ..models import (
    Assessment,
    Cycle,
    Entry,
    Phase,
)
from .errors import CycleError


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
        from .publication import finalise  # publication builds on the phases, not the reverse

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
        raise CycleError(_("Give a reason for reopening."), "reason")
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


def require_officer_can_edit(assessment: Assessment) -> None:
    require_phase(assessment.cycle, Phase.SELF_ASSESSMENT)
    if assessment.status != Assessment.Status.DRAFT:
        raise CycleError(
            _("The self-assessment has been submitted; ask the secretariat to reopen it.")
        )
