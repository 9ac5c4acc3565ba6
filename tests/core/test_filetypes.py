"""detect_file_type: a file's type from its bytes alone; download_name: a safe name to offer."""

from __future__ import annotations

import base64
import contextlib
import io
import struct
import zipfile

import openpyxl
import pytest

from parindex.filetypes import (
    KNOWN_TYPES,
    FileType,
    FileTypeError,
    detect_file_type,
    download_name,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
NOSTREAM = 0xFFFFFFFF
END = 0xFFFFFFFE


def zipped(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


def docx() -> bytes:
    return zipped("[Content_Types].xml", "_rels/.rels", "word/document.xml")


def xlsx() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "Kế hoạch"
    book.save(out)
    return out.getvalue()


def ole2(
    entries: list[tuple[str, int, int, int]],
    *,
    shift: int = 9,
    via_difat: bool = False,
    directory_at: int = 1,
) -> bytes:
    """A compound file: sector 0 the FAT, the directory from sector 1 (chained through the
    FAT), then an optional DIFAT sector that lists the FAT sector instead of the header.
    ``entries``: (name, left, right, child); entry 0 is the root."""
    size = 1 << shift
    directory = b""
    for name, left, right, child in entries:
        raw = (name + "\0").encode("utf-16-le")
        entry = raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), 1, 1, left, right, child)
        directory += entry.ljust(128, b"\0")
    directory = directory.ljust(-(-len(directory) // size) * size or size, b"\0")
    count = len(directory) // size
    fat = [0xFFFFFFFD] + [n + 2 for n in range(count - 1)] + [END]
    difat_at = count + 1
    if via_difat:
        fat.append(0xFFFFFFFC)
    header = bytearray(size)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[30:32] = shift.to_bytes(2, "little")
    header[48:52] = directory_at.to_bytes(4, "little")
    listed = [NOSTREAM] * 109 if via_difat else [0] + [NOSTREAM] * 108
    header[76:512] = struct.pack("<109I", *listed)
    header[68:72] = (difat_at if via_difat else END).to_bytes(4, "little")
    header[72:76] = (1 if via_difat else 0).to_bytes(4, "little")
    fat_sector = struct.pack(f"<{size // 4}I", *(fat + [NOSTREAM] * (size // 4 - len(fat))))
    data = bytes(header) + fat_sector + directory
    if via_difat:
        data += struct.pack(f"<{size // 4}I", 0, *[NOSTREAM] * (size // 4 - 2), END)
    return data


def flat(*names: str) -> list[tuple[str, int, int, int]]:
    """The root and its children chained by their right siblings."""
    children = [
        (name, NOSTREAM, i + 2 if i + 1 < len(names) else NOSTREAM, NOSTREAM)
        for i, name in enumerate(names)
    ]
    return [("Root Entry", NOSTREAM, NOSTREAM, 1 if names else NOSTREAM), *children]


DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACCEPTED = [
    ("a tiny PDF", PDF, "ke-hoach.pdf", "application/pdf"),
    ("a 1x1 PNG", PNG, "anh.png", "image/png"),
    ("a PNG named as a PDF is a PNG", PNG, "bao-cao.pdf", "image/png"),
    ("a JPEG", JPEG, "anh.jpg", "image/jpeg"),
    ("a DOCX", docx(), "bao-cao.docx", DOCX),
    ("an XLSX from openpyxl", xlsx(), "so-lieu.xlsx", XLSX),
    ("an XLSX named .zip", xlsx(), "so-lieu.zip", XLSX),
    ("a plain ZIP", zipped("a.pdf", "b.pdf"), "ho-so.zip", "application/zip"),
    ("an empty ZIP", zipped(), "rong.zip", "application/zip"),
    ("a ZIP with a content-types part only", zipped("[Content_Types].xml"), "x.zip", "application/zip"),
    ("a Word 97 document", ole2(flat("\x01CompObj", "WordDocument", "1Table")), "a.doc", DOC),
    ("an Excel 97 workbook", ole2(flat("Workbook")), "a.xls", XLS),
    ("an Excel 5 workbook", ole2(flat("Book")), "a.xls", XLS),
    ("a Word document on 4096-byte sectors", ole2(flat("WordDocument"), shift=12), "a.doc", DOC),
    ("a Word document whose FAT is listed by a DIFAT sector", ole2(flat("WordDocument"), via_difat=True), "a.doc", DOC),
    (
        "an Excel workbook with a Word document embedded (not at the root)",
        ole2([
            ("Root Entry", NOSTREAM, NOSTREAM, 1),
            ("Workbook", NOSTREAM, 2, NOSTREAM),
            ("ObjectPool", NOSTREAM, NOSTREAM, 3),
            ("WordDocument", NOSTREAM, NOSTREAM, NOSTREAM),
        ]),
        "a.xls",
        XLS,
    ),
    ("a directory spread over two sectors", ole2(flat("a", "b", "c", "d", "e", "WordDocument")), "a.doc", DOC),
    ("a name with a dangerous extension not last", PDF, "invoice.exe.pdf", "application/pdf"),
    ("a name without an extension", PDF, "ke-hoach", "application/pdf"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("bytes_", "name", "mime"), [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED]
)
def test_it_answers_the_type_the_bytes_are(bytes_: bytes, name: str, mime: str) -> None:
    assert detect_file_type(io.BytesIO(bytes_), name) == FileType(mime, KNOWN_TYPES[mime])


REFUSED = [
    ("an ELF executable declared a PDF", ELF, "invoice.pdf", "application/x-executable", "ELF executable"),
    ("a Windows PE", PE, "invoice.pdf", "application/x-msdownload", "Windows executable"),
    ("a shell script", b"#!/bin/sh\nrm -rf /\n", "a.pdf", "text/x-shellscript", "script"),
    ("an HTML page", HTML, "invoice.pdf", "text/html", "HTML page"),
    ("an HTML page after a byte-order mark", b"\xef\xbb\xbf  <html><p>x", "a.pdf", "text/html", "HTML page"),
    ("an SVG with script", SVG, "logo.png", "image/svg+xml", "SVG image"),
    ("an XML document", b'<?xml version="1.0"?><a/>', "a.pdf", "application/xml", "XML document"),
    ("a GIF", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "a.png", "image/gif", "Graphics interchange format file (GIF89a)"),
    ("plain text", b"hello, world", "a.pdf", "application/octet-stream", "a file of unknown type"),
    ("a format puremagic names without a MIME type", b"\x00\x00\x1a\x00\x00\x10\x04\x00", "a.xls", "application/octet-stream", "Lotus 1-2-3 (v3)"),
    ("a macro-enabled workbook", zipped("[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"), "a.xlsx", "application/vnd.ms-office.vbaProject", "Office document with macros"),
    ("an installer (OLE2, no Word or Excel stream)", ole2(flat("\x05SummaryInformation")), "a.doc", "application/x-ole-storage", "OLE2 compound file that is not a Word or Excel document"),
    ("an OLE2 header cut short", ole2(flat("WordDocument"))[:100], "a.doc", "application/x-ole-storage", "OLE2 compound file that is not a Word or Excel document"),
    ("an OLE2 file with an impossible sector size", ole2(flat("WordDocument"), shift=7), "a.doc", "application/x-ole-storage", "OLE2 compound file that is not a Word or Excel document"),
    ("an OLE2 file whose directory is past its end", ole2(flat("WordDocument"), directory_at=50), "a.doc", "application/x-ole-storage", "OLE2 compound file that is not a Word or Excel document"),
    ("an OLE2 file with an empty root", ole2(flat()), "a.doc", "application/x-ole-storage", "OLE2 compound file that is not a Word or Excel document"),
    ("an OLE2 file whose siblings loop", ole2([("Root Entry", NOSTREAM, NOSTREAM, 1), ("x", 1, 1, NOSTREAM)]), "a.doc", "application/x-ole-storage", "OLE2 compound file that is not a Word or Excel document"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("bytes_", "name", "found", "label"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_it_refuses_other_types_naming_what_they_are(
    bytes_: bytes, name: str, found: str, label: str
) -> None:
    with pytest.raises(FileTypeError) as caught:
        detect_file_type(io.BytesIO(bytes_), name)
    assert (caught.value.code, caught.value.params) == ("refused", {"found": found, "label": label})
    assert str(caught.value) == f"{name}: the file is {label} ({found}), not an accepted type"


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("invoice.pdf.exe", ".exe"),
        ("INVOICE.PDF.EXE", ".exe"),
        ("invoice.exe.", ".exe"),
        ("invoice.exe . ", ".exe"),
        ("trang.html", ".html"),
        ("logo.svg", ".svg"),
        ("x.js", ".js"),
        (".exe", ".exe"),
    ],
)
def test_a_dangerous_extension_is_refused_whatever_the_bytes(name: str, extension: str) -> None:
    with pytest.raises(FileTypeError) as caught:
        detect_file_type(io.BytesIO(PDF), name)
    assert caught.value.code == "dangerous_name"
    assert caught.value.params == {"name": name, "extension": extension}
    assert extension in str(caught.value)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(FileTypeError) as caught:
        detect_file_type(io.BytesIO(b""), "rong.pdf")
    assert (caught.value.code, caught.value.params, str(caught.value)) == (
        "empty",
        {},
        "rong.pdf: the file is empty",
    )


@pytest.mark.parametrize("bytes_", [b"PK\x03\x04 not really a zip", docx()[:-30]])
def test_a_damaged_zip_is_refused(bytes_: bytes) -> None:
    with pytest.raises(FileTypeError) as caught:
        detect_file_type(io.BytesIO(bytes_), "bao-cao.docx")
    assert (caught.value.code, caught.value.params) == ("damaged", {"found": "application/zip"})


def test_a_known_type_outside_the_allowed_ones_is_refused() -> None:
    with pytest.raises(FileTypeError) as caught:
        detect_file_type(io.BytesIO(PNG), "anh.png", allowed=("application/pdf",))
    assert caught.value.params == {"found": "image/png", "label": "PNG"}


def test_it_leaves_the_stream_at_its_start() -> None:
    for data in (PDF, docx(), ole2(flat("Workbook")), ELF):
        stream = io.BytesIO(data)
        stream.seek(5)
        with contextlib.suppress(FileTypeError):
            detect_file_type(stream, "x")
        assert stream.tell() == 0


@pytest.mark.parametrize(
    ("name", "mime", "expected"),
    [
        ("Kế hoạch.pdf", "application/pdf", "Kế hoạch.pdf"),
        ("invoice.pdf.exe", "application/pdf", "invoice.pdf.exe.pdf"),
        ("anh.JPEG", "image/jpeg", "anh.JPEG"),
        ("anh.png", "image/jpeg", "anh.png.jpg"),
        ("trang.html", "text/html", "trang.html.bin"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\a\\b.docx", DOCX, "b.docx"),
        ('a"\r\nSet-Cookie: x.pdf', "application/pdf", 'a"Set-Cookie: x.pdf'),
        ("a\u202egpj.exe", "application/pdf", "agpj.exe.pdf"),
        ("", "application/pdf", "document.pdf"),
        (" . ", "application/zip", "document.zip"),
    ],
)
def test_download_name_is_safe_and_ends_in_the_type(name: str, mime: str, expected: str) -> None:
    assert download_name(name, mime) == expected
