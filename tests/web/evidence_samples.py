"""Small real files for the evidence upload tests, each with what the upload must make of it.

``ACCEPTED``: (id, name, bytes, declared content type, type stored). ``REFUSED``: (id, name,
bytes, declared content type, text the refusal names). The web form and the API run both
tables; the core's own table is in tests/core/test_filetypes.py.
"""

from __future__ import annotations

import base64
import io
import struct
import zipfile

import openpyxl

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ("[Content_Types].xml", "_rels/.rels", "word/document.xml"):
            archive.writestr(name, "<x/>")
    return out.getvalue()


def xlsx() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "Số liệu"
    book.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ke-hoach.pdf", PDF)
    return out.getvalue()


def word97() -> bytes:
    """A compound file of 512-byte sectors: the FAT in sector 0, the directory (the root and
    a ``WordDocument`` stream) in sector 1."""
    free, end = 0xFFFFFFFF, 0xFFFFFFFE
    header = bytearray(512)
    header[:8] = OLE2
    header[30:32] = (9).to_bytes(2, "little")
    header[48:52] = (1).to_bytes(4, "little")
    header[68:72] = end.to_bytes(4, "little")
    header[76:512] = struct.pack("<109I", 0, *[free] * 108)
    fat = struct.pack("<128I", 0xFFFFFFFD, end, *[free] * 126)

    def entry(name: str, child: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        fields = struct.pack("<HBB3I", len(raw), 1, 1, free, free, child)
        return (raw.ljust(64, b"\0") + fields).ljust(128, b"\0")

    directory = (entry("Root Entry", 1) + entry("WordDocument", free)).ljust(512, b"\0")
    return bytes(header) + fat + directory


ACCEPTED = [
    ("pdf", "Kế hoạch.pdf", PDF, PDF_TYPE, PDF_TYPE),
    ("png", "anh.png", PNG, "image/png", "image/png"),
    ("png-declared-pdf", "bao-cao.pdf", PNG, PDF_TYPE, "image/png"),
    ("jpeg", "anh.jpg", JPEG, "image/jpeg", "image/jpeg"),
    ("docx", "bao-cao.docx", docx(), "application/octet-stream", DOCX_TYPE),
    ("xlsx", "so-lieu.xlsx", xlsx(), XLSX_TYPE, XLSX_TYPE),
    ("doc", "bao-cao.doc", word97(), "application/msword", "application/msword"),
    ("zip", "ho-so.zip", plain_zip(), "application/zip", "application/zip"),
]

REFUSED = [
    ("elf-as-pdf", "invoice.pdf", ELF, PDF_TYPE, "(application/x-executable)"),
    ("pe-as-pdf", "setup.pdf", PE, PDF_TYPE, "(application/x-msdownload)"),
    ("html-as-pdf", "trang.pdf", HTML, PDF_TYPE, "(text/html)"),
    ("svg-script-as-png", "logo.png", SVG, "image/png", "(image/svg+xml)"),
    ("ole2-header-only", "bang.xls", OLE2 + bytes(24), "application/vnd.ms-excel", "OLE2"),
    ("pdf-named-exe", "invoice.pdf.exe", PDF, PDF_TYPE, "invoice.pdf.exe"),
]
