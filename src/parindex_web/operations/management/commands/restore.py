"""Restore a backup made by ``manage.py backup``: checked whole first, then put in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex_web.audit.models import verify as verify_audit
from parindex_web.operations.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Restore the database and the evidence files from a backup directory, after checking "
        "every file against its manifest. Stop the server first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", help="a directory written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data (all of it is lost)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check the backup against its manifest; change nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        src = Path(options["src"])
        try:
            if options["check"]:
                manifest = verify(src)
                self.stdout.write(
                    f"{src}: a complete backup of {manifest['created_at']} "
                    f"({len(manifest['files'])} evidence file(s))"
                )
                return
            done = restore(src, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {src}: the database and {done.files} evidence file(s)")
        if done.old_media is not None:
            self.stdout.write(f"the evidence folder it replaced is kept as {done.old_media}")
        findings = verify_audit()
        if findings:
            raise CommandError(
                f"restored, but the audit trail is broken: {len(findings)} problem(s) "
                "(`manage.py audit_verify` lists them)"
            )
        self.stdout.write(
            "audit trail intact; run `manage.py migrate` if this code is newer than the backup"
        )
