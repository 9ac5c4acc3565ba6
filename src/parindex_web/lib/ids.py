"""Database ids: 64-bit signed integers on SQLite and PostgreSQL.

A larger number names no row, and sent to the database it overflows the query (a server error):
every id read from a request is checked against :data:`MAX_ID` first (the API's ``Id`` type, the
forms' choice fields).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

MAX_ID = 2**63 - 1

_M = TypeVar("_M", bound=Model)


def is_key(value: object) -> bool:
    """Whether ``value`` (an int or its text) is a number a database key can hold."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return -MAX_ID - 1 <= number <= MAX_ID


class KeyedChoices(forms.ModelMultipleChoiceField[_M]):
    """A multiple choice of rows by id that refuses a number beyond the keys as it refuses any
    id it does not offer ("not one of the available choices"), before querying with it."""

    def clean(self, value: Any) -> QuerySet[_M]:
        # Before Django's own clean, which looks the ids up (in its private _check_values).
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and not is_key(text):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super().clean(value)
