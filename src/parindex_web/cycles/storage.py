"""The evidence store on disk: files named by their SHA-256 under ``MEDIA_ROOT/evidence/``.

A file appears there whole or not at all: :func:`store` writes it under a temporary name in
``PARINDEX_UPLOAD_TEMP_DIR`` (on the same file system, also where Django spools large uploads),
forces it to disk and renames it into place. A server killed mid-upload leaves at most a
temporary file, which :func:`clean_temporary` removes (``manage.py serve`` calls it at start),
or a whole file whose row was never committed, which :func:`orphans` finds (``manage.py
clean_uploads --delete-orphans`` removes it).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

EVIDENCE_DIR = "evidence"


def evidence_name(sha256: str) -> str:
    """The stored name (relative to ``MEDIA_ROOT``) of the file with this content hash."""
    return f"{EVIDENCE_DIR}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def temp_dir() -> Path:
    """The folder of temporary upload files, created if missing."""
    path = Path(settings.FILE_UPLOAD_TEMP_DIR or Path(settings.MEDIA_ROOT) / "tmp")
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(chunks: Iterable[bytes], sha256: str) -> str:
    """Write ``chunks`` (whose hash is ``sha256``) into the store; return its stored name.

    Written to a temporary file, flushed to disk, then renamed over the final name: the same
    bytes already there are replaced by the same bytes, a file left damaged by an older version
    is repaired, and no reader ever sees a partial file.
    """
    name = evidence_name(sha256)
    final = Path(settings.MEDIA_ROOT) / name
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix="evidence-", suffix=".part", dir=temp_dir())
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, final)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return name


def clean_temporary(before: float | None = None) -> list[Path]:
    """Delete the temporary upload files last changed before ``before`` (a time stamp; default
    now) and return them: those of uploads cut off by a stopped or killed server."""
    cutoff = time.time() if before is None else before
    removed = []
    for path in sorted(temp_dir().rglob("*")):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # finished (renamed or deleted) meanwhile
            continue
    return removed


@dataclass(frozen=True)
class Orphan:
    """A stored file no evidence row refers to; ``whole`` when its bytes match its name."""

    name: str
    size: int
    mtime: float
    whole: bool


def stored_names() -> list[str]:
    """Every file in the evidence folder, by stored name, sorted."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(
        p.relative_to(root).as_posix() for p in (root / EVIDENCE_DIR).rglob("*") if p.is_file()
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def orphans() -> list[Orphan]:
    """The stored files that no evidence row refers to.

    The files are listed before the rows are read, so a file whose upload commits in between is
    seen with its row; callers that delete also spare recent files (an upload's file is renamed
    into place a moment before its row is committed).
    """
    from .models import Evidence

    names = stored_names()
    referenced = set(Evidence.objects.values_list("file", flat=True))
    root = Path(settings.MEDIA_ROOT)
    found = []
    for name in names:
        if name in referenced:
            continue
        path = root / name
        try:
            stat = path.stat()
            whole = file_sha256(path) == Path(name).name
        except FileNotFoundError:
            continue
        found.append(Orphan(name, stat.st_size, stat.st_mtime, whole))
    return found


def delete_orphans(older_than_seconds: float) -> list[Orphan]:
    """Delete the orphans last changed more than ``older_than_seconds`` ago, checking again just
    before each deletion that no row refers to the file; return those deleted."""
    from .models import Evidence

    cutoff = time.time() - older_than_seconds
    deleted = []
    for orphan in orphans():
        if orphan.mtime >= cutoff or Evidence.objects.filter(file=orphan.name).exists():
            continue
        (Path(settings.MEDIA_ROOT) / orphan.name).unlink(missing_ok=True)
        deleted.append(orphan)
    return deleted
