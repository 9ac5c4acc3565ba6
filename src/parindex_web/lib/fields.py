"""Form fields that read what people type through the core: numbers and free text.

One source per concept: a number typed into any form is read by ``parindex.parse_decimal`` or
``parindex.parse_whole`` (the grammar of docs/methodology-format.md), and free text (a note, a
reason, an explanation, a document number) is checked by ``parindex.clean_text`` (NFC, no
control character but tab and line ends, at most ``parindex.MAX_NOTE`` characters by default).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import parindex


class CoreDecimalField(forms.DecimalField):
    """A decimal typed as text is read by the core's one number parser (``parindex.parse_decimal``):
    digits with at most one decimal point or comma, whatever the page's language ("0,5", "0.5");
    ``1_0``, ``1e5``, ``nan``, ``-0`` or full-width digits are invalid (Django's own field would
    take several of them)."""

    # Django's DecimalField subclasses IntegerField, whose to_python returns an int: mypy checks
    # the override against both, and a Decimal is no int. Django's own hierarchy, so it cannot go
    # (django-stubs' DecimalField.to_python carries the same ignore); docs/deployment.md lists it.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            try:
                return parindex.parse_decimal(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class CoreWholeField(forms.IntegerField):
    """A whole number typed as ASCII digits, read by ``parindex.parse_whole``."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip():
            try:
                return parindex.parse_whole(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """``form.fields[name]``, a choice field, as one (``fields`` is typed as holding any field):
    for setting its ``choices`` when the form is made."""
    return cast(forms.ChoiceField, form.fields[name])


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """``form.fields[name]``, a model choice field, as one: for setting its ``queryset``."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def text_error(exc: ValueError, max_length: int = parindex.MAX_NOTE) -> str:
    """The translated message for ``parindex.clean_text``'s refusal ``exc``."""
    if "longer than" in str(exc):
        return _("The text is longer than %(limit)s characters.") % {"limit": max_length}
    char = str(exc).rpartition(" ")[2]
    return _("The text contains the control character %(char)s; remove it.") % {"char": char}


def checked_text(text: str, field: str, max_length: int = parindex.MAX_NOTE) -> str:
    """``text`` through ``parindex.clean_text``, or ``ValueError`` with the translated message:
    the saving services' last guard, whatever the entry point."""
    try:
        return parindex.clean_text(text, field, max_length)
    except ValueError as exc:
        raise ValueError(text_error(exc, max_length)) from None


_UNBOUNDED = 2**31


class CleanTextField(forms.CharField):
    """Free text checked by ``parindex.clean_text``: NFC, tab and line ends kept, other control
    characters (NUL included) refused; at most ``parindex.MAX_NOTE`` characters unless told."""

    def __init__(self, *, max_length: int = parindex.MAX_NOTE, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""  # None only with empty_value=None
        try:  # the length is Django's validator's to say (in the user's language)
            return parindex.clean_text(text, str(self.label or "text"), max_length=_UNBOUNDED)
        except ValueError as exc:
            raise ValidationError(text_error(exc), code="control") from None


class DayFirstDateField(forms.DateField):
    """A date typed day first, dd/mm/yyyy, in both languages (the formats modules' input
    formats; ISO 2026-12-03 also). A text box with a "dd/mm/yyyy" hint rather than the browser's
    date picker, whose order follows the browser's locale (12/03/2026 for 3 December in an
    American browser) and not the page's."""

    widget = forms.DateInput(
        format="%d/%m/%Y",
        attrs={
            "placeholder": gettext_lazy("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": "10",
        },
    )
