"""The cycle's phases: the phase and deadline checks every action makes, and the phase changes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex_web.audit.models import record
from parindex_web.lib.users import User
from parindex_web.notifications import services as handovers

from ..models import (
    Assessment,
    Cycle,
    Phase,
)
from . import busy
from .bulk import Progress, insert_missing_entries, unit_batches
from .errors import CycleError


def require_phase(
    cycle: Cycle, *phases: str, deadline: bool = True, exclusive: bool = False
) -> None:
    """Refuse unless the cycle is in one of ``phases`` and its deadline has not passed.

    ``deadline=False`` for the actions that close a phase's work rather than take part in it
    (deciding explanations, entering survey and data points, finalising): the deadline binds
    the units and the appraisers, and those actions must stay possible after it. Refused too
    while a job applies a whole-cycle step to the cycle (:func:`.busy.require_idle`; with
    ``exclusive``, for a change that will update the cycle's row, that row locked for update).
    """
    busy.require_idle(cycle, exclusive=exclusive)
    if cycle.phase not in phases:
        raise CycleError(
            _("This is not possible in the current phase (%(phase)s).")
            % {"phase": cycle.get_phase_display()}
        )
    if deadline and cycle.is_past_deadline():
        passed = cycle.deadline()
        assert passed is not None  # a deadline has passed, so there is one
        due = timezone.localtime(passed)
        raise CycleError(
            _("The deadline of this phase passed on %(due)s; changes are no longer accepted.")
            % {"due": due.strftime("%d/%m/%Y %H:%M")}
        )


def _set_phase(user: User, cycle: Cycle, phase: str) -> None:
    """Move the cycle to ``phase`` and audit the change (inside the caller's transaction).

    Compare and set: the row changes only if it is still in the phase this copy was read in, so
    two secretaries pressing "open the next phase" at once move it one step, not two; and
    only if no job other than the running code's holds it (:mod:`.busy`).
    """
    old = cycle.phase
    if not Cycle.objects.filter(busy.free(), pk=cycle.pk, phase=old).update(phase=phase):
        busy.require_idle(cycle)
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


def next_phase_checked(cycle: Cycle) -> str:
    """The phase :func:`advance_phase` would open, or the refusal (nothing read but the
    cycle's own row and whether it has units; the row locked until the caller's transaction
    ends, as the phase change will update it)."""
    busy.require_idle(cycle, exclusive=True)
    nxt = cycle.next_phase()
    if nxt is None or nxt == Phase.PUBLISHED:
        raise CycleError(_("Use “publish” to publish results."))
    if nxt == Phase.SELF_ASSESSMENT and not cycle.assessments.exists():
        raise CycleError(_("Add the units in scope before opening the self-assessment."))
    return nxt


@transaction.atomic
def advance_phase(user: User, cycle: Cycle, progress: Progress | None = None) -> Cycle:
    """Open the next phase. Entering self-assessment creates each unit's entries (in batches
    of units, ``progress(units done, units)`` after each); finalising is :func:`.finalise`.
    One transaction: a job applies the large cycles' in batches instead
    (:mod:`parindex_web.jobs.batches`)."""
    nxt = next_phase_checked(cycle)
    if nxt == Phase.FINALISED:
        from .finalising import finalise  # finalising builds on the phases, not the reverse

        finalise(user, cycle, progress)
        return cycle
    _set_phase(user, cycle, nxt)
    if nxt == Phase.SELF_ASSESSMENT:
        codes = entry_codes(cycle)
        batches = unit_batches(cycle)
        total, done = sum(n for _f, _l, n in batches), 0
        for batch in batches:
            done += create_entries(cycle, codes, batch)
            if progress is not None:
                progress(done, total)
    return cycle


def entry_codes(cycle: Cycle) -> list[str]:
    """The leaves every unit has an entry for, in the methodology's order."""
    return [leaf.code for leaf in cycle.core().leaves]


def create_entries(cycle: Cycle, codes: list[str], batch: tuple[int, int, int]) -> int:
    """The empty entries of one batch of units (:func:`.bulk.unit_batches`: first id, last
    id, how many), one ``INSERT … SELECT``; those that exist already are kept, so applying a
    batch again changes nothing. Returns the batch's number of units."""
    first, last, n = batch
    insert_missing_entries(cycle, codes, first, last)
    return n


def ensure_entries(assessment: Assessment) -> None:
    """Create an empty entry for every leaf of the methodology that has none."""
    codes = [leaf.code for leaf in assessment.cycle.core().leaves]
    insert_missing_entries(assessment.cycle, codes, assessment.pk, assessment.pk)


@transaction.atomic
def reopen(user: User, assessment: Assessment, reason: str) -> None:
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


def _set_status(user: User, assessment: Assessment, status: str, reason: str = "") -> None:
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
