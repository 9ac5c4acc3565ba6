"""Write the large and binary files of the bad-input corpus (tests/badinput) into a folder.

The small text cases are written out in ``tests/badinput/cases.py``; this script makes the ones
that are large (a 128 KiB field, 10,000 columns, 10,000 levels of YAML), binary (workbooks that
are not workbooks, a zip bomb, executables) or awkward to keep in a source file. Nothing it
writes is committed: the test session runs :func:`make_all` into a temporary folder.

Every file is named ``<case name>.<extension>``; :func:`make_all` returns name → path.

Usage::

    python scripts/make_bad_inputs.py OUTDIR    # write every file into OUTDIR
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

# A scores row the corpus's methodology (example-commune) and the web world both accept.
UNIT, LEAF = "xa-1", "2.2.1"
HEADER = "unit,code,points\n"
# The zip bomb: BOMB_MIB MiB of zeros behind a few hundred KB (deflate's ratio is about 1,000).
BOMB_MIB = 256

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _inline_row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def _sheet_xml(prolog: str = "", extra_row: str = "") -> str:
    rows = _inline_row(1, ["unit", "code", "points"]) + (
        extra_row or _inline_row(2, [UNIT, LEAF, "5"])
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        f'<worksheet xmlns="{SHEET_NS}"><sheetData>{rows}</sheetData></worksheet>'
    )


def _package(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _xlsx_parts(sheet: str) -> dict[str, str | bytes]:
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
    }


def _openpyxl_book(rows: list[list[object]], edit: Callable[..., None] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if edit is not None:
        edit(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bomb_zip() -> bytes:
    """A well-formed xlsx package whose sheet inflates to ``BOMB_MIB`` MiB of zeros.

    The deflate stream is one fully flushed block of 1 MiB of zeros repeated: a full flush
    leaves no reference to earlier data, so copies of the block concatenate into a valid
    stream, and the file is built without compressing 256 MiB. The sizes in the headers are
    the true ones, so a reader that checks them before inflating can refuse the file.
    """
    mib = b"\0" * (1 << 20)
    block_maker = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = block_maker.compress(mib) + block_maker.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty last block
    data = block * BOMB_MIB + final
    crc = 0
    for _ in range(BOMB_MIB):
        crc = zlib.crc32(mib, crc)
    size = BOMB_MIB << 20
    head = _package({k: v for k, v in _xlsx_parts("").items() if k != "xl/worksheets/sheet1.xml"})
    # Re-open the small package and append the bomb member by hand (zipfile cannot write
    # data that is already compressed).
    entries: list[tuple[bytes, int, int, int, int]] = []
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(head)) as small:
        for info in small.infolist():
            raw = small.read(info.filename)
            packed = zlib.compressobj(9, zlib.DEFLATED, -15)
            comp = packed.compress(raw) + packed.flush()
            entries.append(
                (info.filename.encode(), zlib.crc32(raw), len(comp), len(raw), out.tell())
            )
            out.write(_local_header(entries[-1]))
            out.write(comp)
    entry = (b"xl/worksheets/sheet1.xml", crc, len(data), size, out.tell())
    entries.append(entry)
    out.write(_local_header(entry))
    out.write(data)
    directory = out.tell()
    for e in entries:
        out.write(_central_header(e))
    end = out.tell()
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), end - directory, directory, 0
        )
    )
    return out.getvalue()


def _local_header(e: tuple[bytes, int, int, int, int]) -> bytes:
    name, crc, comp, size, _offset = e
    return (
        struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, comp, size, len(name), 0)
        + name
    )


def _central_header(e: tuple[bytes, int, int, int, int]) -> bytes:
    name, crc, comp, size, offset = e
    return (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, comp, size, len(name), 0, 0, 0, 0, 0, offset,
        )
        + name
    )  # fmt: skip


def _xlsm_with_macros() -> bytes:
    """An .xlsm package: the scores sheet plus a (fake) VBA project part."""
    parts = _xlsx_parts(_sheet_xml())
    parts["[Content_Types].xml"] = CONTENT_TYPES.replace(
        "spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml"
    ).replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 64
    return _package(parts)


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\0" * 8 + struct.pack("<HHI", 2, 0x3E, 1) + b"\0" * 200


def _pe() -> bytes:
    return b"MZ" + b"\x90\0" * 29 + struct.pack("<I", 64) + b"PE\0\0" + b"\0" * 200


def _deep_yaml(levels: int) -> str:
    return "id: deep\nname: deep\nnodes: " + "[" * levels + "]" * levels + "\n"


def _deep_rule_csv(levels: int) -> str:
    rule = '{""kind"": ' + "[" * levels + "]" * levels + "}"
    return f'code,parent,name,max_points,rule\n1,,A,100,"{rule}"\n'


# The self-assessment workbook's own columns (English headers; the upload reads either language):
# case name → (header, one row). Leaves of example-commune: 1.1.1 levels, 1.1.2 yes/no,
# 1.1.4 thresholds (percent), 1.5.2 deduction (count), 2.2.1 survey.
WORKBOOK_ROWS: dict[str, tuple[list[str], list[object]]] = {
    "workbook-percent-underscore": (["Code", "Percentage (%)"], ["1.1.4", "1_0"]),
    "workbook-percent-full-width": (["Code", "Percentage (%)"], ["1.1.4", "１０"]),
    "workbook-percent-nan": (["Code", "Percentage (%)"], ["1.1.4", "nan"]),
    "workbook-percent-negative": (["Code", "Percentage (%)"], ["1.1.4", -1]),
    "workbook-percent-400-nines": (["Code", "Percentage (%)"], ["1.1.4", "9" * 400]),
    "workbook-count-negative": (["Code", "Number of failing items"], ["1.5.2", -2]),
    "workbook-count-fraction": (["Code", "Number of failing items"], ["1.5.2", 1.5]),
    "workbook-level-unknown": (["Code", "Level (key)"], ["1.1.1", "somewhere"]),
    "workbook-yes-no-unknown": (["Code", "Requirement met (yes/no)"], ["1.1.2", "maybe"]),
    "workbook-unknown-code": (["Code", "Points"], ["9.9.9", 1]),
    "workbook-code-twice": (["Code", "Percentage (%)"], ["1.1.4", 50]),
    "workbook-survey-leaf-input": (["Code", "Points"], ["2.2.1", 5]),
    "workbook-unknown-evidence": (["Code", "Evidence (document numbers)"], ["1.1.4", "99/KH"]),
    "workbook-note-formula": (["Code", "Percentage (%)", "Note"], ["1.1.4", 50, "=1+1"]),
}


def _workbook(name: str) -> bytes:
    header, row = WORKBOOK_ROWS[name]
    rows: list[list[object]] = [list(header), row]
    if name == "workbook-code-twice":
        rows.append(row)

    def as_text(book: Any, sheet: Any) -> None:  # "=1+1" typed as text, not a formula
        for cell in sheet[2]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"

    return _openpyxl_book(rows, as_text)


def files() -> dict[str, Callable[[], bytes]]:
    """Case name with extension → a function that makes the file's bytes."""
    big_field = "x" * (128 * 1024 + 1)
    wide = ",".join(f"c{i}" for i in range(10_000))
    long_name = "Xã " + "Ạ" * 10_000
    date = datetime(2025, 1, 31)
    return {
        # CSV structure and names, large
        "field-over-128k.csv": lambda: (
            HEADER + f'{UNIT},{LEAF},5\n"{big_field}",{LEAF},5\n'
        ).encode(),
        "ten-thousand-columns.csv": lambda: (
            f"unit,code,points,{wide}\n{UNIT},{LEAF},5,{wide}\n"
        ).encode(),
        "name-10000-chars.csv": lambda: (HEADER + f"{long_name},{LEAF},5\n").encode(),
        "number-400-nines.csv": lambda: (HEADER + f"{UNIT},{LEAF},{'9' * 400}\n").encode(),
        # YAML and rule JSON
        "yaml-deep-10000.yaml": lambda: _deep_yaml(10_000).encode(),
        "rule-json-deep-10000.csv": lambda: _deep_rule_csv(10_000).encode(),
        # XLSX
        "xlsx-zip-not-xlsx.xlsx": lambda: _package({"readme.txt": "not a workbook"}),
        "xlsx-dtd-billion-laughs.xlsx": lambda: _package(
            _xlsx_parts(_sheet_xml(LAUGHS, _inline_row(2, [UNIT, LEAF, "&lol9;"])))
        ),
        "xlsx-dtd-external-entity.xlsx": lambda: _package(
            _xlsx_parts(_sheet_xml(XXE, _inline_row(2, ["&xxe;", LEAF, "5"])))
        ),
        "xlsx-zip-bomb.xlsx": _bomb_zip,
        "xlsx-missing-sheet.xlsx": lambda: _package(
            {k: v for k, v in _xlsx_parts("").items() if k != "xl/worksheets/sheet1.xml"}
        ),
        "xlsx-merged-header.xlsx": lambda: _openpyxl_book(
            [["unit", None, "points"], [UNIT, LEAF, 5]],
            lambda book, sheet: sheet.merge_cells("A1:B1"),
        ),
        "xlsx-formula-points.xlsx": lambda: _openpyxl_book(
            [["unit", "code", "points"], [UNIT, LEAF, "=1+1"]]
        ),
        "xlsx-date-points.xlsx": lambda: _openpyxl_book(
            [["unit", "code", "points"], [UNIT, LEAF, date]]
        ),
        "xlsm-with-macros.xlsm": _xlsm_with_macros,
        # the workbook upload's own sheet (columns Code, Percentage (%))
        "workbook-formula-percent.xlsx": lambda: _openpyxl_book(
            [["Code", "Percentage (%)"], ["1.1.4", "=SUM(1,2)"]]
        ),
        "workbook-date-percent.xlsx": lambda: _openpyxl_book(
            [["Code", "Percentage (%)"], ["1.1.4", date]]
        ),
        "workbook-percent-over-100.xlsx": lambda: _openpyxl_book(
            [["Code", "Percentage (%)"], ["1.1.4", 250]]
        ),
        "workbook-merged-header.xlsx": lambda: _openpyxl_book(
            [["Code", None], ["1.1.4", 50]], lambda book, sheet: sheet.merge_cells("A1:B1")
        ),
        "workbook-no-code-column.xlsx": lambda: _openpyxl_book([["Mã số?", "Percentage (%)"]]),
        **{f"{name}.xlsx": (lambda name=name: _workbook(name)) for name in WORKBOOK_ROWS},
        # evidence files
        "evidence-elf.pdf": _elf,
        "evidence-pe.pdf": _pe,
        "evidence-html.pdf": lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "evidence-svg-script.svg": lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        ),
        "evidence-pdf-named-exe.exe": lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
        "evidence-zip-as-docx.docx": lambda: _package({"readme.txt": "not a document"}),
    }


def make_all(folder: Path) -> dict[str, Path]:
    """Write every file into ``folder``; return case name (without extension) → path."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    for name, make in files().items():
        path = folder / name
        path.write_bytes(make())
        made[path.stem] = path
    return made


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_bad_inputs.py OUTDIR", file=sys.stderr)
        return 2
    for path in make_all(Path(argv[0])).values():
        print(f"{path.stat().st_size:>10}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
