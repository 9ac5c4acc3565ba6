import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template(
    "{{ day|date:'SHORT_DATE_FORMAT' }}|{{ day }}|{{ moment }}|{{ index|floatformat:2 }}"
    "|{{ dossiers|floatformat:'0g' }}|{{ year }}"
)
CONTEXT = {
    "day": datetime.date(2025, 3, 5),
    "moment": datetime.datetime(2025, 3, 5, 14, 30, tzinfo=datetime.UTC),
    "index": Decimal("95.8333"),
    "dossiers": 1234567,
    "year": 2025,
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "05/03/2025|05/03/2025|05/03/2025 21:30|95,83|1.234.567|2025"),
        ("en", "05/03/2025|05/03/2025|05/03/2025 21:30|95.83|1,234,567|2025"),
    ],
)
def test_it_formats_dates_and_numbers(language, expected):
    with translation.override(language):
        assert TEMPLATE.render(Context(CONTEXT)) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05/03/2025", datetime.date(2025, 3, 5)),
        ("5/3/2025", datetime.date(2025, 3, 5)),
        ("05-03-2025", datetime.date(2025, 3, 5)),
        ("2025-03-05", datetime.date(2025, 3, 5)),
    ],
)
def test_it_reads_dates_day_first_in_vietnamese(typed, expected):
    with translation.override("vi"):
        assert forms.DateField().clean(typed) == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_it_refuses_a_month_first_date_in_both_languages(language):
    with translation.override(language), pytest.raises(forms.ValidationError):
        forms.DateField().clean("12/31/2025")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_it_reads_12_03_as_the_twelfth_of_march_in_both_languages(language):
    with translation.override(language):
        assert forms.DateField().clean("12/03/2026") == datetime.date(2026, 3, 12)
        assert forms.DateTimeField().clean("12/03/2026 08:30").day == 12


def test_it_reads_a_decimal_comma_in_vietnamese():
    with translation.override("vi"):
        field = forms.DecimalField(localize=True)
        assert field.clean("95,83") == Decimal("95.83")
