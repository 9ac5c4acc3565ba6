"""Forms of the appraisal pages. Phase, deadline and score rules live in the services; these
forms only read what was typed (decimal comma or dot)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

import parindex
from parindex_web.lib.fields import CleanTextField, CoreDecimalField, DayFirstDateField


def _points_field(label: StrOrPromise) -> CoreDecimalField:
    """Points typed in the language's decimal mark, at most 4 places."""
    return CoreDecimalField(
        label=label,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6, "autocomplete": "off"}),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=4,
        localize=True,
    )


class AppraiseForm(forms.Form):
    """Accept the self-assessed points or set an appraised score (with a reason if it differs).

    ``action`` comes from the button pressed: "accept", "replace" (accept over an appraised
    score that differs; the services require a reason) or "set". The points and the reason
    are checked by :func:`parindex_web.cycles.services.appraise`, which names the field.
    """

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    points = _points_field(_("Appraised points"))
    reason = CleanTextField(
        label=_("Reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    action = forms.ChoiceField(
        choices=[("accept", "accept"), ("replace", "replace"), ("set", "set")],
        required=False,
        widget=forms.HiddenInput,
    )


class ExplainForm(forms.Form):
    """The unit's reply to the appraisal of one leaf, with an optional new document."""

    text = CleanTextField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("New evidence document (optional)"), required=False)
    doc_number = CleanTextField(
        label=_("Document number"), required=False, max_length=parindex.MAX_SHORT_TEXT
    )
    doc_date = DayFirstDateField(label=_("Document date"), required=False)
    issuer = CleanTextField(label=_("Issued by"), required=False, max_length=200)


class DecideForm(forms.Form):
    """The appraiser's decision on an explanation."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the explanation")), ("reject", _("Reject the explanation"))],
        widget=forms.RadioSelect,
    )
    points = _points_field(_("Points that count if accepted"))
    reason = CleanTextField(
        label=_("Reason for the decision"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptRemainingForm(forms.Form):
    """The confirmation of "accept all remaining": the fingerprint of the list that was shown."""

    confirmed = forms.CharField(max_length=80, widget=forms.HiddenInput)
