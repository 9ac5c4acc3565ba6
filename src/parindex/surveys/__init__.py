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

__all__ = [
    "Factor",
    "SurveyError",
    "SurveyMethodology",
    "load_survey_methodology",
    "shipped_survey_methodology",
]
