"""The yearly cycle: self-assessment with evidence, appraisal, explanations, publication.

States
------
``Cycle.phase`` moves forward one step at a time, by the secretariat::

    draft → self_assessment → appraisal → explanation → finalised → published

``Assessment.status`` (one unit in one cycle)::

    draft --leader signs off--> submitted --appraiser completes--> appraised --finalise--> final
      ^                            |
      +---- secretariat reopens ---+

Points are decimals with 4 places in storage; published figures are rounded by the core.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import parindex


class _PointsOptions(TypedDict):
    max_digits: int
    decimal_places: int
    null: bool
    blank: bool


POINTS: _PointsOptions = {"max_digits": 9, "decimal_places": 4, "null": True, "blank": True}


class Phase(models.TextChoices):
    DRAFT = "draft", _("Preparation")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    APPRAISAL = "appraisal", _("Appraisal")
    EXPLANATION = "explanation", _("Explanations")
    FINALISED = "finalised", _("Finalised")
    PUBLISHED = "published", _("Published")


PHASE_ORDER = [p.value for p in Phase]


class Cycle(models.Model):
    """One year's index run by one assessing body with one methodology over a set of units."""

    body = models.ForeignKey(
        "units.AssessingBody",
        verbose_name=_("assessing body"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    methodology = models.ForeignKey(
        "methodologies.Methodology",
        verbose_name=_("methodology"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    example = models.BooleanField(
        _("example data (not official)"),
        default=False,
        help_text=_("Every page, download and API answer of this cycle says it is example data."),
    )
    self_assessment_due = models.DateTimeField(_("self-assessment deadline"), null=True, blank=True)
    appraisal_due = models.DateTimeField(_("appraisal deadline"), null=True, blank=True)
    explanation_due = models.DateTimeField(_("explanation deadline"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The job (jobs.Job's id) applying a whole-cycle step in batches: while it is set, every
    # other change to the cycle is refused (services.busy).
    busy_job = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("index cycle")
        verbose_name_plural = _("index cycles")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "name"], name="unique_cycle_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def core(self) -> parindex.Methodology:
        return self.methodology.core()

    @property
    def is_example(self) -> bool:
        """Example data, not official results: the cycle is flagged so, or its methodology is."""
        return bool(self.example or self.methodology.example)

    def next_phase(self) -> str | None:
        index = PHASE_ORDER.index(self.phase)
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None

    def deadline(self) -> datetime | None:
        """The deadline of the current phase, or None."""
        return {
            Phase.SELF_ASSESSMENT: self.self_assessment_due,
            Phase.APPRAISAL: self.appraisal_due,
            Phase.EXPLANATION: self.explanation_due,
        }.get(Phase(self.phase))

    def is_past_deadline(self) -> bool:
        due = self.deadline()
        return due is not None and timezone.now() > due


class Assignment(models.Model):
    """An appraiser assigned to appraise a unit in a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assignments")
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("appraiser assignment")
        verbose_name_plural = _("appraiser assignments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "appraiser", "unit"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.appraiser} → {self.unit}"


class Assessment(models.Model):
    """One unit in one cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        SUBMITTED = "submitted", _("Signed off and submitted")
        APPRAISED = "appraised", _("Appraised")
        FINAL = "final", _("Final")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="unique_assessment")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.cycle}"

    def status_key(self) -> str:
        """The status as shown: ``not_started`` while the cycle is in preparation (nothing has
        started yet), ``not_signed`` for a draft once the self-assessment phase closed (it was
        never signed off), else :attr:`status`. One of :data:`SHOWN_STATUSES`."""
        if self.cycle.phase == Phase.DRAFT:
            return "not_started"
        if self.status == self.Status.DRAFT and self.cycle.phase != Phase.SELF_ASSESSMENT:
            return "not_signed"
        return str(self.status)

    def status_label(self) -> str:
        """The status in words (see :meth:`status_key`)."""
        return str(dict(SHOWN_STATUSES)[self.status_key()])


SHOWN_STATUSES = [
    ("not_started", _("Not started")),
    *Assessment.Status.choices[:1],
    ("not_signed", _("Not signed off")),
    *Assessment.Status.choices[1:],
]
"""Every status :meth:`Assessment.status_key` gives, with its words, in workflow order (a draft
left behind, ``not_signed``, right after the drafts)."""


def evidence_path(instance: Evidence, filename: str) -> str:
    """Files are stored by content: the same document uploaded twice is one file."""
    from .storage import evidence_name

    return evidence_name(instance.sha256)


class Evidence(models.Model):
    """An evidence document (tài liệu kiểm chứng) of a unit in a cycle."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(max_length=120)
    original_name = models.CharField(_("file name"), max_length=255)
    doc_number = models.CharField(_("document number"), max_length=120, blank=True)
    doc_date = models.DateField(_("document date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.doc_number or self.original_name


class Entry(models.Model):
    """One leaf of one unit's assessment: input, self-assessed, appraised and final points.

    ``version`` grows by one on every save; a save that carries an older version is a conflict
    (optimistic locking), so two people editing the same leaf never overwrite each other.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(_("code"), max_length=40)
    inputs = models.JSONField(_("input"), default=dict, blank=True)
    self_points = models.DecimalField(_("self-assessed points"), **POINTS)
    note = models.TextField(_("note"), blank=True)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="entries")
    appraised_points = models.DecimalField(_("appraised points"), **POINTS)
    appraisal_reason = models.TextField(_("appraisal reason"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    external_points = models.DecimalField(_("points from survey or service data"), **POINTS)
    final_points = models.DecimalField(_("final points"), **POINTS)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("leaf entry")
        verbose_name_plural = _("leaf entries")
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="unique_entry")]

    def __str__(self) -> str:
        return f"{self.assessment} – {self.code}"

    def result_points(self, source: parindex.Source) -> Decimal | None:
        """The points that count for results, before finalisation locks them.

        Appraisal leaves: the last accepted explanation's points (by submission time), else the
        appraised points, else the self-assessed points. Survey, SIPAS and data leaves: the points
        the secretariat entered. Uses the entry's explanations if they were prefetched
        (``prefetch_related("explanations")``), else reads them with one query.
        """
        if source is not parindex.Source.APPRAISAL:
            return self.external_points
        accepted = max(
            (x for x in self.explanations.all() if x.status == Explanation.Status.ACCEPTED),
            key=lambda x: (x.submitted_at, x.pk),
            default=None,
        )
        if accepted is not None and accepted.decided_points is not None:
            return accepted.decided_points
        if self.appraised_points is not None:
            return self.appraised_points
        return self.self_points


class Explanation(models.Model):
    """A unit's reply to the appraisal of one leaf (giải trình), and the appraiser's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="explanations")
    text = models.TextField(_("explanation"))
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="explanations")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # Typed here: django-stubs does not see ``null=True`` through ``**POINTS``.
    decided_points: models.DecimalField[Decimal | None, Decimal | None] = models.DecimalField(
        _("points after the decision"), **POINTS
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry} – {self.get_status_display()}"


class Publication(models.Model):
    """A frozen, published result: methodology, inputs and results with a content hash.

    Never edited: a correction is a new version with a reason, and the earlier one stays visible.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason (for a correction)"), blank=True)
    methodology_text = models.TextField()
    methodology_format = models.CharField(max_length=8)
    scores_csv = models.TextField()
    results_csv = models.TextField()
    results_json = models.JSONField()
    content_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["cycle", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "version"], name="unique_publication_version")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} v{self.version}"
