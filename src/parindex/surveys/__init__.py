"""Surveys and SIPAS: survey methodologies as data, questionnaires (XLSForm), responses and
design-based satisfaction indices with their intervals (``docs/surveys.md``)."""

from __future__ import annotations

from .definitions import (
    Factor,
    SurveyError,
    SurveyMethodology,
    load_survey_methodology,
    shipped_survey_methodology,
)
from .indices import Figure, SurveyAnswers, estimate_indices
from .planner import SamplePlan, plan_sample, sample_size

__all__ = [
    "Factor",
    "Figure",
    "SamplePlan",
    "SurveyAnswers",
    "SurveyError",
    "SurveyMethodology",
    "estimate_indices",
    "load_survey_methodology",
    "plan_sample",
    "sample_size",
    "shipped_survey_methodology",
]
