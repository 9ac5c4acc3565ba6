"""Assessing bodies and the units they assess, with validity periods and successions.

Ministries and provinces are loaded from the core's registry (``manage.py load_units``); a
province's departments, districts and communes are added by its Department of Home Affairs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex import vi_sort_key


class AssessingBody(models.Model):
    """Who runs an index: the Ministry of Home Affairs, or a province's Department of Home Affairs."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National (Ministry of Home Affairs)")
        PROVINCIAL = "provincial", _("Provincial (Department of Home Affairs)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("assessing body")
        verbose_name_plural = _("assessing bodies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An assessed unit: a ministry, a province, a department, a district, a commune."""

    class Type(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        MINISTRY_AGENCY = "ministry_agency", _("Ministry-level agency")
        PROVINCE = "province", _("Province")
        DEPARTMENT = "department", _("Department")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    unit_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    body = models.ForeignKey(
        AssessingBody,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        related_name="units",
        null=True,
        blank=True,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name people read in tables: the short name when there is one."""
        return self.short_name or self.name


def vi_sorted(units: list[Unit]) -> list[Unit]:
    """Units in Vietnamese alphabetical order of their label (databases do not know it)."""
    return sorted(units, key=lambda u: (vi_sort_key(u.label), u.code))


class Succession(models.Model):
    """On ``effective`` the predecessor passed (a ``weight`` share of it) into the successor."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessions")
    effective = models.DateField(_("effective"))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=4, null=True, blank=True)
    primary = models.BooleanField(_("primary successor"), default=False)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
