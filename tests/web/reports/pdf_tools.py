"""Reading PDFs in tests: page count (pdfinfo, or the page objects), text (pdftotext), the
structure tree and metadata (pikepdf), qpdf's check and a picture of the first page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest

PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
PDFTOPPM = shutil.which("pdftoppm")
QPDF = shutil.which("qpdf")
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"


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


@dataclass
class Structure:
    """What a tagged PDF tells a screen reader and an archive: tags, language, XMP."""

    tags: Counter[str]
    lang: str | None
    marked: bool
    display_title: bool
    identification: dict[str, str]  # attributes of the XMP's first rdf:Description
    xmp: dict[str, str]
    fonts_embedded: bool
    font_families: set[str]  # "Liberation-Serif" for Liberation-Serif-Bold-Italic
    output_intent: bool
    problems: list[str] = field(default_factory=list)  # qpdf's syntax check


def structure(content: bytes) -> Structure:
    """Reads the PDF with pikepdf (qpdf): structure tree, catalogue entries, XMP, fonts."""
    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root
    tags: Counter[str] = Counter()

    def walk(node: pikepdf.Dictionary) -> None:
        if "/S" in node:
            tags[str(node.S)[1:]] += 1
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary):
                walk(kid)

    if "/StructTreeRoot" in root:
        walk(root.StructTreeRoot)
    rdf = ElementTree.fromstring(
        re.search(rb"<rdf:RDF.*?</rdf:RDF>", root.Metadata.read_bytes(), re.S).group(0)  # type: ignore[union-attr]
    )
    first = rdf.find(f"{{{RDF}}}Description")
    fonts = [
        font
        for page in pdf.pages
        for font in page.Resources.get("/Font", {}).values()
        if font.get("/Subtype") == "/Type0"
    ]
    embedded = all(
        "/FontFile2" in f.DescendantFonts[0].FontDescriptor
        or "/FontFile3" in f.DescendantFonts[0].FontDescriptor
        for f in fonts
    )
    return Structure(
        tags=tags,
        lang=str(root.Lang) if "/Lang" in root else None,
        marked=bool(root.get("/MarkInfo", {}).get("/Marked", False)),
        display_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
        identification={} if first is None else dict(first.attrib),
        xmp=dict(pdf.open_metadata()),
        fonts_embedded=bool(fonts) and embedded,
        font_families={
            re.sub(r"(-(Bold|Italic|Regular|Oblique|Book))+$", "", str(f.BaseFont).split("+")[-1])
            for f in fonts
        },
        output_intent="/OutputIntents" in root,
        problems=list(pdf.check_pdf_syntax()),
    )


def qpdf_check(content: bytes) -> subprocess.CompletedProcess[str]:
    """``qpdf --check`` on the PDF; skips the test when the qpdf command is not installed."""
    if not QPDF:
        pytest.skip("qpdf is not installed (pikepdf's own qpdf checks still run)")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run([QPDF, "--check", f.name], capture_output=True, text=True)


def first_page_png(content: bytes, target: Path) -> Path | None:
    """The first page as a PNG (pdftoppm), to look at the layout; None without poppler."""
    if not PDFTOPPM:
        return None
    pdf = target.with_suffix(".pdf")
    pdf.write_bytes(content)
    subprocess.run([PDFTOPPM, "-r", "80", "-png", "-singlefile", str(pdf), str(target)], check=True)
    return target.with_suffix(".png")
