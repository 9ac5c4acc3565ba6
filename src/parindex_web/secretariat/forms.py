"""The secretariat's forms. Each only validates its input (and says what is wrong next to the
field); the views pass the cleaned values to :mod:`parindex_web.cycles.services`, which enforce
the cycle's rules again, save and audit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Field
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parindex_web.accounts.models import Role
from parindex_web.cycles.access import body_ids
from parindex_web.cycles.models import SHOWN_STATUSES, Assessment, Cycle
from parindex_web.cycles.services import CLOSED, DEADLINES, allowed_years, deadline_order_problems
from parindex_web.lib.fields import (
    CleanTextField,
    CoreDecimalField,
    choice_field,
    model_choice_field,
)
from parindex_web.lib.ids import KeyedChoices
from parindex_web.lib.pages import numbered
from parindex_web.lib.users import User
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit, vi_sorted

from . import imports
from .progress import codes_by_source, display_name


def deadline_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def check_deadline_order(form: forms.BaseForm) -> None:
    """Each deadline given must come after the one before it (the error is on the later one)."""
    for name, previous in deadline_order_problems(form.cleaned_data):
        field = cast("Field[Any, Any]", Cycle._meta.get_field(previous))  # a deadline column
        form.add_error(
            name, _("Must be later than the %(previous)s.") % {"previous": field.verbose_name}
        )


class CycleForm(forms.ModelForm[Cycle]):
    units = KeyedChoices(
        label=_("Units in scope"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one unit.")},
    )

    class Meta:
        model = Cycle
        fields = ["body", "year", "name", "methodology", *DEADLINES]
        widgets = {name: deadline_widget() for name in DEADLINES}

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = AssessingBody.objects.filter(pk__in=body_ids(user, Role.SECRETARIAT))
        body = model_choice_field(self, "body")
        body.queryset = bodies
        body.empty_label = None
        model_choice_field(self, "methodology").queryset = Methodology.objects.all()
        self.fields["year"].initial = timezone.localdate().year
        units = Unit.objects.filter(body__in=bodies)
        unit_field = model_choice_field(self, "units")
        unit_field.queryset = units
        unit_field.choices = [(u.pk, u.label) for u in vi_sorted(list(units))]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        years = allowed_years()
        if year not in years:
            raise forms.ValidationError(
                _("Give a year from %(first)s to %(last)s.")
                % {"first": years[0], "last": years[-1]}
            )
        return year

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        body, units = data.get("body"), data.get("units")
        if body is not None and units:
            other = [u.label for u in units if u.body_id != body.pk]
            if other:
                self.add_error(
                    "units",
                    _("These units are not assessed by %(body)s: %(units)s")
                    % {"body": body, "units": ", ".join(other)},
                )
        year = data.get("year")  # None when refused: then no cycle has it
        if (
            body is not None
            and year is not None
            and Cycle.objects.filter(body=body, year=year, name=data.get("name")).exists()
        ):
            self.add_error("name", _("This body already has a cycle of that name and year."))
        check_deadline_order(self)
        return data

    def values(self) -> dict[str, Any]:
        """The keyword arguments of :func:`services.create_cycle` (after validation)."""
        fields = ["body", "year", "name", "methodology", "units", *DEADLINES]
        return {name: self.cleaned_data[name] for name in fields}


class DeadlinesForm(forms.ModelForm[Cycle]):
    class Meta:
        model = Cycle
        fields = list(DEADLINES)
        widgets = {name: deadline_widget() for name in DEADLINES}

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.instance.phase in CLOSED:
            raise forms.ValidationError(_("Deadlines cannot be changed after finalisation."))
        check_deadline_order(self)
        return self.cleaned_data

    def values(self) -> dict[str, Any]:
        """The deadlines as keyword arguments of :func:`services.set_deadlines`."""
        return {name: self.cleaned_data[name] for name in DEADLINES}


class AssignmentsForm(forms.Form):
    """A grid of units × appraisers of the body; each ticked box is one assignment.

    One page of units at a time (``page``, the text of ``?page=``, :mod:`parindex_web.lib.pages`):
    saving a page changes the assignments of its units only, the others' stay as they are.
    """

    pairs = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, cycle: Cycle, *args: Any, page: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        every = vi_sorted([a.unit for a in cycle.assessments.select_related("unit")])
        self.pager = numbered(page, every)
        self.units = self.pager.rows
        users = get_user_model().objects.filter(
            memberships__role=Role.APPRAISER, memberships__body=cycle.body
        )
        self.appraisers = sorted(set(users), key=lambda u: (display_name(u).lower(), u.pk))
        self.current = {
            f"{unit_id}:{user_id}"
            for unit_id, user_id in cycle.assignments.values_list("unit_id", "appraiser_id")
        }
        choice_field(self, "pairs").choices = [
            (f"{unit.pk}:{user.pk}", f"{unit.label} – {display_name(user)}")
            for unit in self.units
            for user in self.appraisers
        ]
        self.fields["pairs"].initial = sorted(self.current)

    def grid(self) -> list[tuple[Unit, list[tuple[Any, str, bool]]]]:
        """Rows for the template: unit, then (appraiser, value, ticked) per column."""
        posted = cast(QueryDict, self.data)  # a bound form's data is the request's POST
        ticked = set(posted.getlist("pairs")) if self.is_bound else self.current
        return [
            (
                unit,
                [
                    (user, f"{unit.pk}:{user.pk}", f"{unit.pk}:{user.pk}" in ticked)
                    for user in self.appraisers
                ],
            )
            for unit in self.units
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.cycle.phase in CLOSED:
            raise forms.ValidationError(_("Assignments cannot be changed after finalisation."))
        return self.cleaned_data

    def wanted(self) -> list[tuple[int, int]]:
        """The ticked boxes as (unit id, appraiser id), for :func:`services.set_assignments`."""
        on_page = {unit.pk for unit in self.units}
        kept = [pair for pair in self.current if int(pair.split(":")[0]) not in on_page]
        return [
            (int(unit), int(person))
            for unit, person in (pair.split(":") for pair in [*self.cleaned_data["pairs"], *kept])
        ]


class PhaseForm(forms.Form):
    """Confirms opening the next phase; carries the phase the user saw, so that a repeated
    submission does not move the cycle two steps."""

    phase = forms.CharField(widget=forms.HiddenInput)
    # The number of unfinished units the secretariat confirms (the pre-flight's count).
    confirm = forms.CharField(required=False, max_length=40)

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["phase"].initial = cycle.phase

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("phase") != self.cycle.phase:
            raise forms.ValidationError(
                _("The phase has changed in the meantime; check the dashboard again.")
            )
        return data


class ReasonForm(forms.Form):
    reason = CleanTextField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Give a reason.")},
    )


class PublishForm(forms.Form):
    reason = CleanTextField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
    # The number of unfinished units the secretariat confirms (the pre-flight's count).
    confirm = forms.CharField(required=False, max_length=40)

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.correction = cycle.publications.exists()
        self.fields["reason"].required = self.correction
        self.fields["reason"].error_messages["required"] = _(
            "A new version of published results needs a reason (the correction)."
        )


class ExternalUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of points (CSV or XLSX)"),
        help_text=_("Columns unit,code,points: the unit's code, the criterion's code, the points."),
    )

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.points: imports.Points = {}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.points = imports.read_points(upload, self.cycle)
        return upload


class ExternalUnitForm(forms.Form):
    """The points of one unit's survey, SIPAS and service-data criteria."""

    def __init__(self, assessment: Assessment, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        core = assessment.cycle.core()
        current = dict(assessment.entries.values_list("code", "external_points"))
        self.codes = codes_by_source(core)[1]
        for code in self.codes:
            node = core.by_code[code]
            value = current.get(code)
            self.fields[f"points_{code}"] = CoreDecimalField(
                label=f"{code}. {node.name}",
                help_text=_("From 0 to %(max)s") % {"max": f"{node.max_points.normalize():f}"},
                required=False,
                min_value=Decimal(0),
                max_value=node.max_points,
                decimal_places=4,
                localize=True,
                initial=None if value is None else Decimal(f"{value.normalize():f}"),
            )

    def points(self) -> imports.Points:
        """The points given that differ from those stored (a blank keeps the stored value)."""
        unit = self.assessment.unit.code
        changed = [code for code in self.codes if f"points_{code}" in self.changed_data]
        return {
            (unit, code): self.cleaned_data[f"points_{code}"]
            for code in changed
            if self.cleaned_data[f"points_{code}"] is not None
        }


class CorrectionForm(forms.Form):
    """Correct one locked score: unit, criterion, points and the reason (kept in the audit)."""

    unit = forms.ChoiceField(label=_("Unit"))
    code = forms.ChoiceField(label=_("Criterion"))
    points = CoreDecimalField(label=_("Corrected points"), min_value=0, decimal_places=4)
    reason = CleanTextField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = vi_sorted([a.unit for a in cycle.assessments.select_related("unit")])
        choice_field(self, "unit").choices = [(u.code, u.label) for u in units]
        core = cycle.core()
        choice_field(self, "code").choices = [(n.code, f"{n.code} – {n.name}") for n in core.leaves]


class DashboardFilterForm(forms.Form):
    """The dashboard's search, filter and sort, read from the query string (a bookmarkable view);
    the progress workbook reads the same. Every field may be left out."""

    SORTS = [
        ("name", _("Name (A–Z)")),
        ("-name", _("Name (Z–A)")),
        ("code", _("Code")),
        ("-code", _("Code (descending)")),
        ("progress", _("Least progress first")),
        ("-progress", _("Most progress first")),
        ("status", _("Status (workflow order)")),
        ("-status", _("Status (furthest first)")),
    ]

    q = CleanTextField(label=_("Unit name or code"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        choice_field(self, "status").choices = [
            ("", _("All")),
            *SHOWN_STATUSES,
            ("pending", _("Explanations awaiting a decision")),
            ("missing_evidence", _("Required evidence missing")),
        ]

    def values(self) -> dict[str, str]:
        """``search``, ``status`` and ``sort`` for :func:`progress.filtered` (empty: no filter,
        names in Vietnamese order)."""
        data = self.cleaned_data
        return {"search": data["q"], "status": data["status"], "sort": data["sort"] or "name"}
