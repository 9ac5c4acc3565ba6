"""The form that generates a batch of codes (the units of the cycle; the service optional)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parindex.surveys import Form
from parindex_web.cycles.models import Cycle
from parindex_web.units.models import Unit

from . import services
from .page import localized


class BatchForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), to_field_name="code"
    )
    size = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=services.MAX_CODES,
        initial=20,
        help_text=_("Each code answers the form once."),
    )
    service = forms.ChoiceField(
        label=_("Service (optional)"),
        required=False,
        help_text=_(
            "A choice of a single-choice question of the form: the answers given with these "
            "codes have it, and the respondent does not answer that question."
        ),
    )

    def __init__(self, *args: Any, cycle: Cycle, form: Form, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = services.units_of(cycle)  # type: ignore[attr-defined]
        options: list[tuple[str, str]] = [("", str(_("None")))]
        for q in services.service_questions(form):
            label = localized(q.labels, language) or q.name
            for c in form.choices.get(q.list_name, ()):
                options.append((f"{q.name}={c.name}", f"{label}: {localized(c.labels, language)}"))
        self.fields["service"].choices = options  # type: ignore[attr-defined]

    def clean_service(self) -> tuple[str, str]:
        question, _sep, choice = self.cleaned_data["service"].partition("=")
        if bool(question) != bool(choice):
            raise ValidationError(_("Choose a service from the list."))
        return question, choice
