"""The evidence store on disk: whole files only, temporary leftovers and orphans cleaned."""

import hashlib
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from parindex_web.cycles import services, storage
from parindex_web.cycles.models import Evidence

DATA = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture(autouse=True)
def _temp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")


def files_under(folder) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.is_file())


def test_store_writes_the_whole_file_under_its_hash_and_leaves_no_temporary(settings):
    name = storage.store([DATA[:10], DATA[10:]], SHA)
    assert name == f"evidence/{SHA[:2]}/{SHA[2:4]}/{SHA}"
    assert (Path(settings.MEDIA_ROOT) / name).read_bytes() == DATA
    assert files_under(settings.FILE_UPLOAD_TEMP_DIR) == []


def test_store_repairs_a_damaged_file_of_the_same_name(settings):
    damaged = Path(settings.MEDIA_ROOT) / storage.evidence_name(SHA)
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(DATA[:5])  # what a killed upload used to leave
    storage.store([DATA], SHA)
    assert damaged.read_bytes() == DATA


def test_a_write_cut_off_leaves_neither_a_partial_file_nor_a_temporary(settings):
    def chunks():
        yield DATA[:10]
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        storage.store(chunks(), SHA)
    assert files_under(settings.MEDIA_ROOT) == []


def test_clean_temporary_deletes_only_files_older_than_the_cutoff(settings):
    tmp = storage.temp_dir()
    old, new = tmp / "old.upload", tmp / "new.upload"
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    os.utime(old, (time.time() - 100, time.time() - 100))
    assert storage.clean_temporary(time.time() - 50) == [old]
    assert files_under(tmp) == [new]


def stored_orphan(settings, data: bytes, age: float = 3600) -> Path:
    path = Path(settings.MEDIA_ROOT) / storage.evidence_name(hashlib.sha256(data).hexdigest())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (time.time() - age, time.time() - age))
    return path


@pytest.mark.django_db
def test_orphans_are_files_without_a_row_and_say_whether_they_are_whole(settings):
    whole = stored_orphan(settings, b"whole")
    damaged = stored_orphan(settings, b"damaged")
    damaged.write_bytes(b"dam")
    found = {o.name: o.whole for o in storage.orphans()}
    root = Path(settings.MEDIA_ROOT)
    assert found == {
        whole.relative_to(root).as_posix(): True,
        damaged.relative_to(root).as_posix(): False,
    }


@pytest.mark.django_db
def test_clean_uploads_never_deletes_a_file_a_document_refers_to(
    settings, capsys, flow, assessment
):
    flow.open()
    evidence = services.add_evidence(
        flow.people.officer, assessment, SimpleUploadedFile("a.pdf", DATA, "application/pdf")
    )
    kept = Path(settings.MEDIA_ROOT) / evidence.file.name
    os.utime(kept, (time.time() - 7200, time.time() - 7200))
    orphan = stored_orphan(settings, b"orphan")
    recent = stored_orphan(settings, b"recent", age=0)
    leftover = storage.temp_dir() / "cut-off.upload"
    leftover.write_bytes(b"half")
    os.utime(leftover, (time.time() - 5, time.time() - 5))
    call_command("clean_uploads", "--delete-orphans")
    out = capsys.readouterr().out
    assert "1 temporary upload file(s) deleted" in out
    assert "2 orphan evidence file(s)" in out
    assert "1 orphan file(s) deleted" in out
    assert kept.read_bytes() == DATA
    assert not orphan.exists() and recent.exists() and not leftover.exists()
    assert Evidence.objects.get().file.name == evidence.file.name


@pytest.mark.django_db
def test_clean_uploads_only_reports_orphans_without_the_option(settings, capsys):
    orphan = stored_orphan(settings, b"orphan")
    call_command("clean_uploads")
    assert "1 orphan evidence file(s)" in capsys.readouterr().out
    assert orphan.exists()


def test_clean_uploads_refuses_a_negative_age():
    with pytest.raises(CommandError, match="0 or more"):
        call_command("clean_uploads", "--delete-orphans", "--older-than", "-1")
