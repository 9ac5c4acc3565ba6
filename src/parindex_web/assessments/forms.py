"""Forms of the self-assessment: one leaf's input (built from the leaf's rule), evidence, workbook."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle, Evidence
from parindex_web.lib.core_problems import describe
from parindex_web.lib.fields import (
    CleanTextField,
    CoreDecimalField,
    CoreWholeField,
    DayFirstDateField,
    model_choice_field,
)
from parindex_web.lib.ids import KeyedChoices
from parindex_web.lib.refusals import show_refusal
from parindex_web.methodologies import display

INPUT_LABELS = {
    "level": _("Level reached"),
    "value": _("Requirement met"),
    "percent": _("Percentage (%)"),
    "achieved": _("Number achieved"),
    "planned": _("Number planned"),
    "count": _("Number of failing items"),
    "points": _("Points"),
}


def plain(value: object) -> object:
    """An input value as it is stored (JSON): decimals as plain strings."""
    return plain_number(value) if isinstance(value, Decimal) else value


def plain_number(value: Decimal) -> str:
    """A decimal as plain text, without trailing zeros or exponent: ``Decimal("1E+1")`` → "10"."""
    return f"{value.normalize():f}"


def initial_for(node: parindex.Node, inputs: dict[str, object]) -> dict[str, object]:
    """Stored input as form values (numbers as decimals, so that they show localised)."""
    initial = dict(inputs)
    specs = node.rule.inputs(node.max_points) if node.rule else ()
    for name in (spec.name for spec in specs if spec.numeric and spec.name in initial):
        with contextlib.suppress(ValueError):
            initial[name] = parindex.parse_decimal(initial[name])
    return initial


def _input_field(spec: parindex.InputSpec, node: parindex.Node) -> forms.Field:
    """A form field for one of the rule's declared inputs, bounded as the declaration says."""
    rule = node.rule
    assert rule is not None
    label = INPUT_LABELS[spec.name]
    if spec.kind == "choice":
        choices = [("", _("— choose —"))] + [
            (c.key, c.label if c.points is None else f"{c.label} ({number_format(c.points)})")
            for c in spec.choices
        ]
        return forms.ChoiceField(label=label, choices=choices)
    if spec.kind == "yesno":
        return forms.ChoiceField(label=label, choices=display.YES_NO, widget=forms.RadioSelect)
    required = len(rule.modes()) == 1  # with several modes, clean() asks for one of them
    # The bounds and their messages are the core's, as the workbook and the API show them.
    messages = {
        code: describe(parindex.Problem("", code=kind, params={"detail": plain_number(limit)}))
        for code, kind, limit in (
            ("min_value", "input_below", spec.minimum),
            ("max_value", "input_above", spec.maximum),
        )
        if limit is not None
    }
    invalid = "input_whole" if spec.kind == "whole" else "input_number"
    messages["invalid"] = describe(parindex.Problem("", code=invalid))
    if spec.name == "planned":
        messages["min_value"] = str(_("The number planned must be above 0."))
    bounds: dict[str, Any] = {
        "min_value": spec.minimum,
        "max_value": spec.maximum,
        "error_messages": messages,
    }
    if spec.kind == "whole":
        return CoreWholeField(
            label=label,
            required=required,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            **bounds,
        )
    return CoreDecimalField(
        label=label,
        required=required,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **bounds,
    )


class EntryForm(forms.Form):
    """The input a leaf's rule needs, a note, and the version the form was rendered with.

    Valid only when the rule gives points for the input; ``points`` then holds them.
    """

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    note = CleanTextField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, cycle: Cycle, node: parindex.Node, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert node.rule is not None, "a leaf without a rule has no form"
        self.cycle, self.node, self.rule = cycle, node, node.rule
        self.points: Decimal | None = None
        for spec in self.rule.inputs(node.max_points):
            self.fields[spec.name] = _input_field(spec, node)
        self.order_fields([*self.rule.fields(), "note", "version"])

    def input_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.rule.fields()]

    def inputs(self) -> dict[str, object]:
        names = self.rule.fields()
        return {
            n: plain(self.cleaned_data[n]) for n in names if self.cleaned_data.get(n) is not None
        }

    def clean(self) -> dict[str, Any] | None:
        """The points, from :func:`~parindex_web.cycles.services.score_input` (the core's check
        of the rule's declared inputs: one input mode, achieved above planned, …), each problem
        on the field it names."""
        data = super().clean()
        if self.errors:
            return data
        modes = self.rule.modes()
        inputs = self.inputs()
        touched = [mode for mode in modes if any(name in inputs for name in mode)]
        if len(modes) > 1 and len(touched) < 2 and not any(set(m) <= set(inputs) for m in modes):
            raise ValidationError(
                _("Enter the percentage, or both the number achieved and the number planned.")
            )
        try:
            self.points = services.score_input(self.cycle, self.node.code, inputs)
        except services.InputRefused as exc:
            show_refusal(self, exc)
        return data


class EvidenceForm(forms.Form):
    """An evidence file with the document's number, date and issuer; ``code``: attach to a leaf."""

    file = forms.FileField(label=_("File"))
    doc_number = CleanTextField(
        label=_("Document number"), max_length=parindex.MAX_SHORT_TEXT, required=False
    )
    doc_date = DayFirstDateField(label=_("Document date"), required=False)
    issuer = CleanTextField(label=_("Issued by"), max_length=200, required=False)
    code = forms.CharField(required=False, widget=forms.HiddenInput)


class _RowsOnce(ModelChoiceIterator[Evidence]):
    """Choices from the queryset's own rows: read once per form, reused when shown again.

    Django's iterator reads the queryset afresh on every pass, through a server-side cursor
    on PostgreSQL (three statements); the leaf page asks for the unit's documents for the
    choices, for whether there are any and for the names in the history.
    """

    def __iter__(self) -> Iterator[tuple[ModelChoiceIteratorValue | str, str]]:
        if self.field.empty_label is not None:
            yield ("", str(self.field.empty_label))
        for obj in self.queryset:
            yield self.choice(obj)


class DocumentChoiceField(KeyedChoices[Evidence]):
    iterator = _RowsOnce

    def label_from_instance(self, obj: Evidence) -> str:
        number = obj.doc_number or _("no number")
        return f"{number} – {obj.original_name}"


class LinkEvidenceForm(forms.Form):
    """Which of the unit's documents support a leaf."""

    documents = DocumentChoiceField(
        label=_("Documents of the unit"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        assessment: Assessment,
        documents: QuerySet[Evidence] | None = None,
        **kwargs: Any,
    ) -> None:
        """``documents``: the choices, if not all of ``assessment``'s (e.g. an annotated read)."""
        super().__init__(*args, **kwargs)
        choices = assessment.evidence.all() if documents is None else documents
        model_choice_field(self, "documents").queryset = choices

    def choices(self) -> QuerySet[Evidence]:
        """The documents offered: the field's own copy of them, whose rows its choices read
        once (:class:`_RowsOnce`), for the page to reuse."""
        offered = model_choice_field(self, "documents").queryset
        assert offered is not None, "set in __init__"
        return offered


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class SendBackForm(forms.Form):
    """The leader's comment when sending the self-assessment back to the officers."""

    comment = CleanTextField(
        label=_("Comment for the officers"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
