"""``manage.py advance_cycle ID --user NAME``: move a cycle one phase, as the secretariat's page does.

The same path as the page: the phase pre-flight (:mod:`parindex_web.cycles.preflight`) around
:func:`~parindex_web.cycles.services.advance_phase` (finalising included), and around
:func:`~parindex_web.cycles.services.publish` once the cycle is finalised (a published cycle is
published again as a correction, with ``--reason``). Prints the phase before and after and the
time taken. A refusal (no such cycle or user, not the body's secretariat, units not ready, the
services' own refusals) is a message and exit status 1; ``--confirm`` moves on with unfinished
units, as ticking the page's confirmation does (audited so).
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parindex_web.cycles import preflight, services
from parindex_web.cycles.models import Cycle, Phase


class Command(BaseCommand):
    help = (
        "Move a cycle one phase on (finalise and publish included), as the secretariat's page does."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("cycle", type=int, help="the cycle's id")
        parser.add_argument(
            "--user", required=True, help="user name of a member of its secretariat"
        )
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="move on although the pre-flight lists unfinished units (audited)",
        )
        parser.add_argument("--reason", default="", help="reason of a corrected publication")

    def handle(self, *args: object, **options: Any) -> None:
        cycle = (
            Cycle.objects.select_related("body", "methodology").filter(pk=options["cycle"]).first()
        )
        if cycle is None:
            raise CommandError(_("There is no cycle %(id)s.") % {"id": options["cycle"]})
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("There is no user %(name)s.") % {"name": options["user"]})
        before, started = cycle.get_phase_display(), time.perf_counter()
        try:
            services.require_secretariat(user, cycle.body)
            report = preflight.check(cycle)
            confirmed = report.token if report is not None and options["confirm"] else None
            # A blocked move is refused by the service itself, naming what blocks it.
            if (
                report is not None
                and confirmed is None
                and report.result.needs_confirmation
                and not report.result.blocked
            ):
                self.refuse_unfinished(report)
            if cycle.phase in (Phase.FINALISED, Phase.PUBLISHED):
                publication = preflight.publish(user, cycle, options["reason"], confirmed)
                done = _("published version %(v)s") % {"v": publication.version}
            else:
                preflight.advance(user, cycle, confirmed)
                done = ""
        except services.CycleError as exc:
            raise CommandError(str(exc)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            _("cycle %(id)s: %(before)s → %(after)s%(done)s (%(seconds).1f s)")
            % {
                "id": cycle.pk,
                "before": before,
                "after": cycle.get_phase_display(),
                "done": f", {done}" if done else "",
                "seconds": seconds,
            }
        )

    def refuse_unfinished(self, report: preflight.Report) -> None:
        for row in report.rows:
            self.stderr.write(
                f"  {row.code} {row.name}: " + "; ".join(issue for issue, _e in row.lines)
            )
        raise CommandError(
            ngettext(
                "%(n)s unit is not ready (listed above): finish it, or run again with --confirm "
                "to move on as it stands.",
                "%(n)s units are not ready (listed above): finish them, or run again with "
                "--confirm to move on as they stand.",
                report.count,
            )
            % {"n": report.count}
        )
