"""Every refusal inside /api/ is ``{"error": {"code", "message", "details"}}`` (JSON)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from parindex_web.cycles.models import Phase

from .conftest import LEVEL_LEAF, assert_error


@pytest.mark.django_db
def test_the_shape_of_each_refusal(api, people, cycle, assessment, run_to):
    run_to(cycle, Phase.SELF_ASSESSMENT)
    save = f"/api/assessments/{assessment.pk}/entries/{LEVEL_LEAF}/self-assessment"
    body = {"inputs": {"level": "late"}, "note": "", "version": 0}
    assert_error(api("put", save, None, body), 401, "unauthenticated")
    assert_error(api("put", save, people.leader, body), 403, "forbidden")
    assert_error(api("put", save, people.foreign_secretariat, body), 404, "not_found")
    assert api("put", save, people.officer, body).status_code == 200
    assert_error(api("put", save, people.officer, body), 409, "version_conflict")
    assert_error(api("put", save, people.officer, {**body, "version": "x"}), 422, "invalid")
    unknown_level = {**body, "inputs": {"level": "nope"}, "version": 1}
    assert_error(api("put", save, people.officer, unknown_level), 422, "invalid")


@pytest.mark.django_db
def test_a_path_under_api_that_matches_nothing_is_a_json_404(client):
    for url in ("/api/nope", "/api/cycles/1/nope/2", "/api/tokens/x"):
        r = client.get(url)
        assert r["Content-Type"].startswith("application/json")
        assert_error(r, 404, "not_found")


@pytest.mark.django_db
def test_a_method_not_allowed_is_a_json_405(client):
    r = client.delete("/api/cycles")
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET"


@pytest.mark.django_db
def test_malformed_json_is_a_bad_request(client, people, bearer, assessment):
    r = client.put(
        f"/api/assessments/{assessment.pk}/entries/{LEVEL_LEAF}/self-assessment",
        data="{not json",
        content_type="application/json",
        headers=bearer(people.officer),
    )
    assert_error(r, 400, "bad_request")


@pytest.mark.django_db
def test_messages_follow_the_requested_language(client, people):
    r = client.get("/api/assessments", headers={"accept-language": "en"})
    assert "API token" in assert_error(r, 401, "unauthenticated")["message"]
    r = client.get("/api/assessments")
    assert "khóa API" in assert_error(r, 401, "unauthenticated")["message"]


@pytest.mark.django_db
def test_a_server_error_is_a_json_500(client, monkeypatch):
    from parindex_web.cycles import published

    def boom():
        raise RuntimeError("boom")

    monkeypatch.setattr(published, "published_cycles", boom)
    with override_settings(DEBUG=False):
        r = client.get("/api/cycles")
    assert_error(r, 500, "server_error")
    assert b"boom" not in r.content
