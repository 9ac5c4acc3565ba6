"""A cycle's questionnaires: XLSForm workbooks stored as uploaded, with what the core read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
