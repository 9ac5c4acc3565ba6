"""Backups: the database and the evidence files together, with a manifest that proves them.

A backup is a directory::

    manifest.json        what is inside and the SHA-256 and size of every other file
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    database.pgdump      PostgreSQL: ``pg_dump --format=custom``
    media/evidence/…     every evidence file, by its stored name

It is written under a hidden temporary name beside its destination and renamed at the end, so
a backup cut off half-way never looks complete. The database is copied first and the files
second: files are stored by content hash and never changed, so every file a copied row names is
already on disk. :func:`verify` refuses anything that does not match its manifest before
:func:`restore` touches the database or the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

import parindex
from parindex_web.cycles import storage

FORMAT = "parindex-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables `migrate` fills by itself: a database holding only these is empty.
SCHEMA_ONLY = {("contenttypes", "contenttype"), ("auth", "permission")}


class BackupError(Exception):
    """A backup or restore refused; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    files: int
    old_media: Path | None


def engine(alias: str = DEFAULT_DB_ALIAS) -> str:
    """``sqlite`` or ``postgresql``; :class:`BackupError` for any other database."""
    vendor = connections[alias].vendor
    if vendor not in DUMPS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def sha256_of(path: Path) -> str:
    return storage.file_sha256(path)


def _copy(source: Path, target: Path) -> tuple[str, int]:
    """Copy a file, flushed to disk; return its SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest(), size


def _pg_env(conn: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """libpq connection options for pg_dump/pg_restore; the password goes in PGPASSWORD, never
    on the command line (where any user of the machine could read it)."""
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if conn.get(key):
            args += [option, str(conn[key])]
    env = {**os.environ}
    if conn.get("PASSWORD"):
        env["PGPASSWORD"] = str(conn["PASSWORD"])
    return [*args, "--dbname", str(conn["NAME"])], env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client programs"
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The migrations applied to the database, by app, sorted."""
    found: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[alias]).applied_migrations()):
        found.setdefault(app, []).append(name)
    return found


def _dump(kind: str, target: Path, alias: str) -> None:
    connection = connections[alias]
    if kind == "sqlite":
        connection.ensure_connection()
        out = sqlite3.connect(target)
        try:
            connection.connection.backup(out)  # consistent even while the server writes
        finally:
            out.close()
    else:
        args, env = _pg_env(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)


def backup(dest: Path, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup to the new directory ``dest``; return its manifest."""
    kind = engine(alias)
    if dest.exists():
        raise BackupError(f"{dest} already exists: give a new name for the backup")
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent} is not a directory")
    work = dest.parent / f".{dest.name}.partial-{os.getpid()}"
    work.mkdir()
    try:
        migrations = applied_migrations(alias)
        dump = work / DUMPS[kind]
        _dump(kind, dump, alias)
        media = Path(settings.MEDIA_ROOT)
        files = []
        for name in storage.stored_names():
            sha, size = _copy(media / name, work / MEDIA / name)
            files.append({"path": f"{MEDIA}/{name}", "sha256": sha, "size": size})
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "parindex_version": parindex.__version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "engine": kind,
            "database": {
                "path": DUMPS[kind],
                "sha256": sha256_of(dump),
                "size": dump.stat().st_size,
            },
            "migrations": migrations,
            "files": files,
        }
        with (work / MANIFEST).open("w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.rename(work, dest)  # complete, or absent
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _safe(path: object) -> str:
    """A manifest path, refused unless it is a plain relative path inside the backup."""
    if not isinstance(path, str) or not path:
        raise BackupError("the manifest lists a file without a path")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path:
        raise BackupError(f"the manifest lists an unsafe path: {path!r}")
    return path


def read_manifest(src: Path) -> dict[str, Any]:
    if not src.is_dir():
        raise BackupError(f"{src} is not a backup directory")
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{src} has no {MANIFEST}: not a parindex backup, or an unfinished one"
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{src / MANIFEST} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{src / MANIFEST} is not a parindex backup manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"the backup's format version {version!r} is newer than this parindex reads "
            f"({FORMAT_VERSION}): restore it with the version that made it "
            f"({manifest.get('parindex_version')})"
        )
    return manifest


def verify(src: Path, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Check a backup against its manifest and this installation; return the manifest.

    Refused (:class:`BackupError`): no or unreadable manifest, another database engine, a
    migration this code does not have (a newer schema), a file missing, changed (size or
    SHA-256) or not in the manifest.
    """
    manifest = read_manifest(src)
    kind = engine(alias)
    if manifest.get("engine") != kind:
        raise BackupError(
            f"the backup is of a {manifest.get('engine')} database and this installation uses "
            f"{kind}: restore it into a {manifest.get('engine')} database"
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    migrations = manifest.get("migrations")
    if not isinstance(migrations, dict):
        raise BackupError("the manifest has no migration state")
    unknown = sorted(
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "the backup's schema is newer than this code (migrations unknown here: "
            f"{', '.join(unknown[:5])}): restore it with parindex "
            f"{manifest.get('parindex_version')} or later"
        )
    listed = [manifest.get("database"), *(manifest.get("files") or [])]
    expected: dict[str, tuple[str, int]] = {}
    for item in listed:
        if not isinstance(item, dict):
            raise BackupError("the manifest's file list is damaged")
        expected[_safe(item.get("path"))] = (str(item.get("sha256")), item.get("size", -1))
    if manifest["database"]["path"] != DUMPS[kind]:
        raise BackupError(f"the manifest names {manifest['database']['path']!r} as the database")
    for path in expected:
        if not path.startswith(f"{MEDIA}/{storage.EVIDENCE_DIR}/") and path != DUMPS[kind]:
            raise BackupError(f"the manifest lists {path!r}, which is not part of a backup")
    present = {
        p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file() and p.name != MANIFEST
    }
    missing, extra = sorted(set(expected) - present), sorted(present - set(expected))
    if missing:
        raise BackupError(f"the backup is incomplete: {missing[0]} is missing")
    if extra:
        raise BackupError(f"the backup holds {extra[0]}, which its manifest does not list")
    for path, (sha, size) in expected.items():
        file = src / path
        if file.stat().st_size != size or sha256_of(file) != sha:
            raise BackupError(
                f"{path} does not match the manifest (its bytes were changed or damaged)"
            )
    return manifest


def has_data(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether any table of the installed models holds a row (besides those ``migrate``
    fills by itself); an unmigrated database has none."""
    tables = set(connections[alias].introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        if (model._meta.app_label, model._meta.model_name) in SCHEMA_ONLY:
            continue
        if model._meta.db_table in tables and model._default_manager.using(alias).exists():
            return True
    return False


@contextmanager
def _new_media(files: list[dict[str, Any]], src: Path) -> Iterator[Path]:
    """The backup's evidence files copied beside MEDIA_ROOT's evidence folder (removed if the
    restore fails before they are moved into place)."""
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    staging = media / f".{storage.EVIDENCE_DIR}.restoring-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        (staging).mkdir()
        prefix = f"{MEDIA}/{storage.EVIDENCE_DIR}/"
        for item in files:
            _copy(src / item["path"], staging / item["path"].removeprefix(prefix))
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _load(kind: str, dump: Path, alias: str) -> None:
    connection = connections[alias]
    if kind == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)  # replaces every page of the database
        finally:
            source.close()
        connection.close()
    else:
        connection.close()
        args, env = _pg_env(connection.settings_dict)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(dump),
            ],
            env,
        )


def restore(src: Path, *, force: bool = False, alias: str = DEFAULT_DB_ALIAS) -> Restored:
    """Replace the database and the evidence files with the backup's, once it has been verified.

    Refused when the database holds data, unless ``force``; on PostgreSQL also when the
    database has migrations the backup lacks (``pg_restore --clean`` would leave their tables:
    restore into an empty database, then migrate). The evidence folder the restore replaces is
    kept beside it (``evidence.before-restore-<time>``) and returned.
    """
    manifest = verify(src, alias)
    kind = manifest["engine"]
    if has_data(alias) and not force:
        raise BackupError(
            "the database already holds data: a restore replaces all of it (give --force to do so)"
        )
    if kind == "postgresql" and has_data(alias):
        live = {(a, n) for a, names in applied_migrations(alias).items() for n in names}
        backed = {(a, n) for a, names in manifest["migrations"].items() for n in names}
        if live - backed:
            raise BackupError(
                "the database has migrations the backup lacks: restore into an empty database "
                "(drop and create it), then run `manage.py migrate`"
            )
    with _new_media(manifest["files"], src) as staging:
        _load(kind, src / manifest["database"]["path"], alias)
        evidence = Path(settings.MEDIA_ROOT) / storage.EVIDENCE_DIR
        old = None
        if evidence.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            old = evidence.with_name(f"{storage.EVIDENCE_DIR}.before-restore-{stamp}")
            os.rename(evidence, old)
        os.rename(staging, evidence)
    return Restored(files=len(manifest["files"]), old_media=old)
