"""Template helpers of the appraisal pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch, reverse

from parindex_web.cycles.models import Evidence

register = template.Library()


@register.simple_tag
def evidence_url(evidence: Evidence) -> str:
    """The download address of an evidence document (served by the assessments app)."""
    try:
        return reverse("assessments:evidence_download", args=[evidence.pk])
    except NoReverseMatch:  # the assessments app is not installed yet
        return f"/assessments/evidence/{evidence.pk}/download"


@register.filter
def points(value: Decimal | None) -> str:
    """Points with two decimals in the current language's format; a dash when there are none."""
    return "—" if value is None else floatformat(value, 2)
