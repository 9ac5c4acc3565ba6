"""Delete the temporary files of cut-off uploads; report (and with --delete-orphans delete)
stored evidence files that no document refers to."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex_web.cycles import storage


class Command(BaseCommand):
    help = (
        "Delete leftover temporary upload files and list evidence files no document refers to "
        "(--delete-orphans deletes those older than --older-than minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete-orphans",
            action="store_true",
            help="delete stored evidence files that no document row refers to",
        )
        parser.add_argument(
            "--older-than",
            type=float,
            default=10.0,
            metavar="MINUTES",
            help="with --delete-orphans, spare files changed less than this long ago (default "
            "10: an upload's file is renamed into place a moment before its row is saved)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["older_than"] < 0:
            raise CommandError("--older-than must be 0 or more minutes")
        report(self.stdout.write, before=time.time())
        if options["delete_orphans"]:
            deleted = storage.delete_orphans(options["older_than"] * 60)
            for orphan in deleted:
                self.stdout.write(f"deleted orphan {orphan.name} ({orphan.size} bytes)")
            self.stdout.write(f"{len(deleted)} orphan file(s) deleted")


def report(write: Any, *, before: float) -> None:
    """Delete the temporary files older than ``before`` and list the orphans, through ``write``
    (also what ``manage.py serve`` does when it starts)."""
    removed = storage.clean_temporary(before)
    write(f"{len(removed)} temporary upload file(s) deleted from {storage.temp_dir()}")
    found = storage.orphans()
    for orphan in found:
        state = "whole" if orphan.whole else "DAMAGED (bytes do not match the name)"
        write(f"orphan {orphan.name}: {orphan.size} bytes, {state}, no document refers to it")
    if found:
        write(
            f"{len(found)} orphan evidence file(s): `manage.py clean_uploads --delete-orphans` "
            "deletes them"
        )
