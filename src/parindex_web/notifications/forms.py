from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parindex_web.lib.fields import choice_field

from .models import Preference


class PreferenceForm(forms.ModelForm[Preference]):
    class Meta:
        model = Preference
        fields = ["email_handovers", "email_reminders"]
        help_texts = {
            "email_handovers": _(
                "A unit signed off, an appraisal completed, an explanation filed or decided, a "
                "self-assessment sent back or reopened, results published."
            ),
            "email_reminders": _(
                "Before a phase's deadline (and the day after it passed) while your work in it "
                "is not done."
            ),
        }


class ReminderForm(forms.Form):
    """The late units to remind (by assessment id); ``confirm`` sends, without it the page
    shows who would receive the reminder."""

    units = forms.TypedMultipleChoiceField(
        label=_("Units to remind"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one unit to remind.")},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, choices: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "units").choices = choices
