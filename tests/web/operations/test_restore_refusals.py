"""`manage.py restore` refuses a partial or altered backup before touching anything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from .conftest import every_file

User = get_user_model()


@pytest.fixture
def made(small, tmp_path) -> Path:
    dest = tmp_path / "b1"
    call_command("backup", str(dest))
    return dest


def manifest_of(backup: Path) -> dict:
    return json.loads((backup / "manifest.json").read_text())


def rewrite(backup: Path, manifest: dict) -> None:
    (backup / "manifest.json").write_text(json.dumps(manifest))


def a_file(backup: Path) -> Path:
    return backup / manifest_of(backup)["files"][0]["path"]


def change_a_byte(backup: Path) -> None:
    path = a_file(backup)
    data = bytearray(path.read_bytes())
    data[-2] ^= 1
    path.write_bytes(bytes(data))


def change_the_database(backup: Path) -> None:
    path = backup / manifest_of(backup)["database"]["path"]
    with path.open("ab") as f:
        f.write(b"\0")


def other_engine(backup: Path) -> None:
    m = manifest_of(backup)
    m["engine"] = "sqlite" if m["engine"] == "postgresql" else "postgresql"
    rewrite(backup, m)


def newer_schema(backup: Path) -> None:
    m = manifest_of(backup)
    m["migrations"]["cycles"].append("9999_from_the_future")
    rewrite(backup, m)


def manifest_size_edited(backup: Path) -> None:
    m = manifest_of(backup)
    m["files"][0]["size"] += 1
    rewrite(backup, m)


def unsafe_path(backup: Path) -> None:
    m = manifest_of(backup)
    m["files"][0]["path"] = "media/evidence/../../../etc/passwd"
    rewrite(backup, m)


CASES = [
    ("missing file", lambda b: a_file(b).unlink(), "incomplete: media/evidence/"),
    ("changed byte", change_a_byte, "does not match the manifest"),
    ("changed database", change_the_database, "database.* does not match the manifest"),
    ("extra file", lambda b: (b / "media" / "evidence" / "x").write_bytes(b"x"), "does not list"),
    ("no manifest", lambda b: (b / "manifest.json").unlink(), "no manifest.json"),
    ("bad JSON", lambda b: (b / "manifest.json").write_text("{"), "not valid JSON"),
    ("not ours", lambda b: rewrite(b, {"format": "other"}), "not a parindex backup"),
    ("other engine", other_engine, "restore it into a"),
    ("newer schema", newer_schema, "schema is newer.*cycles.9999_from_the_future"),
    ("size edited", manifest_size_edited, "does not match the manifest"),
    ("unsafe path", unsafe_path, "unsafe path"),
]


@pytest.mark.parametrize(("spoil", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_restore_refuses_a_spoiled_backup_and_changes_nothing(made, spoil, message):
    files = every_file()
    User.objects.all().delete()  # a change the restore would undo
    User.objects.create_user("after")
    spoil(made)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(made), "--force")
    assert list(User.objects.values_list("username", flat=True)) == ["after"]
    assert every_file() == files


def test_check_only_reports_a_good_backup(made, capsys):
    call_command("restore", str(made), "--check")
    assert "a complete backup" in capsys.readouterr().out


def test_an_unfinished_backup_is_not_a_backup(made, tmp_path):
    partial = tmp_path / ".b2.partial-1"
    partial.mkdir()
    with pytest.raises(CommandError, match=r"no manifest\.json"):
        call_command("restore", str(partial), "--force")


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_password_is_never_on_the_command_line(made, monkeypatch, tmp_path):
    import subprocess

    seen = []
    real = subprocess.run

    def spy(command, **kwargs):
        seen.append((command, kwargs.get("env", {})))
        return real(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    call_command("backup", str(tmp_path / "b2"))
    password = connection.settings_dict["PASSWORD"]
    command, env = seen[0]
    user = command.index("--username")
    others = command[:user] + command[user + 2 :]  # the user name may be the password too
    assert password not in others and not any(f":{password}@" in arg for arg in command)
    assert env["PGPASSWORD"] == password
