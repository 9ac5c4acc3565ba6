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


class ResponsesForm(forms.Form):
    """A file of responses for a questionnaire and the columns of its design; the file is
    checked by its bytes here and read by the core in the view (within the request or a job)."""

    source = forms.ChoiceField(
        label=_("The file is"),
        choices=[
            ("import", _("An export of KoboToolbox or ODK Central")),
            ("template", _("The template for paper forms, filled in")),
        ],
        initial="import",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File of responses (CSV or XLSX)"),
        help_text=_(
            "One row per submission; headers as question names, with group paths or as labels."
        ),
    )
    unit_column = forms.CharField(
        label=_("Column of the unit"),
        max_length=200,
        help_text=_("The header of the column holding each response's unit code, e.g. don_vi."),
    )
    weight_column = forms.CharField(
        label=_("Column of the design weight"),
        max_length=200,
        required=False,
        help_text=_("Left empty, every weight is 1."),
    )
    stratum_column = forms.CharField(
        label=_("Column of the stratum"),
        max_length=200,
        required=False,
        help_text=_("Left empty, one stratum."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_file: services.FieldFile | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.field_file = services.check_field_file(upload)
        return upload

    def columns(self) -> services.Columns:
        data = self.cleaned_data
        return services.Columns(
            data["unit_column"].strip(),
            data["weight_column"].strip(),
            data["stratum_column"].strip(),
        )


class PopulationForm(forms.Form):
    """The population per unit a questionnaire's sample target is planned for (blank: none)."""

    population = forms.IntegerField(
        label=_("Population per unit"),
        help_text=Questionnaire._meta.get_field("population").help_text,
        min_value=0,
        max_value=2_000_000_000,
        required=False,
    )
