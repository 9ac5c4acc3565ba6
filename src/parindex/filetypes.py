"""What a file is, from its bytes: the types an evidence document may have, and nothing else.

:func:`detect_file_type` reads a file's first bytes (and, for a ZIP container, its central
directory; for an OLE2 compound file, its directory), never trusting the name or a declared
content type, and answers one of :data:`KNOWN_TYPES` or raises :class:`FileTypeError` with a
``code`` and ``params`` that the shells translate:

- ``empty``: the file has no bytes;
- ``dangerous_name`` (``name``, ``extension``): the name ends in an extension a computer runs
  or a browser renders (``invoice.pdf.exe``, ``x.html``), whatever the bytes are;
- ``damaged`` (``found``): the bytes start as a ZIP container that cannot be read;
- ``refused`` (``found``, ``label``): the bytes are of another type (``found`` is its MIME type,
  ``label`` a short English name), or of a known type the caller does not allow.

:func:`download_name` makes a stored document's file name safe to offer for download.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import BinaryIO

import puremagic

from .errors import Location, ParindexError, Problem

__all__ = [
    "DANGEROUS_EXTENSIONS",
    "KNOWN_TYPES",
    "LABELS",
    "FileType",
    "FileTypeError",
    "detect_file_type",
    "download_name",
]

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"

# Every type the detection can answer, with the extension a download of it gets.
KNOWN_TYPES: Mapping[str, str] = {
    PDF: ".pdf",
    JPEG: ".jpg",
    PNG: ".png",
    DOC: ".doc",
    XLS: ".xls",
    DOCX: ".docx",
    XLSX: ".xlsx",
    ZIP: ".zip",
}
# Short names of the types, as people know them (not translated: they are the formats' names).
LABELS: Mapping[str, str] = {
    PDF: "PDF",
    JPEG: "JPEG",
    PNG: "PNG",
    DOC: "Word (.doc)",
    XLS: "Excel (.xls)",
    DOCX: "Word (.docx)",
    XLSX: "Excel (.xlsx)",
    ZIP: "ZIP",
}
# Other extensions that are the same type (a download keeps them).
_ALSO = {JPEG: (".jpeg", ".jpe", ".jfif")}

# Names a computer runs, or a browser renders as a page, when the file is opened.
DANGEROUS_EXTENSIONS = frozenset(
    {
        ".apk", ".app", ".appimage", ".application", ".bat", ".bin", ".cgi", ".chm", ".cmd",
        ".com", ".cpl", ".deb", ".desktop", ".dll", ".dmg", ".elf", ".exe", ".gadget", ".hta",
        ".htm", ".html", ".inf", ".ins", ".iso", ".jar", ".js", ".jse", ".lnk", ".mht", ".mhtml",
        ".mjs", ".msc", ".msi", ".msp", ".pif", ".php", ".pkg", ".pl", ".ps1", ".psm1", ".py",
        ".rb", ".reg", ".rpm", ".run", ".scf", ".scr", ".sct", ".sh", ".shtml", ".svg", ".svgz",
        ".sys", ".url", ".vb", ".vbe", ".vbs", ".wasm", ".ws", ".wsc", ".wsf", ".wsh", ".xht",
        ".xhtml", ".xml", ".xsl", ".xslt",
    }
)  # fmt: skip

HEAD = 4096  # bytes read to tell the type (text markers are looked for in these)
_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# Types refused by their bytes, named here because puremagic names them vaguely or not at all.
_REFUSED_SIGNATURES = (
    (b"\x7fELF", "application/x-executable", "ELF executable"),
    (b"MZ", "application/x-msdownload", "Windows executable"),
    (b"#!", "text/x-shellscript", "script"),
)
_MARKUP = (
    (b"<svg", "image/svg+xml", "SVG image"),
    (b"<!doctype html", "text/html", "HTML page"),
    (b"<html", "text/html", "HTML page"),
    (b"<script", "text/html", "HTML page"),
    (b"<?xml", "application/xml", "XML document"),
)
OLE2_OTHER = "application/x-ole-storage"
UNKNOWN = "application/octet-stream"
_MACROS = "application/vnd.ms-office.vbaProject"
_OTHER_LABELS = {
    OLE2_OTHER: "OLE2 compound file that is not a Word or Excel document",
    _MACROS: "Office document with macros",
}

_FREE = 0xFFFFFFFA  # sector numbers from here up are markers (end of chain, free, ...)


@dataclass(frozen=True)
class FileType:
    """A detected type: its MIME type and the extension a download of it gets."""

    mime: str
    extension: str


class FileTypeError(ParindexError):
    """The file is refused; ``code`` and ``params`` say why (see the module's docstring)."""

    def __init__(self, code: str, file: str, message: str, **params: str) -> None:
        self.code = code
        self.params: dict[str, str] = params
        super().__init__(Problem(message, Location(file=file), f"filetype_{code}", params))


def detect_file_type(
    stream: BinaryIO, name: str, allowed: Collection[str] = tuple(KNOWN_TYPES)
) -> FileType:
    """The type of the file in ``stream`` (readable and seekable), from its bytes alone.

    ``name`` is only checked for a dangerous extension (the last one, ignoring trailing dots
    and spaces as Windows does) and named in errors. Returns a type of :data:`KNOWN_TYPES` that
    is in ``allowed``; else raises :class:`FileTypeError`. Leaves the stream at its start.
    """
    extension = _extension(name)
    if extension in DANGEROUS_EXTENSIONS:
        raise FileTypeError(
            "dangerous_name",
            name,
            f"the name ends in {extension}, a type of file that runs or opens as a page",
            name=name,
            extension=extension,
        )
    stream.seek(0)
    head = stream.read(HEAD)
    if not head:
        raise FileTypeError("empty", name, "the file is empty")
    try:
        mime = _known(stream, head, name)
    finally:
        stream.seek(0)
    if mime is None:
        mime, label = _other(head)
    else:
        label = {**LABELS, **_OTHER_LABELS}[mime]
    if mime not in KNOWN_TYPES or mime not in allowed:
        message = f"the file is {label} ({mime}), not an accepted type"
        raise FileTypeError("refused", name, message, found=mime, label=label)
    return FileType(mime, KNOWN_TYPES[mime])


def download_name(name: str, mime: str) -> str:
    """``name`` made safe to offer as a download of type ``mime``.

    Keeps the base name (no folders), drops control and format characters, and appends the
    type's extension when the name does not already end in one of it, so that a stored
    ``invoice.pdf.exe`` of type PDF downloads as ``invoice.pdf.exe.pdf`` and an unknown type
    as ``….bin``. Never empty.
    """
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] not in "CZ" or c == " ")
    base = base.strip(" .") or "document"
    wanted = KNOWN_TYPES.get(mime, ".bin")
    if _extension(base) not in (wanted, *_ALSO.get(mime, ())):
        base += wanted
    return base


def _extension(name: str) -> str:
    stem = name.rstrip(" .").lower()
    dot = stem.rfind(".")
    return stem[dot:] if dot > 0 or (dot == 0 and len(stem) > 1) else ""


def _known(stream: BinaryIO, head: bytes, name: str) -> str | None:
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    if head.startswith(_OLE2):
        return _ole2_type(stream)
    if head.startswith(_ZIP):
        return _zip_type(stream, name)
    return None


def _zip_type(stream: BinaryIO, name: str) -> str:
    """DOCX, XLSX or a plain ZIP, from the member names in the central directory."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        message = "the file starts as a ZIP archive but cannot be read (damaged or cut short)"
        raise FileTypeError("damaged", name, message, found=ZIP) from None
    if "[Content_Types].xml" not in names:
        return ZIP
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return _MACROS  # macro-enabled Office document: refused
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return ZIP


def _ole2_type(stream: BinaryIO) -> str:
    """Word or Excel (97-2003) by the streams at the root of the compound file's directory."""
    names = _ole2_root_names(stream)
    if "WordDocument" in names:
        return DOC
    if "Workbook" in names or "Book" in names:
        return XLS
    return OLE2_OTHER  # an installer (.msi), an Outlook message, ...: refused


def _ole2_root_names(stream: BinaryIO) -> set[str]:
    stream.seek(0)
    header = stream.read(512)
    shift = int.from_bytes(header[30:32], "little")
    if len(header) < 512 or shift not in (9, 12):
        return set()
    size = 1 << shift
    end = stream.seek(0, 2)
    limit = end // size + 1  # no chain is longer than the file has sectors

    def sector(number: int) -> bytes:
        stream.seek((number + 1) * size)
        return stream.read(size)

    def words(data: bytes) -> list[int]:
        return list(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))

    fat_sectors = words(header[76:512])
    difat, steps = int.from_bytes(header[68:72], "little"), 0
    while difat < _FREE and steps < limit:
        more = words(sector(difat))
        fat_sectors += more[:-1]
        difat, steps = (more[-1] if more else _FREE), steps + 1
    fat: list[int] = []
    for number in fat_sectors[:limit]:
        if number < _FREE:
            fat += words(sector(number))
    entries: list[tuple[str, int, int, int]] = []
    current, steps = int.from_bytes(header[48:52], "little"), 0
    while current < _FREE and steps < limit:
        data = sector(current)
        for at in range(0, len(data) - 127, 128):
            length = int.from_bytes(data[at + 64 : at + 66], "little")
            entry_name = data[at : at + max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
            left, right, child = struct.unpack("<3I", data[at + 68 : at + 80])
            entries.append((entry_name, left, right, child))
        current, steps = (fat[current] if current < len(fat) else _FREE), steps + 1
    if not entries:
        return set()
    names: set[str] = set()
    todo, seen = [entries[0][3]], set()
    while todo:  # the root's children: a tree of siblings by left and right
        number = todo.pop()
        if number >= len(entries) or number in seen:
            continue
        seen.add(number)
        entry_name, left, right, _child = entries[number]
        names.add(entry_name)
        todo += [left, right]
    return names


def _other(head: bytes) -> tuple[str, str]:
    """The MIME type and a short name of a refused file, as far as its bytes tell."""
    for signature, mime, label in _REFUSED_SIGNATURES:
        if head.startswith(signature):
            return mime, label
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for marker, mime, label in _MARKUP:
        if marker in text:
            return mime, label
    try:
        match = puremagic.magic_string(head)[0]
    except puremagic.PureError:
        return UNKNOWN, "a file of unknown type"
    return (match.mime_type or UNKNOWN), match.name
