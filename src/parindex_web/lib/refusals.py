"""A service's refusal shown on a form: each message on the field it names."""

from __future__ import annotations

from django import forms

from parindex_web.cycles.services import CycleError


def show_refusal(form: forms.BaseForm, exc: CycleError) -> None:
    """Add ``exc``'s messages to ``form``, each on the field the service named
    (:attr:`CycleError.problems`); on the form as a whole when it names none or a field the form
    does not have (e.g. the leaf's code, which is in the address)."""
    for field, message in exc.problems:
        form.add_error(field if field in form.fields else None, message)
