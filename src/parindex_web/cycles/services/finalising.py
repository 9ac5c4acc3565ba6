"""Finalisation: every score locked as the points that count.

:func:`finalise` does it in one transaction (what a small cycle's request does); a job applies
a large cycle's in batches (:mod:`parindex_web.jobs.batches`) with the same pieces:
:func:`check_finalise` (nothing written), :func:`finalise_units` per batch of units (applying a
batch again gives the same final points) and :func:`close_finalise` (the assessments' status
and the phase, the last transaction).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

import parindex
from parindex_web.lib.users import User

from ..models import Assessment, Cycle, Explanation, Phase
from .bulk import Progress, counting_points, in_batch, unit_batches
from .errors import CycleError
from .phases import _set_phase, require_phase


def check_finalise(cycle: Cycle) -> list[str]:
    """Refuse (:class:`CycleError`) unless ``cycle`` can be finalised now: in the explanation
    phase, not held by another job, no explanation pending. Returns the codes of the survey
    and data leaves (those take their entered points). The cycle's row is locked first until
    the caller's transaction ends (``exclusive``), as finalising will update it."""
    require_phase(cycle, Phase.EXPLANATION, deadline=False, exclusive=True)
    pending = Explanation.objects.filter(
        entry__assessment__cycle=cycle, status=Explanation.Status.PENDING
    ).count()
    if pending:
        raise CycleError(_("%(n)s explanation(s) still await a decision.") % {"n": pending})
    core = cycle.core()
    return [
        leaf.code
        for leaf in core.leaves
        if core.source_of(leaf.code) is not parindex.Source.APPRAISAL
    ]


def finalise_units(cycle: Cycle, external: list[str], batch: tuple[int, int, int]) -> int:
    """Final points of one batch of units (:func:`.bulk.unit_batches`), two ``UPDATE``s: the
    survey and data leaves (``external``) take their entered points, the appraisal leaves the
    points that count (:func:`.bulk.counting_points`). Returns the batch's number of units."""
    first, last, n = batch
    entries = in_batch(cycle, first, last)
    if external:
        entries.filter(code__in=external).update(final_points=F("external_points"))
    entries.exclude(code__in=external).update(final_points=counting_points())
    return n


def close_finalise(user: User, cycle: Cycle) -> None:
    """The last step: every assessment final and the cycle in the finalised phase (audited)."""
    cycle.assessments.update(status=Assessment.Status.FINAL)
    _set_phase(user, cycle, Phase.FINALISED)


@transaction.atomic
def finalise(user: User, cycle: Cycle, progress: Progress | None = None) -> None:
    """Secretariat: lock every score. Pending explanations must be decided first.

    Two ``UPDATE`` statements a batch of units (:data:`.bulk.UNITS_PER_BATCH`, see
    :func:`finalise_units`); ``progress(units done, units)`` after each batch.
    """
    external = check_finalise(cycle)
    batches = unit_batches(cycle)
    total, done = sum(n for _f, _l, n in batches), 0
    for batch in batches:
        done += finalise_units(cycle, external, batch)
        if progress is not None:
            progress(done, total)
    close_finalise(user, cycle)


__all__ = ["check_finalise", "close_finalise", "finalise", "finalise_units"]
