"""Reading archives safely: every ZIP (an XLSX workbook is one) is checked before it is parsed.

:func:`check_archive` refuses an archive whose members would expand to more than
:attr:`~parindex.inputs.Limits.max_expanded` bytes, that has more than
:attr:`~parindex.inputs.Limits.max_members` members or a large member compressed more than
:attr:`~parindex.inputs.Limits.max_ratio` times: a "zip bomb" is refused at once, unread.
Python's :mod:`zipfile` never reads more than a member's stated size, so the check holds for a
file that lies about its sizes too. :func:`open_workbook` checks, then opens the workbook with
openpyxl. No part of it may declare a DTD (entities, external references): each XML part's
prolog is read with defusedxml first, because openpyxl parses with lxml when that is installed and
then expands entities itself;
:func:`workbook_rows` returns the first sheet as text. A workbook without a worksheet and a cell
holding a formula are refused (the project never writes formulas, and a formula's value is not in
the file unless a spreadsheet program saved it). Every failure is a core error.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import Any

from .errors import InputError, Location, ParindexError, Problem
from .inputs import DEFAULT_LIMITS, MB, Limits, Source, read_bytes

__all__ = ["check_archive", "open_workbook", "sheet_rows", "workbook_rows"]

# The ratio is checked only for members at least this large: small XML parts compress far.
_RATIO_FLOOR = 1 * MB
# What defusedxml raises for XML that declares entities or refers to outside resources.
_FORBIDDEN_XML = ("DTDForbidden", "EntitiesForbidden", "ExternalReferenceForbidden")


def _archive_error(
    error: type[ParindexError], code: str, file: str, **params: object
) -> ParindexError:
    return error(Problem.of(code, Location(file), **params))


def check_archive(
    data: bytes,
    file: str,
    error: type[ParindexError] = InputError,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Refuse ``data`` unless it is a ZIP archive within ``limits`` (see the module docstring)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _archive_error(error, "archive_not_zip", file) from None
    if len(members) > limits.max_members:
        raise _archive_error(error, "archive_members", file, limit=limits.max_members)
    if sum(member.file_size for member in members) > limits.max_expanded:
        raise _archive_error(error, "archive_expands", file, limit=limits.max_expanded // MB)
    for member in members:
        if member.file_size >= _RATIO_FLOOR and (
            member.file_size > limits.max_ratio * max(member.compress_size, 1)
        ):
            part, limit = member.filename, limits.max_ratio
            raise _archive_error(error, "archive_ratio", file, part=part, limit=limit)


def open_workbook(
    source: Source,
    file: str,
    *,
    read_only: bool = False,
    error: type[ParindexError] = InputError,
    limits: Limits = DEFAULT_LIMITS,
) -> Any:
    """The openpyxl workbook in ``source`` (a path, bytes or a binary stream), checked first.

    With ``read_only`` the sheets are parsed as they are read: read them with
    :func:`workbook_rows`, which turns a parse error into a core error too.
    """
    from openpyxl import load_workbook

    data = read_bytes(source, file, error, limits)
    check_archive(data, file, error, limits)
    _refuse_dtds(data, file, error)
    try:
        book = load_workbook(io.BytesIO(data), read_only=read_only, data_only=False)
        if not book.worksheets:
            book.close()
            raise error(Problem.of("workbook_empty", Location(file)))
        if not read_only:  # a read-only sheet is parsed by workbook_rows, which checks it
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        _refuse_formula(cell, sheet.title, cell.row, cell.column, file, error)
        return book
    except ParindexError:
        raise
    except Exception as exc:  # openpyxl and its XML parser raise many kinds for a broken file
        raise _workbook_error(error, exc, file) from None


_XML_PARTS = (".xml", ".rels", ".vml")


def _refuse_dtds(data: bytes, file: str, error: type[ParindexError]) -> None:
    """Refuse a workbook any XML part of which declares a DTD.

    A DTD can only come before the root element, so each part is parsed up to its first element
    (defusedxml raises on the declaration): the cost is the prologs, not the sheets.
    """
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.lower().endswith(_XML_PARTS):
                continue
            with archive.open(member) as part:
                try:
                    for _event in iterparse(part, events=("start",), forbid_dtd=True):
                        break
                except Exception as exc:  # a malformed part is openpyxl's to report
                    if exc.__class__.__name__ in _FORBIDDEN_XML:
                        raise _workbook_error(error, exc, file) from None


def _refuse_formula(
    cell: Any, sheet: str, row: int, column: int, file: str, error: type[ParindexError]
) -> None:
    """Refuse ``cell`` if it holds a formula, naming the sheet, row and column (a letter)."""
    if getattr(cell, "data_type", None) == "f":
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(column)
        where = Location(file, row=row, column=letter)
        raise error(Problem.of("workbook_formula", where, sheet=sheet, cell=f"{letter}{row}"))


def _workbook_error(error: type[ParindexError], exc: BaseException, file: str) -> ParindexError:
    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps the XML parser's error in a ValueError
        if cause.__class__.__name__ in _FORBIDDEN_XML:
            return error(Problem.of("workbook_xml", Location(file)))
        cause = cause.__cause__ or cause.__context__
    return error(Problem.of("workbook", Location(file), reason=exc.__class__.__name__))


def _cell_text(cell: Any, limit: int) -> str | None:
    """The cell as text, or None when it is longer than ``limit`` characters."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return repr(cell) if not cell.is_integer() else str(int(cell))
    text = str(cell)
    return None if len(text) > limit else text


def workbook_rows(
    source: Source,
    file: str,
    *,
    error: type[ParindexError] = InputError,
    limits: Limits = DEFAULT_LIMITS,
) -> list[tuple[int, list[str]]]:
    """The rows of the first sheet as text (numbers without float noise), with row numbers.

    Names and codes are checked by the caller (:func:`~parindex.inputs.clean_name`); here every
    cell is NFC-normalised text of at most ``limits.max_field`` characters.
    """
    book = open_workbook(source, file, read_only=True, error=error, limits=limits)
    try:
        return sheet_rows(book.worksheets[0], file, error=error, limits=limits)
    finally:
        book.close()


def sheet_rows(
    sheet: Any,
    file: str,
    *,
    error: type[ParindexError] = InputError,
    limits: Limits = DEFAULT_LIMITS,
) -> list[tuple[int, list[str]]]:
    """The rows of one sheet of a workbook :func:`open_workbook` opened, as
    :func:`workbook_rows` reads the first."""
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells: list[str] = []
            for index, item in enumerate(row):
                _refuse_formula(item, sheet.title, number, index + 1, file, error)
                cell = getattr(item, "value", None)
                text = _cell_text(cell, limits.max_field)
                if text is None:
                    column = rows[0][1][index] if rows and index < len(rows[0][1]) else None
                    where = Location(file, number, column or f"#{index + 1}")
                    raise error(Problem.of("cell_too_long", where, limit=limits.max_field))
                cells.append(unicodedata.normalize("NFC", text))
            rows.append((number, cells))
    except ParindexError:
        raise
    except Exception as exc:  # a sheet's XML is parsed only now, in read-only mode
        raise _workbook_error(error, exc, file) from None
    return rows
