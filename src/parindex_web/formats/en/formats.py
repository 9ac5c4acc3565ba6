"""English formats: the dates and times of the Vietnamese pages, English numbers.

Django's own ``en`` formats write and read dates month first (12/03/2026 is 3 December there),
which a Vietnamese reader, and anyone comparing an English page with a Vietnamese one, takes for
12 March. The project writes every date day first, dd/mm/yyyy, in both languages (03/12/2026)
and reads typed dates day first (ISO 2026-12-03 also), so the date and time formats are the
Vietnamese module's, imported from there (one source). Numbers keep the English decimal point.
"""

from ..vi.formats import (
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
    YEAR_MONTH_FORMAT,
)

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

__all__ = [
    "DATETIME_FORMAT",
    "DATETIME_INPUT_FORMATS",
    "DATE_FORMAT",
    "DATE_INPUT_FORMATS",
    "DECIMAL_SEPARATOR",
    "FIRST_DAY_OF_WEEK",
    "MONTH_DAY_FORMAT",
    "NUMBER_GROUPING",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "THOUSAND_SEPARATOR",
    "TIME_FORMAT",
    "TIME_INPUT_FORMATS",
    "YEAR_MONTH_FORMAT",
]
