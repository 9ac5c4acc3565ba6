"""The phase pre-flight in the shell: read each unit's state, ask the core what moving forward
does to it, say it in words, and move only once the secretariat has confirmed.

:func:`check` reads; :func:`advance` and :func:`publish` re-check inside the move's transaction,
refuse an unconfirmed move while any unit has a finding, and write the confirmation (units and
findings) to the audit trail next to the phase change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import parindex
from parindex.preflight import Effect, Finding, Issue, Move, Preflight, UnitState, preflight
from parindex_web.audit.models import record
from parindex_web.lib.users import User
from parindex_web.units.models import vi_sorted

from . import services
from .evidence_status import lacking_evidence
from .models import Cycle, Entry, Explanation, Phase, Publication
from .services.bulk import Progress

MOVES = {
    Phase.SELF_ASSESSMENT: Move.APPRAISAL,
    Phase.APPRAISAL: Move.EXPLANATION,
    Phase.EXPLANATION: Move.FINALISE,
    Phase.FINALISED: Move.PUBLISH,
    Phase.PUBLISHED: Move.PUBLISH,
}


@dataclass
class Row:
    """One unit with findings, in words: (issue, [effects]) pairs."""

    code: str
    name: str
    lines: list[tuple[str, list[str]]]


@dataclass
class Report:
    """The pre-flight of a cycle's next move, with the deadline of the current phase."""

    result: Preflight
    rows: list[Row]
    deadline: datetime | None

    @property
    def count(self) -> int:
        return self.result.count

    @property
    def names(self) -> str:
        return ", ".join(r.name for r in self.rows)

    @property
    def token(self) -> str:
        """What the confirmation box carries: the count and a digest of the units and their
        findings, so a confirmation given for one table does not pass for a changed one."""
        return services.fingerprint(_findings(self.result))


def _findings(result: Preflight) -> list[dict[str, Any]]:
    return [
        {
            "unit": u.unit,
            "issues": [
                {"issue": f.issue.value, "count": f.count, "codes": list(f.codes)}
                for f in u.findings
            ],
        }
        for u in result.units
    ]


def _states(cycle: Cycle, move: Move) -> list[tuple[Any, UnitState]]:
    core = cycle.core()
    own = [n.code for n in core.leaves if core.source_of(n.code) is parindex.Source.APPRAISAL]
    external = [n.code for n in core.leaves if n.code not in own]
    if move is Move.PUBLISH:
        scored = Q(final_points__isnull=False)
    else:
        scored = Q(code__in=own) & (
            Q(self_points__isnull=False) | Q(appraised_points__isnull=False)
        ) | Q(code__in=external, external_points__isnull=False)
    counts = {
        row["assessment"]: row
        for row in Entry.objects.filter(assessment__cycle=cycle)
        .values("assessment")
        .annotate(
            scored=Count("pk", filter=scored),
            lowered=Count("pk", filter=Q(appraised_points__lt=F("self_points"))),
        )
    }
    pending = Counter(
        Explanation.objects.filter(
            entry__assessment__cycle=cycle, status=Explanation.Status.PENDING
        ).values_list("entry__assessment", flat=True)
    )
    assessments = {a.unit_id: a for a in cycle.assessments.select_related("unit")}
    lacking = lacking_evidence(cycle, assessments.values())
    states = []
    for unit in vi_sorted([a.unit for a in assessments.values()]):
        a = assessments[unit.pk]
        row: Mapping[str, Any] = counts.get(a.pk, {})
        state = UnitState(
            unit.code,
            signed=a.signed_at is not None,
            appraised=a.appraised_at is not None,
            unscored=len(core.leaves) - row.get("scored", 0),
            missing_evidence=lacking[a.pk],
            pending=pending[a.pk],
            lowered=row.get("lowered", 0),
        )
        states.append((unit, state))
    return states


def _issue(f: Finding) -> str:
    if f.issue is Issue.UNSIGNED:
        return _("Not signed off")
    if f.issue is Issue.NOT_APPRAISED:
        return _("Appraisal not completed")
    if f.issue is Issue.PENDING:
        return ngettext(
            "%(n)s explanation awaits a decision", "%(n)s explanations await a decision", f.count
        ) % {"n": f.count}
    if f.issue is Issue.UNSCORED:
        return ngettext(
            "%(n)s criterion has no points", "%(n)s criteria have no points", f.count
        ) % {"n": f.count}
    if f.issue is Issue.NO_EVIDENCE:
        return _("Required evidence missing for: %(codes)s") % {"codes": ", ".join(f.codes)}
    if f.count:
        return ngettext(
            "Deadline not passed: %(n)s appraised score is below the self-assessment and can "
            "still be explained",
            "Deadline not passed: %(n)s appraised scores are below the self-assessment and can "
            "still be explained",
            f.count,
        ) % {"n": f.count}
    return _("Deadline not passed: the unit could still act")


def _effect(effect: Effect, f: Finding) -> str:
    texts = {
        Effect.CLOSED_AS_IS: _("Its self-assessment is closed as it stands."),
        Effect.NOT_APPRAISABLE: _(
            "The appraisers cannot appraise it (only a signed-off self-assessment can be "
            "appraised)."
        ),
        Effect.SEEN_WITHOUT_EVIDENCE: _("The appraiser sees these criteria without evidence."),
        Effect.APPRAISAL_CLOSED_AS_IS: _("Its appraisal is closed as it stands."),
        Effect.SELF_POINTS_COUNT: _(
            "Criteria not appraised count with their self-assessed points."
        ),
        Effect.COUNT_ZERO: _("Criteria without points count as 0."),
        Effect.REFUSED: _("Finalising is refused until every explanation is decided."),
        Effect.TIME_CUT: _("The phase closes for it before its deadline."),
        Effect.PUBLISHED_UNAPPRAISED: _(
            "Its results are published although its appraisal was never completed."
        ),
    }
    return texts[effect]


def check(cycle: Cycle) -> Report | None:
    """The pre-flight of the cycle's next move, or None when nothing moves forward from here
    (preparation, which has no units' work yet)."""
    move = MOVES.get(Phase(cycle.phase))
    if move is None:
        return None
    states = _states(cycle, move)
    due = cycle.deadline()
    early = due is not None and timezone.now() <= due
    result = preflight(move, [s for _u, s in states], early=early)
    names = {u.code: u.name for u, _s in states}
    rows = [
        Row(
            u.unit,
            names[u.unit],
            [(_issue(f), [_effect(e, f) for e in f.effects]) for f in u.findings],
        )
        for u in result.units
    ]
    return Report(result, rows, due)


def _require(report: Report | None, confirmed: str | None) -> None:
    if report is None or not report.result.needs_confirmation:
        return
    if confirmed != report.token:
        raise services.CycleError(
            ngettext(
                "%(n)s unit is unfinished: read the table and tick the confirmation to move on.",
                "%(n)s units are unfinished: read the table and tick the confirmation to move on.",
                report.count,
            )
            % {"n": report.count}
        )


def _audit(user: User, cycle: Cycle, report: Report | None, phase: str) -> None:
    if report is None or not report.result.units:
        return
    units = _findings(report.result)
    record(
        user,
        "cycle.preflight_confirmed",
        obj=cycle,
        cycle_id=cycle.pk,
        phase=phase,
        field="move",
        old=phase,
        new={"move": report.result.move.value, "early": report.result.early, "units": units},
        reason=_("Confirmed moving on with %(n)s unfinished unit(s): %(names)s")
        % {"n": report.count, "names": report.names},
    )


def confirmed_advance(cycle: Cycle, confirmed: str | None) -> Report | None:
    """The pre-flight of the next phase, refused unless any unfinished unit is confirmed (a
    blocked move is left to the service's own refusal); nothing written."""
    report = check(cycle)
    if report is None or not report.result.blocked:
        _require(report, confirmed)
    return report


def record_confirmation(user: User, cycle: Cycle, report: Report | None, phase: str) -> None:
    """The confirmation of ``report`` (the move from ``phase``) in the audit trail, if it
    listed any unit; inside the move's transaction."""
    _audit(user, cycle, report, phase)


@transaction.atomic
def advance(
    user: User, cycle: Cycle, confirmed: str | None, progress: Progress | None = None
) -> None:
    """Open the next phase (finalising included) once any unfinished unit is confirmed;
    ``progress`` is the service's (:func:`~parindex_web.cycles.services.advance_phase`)."""
    report, phase = confirmed_advance(cycle, confirmed), cycle.phase
    services.advance_phase(user, cycle, progress)
    _audit(user, cycle, report, phase)


def publish(
    user: User,
    cycle: Cycle,
    reason: str,
    confirmed: str | None,
    progress: Progress | None = None,
) -> Publication:
    """Publish (or publish a correction) once any unfinished unit is confirmed; the
    confirmation is audited in the publication's own short transaction (the service computes
    and stages outside any transaction)."""
    report, phase = check(cycle), cycle.phase
    if cycle.phase in (Phase.FINALISED, Phase.PUBLISHED):
        _require(report, confirmed)
    return services.publish(
        user, cycle, reason, progress, within=lambda: _audit(user, cycle, report, phase)
    )
