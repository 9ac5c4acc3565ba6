"""manage.py send_reminders [--loop] [--interval SECONDS] [--once-at DATETIME]

Reminds the people whose work in each open cycle's current phase is not done, on the days of
PARINDEX_REMINDER_DAYS before (and after) the phase's deadline; each step once per person and
unit. Without --loop it runs once (for cron); with --loop it runs, sleeps --interval seconds,
and again, until SIGTERM or Ctrl-C, which end it cleanly between runs (no queue server).
"""

from __future__ import annotations

import signal
import threading
from datetime import datetime
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from parindex_web.notifications.reminders import send_due

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _moment(text: str) -> datetime:
    value = parse_datetime(text)
    if value is None:
        raise CommandError(f"--once-at {text!r} is not a date and time such as 2026-12-08T08:00")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class Command(BaseCommand):
    help = "Send the deadline reminders that are due (see docs/notifications.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="run again and again until stopped")
        parser.add_argument(
            "--interval",
            type=int,
            default=3600,
            help="seconds between runs with --loop (default 3600)",
        )
        parser.add_argument(
            "--once-at",
            metavar="DATETIME",
            help="run once as if it were this local time (e.g. 2026-12-08T08:00)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 second")
        if options["once_at"]:
            if options["loop"]:
                raise CommandError("--once-at runs once: it cannot be combined with --loop")
            self.run(_moment(options["once_at"]))
            return
        if not options["loop"]:
            self.run(None)
            return
        self.stopping = threading.Event()
        previous = {s: signal.signal(s, self.stop) for s in STOP_SIGNALS}
        try:
            self.stdout.write(f"send_reminders: every {options['interval']} s; stop with Ctrl-C")
            while not self.stopping.is_set():
                self.run(None)
                self.sleep(options["interval"])
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        self.stdout.write("send_reminders: stopped")

    def stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def sleep(self, seconds: int) -> None:
        """Wait between runs; a stop signal ends the wait at once."""
        self.stopping.wait(seconds)

    def run(self, now: datetime | None) -> None:
        moment = timezone.localtime(now or timezone.now())
        summary = send_due(now)
        for cycle, step, sent, skipped in summary.lines:
            when = f"{abs(step)} day(s) {'after' if step < 0 else 'before'} the deadline"
            self.stdout.write(
                f"{cycle} [{cycle.phase}, {when}]: {sent} sent, {skipped} sent before"
            )
        self.stdout.write(
            f"{moment:%d/%m/%Y %H:%M}: {summary.sent} reminder(s) sent "
            f"in {len(summary.lines)} cycle(s) with a reminder step today"
        )
