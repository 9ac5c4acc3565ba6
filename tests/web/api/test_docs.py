"""/api/openapi.json and /api/docs: the schema, and documentation served without a CDN."""

from __future__ import annotations

import pytest

from parindex_web.api.errors import ERROR_STATUSES


@pytest.mark.django_db
def test_the_schema_lists_every_operation(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "parindex API"
    assert set(schema["paths"]) >= {
        "/api/cycles",
        "/api/cycles/{cycle_id}",
        "/api/cycles/{cycle_id}/publications",
        "/api/cycles/{cycle_id}/results",
        "/api/cycles/{cycle_id}/results/{unit_code}",
        "/api/methodologies",
        "/api/methodologies/{slug}",
        "/api/units",
        "/api/units/{code}",
        "/api/assessments",
        "/api/assessments/{assessment_id}",
        "/api/assessments/{assessment_id}/entries",
        "/api/assessments/{assessment_id}/entries/{code}",
        "/api/assessments/{assessment_id}/entries/{code}/self-assessment",
        "/api/assessments/{assessment_id}/entries/{code}/appraisal",
        "/api/assessments/{assessment_id}/evidence",
    }


@pytest.mark.django_db
def test_write_operations_need_a_bearer_token_and_document_their_errors(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {int(c) for c in operation["responses"]} - {200, 201}
            if path.startswith("/api/assessments"):
                assert operation["security"] == [{"TokenAuth": []}], (method, path)
                assert codes == set(ERROR_STATUSES), (method, path)
            else:
                assert "security" not in operation, (method, path)
                assert {404, 422} <= codes, (method, path)


@pytest.mark.django_db
def test_the_docs_page_loads_nothing_from_another_site(client, parse):
    r = client.get("/api/docs")
    assert r.status_code == 200
    page = parse(r.content)
    sources = [e.attrs.get("src", "") for e in page.find_all("script")]
    sources += [e.attrs.get("href", "") for e in page.find_all("link")]
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/static/") for s in sources if s), sources


@pytest.mark.django_db
def test_the_api_root_says_where_things_are(client):
    assert client.get("/api/").json() == {
        "openapi": "/api/openapi.json",
        "docs": "/api/docs",
        "tokens": "/api/tokens/",
    }
