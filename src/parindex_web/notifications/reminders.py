"""Deadline reminders: whose work in a cycle's current phase is not done, and telling them.

What is unfinished comes from the phase pre-flight (:func:`parindex_web.cycles.preflight.check`,
the same table the secretariat reads before moving on); :data:`WORK` says, for each phase and
finding, who can still do the work and on which page. :func:`send_due` sends the step of
``PARINDEX_REMINDER_DAYS`` that is current (:func:`parindex.reminders.current_step`) once per
person and unit (logged in :class:`~.models.ReminderSent`); :func:`send_selected` is the
secretariat's reminder to units it chose, sent when it asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from parindex.preflight import Issue
from parindex.reminders import current_step
from parindex_web.accounts.models import Role
from parindex_web.audit.models import record
from parindex_web.cycles import preflight
from parindex_web.cycles.models import Assessment, Cycle, Phase
from parindex_web.lib.deadlines import countdown
from parindex_web.lib.users import User

from . import services
from .models import Event, ReminderSent

APPRAISERS = "appraisers"

# (phase, pre-flight finding) → (who can still do it, their page, what is not done).
WORK: dict[tuple[str, Issue], tuple[str | tuple[Role, ...], str, Promise]] = {
    (Phase.SELF_ASSESSMENT, Issue.UNSIGNED): (
        services.UNIT,
        "assessments:detail",
        _("the self-assessment is not signed off yet"),
    ),
    (Phase.APPRAISAL, Issue.NOT_APPRAISED): (
        APPRAISERS,
        "appraisal:assessment",
        _("the appraisal is not completed yet"),
    ),
    (Phase.EXPLANATION, Issue.EARLY): (
        services.OFFICERS,
        "appraisal:explanations",
        _("appraised scores below the self-assessment can still be explained"),
    ),
    (Phase.EXPLANATION, Issue.PENDING): (
        APPRAISERS,
        "appraisal:explanations",
        _("explanations await a decision"),
    ),
}


@dataclass
class Late:
    """One unit's unfinished work in the current phase, and the people who can do it."""

    assessment: Assessment
    work: Promise
    link: str
    people: list[Any] = field(default_factory=list)


def late_work(cycle: Cycle) -> list[Late]:
    """The unfinished work of the cycle's current phase, unit by unit in Vietnamese order."""
    report = preflight.check(cycle)
    if report is None:
        return []
    assessments = {a.unit.code: a for a in cycle.assessments.select_related("unit", "cycle")}
    late = []
    for unit in report.result.units:
        assessment = assessments[unit.unit]
        for finding in unit.findings:
            known = WORK.get((cycle.phase, finding.issue))
            if known is None:
                continue
            who, page, work = known
            people = (
                services.appraisers(assessment)
                if who == APPRAISERS
                else services.unit_people(assessment, *who)
            )
            link = reverse(page, args=[assessment.pk])
            late.append(Late(assessment, work, link, list(people)))
    return late


def late_by_unit(cycle: Cycle) -> list[tuple[Assessment, list[Late]]]:
    """:func:`late_work` grouped by unit, in the same order."""
    grouped: dict[int, tuple[Assessment, list[Late]]] = {}
    for item in late_work(cycle):
        grouped.setdefault(item.assessment.pk, (item.assessment, []))[1].append(item)
    return list(grouped.values())


def _due_text(due: datetime | None, now: datetime) -> str:
    """The deadline and how far it is, e.g. "15/12/2026 17:00 (3 days left)"."""
    left = countdown(due, now)
    if left is None:
        return str(_("not set"))
    return f"{timezone.localtime(left.due):%d/%m/%Y %H:%M} ({left.words})"


def _context(item: Late, due: datetime | None, now: datetime) -> dict[str, Any]:
    # Lazy: written in the site's language when notify() writes the notice.
    due_text = lazy(_due_text, str)(due, now)
    return {"assessment": item.assessment, "work": item.work, "due": due_text}


@dataclass
class Summary:
    """What one run sent: (cycle, step, reminders sent, already sent before) per cycle."""

    lines: list[tuple[Cycle, int, int, int]] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(line[2] for line in self.lines)


def open_cycles() -> Iterable[Cycle]:
    phases = [Phase.SELF_ASSESSMENT, Phase.APPRAISAL, Phase.EXPLANATION]
    return Cycle.objects.filter(phase__in=phases).select_related("body", "methodology")


def send_due(now: datetime | None = None) -> Summary:
    """Send every reminder step current at ``now`` (default: now) that was not sent before."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    summary = Summary()
    for cycle in open_cycles():
        due = cycle.deadline()
        if not isinstance(due, datetime):
            continue
        step = current_step(timezone.localtime(due).date(), today, settings.PARINDEX_REMINDER_DAYS)
        if step is None:
            continue
        sent = skipped = 0
        for item in late_work(cycle):
            for person in item.people:
                if _log(cycle, due, step, item.assessment, person):
                    services.notify(Event.REMINDER, [person], _context(item, due, now), item.link)
                    sent += 1
                else:
                    skipped += 1
        summary.lines.append((cycle, step, sent, skipped))
    return summary


def _log(cycle: Cycle, due: datetime, step: int, assessment: Assessment, person: Any) -> bool:
    """Log the step for this person and unit; False if it was logged before (sent already)."""
    try:
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(
                cycle=cycle,
                phase=cycle.phase,
                due=due,
                step=step,
                assessment=assessment,
                user=person,
            )
    except IntegrityError:  # another run logged it at the same moment
        return False
    return created


@transaction.atomic
def send_selected(user: User, cycle: Cycle, assessment_ids: Iterable[int]) -> list[Late]:
    """Secretariat: remind the people of these late units now (audited as ``reminder.send``).

    Only units with unfinished work in the current phase count; returns what was sent.
    """
    wanted = {int(i) for i in assessment_ids}
    chosen = [item for item in late_work(cycle) if item.assessment.pk in wanted]
    due, now = cycle.deadline(), timezone.now()
    for item in chosen:
        context = _context(item, due if isinstance(due, datetime) else None, now)
        services.notify(Event.REMINDER, item.people, context, item.link)
    if chosen:
        record(
            user,
            "reminder.send",
            obj=cycle,
            cycle_id=cycle.pk,
            phase=cycle.phase,
            field="units",
            new={
                "units": sorted({item.assessment.unit.code for item in chosen}),
                "recipients": sorted({p.get_username() for item in chosen for p in item.people}),
            },
        )
    return chosen
