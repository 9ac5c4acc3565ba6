"""Which leaves lack the evidence their methodology requires: the one place that reads it.

A leaf requires evidence when the methodology names documents for it
(:attr:`parindex.Methodology.evidence_required`: appraisal leaves with ``evidence`` set); it lacks
it while no document is attached to the unit's entry for that leaf. The secretariat's reports,
the phase pre-flight and the sign-off read it here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class AtSignOff:
    """What the sign-off finds of one assessment's evidence, as codes in methodology order.

    ``lacking``: the leaves that require evidence and have none attached (the sign-off lists
    them and goes ahead); ``refused``: among them, the leaves whose methodology makes the
    evidence mandatory (:attr:`parindex.Methodology.evidence_mandatory`) and that claim points
    (the sign-off is refused until a document is attached or the leaf claims 0).
    """

    lacking: tuple[str, ...]
    refused: tuple[str, ...]


def at_sign_off(assessment: Assessment) -> AtSignOff:
    """The :class:`AtSignOff` of ``assessment`` now."""
    lacking = lacking_evidence(assessment.cycle, [assessment])[assessment.pk]
    mandatory = set(assessment.cycle.core().evidence_mandatory) & set(lacking)
    claimed = set(
        assessment.entries.filter(code__in=mandatory, self_points__gt=0).values_list(
            "code", flat=True
        )
    )
    return AtSignOff(lacking, tuple(c for c in lacking if c in claimed))
