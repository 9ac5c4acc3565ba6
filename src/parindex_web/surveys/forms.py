"""The upload form of a questionnaire: the file is read and checked by the core (services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Questionnaire


class UploadForm(forms.Form):
    group = forms.ChoiceField(label=_("Respondent group"), choices=Questionnaire.Group.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the form_title of the settings sheet."),
    )
    file = forms.FileField(
        label=_("XLSForm workbook (.xlsx)"),
        help_text=_("Sheets survey, choices and settings, as KoboToolbox and ODK read them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upload: services.Upload | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.upload = services.read_upload(upload)
        return upload
