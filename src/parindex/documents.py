"""The written forms of an administrative document (Decree 30/2020/NĐ-CP, Appendix I).

Only what the decree fixes word for word and figure for figure: the date of issue
("ngày 03 tháng 12 năm 2026") and the number and symbol line ("Số: 05/BC-SNV"). The layout
itself (where each part sits, fonts, margins) belongs to whoever draws the document.
"""

from __future__ import annotations

from datetime import date

# Days below 10 and the months January and February take a leading zero (Appendix I, II.5.b).
_PADDED_MONTHS = (1, 2)


def decree_date(day: date) -> str:
    """The date of issue as the decree writes it: ``ngày 03 tháng 12 năm 2026``.

    A day below 10 and the months 1 and 2 get a leading zero (``ngày 05 tháng 02``,
    ``ngày 15 tháng 3``), so that the date cannot be altered by hand.
    """
    month = f"{day.month:02d}" if day.month in _PADDED_MONTHS else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def document_symbol(kind: str, issuer: str) -> str:
    """The symbol after the number: the document kind's abbreviation, a hyphen, the issuer's.

    ``document_symbol("BC", "SNV")`` is ``BC-SNV``; without the issuer's abbreviation only the
    kind and the hyphen stay (``BC-``), a blank for the clerk to fill rather than a guess.
    """
    return f"{kind.strip()}-{issuer.strip()}"


def document_number(number: int | None, kind: str, issuer: str, *, blank: int = 6) -> str:
    """The number and symbol as they follow "Số:": ``05/BC-SNV``.

    Numbers start at 01 each year, so a number below 10 gets a leading zero. Without a number
    (the clerk gives it when the document is registered, after signature) the place of the
    number is ``blank`` no-break spaces, left to be written in.
    """
    if number is not None and number < 1:
        raise ValueError(f"a document number starts at 1, not {number}")
    figure = "\u00a0" * blank if number is None else f"{number:02d}"
    return f"{figure}/{document_symbol(kind, issuer)}"
