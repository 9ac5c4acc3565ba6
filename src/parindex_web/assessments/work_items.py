"""The "my work" page's content: one queue per role the user holds, of concrete actions.

Each :class:`Item` says what to do now, where (a direct link) and by when (the deadline of the
cycle's current phase); what needs nothing from the user is ``done`` and shown apart. The counts
of every assessment on the page are read in one query (:func:`_counts`), whatever the number of
units and leaves; a secretariat's open cycles read their pre-flight (a few queries per cycle).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import parindex
from parindex.preflight import Issue
from parindex_web.accounts.models import Role
from parindex_web.cycles import access, preflight, services
from parindex_web.cycles.models import Assessment, Assignment, Cycle, Entry, Explanation, Phase
from parindex_web.lib.deadlines import Countdown, countdown
from parindex_web.lib.users import User

Status = Assessment.Status


@dataclass
class Item:
    """One thing in a queue: whose (``title``), what (``action``), where (``links``), by when."""

    title: str
    action: str
    links: list[tuple[str, str]]
    due: Countdown | None = None
    note: str = ""
    key: str = ""
    anchor: str = ""


@dataclass
class Queue:
    """A role's work: ``todo`` (soonest deadline first) and ``done`` (nothing asked now)."""

    role: str
    title: str
    todo: list[Item] = field(default_factory=list)
    done: list[Item] = field(default_factory=list)

    def add(self, item: Item, done: bool) -> None:
        (self.done if done else self.todo).append(item)

    def sort(self) -> Queue:
        far = datetime.max.replace(tzinfo=UTC)
        self.todo.sort(key=lambda i: i.due.due if i.due else far)
        return self


TITLES = {
    Role.OFFICER: gettext_lazy("As officer of my unit"),
    Role.LEADER: gettext_lazy("As leader of my unit"),
    Role.APPRAISER: gettext_lazy("As appraiser"),
    Role.SECRETARIAT: gettext_lazy("As secretariat of the assessing body"),
}


@dataclass
class Counts:
    """One assessment's appraisal leaves: filled in, appraised, differing from the
    self-assessment with no explanation, and explanations awaiting a decision."""

    total: int = 0
    filled: int = 0
    appraised: int = 0
    unexplained: int = 0
    pending: int = 0


def _appraisal_codes(core: parindex.Methodology) -> list[str]:
    return [n.code for n in core.leaves if core.source_of(n.code) is parindex.Source.APPRAISAL]


def _counts(assessments: Iterable[Assessment]) -> dict[int, Counts]:
    """Counts of every assessment given, in one query."""
    by_id = {a.pk: a for a in assessments}
    codes = {a.cycle.methodology_id: _appraisal_codes(a.cycle.core()) for a in by_id.values()}
    own = Q(pk__in=[])
    for methodology, leaves in codes.items():
        own |= Q(assessment__cycle__methodology=methodology, code__in=leaves)
    differing = Q(appraised_points__isnull=False) & (
        Q(self_points__isnull=True)
        | Q(appraised_points__lt=F("self_points"))
        | Q(appraised_points__gt=F("self_points"))
    )
    rows = (
        Entry.objects.filter(own, assessment__in=by_id)
        .values("assessment")
        .annotate(
            filled=Count("pk", filter=Q(self_points__isnull=False), distinct=True),
            appraised=Count("pk", filter=Q(appraised_points__isnull=False), distinct=True),
            unexplained=Count("pk", filter=differing & Q(explanations__isnull=True), distinct=True),
            pending=Count(
                "explanations",
                filter=Q(explanations__status=Explanation.Status.PENDING),
                distinct=True,
            ),
        )
    )
    found = {
        row["assessment"]: (row["filled"], row["appraised"], row["unexplained"], row["pending"])
        for row in rows
    }
    return {
        pk: Counts(len(codes[a.cycle.methodology_id]), *found.get(pk, (0, 0, 0, 0)))
        for pk, a in by_id.items()
    }


def _title(assessment: Assessment) -> str:
    return f"{assessment.unit.name} · {assessment.cycle.name}"


def _resting(assessment: Assessment) -> str:
    """Why a unit's assessment asks nothing of its people in this phase."""
    phase = assessment.cycle.phase
    if phase == Phase.DRAFT:
        return _("The self-assessment has not opened yet.")
    if phase == Phase.APPRAISAL:
        return _("Being appraised: nothing to do until the explanations open.")
    if phase in (Phase.FINALISED, Phase.PUBLISHED):
        return _("The scores are final.")
    return _("Status: %(status)s.") % {"status": assessment.status_label()}


def _left_to_fill(n: int) -> str:
    return ngettext("%(n)s criterion left to fill in", "%(n)s criteria left to fill in", n) % {
        "n": n
    }


def _officer(a: Assessment, c: Counts, due: Countdown | None) -> tuple[Item, bool]:
    detail = reverse("assessments:detail", args=[a.pk])
    open_ = [(_("Open the self-assessment"), detail)]
    phase = a.cycle.phase
    if phase == Phase.SELF_ASSESSMENT and a.status == Status.DRAFT:
        sent_back = services.sent_back(a)
        if sent_back is not None:
            action = _("Sent back by the leader: correct it, then ask for the sign-off again.")
            item = Item(_title(a), action, open_, due, sent_back.reason, "sent-back")
            item.anchor = f"sent-back-{a.pk}"
            return item, False
        left = c.total - c.filled
        if left:
            return Item(_title(a), _left_to_fill(left), open_, due, key="fill"), False
        action = _("Every criterion is filled in: the leader signs off.")
        return Item(_title(a), action, open_), True
    if phase == Phase.SELF_ASSESSMENT:
        return Item(_title(a), a.status_label(), open_), True
    if phase == Phase.EXPLANATION:
        explain = [(_("Explain"), reverse("appraisal:explanations", args=[a.pk]))]
        if c.unexplained:
            action = ngettext(
                "%(n)s appraised score differs from the self-assessment and is not explained",
                "%(n)s appraised scores differ from the self-assessment and are not explained",
                c.unexplained,
            ) % {"n": c.unexplained}
            return Item(_title(a), action, explain, due, key="explain"), False
        return Item(_title(a), _("Nothing is left to explain."), explain), True
    return Item(_title(a), _resting(a), open_), True


def _leader(a: Assessment, c: Counts, due: Countdown | None) -> tuple[Item, bool]:
    review = [(_("Review and sign off"), reverse("assessments:review", args=[a.pk]))]
    if a.cycle.phase == Phase.SELF_ASSESSMENT and a.status == Status.DRAFT:
        left = c.total - c.filled
        if not left:
            action = _("Every criterion is filled in: waiting for your sign-off.")
            return Item(_title(a), action, review, due, key="sign"), False
        action = ngettext(
            "Waiting for the officers: %(n)s criterion left to fill in.",
            "Waiting for the officers: %(n)s criteria left to fill in.",
            left,
        ) % {"n": left}
        return Item(_title(a), action, review), True
    if a.cycle.phase == Phase.SELF_ASSESSMENT:
        return Item(_title(a), a.status_label(), review), True
    detail = [(_("Open the self-assessment"), reverse("assessments:detail", args=[a.pk]))]
    return Item(_title(a), _resting(a), detail), True


def _appraiser(a: Assessment, c: Counts, due: Countdown | None) -> tuple[Item, bool]:
    phase = a.cycle.phase
    appraise = [(_("Appraise"), reverse("appraisal:assessment", args=[a.pk]))]
    if phase == Phase.APPRAISAL and a.status == Status.SUBMITTED:
        left = c.total - c.appraised
        action = (
            ngettext("%(n)s criterion left to appraise", "%(n)s criteria left to appraise", left)
            % {"n": left}
            if left
            else _("Every criterion is appraised: complete the appraisal.")
        )
        return Item(_title(a), action, appraise, due, key="appraise"), False
    if phase == Phase.EXPLANATION and c.pending:
        decide = [(_("Decide"), reverse("appraisal:explanations", args=[a.pk]))]
        action = ngettext(
            "%(n)s explanation awaits your decision",
            "%(n)s explanations await your decision",
            c.pending,
        ) % {"n": c.pending}
        return Item(_title(a), action, decide, due, key="decide"), False
    if phase in (Phase.DRAFT, Phase.SELF_ASSESSMENT):
        action = _("The appraisal has not opened yet.")
    elif phase == Phase.APPRAISAL and a.status == Status.DRAFT:
        action = _("Not signed off: it cannot be appraised.")
    elif phase == Phase.APPRAISAL:
        action = _("The appraisal is complete.")
    elif phase == Phase.EXPLANATION:
        action = _("No explanation awaits a decision.")
    else:
        action = _("The scores are final.")
    view = [(_("View the appraisal page"), appraise[0][1])]
    return Item(_title(a), action, view), True


# The work of the current phase a unit is late with, as the pre-flight names it.
LATE = {
    Phase.SELF_ASSESSMENT: Issue.UNSIGNED,
    Phase.APPRAISAL: Issue.NOT_APPRAISED,
    Phase.EXPLANATION: Issue.PENDING,
}


def _late_words(phase: str, n: int) -> str:
    if phase == Phase.SELF_ASSESSMENT:
        return ngettext("%(n)s unit has not signed off", "%(n)s units have not signed off", n) % {
            "n": n
        }
    if phase == Phase.APPRAISAL:
        return ngettext(
            "%(n)s unit is not appraised yet", "%(n)s units are not appraised yet", n
        ) % {"n": n}
    return ngettext(
        "%(n)s unit has explanations awaiting a decision",
        "%(n)s units have explanations awaiting a decision",
        n,
    ) % {"n": n}


def _secretariat(cycle: Cycle) -> tuple[Item, bool]:
    title = f"{cycle.name} · {cycle.body.name}"
    dashboard = (_("Dashboard"), reverse("secretariat:dashboard", args=[cycle.pk]))
    phase_page = reverse("secretariat:phase", args=[cycle.pk])
    if cycle.phase == Phase.PUBLISHED:
        return Item(title, _("Published."), [dashboard]), True
    if cycle.phase == Phase.FINALISED:
        publish = (_("Publish the results"), reverse("secretariat:publish", args=[cycle.pk]))
        return Item(title, _("Finalised: next, publish the results."), [publish, dashboard]), False
    if cycle.phase == Phase.DRAFT:
        action = _("In preparation: set the deadlines and assign appraisers, then open it.")
        links = [(_next_phase(cycle), phase_page), dashboard]
        return Item(title, action, links, key="prepare"), False
    due = countdown(cycle.deadline())
    report = preflight.check(cycle)
    issue = LATE[Phase(cycle.phase)]
    late = sum(1 for u in report.result.units if issue in u.issues) if report else 0
    if late:
        action = _late_words(cycle.phase, late)
    else:
        action = _("Every unit has finished this phase: open the next one.")
    links = [dashboard, (_next_phase(cycle), phase_page)]
    if not late:
        links.reverse()  # nothing is left to follow up: the next step comes first
    return Item(title, action, links, due, key="late" if late else "next"), False


def _next_phase(cycle: Cycle) -> str:
    following = cycle.next_phase()
    assert following is not None, "a published cycle has no next phase (_secretariat says so)"
    phase = Phase(following)
    return _("Open the next phase: %(phase)s") % {"phase": phase.label}


def _assigned(user: User) -> list[Assessment]:
    """Assessments of the units the user is assigned to appraise (in their bodies' cycles)."""
    pairs = Assignment.objects.filter(
        appraiser=user, cycle__body__in=access.body_ids(user, Role.APPRAISER)
    ).values_list("cycle_id", "unit_id")
    wanted = Q(pk__in=[])
    for cycle_id, unit_id in pairs:
        wanted |= Q(cycle_id=cycle_id, unit_id=unit_id)
    return list(_assessments(wanted))


def _assessments(wanted: Q) -> Iterable[Assessment]:
    return (
        Assessment.objects.filter(wanted)
        .select_related("cycle", "cycle__methodology", "unit")
        .order_by("-cycle__year", "cycle__name", "unit__code")
    )


def queues(user: User) -> list[Queue]:
    """The user's queues, one per role they hold (none for a user without a role)."""
    officer, leader = access.unit_ids(user, Role.OFFICER), access.unit_ids(user, Role.LEADER)
    own = list(_assessments(Q(unit__in=officer | leader))) if officer | leader else []
    assigned = _assigned(user) if access.body_ids(user, Role.APPRAISER) else []
    counts = _counts([*own, *assigned])
    found = []
    for role, units, build in ((Role.OFFICER, officer, _officer), (Role.LEADER, leader, _leader)):
        if units:
            queue = Queue(role, str(TITLES[role]))
            for a in own:
                if a.unit_id in units:
                    queue.add(*build(a, counts[a.pk], countdown(a.cycle.deadline())))
            found.append(queue)
    if access.body_ids(user, Role.APPRAISER):
        queue = Queue(Role.APPRAISER, str(TITLES[Role.APPRAISER]))
        for a in assigned:
            queue.add(*_appraiser(a, counts[a.pk], countdown(a.cycle.deadline())))
        found.append(queue)
    bodies = access.body_ids(user, Role.SECRETARIAT)
    if bodies:
        queue = Queue(Role.SECRETARIAT, str(TITLES[Role.SECRETARIAT]))
        for cycle in Cycle.objects.filter(body__in=bodies).select_related("body", "methodology"):
            queue.add(*_secretariat(cycle))
        found.append(queue)
    return [q.sort() for q in found]


def for_user(user: User) -> dict[str, list[Queue]]:
    return {"queues": queues(user)}
