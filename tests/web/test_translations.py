"""The Vietnamese catalogue is complete, compiled, and in step with the marked strings."""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

import parindex_web

PACKAGE = Path(parindex_web.__file__).resolve().parent
PO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The project catalogue plus one per app that has its own locale/ (makemessages assigns each
# source file to the nearest enclosing locale/ folder).
CATALOGUES = sorted(PACKAGE.glob("**/locale/vi/LC_MESSAGES/django.po"))


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def read_po(path: Path) -> list[Entry]:
    """Returns the active (not obsolete) entries of a .po file, header included."""
    entries: list[Entry] = []
    entry = Entry()
    key: tuple[str, int] | None = None  # the keyword that continuation strings extend
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith(("#", "msgctxt ", "msgid ")) and key and key[0] == "msgstr":
            entries.append(entry)
            entry, key = Entry(), None
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert key is not None, f"stray string {line!r}"
            name, index = key
            if name == "msgstr":
                entry.msgstr[index] += ast.literal_eval(line)
            else:
                setattr(entry, name, getattr(entry, name) + ast.literal_eval(line))
        else:
            word, _, rest = line.partition(" ")
            if word.startswith("msgstr"):
                index = int(word[7:-1]) if word.startswith("msgstr[") else 0
                entry.msgstr[index] = ast.literal_eval(rest)
                key = ("msgstr", index)
            else:
                assert word in ("msgctxt", "msgid", "msgid_plural"), f"unknown line {line!r}"
                setattr(entry, word, ast.literal_eval(rest))
                key = (word, 0)
    if key is not None:
        entries.append(entry)
    return entries


def expected_catalog(entries: list[Entry]) -> dict[object, str]:
    """What gettext should load from a .mo compiled from these entries."""
    catalog: dict[object, str] = {}
    for e in entries:
        if "fuzzy" in e.flags or not all(e.msgstr.values()):
            continue
        msgid = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            catalog[msgid] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                catalog[(msgid, index)] = text
    return catalog


def load_mo(path: Path) -> dict[object, str]:
    with path.open("rb") as f:
        return without_creation_date(gettext.GNUTranslations(f)._catalog)


def without_creation_date(catalog: dict[object, str]) -> dict[object, str]:
    """msgfmt leaves the POT-Creation-Date header field out of the .mo file."""
    header = "".join(
        line for line in catalog.get("", "").splitlines(True) if not line.startswith("POT-")
    )
    return {**catalog, "": header}


def messages() -> list[Entry]:
    return [e for po in CATALOGUES for e in read_po(po) if e.msgid]


def test_the_catalogue_has_messages():
    assert len(messages()) > 10


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_header_declares_vietnamese_in_utf8(po):
    header = read_po(po)[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: vi\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


@pytest.mark.parametrize("entry", messages(), ids=lambda e: e.msgid[:40])
def test_every_message_is_translated_and_not_fuzzy(entry):
    assert "fuzzy" not in entry.flags
    assert entry.msgstr
    assert all(text.strip() for text in entry.msgstr.values())


def test_no_translation_says_its_text_twice():
    """A msgstr line followed by its own text again as continuation lines reads twice on the page."""
    doubled = [
        e.msgid[:60]
        for e in messages()
        for text in e.msgstr.values()
        if len(text) > 20 and text[: len(text) // 2] == text[len(text) // 2 :]
    ]
    assert doubled == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_mo_file_matches_the_po_file(po):
    """Fails when the .po was edited without running compilemessages."""
    assert load_mo(po.with_suffix(".mo")) == without_creation_date(expected_catalog(read_po(po)))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_msgfmt_accepts_the_po_file_and_compiles_the_same_catalogue(tmp_path, po):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", compiled, po], check=True)
    assert load_mo(compiled) == load_mo(po.with_suffix(".mo"))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_every_marked_string_is_in_the_catalogue(tmp_path, monkeypatch, settings):
    """Runs makemessages on a copy of the package and compares the message ids."""
    copy = tmp_path / "parindex_web"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = []
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["vi"], verbosity=0)
    for po in CATALOGUES:
        ids = {(e.msgctxt, e.msgid) for e in read_po(copy / po.relative_to(PACKAGE))}
        assert ids == {(e.msgctxt, e.msgid) for e in read_po(po)}, po
