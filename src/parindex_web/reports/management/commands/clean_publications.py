"""Delete what publishing leaves behind: stored files no address serves any more, temporary
files and locks of killed builds, and unit rows staged by publications that never finished."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex_web.reports import artefacts, stored


class Command(BaseCommand):
    help = (
        "Delete publication files no address serves (a superseded version's workbook and PDFs, "
        "files of a replaced letterhead, comparison or layout, killed builds' temporary files) "
        "and unit rows staged by publications that never finished."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=60.0,
            metavar="MINUTES",
            help="spare temporary files, locks and staged rows younger than this (default 60: "
            "a build or a publication may still be under way)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0:
            raise CommandError("--older-than must be 0 or more minutes")
        grace = timedelta(minutes=options["older_than"])
        for name in artefacts.clean(grace=grace):
            self.stdout.write(f"deleted {name}")
        drafts = stored.discard(older_than=grace)
        self.stdout.write(f"{drafts} staged unit row(s) of unfinished publications deleted")
