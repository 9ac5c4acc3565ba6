"""Text where a spreadsheet opens it: a user's string is never a formula.

Every workbook the project writes (the CLI's ``--format xlsx``, the self-assessment workbook,
a publication's ``report.xlsx``) puts every value into a cell through :func:`put_cell` or
:func:`append_row`; every CSV file meant for people (a template, an export, a download a
secretariat or an officer opens in Excel) puts every field through :func:`csv_field` or
:func:`csv_row`. Machine files (the interchange CSV, the public pages' ``.csv`` twins, the
open-data bundle) are written as they are: see ``docs/public-data.md``.

* Workbooks: openpyxl stores a string that starts with ``=`` as a formula and one equal to an
  error code (``#REF!``) as an error. :func:`put_cell` stores every ``str`` as a string cell
  (``data_type == "s"``, an inline string in the XML, never an ``<f>`` element), after
  :func:`cell_text`; numbers, dates, booleans and ``None`` are stored as openpyxl stores them.
  The project writes no formula into a cell; one it meant to write would have to be set
  explicitly, outside these functions.
* CSV files for people: a field that starts with one of :data:`FORMULA_STARTS` gets a single
  quote in front (OWASP, "CSV Injection"), so that Excel or LibreOffice shows it as text. A field
  that is a plain decimal number (``-1.5``, ``-3``: an optional minus, digits, an optional point
  and digits) is left as it is, in any column: it is a number, and a number carries no formula.
  Such a file starts with :data:`CSV_BOM`, so that Excel reads it as UTF-8 (the core's readers
  accept the mark), and :func:`csv_unquote` undoes :func:`csv_field` when one is read back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "CSV_BOM",
    "FORMULA_STARTS",
    "MAX_CELL_TEXT",
    "append_row",
    "cell_text",
    "csv_field",
    "csv_row",
    "csv_unquote",
    "put_cell",
]

CSV_BOM = "\ufeff"
"""The byte-order mark a CSV file for people starts with (UTF-8 ``EF BB BF``): without it, Excel
on Windows reads the file in the system's code page and garbles Vietnamese letters."""

MAX_CELL_TEXT = 32767
"""The longest text a worksheet cell holds; openpyxl and Excel cut a longer one."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet read a CSV field as a formula: OWASP's six, and
the full-width ``＝ ＋ － ＠`` that an Asian-locale Excel also takes for them."""

# What a worksheet's XML cannot hold: C0 controls but tab and line ends, lone surrogates, and
# the non-characters U+FFFE and U+FFFF (openpyxl refuses the first and writes the others into a
# file that no reader can open).
_NOT_IN_CELL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_END = re.compile("\r\n?")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def cell_text(text: str) -> str:
    """``text`` as a worksheet cell keeps it.

    Characters a worksheet cannot hold become U+FFFD (``\ufffd``), ``\\r\\n`` and ``\\r``
    become ``\\n`` (what any reader of the file sees), and the result is cut to
    :data:`MAX_CELL_TEXT` characters.

    >>> cell_text("a\\x00b\\r\\nc")
    'a\ufffdb\\nc'
    """
    return _LINE_END.sub("\n", _NOT_IN_CELL.sub("\ufffd", text))[:MAX_CELL_TEXT]


def _store(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        cell.value = cell_text(value)
        # After the assignment, which makes "=…" a formula and "#REF!" an error.
        cell.data_type = "s"
    else:
        cell.value = value


def put_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Put ``value`` into the openpyxl ``sheet`` at (``row``, ``column``); return the cell.

    A ``str`` becomes a string cell holding :func:`cell_text` of it, whatever its first
    character; any other value is stored as openpyxl stores it (``None`` empties the cell).
    """
    cell = sheet.cell(row=row, column=column)
    _store(cell, value)
    return cell


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append ``values`` as the next row of the openpyxl ``sheet``, each as :func:`put_cell`
    stores it (the row ``Worksheet.append`` would use)."""
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        cell = Cell(sheet)
        _store(cell, value)
        cells.append(cell)
    sheet.append(cells)


def csv_field(value: object) -> str:
    """A field of a CSV file meant for people.

    ``None`` is the empty field; any other value is ``str(value)``, with a single quote put in
    front when it starts with one of :data:`FORMULA_STARTS` and is not a plain decimal number,
    or when it starts with quotes and then one of them (so that :func:`csv_unquote` inverts it).

    >>> [csv_field(v) for v in ("=1+1", "-2+3", "@SUM(A1)", "-1.5", None, 7, "Hà Nội")]
    ["'=1+1", "'-2+3", "'@SUM(A1)", '-1.5', '', '7', 'Hà Nội']
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    if _quoted(text):
        # A text that already looks quoted gets one more, so that csv_unquote gives it back.
        return "'" + text
    return text


def _quoted(text: str) -> bool:
    """Quotes, then a formula start: what csv_field writes for a text starting so."""
    return text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS)


def csv_row(values: Iterable[object]) -> list[str]:
    """Every value of a row as :func:`csv_field` writes it."""
    return [csv_field(value) for value in values]


def csv_unquote(text: str) -> str:
    """A field of a CSV file for people as it was before :func:`csv_field`.

    Exactly one leading single quote is removed when the quotes at the start are followed by
    one of :data:`FORMULA_STARTS` (``'-x`` → ``-x``, ``''-x`` → ``'-x``); any other text is
    returned unchanged.

    >>> [csv_unquote(v) for v in ("'=1+1", "'-x", "''-x", "'abc", "-1.5", "'")]
    ['=1+1', '-x', "'-x", "'abc", '-1.5', "'"]
    """
    if _quoted(text):
        return text[1:]
    return text
