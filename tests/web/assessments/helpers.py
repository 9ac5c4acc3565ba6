"""Helpers for the self-assessment tests: read entries, save through the services, build posts."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.management.commands.load_demo import demo_inputs
from parindex_web.cycles.models import Assessment, Entry

PDF = b"%PDF-1.4\n% parindex test document\n"


def entry(assessment: Assessment, code: str) -> Entry:
    return Entry.objects.select_related("assessment__cycle", "assessment__unit").get(
        assessment=assessment, code=code
    )


def save(w, code: str, inputs: dict, note: str = "", user=None) -> Entry:
    e = entry(w.assessment, code)
    return services.save_self_assessment(
        user or w.officer, e, inputs=inputs, note=note, version=e.version
    )


def fill_all(w, assessment=None) -> None:
    """Every appraisal leaf filled with plausible input (as the demo does)."""
    assessment = assessment or w.assessment
    core = w.cycle.core()
    rnd = random.Random(1)
    officer = w.officer if assessment == w.assessment else w.other_officer
    for leaf in core.leaves:
        if core.source_of(leaf.code) is parindex.Source.APPRAISAL:
            e = entry(assessment, leaf.code)
            inputs = demo_inputs(leaf.rule, leaf.max_points, rnd)
            services.save_self_assessment(officer, e, inputs=inputs, note="", version=e.version)


def pdf(name: str = "ke-hoach.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def past_deadline(w) -> None:
    w.cycle.self_assessment_due = timezone.now() - timedelta(days=1)
    w.cycle.save(update_fields=["self_assessment_due"])


def form_data(e: Entry, values: dict, **extra) -> dict:
    """POST data of a leaf's form (fields carry the entry's prefix)."""
    prefix = f"e{e.pk}-"
    data = {prefix + "version": e.version, prefix + "note": values.pop("note", "")}
    data.update({prefix + k: v for k, v in values.items()})
    data.update(extra)
    return data


def refusal(assessment: Assessment) -> str:
    """The services' message, in Vietnamese, for a change of the self-assessment refused now."""
    fresh = Assessment.objects.select_related("cycle", "unit").get(pk=assessment.pk)
    with translation.override("vi"), pytest.raises(services.CycleError) as exc:
        services.require_officer_can_edit(fresh)
    return str(exc.value)
