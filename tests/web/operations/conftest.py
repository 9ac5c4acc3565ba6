"""A database with data in every area (the demo data and two evidence files), for backups."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle, Phase

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pg_dump_fits() -> str:
    """Why pg_dump cannot back up this PostgreSQL server ('' when it can)."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        return "pg_dump/pg_restore are not installed"
    out = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    major = int(re.search(r"(\d+)", out).group(1))  # type: ignore[union-attr]
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if major < server:
        return f"pg_dump {major} cannot dump a PostgreSQL {server} server"
    return ""


@pytest.fixture
def _upload_temp(settings: Any, tmp_path: Path) -> None:
    """Uploads' temporary files inside the test's media folder (see ``_media``)."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")


@pytest.fixture
def engine_ready(transactional_db: None) -> None:
    if connection.vendor == "postgresql" and (why := pg_dump_fits()):
        pytest.skip(why)


@pytest.fixture
def filled(engine_ready: None, _upload_temp: None, settings: Any) -> None:
    """The demo data (users of every role, cycles at every stage, publications, an audit trail)
    and two evidence documents stored on disk."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    cycle = Cycle.objects.filter(phase=Phase.SELF_ASSESSMENT).first()
    if cycle is None:  # demo data without an open self-assessment: open one
        cycle = Cycle.objects.order_by("pk").first()
    assessment = Assessment.objects.filter(cycle=cycle).first()
    officer = apps.get_model("auth", "User").objects.get(username="canbo1")
    for i in range(2):
        data = PDF + f"% document {i}\n".encode()
        try:
            services.add_evidence(
                officer, assessment, SimpleUploadedFile(f"tl-{i}.pdf", data, "application/pdf")
            )
        except services.CycleError:  # phase closed: store through the same helper
            from parindex_web.cycles import storage
            from parindex_web.cycles.models import Evidence

            sha = hashlib.sha256(data).hexdigest()
            Evidence.objects.create(
                assessment=assessment,
                file=storage.store([data], sha),
                sha256=sha,
                size=len(data),
                content_type="application/pdf",
                original_name=f"tl-{i}.pdf",
            )


@pytest.fixture
def small(engine_ready: None, _upload_temp: None) -> None:
    """One user and two stored evidence files: enough for a backup to spoil."""
    from parindex_web.cycles import storage

    apps.get_model("auth", "User").objects.create_user("canbo1")
    for i in range(2):
        data = PDF + f"% document {i}\n".encode()
        storage.store([data], hashlib.sha256(data).hexdigest())


def every_row() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the installed models, by model, in primary-key order."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def every_file() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
