"""Reading PDFs in tests: page count (pdfinfo, or the page objects) and text (pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")


def page_count(content: bytes) -> int:
    if PDFINFO:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(content)
            f.flush()
            out = subprocess.run([PDFINFO, f.name], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))  # type: ignore[union-attr]
    # Without poppler: page dictionaries may sit in compressed object streams; inflate every
    # stream and count "/Type /Page" (not "/Pages").
    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", part)) for part in parts)


def text(content: bytes) -> str:
    """The PDF's text (pdftotext -layout); skips the test when poppler-utils is not installed."""
    if not PDFTOTEXT:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(content)
        subprocess.run([PDFTOTEXT, "-layout", str(path), str(path.with_suffix(".txt"))], check=True)
        return path.with_suffix(".txt").read_text(encoding="utf-8")
