"""Finalisation and publication: the scores that count, their lock and the frozen snapshot."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

import parindex
from parindex_web.audit.models import record
from parindex_web.notifications import services as handovers

from ..models import (
    Assessment,
    Cycle,
    Entry,
    Explanation,
    Phase,
    Publication,
)
from .entries import _entry_audit, checked_points
from .errors import CycleError
from .phases import _set_phase, require_phase


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
        raise CycleError(_("Give a reason for the correction."), "reason")
    core = cycle.core()
    if not core.is_leaf(code):
        raise CycleError(
            _("%(code)s is not a criterion of this methodology.") % {"code": code}, "code"
        )
    points = checked_points(core, code, points)
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
        raise CycleError(
            _("A new version of published results needs a reason (the correction)."), "reason"
        )
    if cycle.phase != Phase.PUBLISHED:  # first: a publication racing a phase change is refused
        _set_phase(user, cycle, Phase.PUBLISHED)
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
