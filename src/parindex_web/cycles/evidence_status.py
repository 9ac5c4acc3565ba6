"""Which leaves lack the evidence their methodology requires: the one place that reads it.

A leaf requires evidence when the methodology names documents for it
(:attr:`parindex.Methodology.evidence_required`: appraisal leaves with ``evidence`` set); it lacks
it while no document is attached to the unit's entry for that leaf. The secretariat's reports,
the phase pre-flight and the sign-off read it here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Assessment, Cycle, Entry


def lacking_evidence(
    cycle: Cycle, assessments: Iterable[Assessment] | None = None
) -> dict[int, tuple[str, ...]]:
    """Assessment id → codes of the leaves that require evidence and have none attached, in
    methodology order; every assessment of ``cycle`` (or each of ``assessments``) is a key,
    with ``()`` when it lacks nothing. Two queries, whatever the number of units."""
    required = cycle.core().evidence_required
    if assessments is None:
        ids = list(cycle.assessments.values_list("pk", flat=True))
    else:
        ids = [a.pk for a in assessments]
    linked = set(
        Entry.evidence.through.objects.filter(
            entry__assessment__in=ids, entry__code__in=required
        ).values_list("entry__assessment", "entry__code")
    )
    return {pk: tuple(c for c in required if (pk, c) not in linked) for pk in ids}
