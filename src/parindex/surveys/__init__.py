"""Surveys and SIPAS: survey methodologies as data, questionnaires (XLSForm), responses and
design-based satisfaction indices with their intervals (``docs/surveys.md``).

The public API of the survey part is this package's ``__all__``; its modules' other names are
internal.
"""

from __future__ import annotations

from .calibration import calibrate, read_totals
from .definitions import (
    Factor,
    SurveyError,
    SurveyMethodology,
    load_survey_methodology,
    parse_survey_methodology,
    shipped_survey_methodology,
)
from .indices import Figure, SurveyAnswers, estimate_indices
from .leaves import LeafFill, LeafPoints, LeafSource, leaf_points, leaf_sources, parse_leaf_sources
from .planner import SamplePlan, plan_sample, sample_size
from .responses import Responses, read_responses
from .submission import Submission, check_submission, online_questions
from .writing import response_template, write_xlsform
from .xlsform import Choice, Form, Question, read_xlsform, validate_xlsform

__all__ = [
    "Choice",
    "Factor",
    "Figure",
    "Form",
    "LeafFill",
    "LeafPoints",
    "LeafSource",
    "Question",
    "Responses",
    "SamplePlan",
    "Submission",
    "SurveyAnswers",
    "SurveyError",
    "SurveyMethodology",
    "calibrate",
    "check_submission",
    "estimate_indices",
    "leaf_points",
    "leaf_sources",
    "load_survey_methodology",
    "online_questions",
    "parse_leaf_sources",
    "parse_survey_methodology",
    "plan_sample",
    "read_responses",
    "read_totals",
    "read_xlsform",
    "response_template",
    "sample_size",
    "shipped_survey_methodology",
    "validate_xlsform",
    "write_xlsform",
]
