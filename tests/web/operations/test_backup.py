"""`manage.py backup` and `manage.py restore`: a round trip keeps every row and every file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from parindex_web.cycles.models import Evidence
from parindex_web.operations.backup import DUMPS

from .conftest import every_file, every_row


def test_a_backup_holds_the_database_every_evidence_file_and_a_manifest(filled, tmp_path, capsys):
    dest = tmp_path / "b1"
    call_command("backup", str(dest))
    assert "backup written to" in capsys.readouterr().out
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["database"]["path"] == DUMPS[connection.vendor]
    assert {f["path"].split("/")[-1] for f in manifest["files"]} == set(
        Evidence.objects.values_list("sha256", flat=True)
    )
    assert all(f["path"].split("/")[-1] == f["sha256"] for f in manifest["files"])
    assert "0001_initial" in manifest["migrations"]["cycles"]
    assert {"parindex_version", "created_at"} <= set(manifest)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial left


def test_a_round_trip_restores_every_row_of_every_table_and_every_file(filled, tmp_path, capsys):
    rows, files = every_row(), every_file()
    assert len(files) == 2 and rows["audit.AuditRecord"] and rows["cycles.Entry"]
    dest = tmp_path / "b1"
    call_command("backup", str(dest))
    # Everything changes afterwards: rows deleted, a file lost, another added.
    call_command("flush", "--noinput", verbosity=0)
    apps.get_model("auth", "User").objects.create_user("intruder")
    evidence = Path(tmp_path / "media" / "evidence")
    next(p for p in evidence.rglob("*") if p.is_file()).unlink()
    (evidence / "stray").write_bytes(b"x")
    call_command("restore", str(dest), "--force")
    out = capsys.readouterr().out
    assert "audit trail intact" in out
    assert every_row() == rows
    assert every_file() == files
    call_command("audit_verify")  # raises when broken
    kept = next(tmp_path.joinpath("media").glob("evidence.before-restore-*"))
    assert (kept / "stray").exists()


def test_a_backup_refuses_an_existing_destination(small, tmp_path):
    (tmp_path / "b1").mkdir()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "b1"))


def test_restore_refuses_a_database_with_data_without_force(small, tmp_path):
    call_command("backup", str(tmp_path / "b1"))
    with pytest.raises(CommandError, match=r"already holds data.*--force"):
        call_command("restore", str(tmp_path / "b1"))


def test_restore_into_an_empty_database_needs_no_force(filled, tmp_path):
    rows = every_row()
    call_command("backup", str(tmp_path / "b1"))
    call_command("flush", "--noinput", verbosity=0)
    shutil.rmtree(tmp_path / "media")
    call_command("restore", str(tmp_path / "b1"))
    assert every_row()["cycles.Entry"] == rows["cycles.Entry"]
