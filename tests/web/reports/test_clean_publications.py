"""Files no address serves any more are deleted; every file still served is kept (issue 17).

The latest version of a cycle is served with every kind of file; an earlier version only with
its archive PDF and its open-data bundle (``/v<version>/…``). So a correction makes the
earlier version's workbook, reports and unit reports unreachable, and the files job deletes
them once the correction's own files are made (``manage.py clean_publications`` does the same
by hand, with the temporary files and locks of killed builds and rows staged by publications
that never finished).
"""

from __future__ import annotations

import dataclasses
import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle, Publication
from parindex_web.reports import artefacts, stored
from parindex_web.reports.models import PublishedUnit

from .conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cheap_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind made as a few bytes: what is kept matters here, not what is in it."""
    for key, kind in list(artefacts.KINDS.items()):
        made = dataclasses.replace(kind, make=lambda report, key=key: key.encode())
        monkeypatch.setitem(artefacts.KINDS, key, made)


def files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def names(cycle: Cycle, version: int, *keys: str, unit: str = "") -> set[str]:
    published = artefacts.header(cycle.pk, version)
    languages = [code for code, _name in settings.LANGUAGES]
    found = set()
    for key in keys:
        for language in languages if artefacts.KINDS[key].language else [settings.LANGUAGE_CODE]:
            extra = unit if key == "unit" else ""
            found.add(artefacts.locate(published, key, extra=extra, language=language).name)
    return found


def unit_pdf(cycle: Cycle, code: str) -> None:
    published = artefacts.header(cycle.pk)
    for language, _name in settings.LANGUAGES:
        artefacts.ensure(published, "unit", extra=code, language=language, make=lambda r: b"u")


def aged(path: Path, hours: float) -> Path:
    stamp = time.time() - hours * 3600
    os.utime(path, (stamp, stamp))
    return path


def test_a_correction_deletes_what_only_the_superseded_latest_was_served_with(
    published: Cycle, world: World
) -> None:
    first = Publication.objects.get(cycle=published)
    artefacts.build(first)
    unit_pdf(published, "x-mot")
    everything = names(published, 1, "xlsx", "pdf", "pdfa", "zip", "unit", unit="x-mot")
    assert everything <= files()

    second = services.publish(world.secretariat, published, reason="Đính chính")
    artefacts.build(second)  # the files job: the correction's files, then the clean-up

    kept = names(published, 1, "pdfa", "zip")
    gone = names(published, 1, "xlsx", "pdf", "unit", unit="x-mot")
    assert kept <= files()
    assert not gone & files()
    assert names(published, 2, "xlsx", "pdf", "pdfa", "zip") <= files()


def test_every_file_still_served_is_kept(published: Cycle) -> None:
    artefacts.build(Publication.objects.get(cycle=published))
    unit_pdf(published, "x-hai")
    before = files()
    assert artefacts.clean() == []
    assert files() == before


def test_leftovers_are_deleted_once_older_than_the_grace(published: Cycle) -> None:
    publication = Publication.objects.get(cycle=published)
    artefacts.build(publication)
    root = Path(settings.MEDIA_ROOT) / artefacts.ROOT
    folder = root / publication.content_hash
    old_temporary = folder / ".report-abc.pdf.4242.tmp"
    old_temporary.write_bytes(b"half")
    aged(old_temporary, 2)
    new_temporary = folder / ".report-def.pdf.4343.tmp"
    new_temporary.write_bytes(b"half")
    gone_publication = root / ("0" * 64)
    gone_publication.mkdir()
    (gone_publication / "report-0123456789abcdef.xlsx").write_bytes(b"old")
    old_lock = root / ".locks" / "0123.lock"
    old_lock.write_bytes(b"")
    aged(old_lock, 2)
    served = files() - {
        f"{artefacts.ROOT}/{p.relative_to(root).as_posix()}"
        for p in (old_temporary, new_temporary, gone_publication / "report-0123456789abcdef.xlsx")
    }

    removed = artefacts.clean()
    assert set(removed) == {
        f"{artefacts.ROOT}/{publication.content_hash}/.report-abc.pdf.4242.tmp",
        f"{artefacts.ROOT}/{'0' * 64}/report-0123456789abcdef.xlsx",
        f"{artefacts.ROOT}/.locks/0123.lock",
    }
    assert new_temporary.exists()
    assert not gone_publication.exists()
    assert files() == (served - {f"{artefacts.ROOT}/.locks/0123.lock"}) | {
        f"{artefacts.ROOT}/{publication.content_hash}/.report-def.pdf.4343.tmp"
    }


def test_a_lock_held_by_a_build_is_kept(published: Cycle) -> None:
    import fcntl

    artefacts.build(Publication.objects.get(cycle=published))
    lock = Path(settings.MEDIA_ROOT) / artefacts.ROOT / ".locks" / "held.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        aged(lock, 2)
        assert artefacts.clean() == []
    assert lock.exists()


def test_the_command_deletes_old_files_and_unfinished_drafts(
    published: Cycle, world: World
) -> None:
    first = Publication.objects.get(cycle=published)
    artefacts.build(first)
    superseded = names(published, 1, "xlsx")
    services.publish(world.secretariat, published, reason="Đính chính")
    results = parindex.compute(published.core(), services.final_scores(published))
    left = stored.stage(published.pk, results)  # a publication that never finished
    PublishedUnit.objects.filter(draft=left.token).update(
        staged_at=timezone.now() - timedelta(hours=2)
    )
    out = io.StringIO()
    call_command("clean_publications", stdout=out)
    lines = out.getvalue().splitlines()
    assert {f"deleted {name}" for name in superseded} <= set(lines)
    assert lines[-1] == f"{len(world.units)} staged unit row(s) of unfinished publications deleted"
    assert not superseded & files()
    assert not PublishedUnit.objects.filter(publication=None).exists()
    assert stored.unit_count(first.pk) == len(world.units)  # an earlier version's rows stay


def test_the_command_refuses_a_negative_age() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="0 or more"):
        call_command("clean_publications", "--older-than", "-1")
