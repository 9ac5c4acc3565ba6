"""Batches of one-time codes for a questionnaire's online form; each code is kept hashed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex_web.surveys.models import Questionnaire
from parindex_web.units.models import Unit


class CodeBatch(models.Model):
    """Codes generated at once for one questionnaire and one unit, optionally for one service:
    a choice (``service``) of a select-one question of the form (``service_question``), which
    the form then answers itself. The codes are shown once, on the printable sheet."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="code_batches"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    service_question = models.CharField(_("question of the service"), max_length=200, blank=True)
    service = models.CharField(_("service"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("codes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.questionnaire} · {self.unit.code} · {self.size}"


class AnswerCode(models.Model):
    """One code: only its SHA-256 is kept (:mod:`.codes`), and the day it was used (not the
    time, and no link to the response it gave, so that a receipt cannot be matched to answers)."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)
    used_on = models.DateField(_("used on"), null=True, blank=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.digest[:8]
