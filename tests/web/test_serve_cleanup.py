"""`manage.py serve` deletes the temporary files of cut-off uploads before it serves."""

import io
import os
import time

import pytest
from django.core.management.base import BaseCommand
from django.db import OperationalError

from parindex_web.cycles import storage
from parindex_web.home.management.commands import serve


@pytest.fixture
def command():
    cmd = BaseCommand(stdout=io.StringIO(), stderr=io.StringIO())
    return cmd


@pytest.fixture
def leftover(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")
    path = storage.temp_dir() / "killed.upload"
    path.write_bytes(b"half an upload")
    os.utime(path, (time.time() - 60, time.time() - 60))
    return path


@pytest.mark.django_db
def test_serve_deletes_leftover_temporary_uploads_when_it_starts(command, leftover):
    serve.clean_uploads(command)
    assert not leftover.exists()
    assert "1 temporary upload file(s) deleted" in command.stdout.getvalue()


def test_serve_still_starts_when_the_database_is_down(command, leftover, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(storage, "orphans", down)
    serve.clean_uploads(command)
    assert not leftover.exists()
    assert "the database is unavailable" in command.stderr.getvalue()
