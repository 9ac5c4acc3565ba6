"""The secretariat's forms for a methodology uploaded as an appendix table."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import parindex
from parindex_web.accounts.models import Role
from parindex_web.cycles.access import body_ids
from parindex_web.cycles.services import allowed_years
from parindex_web.lib.fields import choice_field, model_choice_field
from parindex_web.lib.users import User
from parindex_web.units.models import AssessingBody, Unit

from . import tables
from .models import Methodology


class TableUploadForm(forms.Form):
    """The table and what it is: whose, for which units, from which year, under which decision."""

    file = forms.FileField(
        label=_("Appendix table (XLSX)"),
        help_text=_(
            "The first sheet: STT, Lĩnh vực/Tiêu chí/Tiêu chí thành phần, Điểm tối đa, and "
            "optionally Tài liệu kiểm chứng and Cách chấm điểm."
        ),
    )
    body = forms.ModelChoiceField(label=_("Assessing body"), queryset=AssessingBody.objects.none())
    unit_type = forms.ChoiceField(label=_("Units assessed"), choices=Unit.Type.choices)
    year = forms.TypedChoiceField(label=_("First year it applies to"), coerce=int)
    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the table's title (its first row)."),
    )
    decision = forms.CharField(
        label=_("Decision number"), max_length=80, required=False, help_text=_("e.g. 876/QĐ-BNV")
    )
    example = forms.BooleanField(label=_("The figures are examples (not official)"), required=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = model_choice_field(self, "body")
        body.queryset = AssessingBody.objects.filter(pk__in=body_ids(user, Role.SECRETARIAT))
        body.empty_label = None
        year = choice_field(self, "year")
        year.choices = [(y, y) for y in reversed(allowed_years())]
        year.initial = timezone.localdate().year + 1
        self.methodology: parindex.Methodology | None = None
        self.problems: list[tables.TableProblem] = []

    def _clean_name(self, field: str) -> str:
        try:
            return parindex.clean_name(self.cleaned_data[field])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_decision(self) -> str:
        return self._clean_name("decision")

    def clean_name(self) -> str:
        return self._clean_name("name")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload is None or self.errors:
            return data
        read = tables.read_upload(upload)
        if isinstance(read, list):
            self.problems = read
            raise forms.ValidationError(_("The table was refused; nothing was saved."))
        slug = tables.free_slug(data["body"], data["unit_type"], data["year"])
        m = tables.with_metadata(read, slug, data["unit_type"], data["year"], data["decision"])
        m = dataclasses.replace(m, name=data["name"] or m.name, example=bool(data.get("example")))
        self.methodology = m
        return data


class AdoptForm(forms.Form):
    """The confirmation: the checked table (signed) and the box saying it was checked."""

    table = forms.CharField(widget=forms.HiddenInput)
    compared = forms.ModelChoiceField(
        queryset=Methodology.objects.all(), required=False, widget=forms.HiddenInput
    )
    confirm = forms.BooleanField(
        label=_("I have checked the tree and the differences; adopt this methodology."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bodies = body_ids(user, Role.SECRETARIAT)
        self.body: AssessingBody | None = None
        self.methodology: parindex.Methodology | None = None

    def clean_table(self) -> str:
        value: str = self.cleaned_data["table"]
        try:
            body, m = tables.from_token(value)
        except (signing.BadSignature, parindex.ParindexError, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                _("This checked table has expired or was altered; upload the file again.")
            ) from None
        if body not in self.bodies:
            raise forms.ValidationError(_("Only that body's secretariat can adopt this table."))
        self.body = AssessingBody.objects.get(pk=body)
        self.methodology = m
        return value
