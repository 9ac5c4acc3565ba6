"""Back up the database and the evidence files into a new directory, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex_web.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database and the evidence files into the new directory DEST (written "
        "under a temporary name, renamed when complete); see docs/security.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", help="a directory that does not exist yet")

    def handle(self, *args: Any, **options: Any) -> None:
        dest = Path(options["dest"])
        try:
            manifest = backup(dest)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        size = manifest["database"]["size"] + sum(f["size"] for f in manifest["files"])
        self.stdout.write(
            f"backup written to {dest}: {manifest['engine']} database and "
            f"{len(manifest['files'])} evidence file(s), {size} bytes"
        )
