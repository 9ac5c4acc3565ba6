"""The written forms of Decree 30/2020/NĐ-CP: date of issue, number and symbol."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex import decree_date, document_number, document_symbol


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 12, 3), "ngày 03 tháng 12 năm 2026"),
        (date(2026, 2, 15), "ngày 15 tháng 02 năm 2026"),
        (date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (date(2025, 10, 31), "ngày 31 tháng 10 năm 2025"),
    ],
)
def test_the_date_of_issue_pads_days_below_ten_and_the_first_two_months(
    day: date, text: str
) -> None:
    assert decree_date(day) == text


@given(st.dates(min_value=date(1945, 9, 2), max_value=date(2999, 12, 31)))
def test_the_date_of_issue_reads_back_as_the_same_day(day: date) -> None:
    match = re.fullmatch(r"ngày (\d\d) tháng (\d\d?) năm (\d{4})", decree_date(day))
    assert match is not None
    assert date(int(match[3]), int(match[2]), int(match[1])) == day
    assert len(match[2]) == (2 if day.month <= 2 or day.month >= 10 else 1)


def test_the_symbol_joins_the_kind_and_the_issuer_with_a_hyphen() -> None:
    assert document_symbol("BC", "SNV") == "BC-SNV"
    assert document_symbol(" BC ", " UBND ") == "BC-UBND"
    assert document_symbol("BC", "") == "BC-"


def test_a_number_below_ten_gets_a_leading_zero() -> None:
    assert document_number(5, "BC", "SNV") == "05/BC-SNV"
    assert document_number(123, "BC", "BNV") == "123/BC-BNV"


def test_without_a_number_its_place_is_left_blank_to_write_in() -> None:
    assert document_number(None, "BC", "SNV") == "\u00a0" * 6 + "/BC-SNV"
    assert document_number(None, "BC", "", blank=3) == "\u00a0\u00a0\u00a0/BC-"


def test_a_number_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        document_number(0, "BC", "SNV")
