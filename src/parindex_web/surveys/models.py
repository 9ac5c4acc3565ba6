"""A cycle's questionnaires: XLSForm workbooks stored as uploaded, with what the core read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parindex_web.cycles.models import Cycle


class Questionnaire(models.Model):
    """One XLSForm of a cycle for one respondent group; its bytes are kept as uploaded (the
    download gives them back for KoboToolbox or ODK) and re-read by the core when shown."""

    class Group(models.TextChoices):
        LEADERS = "leaders", _("Leaders and managers")
        CIVIL_SERVANTS = "civil_servants", _("Civil servants")
        CITIZENS = "citizens", _("Citizens")
        BUSINESSES = "businesses", _("Businesses")
        SERVICE = "service", _("A SIPAS service")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="questionnaires")
    group = models.CharField(_("respondent group"), max_length=20, choices=Group.choices)
    title = models.CharField(_("title"), max_length=200)
    content = models.BinaryField(_("XLSForm workbook"))
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    form_id = models.CharField(_("form id"), max_length=200)
    form_version = models.CharField(_("form version"), max_length=200, blank=True)
    questions = models.PositiveIntegerField(_("questions"))
    factors = models.CharField(_("factors covered"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The sample target per unit: the planner's n = N / (1 + N·e²) for this population (the
    # people or dossiers each unit's sample stands for), e the survey methodology's margin.
    population = models.PositiveIntegerField(
        _("population per unit"),
        null=True,
        blank=True,
        help_text=_(
            "The people or dossiers each unit's sample stands for; the target per unit is "
            "N / (1 + N·e²)."
        ),
    )

    class Meta:
        ordering = ("group", "title", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("cycle", "form_id", "form_version"), name="questionnaire_form_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def factor_codes(self) -> list[str]:
        return [code for code in self.factors.split(",") if code]


class ImportBatch(models.Model):
    """One file of field data imported for a questionnaire (a KoboToolbox/ODK export or the
    filled-in template): who, when, which columns held the unit, weight and stratum, and what
    came of it. Its responses point back to it."""

    class Source(models.TextChoices):
        IMPORT = "import", _("KoboToolbox or ODK export")
        ONLINE = "online", _("Online form")
        TEMPLATE = "template", _("Template for paper forms")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="batches"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    unit_column = models.CharField(_("unit column"), max_length=200)
    weight_column = models.CharField(_("weight column"), max_length=200, blank=True)
    stratum_column = models.CharField(_("stratum column"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    stored = models.PositiveIntegerField(_("responses stored"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates skipped"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ("-uploaded_at", "-pk")

    def __str__(self) -> str:
        return self.file_name


class Response(models.Model):
    """One respondent's answers to a questionnaire, as the core read and checked them: by
    question name, each value as :func:`parindex.surveys.read_responses` gives it (a choice's
    name, select-multiple choices space-separated; blanks left out). Nothing identifying the
    respondent is kept beyond what the form itself asks."""

    Source = ImportBatch.Source

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    unit_code = models.CharField(_("unit"), max_length=40, db_index=True)
    submission_id = models.CharField(_("submission id"), max_length=200)
    answers = models.JSONField(_("answers"), default=dict)
    weight = models.FloatField(_("weight"), default=1.0)
    stratum = models.CharField(_("stratum"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=("questionnaire", "submission_id"), name="response_submission_once"
            )
        ]

    def __str__(self) -> str:
        return self.submission_id


class SurveyPoints(models.Model):
    """Which questionnaire filled a unit's points on a survey- or SIPAS-sourced leaf of its
    cycle, and from which figure: the estimate (per cent), its interval and ``n`` are kept for
    the uncertainty analysis. One row per (cycle, unit, leaf): the last fill wins; a
    questionnaire deleted later leaves its title."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="survey_points")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.SET_NULL, null=True, related_name="filled_points"
    )
    questionnaire_title = models.CharField(_("questionnaire"), max_length=200)
    unit_code = models.CharField(_("unit"), max_length=40)
    leaf = models.CharField(_("criterion"), max_length=40)
    item = models.CharField(_("question or factor"), max_length=200)
    points = models.DecimalField(_("points"), max_digits=9, decimal_places=4)
    estimate = models.DecimalField(_("estimate, per cent"), max_digits=10, decimal_places=6)
    ci_low = models.DecimalField(_("interval, low (per cent)"), max_digits=10, decimal_places=6)
    ci_high = models.DecimalField(_("interval, high (per cent)"), max_digits=10, decimal_places=6)
    n = models.PositiveIntegerField(_("valid answers"))
    few = models.BooleanField(_("too few answers"), default=False)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filled_at = models.DateTimeField(_("filled at"), auto_now=True)

    class Meta:
        ordering = ("unit_code", "leaf")
        constraints = [
            models.UniqueConstraint(
                fields=("cycle", "unit_code", "leaf"), name="survey_points_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} / {self.leaf}"
