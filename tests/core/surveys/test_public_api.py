"""The survey part's public API is a written list (docs/surveys.md, "The core's API")."""

from __future__ import annotations

import parindex.surveys

PUBLIC = [
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


def test_the_exported_names_are_the_intended_ones_and_all_exist() -> None:
    assert sorted(parindex.surveys.__all__) == PUBLIC
    assert all(hasattr(parindex.surveys, name) for name in PUBLIC)


def test_a_survey_error_is_a_core_error() -> None:
    assert issubclass(parindex.surveys.SurveyError, parindex.ParindexError)
