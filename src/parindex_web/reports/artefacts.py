"""A publication's files, built once and kept: the PDF reports, the workbook, the open-data bundle.

Each file is made once per publication version and stored through Django's default storage
under ``publications/<content hash>/<kind>-<variant>.<ext>`` (``MEDIA_ROOT`` by default). The
variant holds what else the file depends on: the layout, the language (PDFs and workbook), the
body's letterhead (PDFs) and, for the reports that compare with last year, the publication of
last year's cycle they compare with (a correction of it changes the comparison). The bundle depends
on the publication alone.

A file is written under a temporary name and renamed into place, so that a reader never sees
half a file; the first request builds it under a file lock (``publications/.locks``), so that two
workers never build the same file twice: the second waits and then serves the first one's file.

:func:`build` makes every file of a publication ahead of the first request; it is the hook a job
queue enqueues after publishing (the cost of a PDF at thousands of units is minutes of CPU).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import translation

from parindex_web.cycles.models import Cycle, Publication
from parindex_web.cycles.published import Published, load
from parindex_web.lib.ids import is_key

from .data import Report
from .data import build as build_report
from .models import letterhead_version
from .stored import unit_codes

# Bump when the layout of a file changes, so that stored copies are made again.
LAYOUT = 4
ROOT = "publications"


@dataclass(frozen=True)
class Kind:
    """One kind of file: its extension, what it depends on besides the publication, its maker."""

    name: str
    ext: str
    make: Callable[[Report], bytes]
    language: bool = True
    letterhead: bool = False
    comparison: bool = True


def _workbook(report: Report) -> bytes:
    from .workbook import build_workbook

    return build_workbook(report)


def _cycle_pdf(report: Report) -> bytes:
    from . import pdf  # WeasyPrint and matplotlib load with the first PDF, not with Django

    return pdf.cycle_pdf(report)


def _archive_pdf(report: Report) -> bytes:
    from . import pdf

    return pdf.archive_pdf(report)


def _bundle(report: Report) -> bytes:
    from .bundle import build_bundle

    return build_bundle(report)


def _unit_pdf(report: Report) -> bytes:
    raise ValueError("a unit's PDF is made with its unit code: ensure(..., make=...)")


KINDS = {
    "xlsx": Kind("report", "xlsx", _workbook),
    "pdf": Kind("report", "pdf", _cycle_pdf, letterhead=True),
    "pdfa": Kind("report-archive", "pdf", _archive_pdf, language=False, letterhead=True),
    "zip": Kind("open-data", "zip", _bundle, language=False, comparison=False),
    "unit": Kind("unit", "pdf", _unit_pdf, letterhead=True),  # one per unit, on first request
}


@dataclass(frozen=True)
class Artefact:
    """A stored file: its storage name and its ETag (the publication's hash and the variant)."""

    name: str
    etag: str

    @property
    def path(self) -> str:
        return str(default_storage.path(self.name))


def _variant(
    published: Published,
    kind: Kind,
    language: str,
    extra: str,
    depends: tuple[str, str] | None = None,
) -> str:
    # The version is in the files (their names, the bundle's folder), not only the hash: a
    # correction that changes no figure has the same hash, yet files of its own.
    parts = [str(LAYOUT), kind.name, kind.ext, extra, str(published.publication.version)]
    if kind.language:
        parts.append(language)
    if kind.letterhead or kind.comparison:
        letterhead, previous = depends or _depends(published)
        if kind.letterhead:
            parts.append(letterhead)
        if kind.comparison:
            parts.append(previous)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _depends(published: Published) -> tuple[str, str]:
    """What the files depend on besides the publication: the body's letterhead version and the
    publication of last year the comparison reads (two queries)."""
    return letterhead_version(published.cycle.body_id), _previous_version(published)


def _previous_version(published: Published) -> str:
    """The publication the comparison with last year reads (the same cycle as
    :attr:`Published.previous`, its latest version), as a key part: "0" without one. Another
    cycle's publication changes the files only when it is that one."""
    cycle = published.cycle
    previous = (
        Cycle.objects.filter(
            body=cycle.body_id,
            year=cycle.year - 1,
            methodology__unit_type=cycle.methodology.unit_type,
            publications__isnull=False,
        )
        .distinct()
        .first()
    )
    if previous is None:
        return "0"
    latest = previous.publications.order_by("-version").values_list("pk", flat=True).first()
    return str(latest or 0)


def locate(
    published: Published,
    key: str,
    *,
    extra: str = "",
    language: str = "",
    depends: tuple[str, str] | None = None,
) -> Artefact:
    """Where the file ``key`` (a :data:`KINDS` key) of ``published`` is, or will be, stored."""
    kind = KINDS[key]
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    variant = _variant(published, kind, language, extra, depends)
    digest = published.publication.content_hash
    stem = f"{kind.name}-{extra}" if extra else kind.name
    return Artefact(f"{ROOT}/{digest}/{stem}-{variant}.{kind.ext}", f'"{digest}-{variant}"')


@contextmanager
def _locked(name: str) -> Iterator[None]:
    locks = Path(default_storage.path(f"{ROOT}/.locks"))
    locks.mkdir(parents=True, exist_ok=True)
    lock = locks / (hashlib.sha256(name.encode()).hexdigest()[:32] + ".lock")
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(artefact: Artefact, content: bytes) -> None:
    """Write under a temporary name in the same folder, then rename: all or nothing."""
    target = Path(artefact.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def ensure(
    published: Published,
    key: str,
    *,
    extra: str = "",
    make: Callable[[Report], bytes] | None = None,
    language: str = "",
) -> Artefact:
    """The stored file, built first if it is not there yet (once, under the file lock)."""
    if not KINDS[key].language:  # one copy for every reader, made in the site's language
        language = settings.LANGUAGE_CODE
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    artefact = locate(published, key, extra=extra, language=language)
    if default_storage.exists(artefact.name):
        return artefact
    with _locked(artefact.name):
        if not default_storage.exists(artefact.name):  # another worker may have built it
            whole = load(published.cycle, published.publication.version)  # with its results
            with translation.override(language):
                content = (make or KINDS[key].make)(build_report(whole))
            _write(artefact, content)
    return artefact


# The heavy columns of a publication, which finding its stored files does not need.
HEAVY = ("results_json", "results_csv", "scores_csv", "methodology_text")


def header(cycle_id: int, version: int | None = None) -> Published:
    """The cycle's publication (latest unless ``version``) without its results read: enough to
    find and serve its stored files; 404 when there is none."""
    if not is_key(cycle_id):  # beyond the database's keys: no such cycle
        raise Http404
    cycle = Cycle.objects.select_related("body", "methodology").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    publications = Publication.objects.filter(cycle=cycle).defer(*HEAVY)
    if version is not None:
        publications = publications.filter(version=version)
    publication = publications.order_by("-version").first()
    if publication is None:
        raise Http404
    return Published(cycle=cycle, publication=publication)


def build(
    publication: Publication, progress: Callable[[int, int], None] | None = None
) -> list[Artefact]:
    """Make every file of ``publication`` that is not stored yet (idempotent); the hook to call,
    or enqueue, right after publishing (the jobs app does). PDFs and workbook in every language
    of the site; ``progress(done, total)`` is called before the first file and after each.
    Then deletes the files no address serves any more (:func:`clean`)."""
    published = header(publication.cycle_id, publication.version)
    wanted = [
        (key, language or settings.LANGUAGE_CODE)
        for key, kind in KINDS.items()
        if key != "unit"
        for language in ([code for code, _name in settings.LANGUAGES] if kind.language else [""])
    ]
    made: list[Artefact] = []
    for key, language in wanted:
        if progress is not None:
            progress(len(made), len(wanted))
        made.append(ensure(published, key, language=language))
    clean()  # what this version supersedes (a correction's predecessor's workbook and PDFs)
    if progress is not None:
        progress(len(made), len(wanted))
    return made


# --- what is no longer served ---------------------------------------------------------------

# The kinds served for every version (``/v<version>/…``); the others only for the latest.
EVERY_VERSION = ("pdfa", "zip")
# A temporary file or a lock younger than this may belong to a build under way.
GRACE = timedelta(hours=1)


def served(published: Published, *, latest: bool) -> set[str]:
    """The storage names of every file of ``published`` that an address still serves: the
    latest version's every kind (a unit's PDF for each of its units, each kind in every
    language it is made in), an earlier version's archive PDF and bundle."""
    depends = _depends(published)
    languages = [code for code, _name in settings.LANGUAGES]
    names = set()
    for key, kind in KINDS.items():
        if not latest and key not in EVERY_VERSION:
            continue
        extras = sorted(unit_codes(published.publication.pk)) if key == "unit" else [""]
        for language in languages if kind.language else [settings.LANGUAGE_CODE]:
            for extra in extras:
                found = locate(published, key, extra=extra, language=language, depends=depends)
                names.add(found.name)
    return names


def clean(*, grace: timedelta = GRACE) -> list[str]:
    """Delete the stored files no address serves any more (returns their names): the files of
    a version a correction superseded that only the latest is served with (its workbook and
    PDFs; its archive PDF and bundle stay), files made for a letterhead, a comparison or a
    layout since replaced, the folders of publications that no longer exist, and temporary
    files and locks older than ``grace`` (a killed build's). The files of every version still
    served are kept."""
    root = Path(default_storage.path(ROOT))
    if not root.is_dir():
        return []
    keep: set[str] = set()
    cycles = Cycle.objects.filter(publications__isnull=False).distinct()
    for cycle in cycles.select_related("body", "methodology"):
        versions = cycle.publications.defer(*HEAVY).order_by("-version")
        for i, publication in enumerate(versions):
            keep |= served(Published(cycle=cycle, publication=publication), latest=i == 0)
    cutoff = time.time() - grace.total_seconds()
    removed = []
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root.parent).as_posix()
        if not path.is_file() or name in keep:
            continue
        if path.parent.name == ".locks" or path.name.endswith(".tmp"):
            if path.stat().st_mtime > cutoff or not _unlink_unlocked(path):
                continue
        else:
            path.unlink(missing_ok=True)
        removed.append(name)
    for folder in sorted((p for p in root.iterdir() if p.is_dir()), reverse=True):
        if folder.name != ".locks" and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def _unlink_unlocked(path: Path) -> bool:
    """Delete ``path`` unless a builder holds its lock now (a lock file, or a temporary file,
    which nobody locks); True if deleted."""
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        path.unlink(missing_ok=True)
    return True
