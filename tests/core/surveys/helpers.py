"""The EXAMPLE questionnaire and responses (tests/fixtures/surveys) and variants of them."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "surveys"
FORM = FIXTURES / "example-sipas-form.xlsx"
RESPONSES = FIXTURES / "example-sipas-responses.csv"


def variant(edit: Callable[[Workbook], object]) -> bytes:
    """The example form's workbook after ``edit``, as bytes."""
    book = load_workbook(FORM)
    edit(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell(sheet: str, ref: str, value: object) -> Callable[[Workbook], object]:
    """An edit that sets one cell (``"survey"``, ``"G10"``)."""

    def edit(book: Workbook) -> None:
        book[sheet][ref] = value

    return edit


def rows(sheet: str, *values: list[str]) -> Callable[[Workbook], object]:
    """An edit that appends rows to a sheet."""

    def edit(book: Workbook) -> None:
        for row in values:
            book[sheet].append(row)

    return edit
