"""A value no state of the cycle accepts is 422 ``invalid`` naming the field; 409 stays for a
refusal by the cycle's state (wrong phase) and for a stale version. The ``code`` is the same
in every language; the ``message`` follows ``Accept-Language`` (Vietnamese by default)."""

from __future__ import annotations

import pytest
from world import entry_of

from parindex_web.cycles.models import Phase

from .conftest import LEVEL_LEAF, YES_NO_LEAF, assert_error

pytestmark = pytest.mark.django_db
PERCENT_LEAF = "1.1.4"  # thresholds on a percentage (the shipped example methodology)


def save_url(assessment, code=LEVEL_LEAF):
    return f"/api/assessments/{assessment.pk}/entries/{code}/self-assessment"


def appraise_url(assessment, code=YES_NO_LEAF):
    return f"/api/assessments/{assessment.pk}/entries/{code}/appraisal"


@pytest.fixture
def open_cycle(cycle, run_to):
    return run_to(cycle, Phase.SELF_ASSESSMENT)


@pytest.fixture
def in_appraisal(cycle, run_to):
    return run_to(cycle, Phase.APPRAISAL)


def body(inputs, version=0):
    return {"inputs": inputs, "note": "", "version": version}


def test_a_percentage_above_100_is_422_naming_the_input(api, people, open_cycle, assessment):
    r = api("put", save_url(assessment, PERCENT_LEAF), people.officer, body({"percent": "150"}))
    error = assert_error(r, 422, "invalid")
    [detail] = error["details"]
    assert detail["field"] == "percent"
    assert detail["loc"] == ["body", "data", "inputs", "percent"]
    assert detail["msg"] == error["message"] and "percent" in error["message"]
    assert entry_of(assessment, PERCENT_LEAF).version == 0


def test_a_level_the_rule_does_not_know_is_422_naming_the_input(
    api, people, open_cycle, assessment
):
    r = api("put", save_url(assessment), people.officer, body({"level": "sometimes"}))
    assert assert_error(r, 422, "invalid")["details"][0]["field"] == "level"


def test_a_document_not_the_units_is_422_naming_evidence(api, people, open_cycle, assessment):
    r = api(
        "put", save_url(assessment), people.officer, {**body({"level": "late"}), "evidence": [999]}
    )
    assert assert_error(r, 422, "invalid")["details"][0]["loc"] == ["body", "data", "evidence"]


def test_the_message_follows_the_requests_language_and_the_code_does_not(
    api, people, open_cycle, assessment
):
    sent = body({"percent": "150"})
    url = save_url(assessment, PERCENT_LEAF)
    vi = assert_error(api("put", url, people.officer, sent), 422, "invalid")["message"]
    en = api("put", url, people.officer, sent, HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert en["code"] == "invalid" and en["message"] != vi
    assert "100" in en["message"] and "100" in vi
    assert (
        vi
        == api("put", url, people.officer, sent, HTTP_ACCEPT_LANGUAGE="vi").json()["error"][
            "message"
        ]
    )


def test_the_wrong_phase_stays_409_cycle_rule_in_both_languages(
    api, people, in_appraisal, assessment
):
    for language, word in (("vi", "giai đoạn"), ("en", "phase")):
        r = api(
            "put",
            save_url(assessment),
            people.officer,
            body({"level": "late"}, entry_of(assessment, LEVEL_LEAF).version),
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert word in assert_error(r, 409, "cycle_rule")["message"]


def test_a_stale_version_stays_409_version_conflict(api, people, open_cycle, assessment):
    assert (
        api("put", save_url(assessment), people.officer, body({"level": "late"})).status_code == 200
    )
    r = api("put", save_url(assessment), people.officer, body({"level": "on_time"}))
    assert_error(r, 409, "version_conflict")


def test_appraised_points_above_the_maximum_are_422_naming_points(
    api, people, in_appraisal, assessment
):
    version = entry_of(assessment, YES_NO_LEAF).version
    sent = {"points": "1.5", "reason": "Vượt", "version": version}
    error = assert_error(
        api("put", appraise_url(assessment), people.appraiser, sent), 422, "invalid"
    )
    assert error["details"][0]["field"] == "points" and "1" in error["message"]


def test_a_missing_reason_for_a_different_score_is_422_naming_reason(
    api, people, in_appraisal, assessment
):
    entry = entry_of(assessment, YES_NO_LEAF)
    differs = "0" if entry.self_points != 0 else "1"
    sent = {"points": differs, "reason": " ", "version": entry.version}
    r = api("put", appraise_url(assessment), people.appraiser, sent)
    assert assert_error(r, 422, "invalid")["details"][0]["field"] == "reason"
