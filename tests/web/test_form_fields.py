"""The shared form fields (parindex_web/lib/fields.py): numbers by the core's grammar, free text
through parindex.clean_text, in every form that uses them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from parindex_web.lib.fields import CleanTextField, CoreDecimalField, CoreWholeField, checked_text


class Sample(forms.Form):
    points = CoreDecimalField(required=False, min_value=0, localize=True)
    count = CoreWholeField(required=False, min_value=0)
    note = CleanTextField(required=False)
    number = CleanTextField(required=False, max_length=5)


def errors_of(**data: str) -> dict[str, list[str]]:
    form = Sample(data)
    form.is_valid()
    return form.errors


@pytest.mark.parametrize("text", ["1_0", "１０", "-0", "-0,0", "1e1", "nan", "0x5"])
def test_a_number_outside_the_grammar_is_invalid(text: str) -> None:
    assert "points" in errors_of(points=text)


@pytest.mark.parametrize(("text", "value"), [("2,5", Decimal("2.5")), (" 3.25 ", Decimal("3.25"))])
def test_a_number_with_a_comma_or_a_dot_is_read(text: str, value: Decimal) -> None:
    form = Sample({"points": text})
    assert form.is_valid()
    assert form.cleaned_data["points"] == value


def test_a_whole_number_is_digits_only() -> None:
    assert "count" in errors_of(count="１")
    form = Sample({"count": "12"})
    assert form.is_valid() and form.cleaned_data["count"] == 12


@pytest.mark.parametrize(("text", "char"), [("a\x07b", "U+0007"), ("a\u202eb", "U+202E")])
def test_free_text_with_a_control_character_is_refused_naming_it(text: str, char: str) -> None:
    assert char in errors_of(note=text)["note"][0]


def test_free_text_keeps_tabs_and_line_ends_and_has_a_length_limit() -> None:
    form = Sample({"note": "a\tb\r\nc"})
    assert form.is_valid() and form.cleaned_data["note"] == "a\tb\r\nc"
    assert "number" in errors_of(number="123456")
    assert "note" in errors_of(note="x" * 10_001)


def test_checked_text_says_what_is_wrong_in_the_users_words() -> None:
    assert checked_text("ok", "note") == "ok"
    with pytest.raises(ValueError, match="U\\+0000"):
        checked_text("a\x00", "note")
    with pytest.raises(ValueError, match=" 3 "):
        checked_text("abcd", "note", max_length=3)
