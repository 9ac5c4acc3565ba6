"""Finalisation and publication: the scores that count, their lock and the frozen snapshot."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import parindex
from parindex_web.audit.models import record
from parindex_web.lib.users import User
from parindex_web.notifications import services as handovers
from parindex_web.reports import stored

from ..models import (
    Cycle,
    Entry,
    Phase,
    Publication,
)
from . import bulk
from .bulk import Progress, counting_points
from .entries import _entry_audit, checked_points
from .errors import CycleError
from .phases import _set_phase, require_phase


def final_scores(
    cycle: Cycle, progress: Progress | None = None, total: int = 0
) -> dict[str, dict[str, Decimal]]:
    """Unit code → leaf code → points that count (final once finalised).

    One streamed read of ``(unit, leaf, points)`` rows, the points that count worked out in
    SQL (:func:`.bulk.counting_points`): no model instances, no prefetch of the explanations.
    ``progress(entries read, total)`` after each batch read, if given (``total`` is the
    caller's count of the entries).
    """
    core = cycle.core()
    scores: dict[str, dict[str, Decimal]] = {}
    entries = Entry.objects.filter(assessment__cycle=cycle).order_by("assessment__unit__code", "pk")
    appraised = {
        leaf.code for leaf in core.leaves if core.source_of(leaf.code) is parindex.Source.APPRAISAL
    }
    if cycle.phase in (Phase.FINALISED, Phase.PUBLISHED):
        appraised = set()  # every leaf counts its final points
        rows = entries.annotate(counting=F("final_points")).values_list(
            "assessment__unit__code", "code", "final_points", "counting"
        )
    else:
        rows = entries.annotate(counting=counting_points()).values_list(
            "assessment__unit__code", "code", "external_points", "counting"
        )
    read = rows.iterator(chunk_size=bulk.ROWS_PER_BATCH)
    for done, (unit, code, external, own) in enumerate(read, start=1):
        points = own if code in appraised else external
        unit_scores = scores.setdefault(unit, {})
        if points is not None:
            unit_scores[code] = points
        if progress is not None and done % bulk.ROWS_PER_BATCH == 0:
            progress(done, total)
    return scores


def compute_results(cycle: Cycle) -> parindex.Results:
    """Results with the core engine, from the points that count now."""
    return parindex.compute(cycle.core(), final_scores(cycle))


@transaction.atomic
def correct_final_points(
    user: User, cycle: Cycle, *, unit_code: str, code: str, points: Decimal, reason: str
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


def _points_stamp(cycle: Cycle) -> tuple[int, object]:
    """How many entries the cycle has and when the last one changed: publishing compares it
    before reading the points and when it saves, and refuses if a point changed meanwhile."""
    found = Entry.objects.filter(assessment__cycle=cycle).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    return found["n"], found["at"]


def _check_publishable(cycle: Cycle, reason: str) -> int:
    """The version published so far (0: none), or a refusal."""
    previous: int = cycle.publications.aggregate(v=Max("version"))["v"] or 0
    if previous == 0 and cycle.phase != Phase.FINALISED:
        raise CycleError(_("Finalise the cycle before publishing."))
    if previous and not reason.strip():
        raise CycleError(
            _("A new version of published results needs a reason (the correction)."), "reason"
        )
    return previous


def publish(
    user: User,
    cycle: Cycle,
    reason: str = "",
    progress: Progress | None = None,
    *,
    within: Callable[[], None] | None = None,
) -> Publication:
    """Secretariat: freeze a snapshot (methodology, inputs, results, content hash).

    The first publication needs a finalised cycle; a later one is a correction and needs a reason.
    ``progress(entries, entries)``: after each batch of final points read, and once stored.

    The work is done before the write that makes it public, so that no transaction holds the
    database long: the final points are read, the core computes and the results are serialised
    outside any transaction; the unit rows are written as an invisible draft in short
    transactions (:func:`parindex_web.reports.stored.stage`); then one short transaction checks
    that nothing changed meanwhile (no other version published, no point corrected, the phase
    as read), saves the publication with its document (given as text, never re-encoded), gives
    the draft's rows to it, audits and queues the notices (``within()`` too, if given: the
    caller's own record). A failure before or in that transaction leaves the public state as
    it was and deletes the draft. Inside a caller's transaction it all runs in that one.
    """
    previous = _check_publishable(cycle, reason)
    stamp = _points_stamp(cycle)
    core = cycle.core()
    total = stamp[0] if progress is not None else 0
    scores = final_scores(cycle, progress, total)
    results = parindex.compute(core, scores)
    inputs = scores_csv(scores, core)
    del scores
    results_csv = parindex.results_to_csv(results)
    digest = hashlib.sha256()
    for part in (cycle.methodology.source_text, inputs, results_csv):
        digest.update(hashlib.sha256(part.encode("utf-8")).digest())
    staged = stored.stage(cycle.pk, results)
    del results
    reverse("results:ranking", args=[cycle.pk])  # the URLconf's import, before the transaction
    try:
        publication = _save(
            user,
            cycle,
            reason,
            previous,
            stamp,
            within,
            staged,
            inputs,
            results_csv,
            digest.hexdigest(),
        )
    except BaseException:
        if not transaction.get_connection().needs_rollback:  # else the caller's rollback
            stored.discard_draft(staged.token)
        raise
    if progress is not None:
        progress(total, total)
    return publication


@transaction.atomic
def _save(
    user: User,
    cycle: Cycle,
    reason: str,
    previous: int,
    stamp: tuple[int, object],
    within: Callable[[], None] | None,
    staged: stored.Staged,
    inputs: str,
    results_csv: str,
    content_hash: str,
) -> Publication:
    """The short transaction that makes a staged publication public (see :func:`publish`)."""
    if (cycle.publications.aggregate(v=Max("version"))["v"] or 0) != previous:
        raise CycleError(_("Someone else published this cycle meanwhile: reload the page."))
    if _points_stamp(cycle) != stamp:
        raise CycleError(_("Points were corrected while publishing: publish again."))
    if cycle.phase != Phase.PUBLISHED:  # first: a publication racing a phase change is refused
        _set_phase(user, cycle, Phase.PUBLISHED)
    publication = Publication(
        cycle=cycle,
        version=previous + 1,
        published_by=user,
        reason=reason,
        methodology_text=cycle.methodology.source_text,
        methodology_format=cycle.methodology.source_format,
        scores_csv=inputs,
        results_csv=results_csv,
        results_json=staged.column(),
        content_hash=content_hash,
    )
    publication.staged = staged  # type: ignore[attr-defined]  # read by reports' post_save
    try:
        # A savepoint: the unique version may be taken meanwhile.
        with transaction.atomic(), stored.unchecked_json():
            publication.save()
    except (stored.DraftLost, IntegrityError):
        raise CycleError(
            _("Someone else published this cycle meanwhile: reload the page.")
        ) from None
    del publication.staged  # type: ignore[attr-defined]
    # Read again from the database when asked for, instead of held (tens of MB at scale).
    del publication.__dict__["results_json"]
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
    if within is not None:
        within()
    handovers.published(publication)
    return publication
