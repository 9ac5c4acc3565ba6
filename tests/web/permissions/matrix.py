"""Who may use every URL and API operation: the one table of the permission matrix.

Every named URL of the site (``get_resolver()``; of the admin, its root only) is a key of
``WEB``, and every operation of ``/api/openapi.json`` ("METHOD /path") a key of ``API``; a URL or
operation missing here fails tests/web/permissions/test_permission_matrix.py, naming it, so a new
view cannot be added without declaring who may use it.

For each method a spec says what each role gets, by phase of the cycle the path points at:
``"role,role:outcome ... *:outcome"`` (``*`` is every other role), either for every phase, or as
``{"phase,phase": spec, "*": spec}`` where the outcome depends on the phase. Roles and the world
are in ``conftest.py`` (``ROLES``); outcomes in ``harness.py``. The paths point at unit A's
assessment in the body's cycle of that phase, so "_other" roles are outside the scope (README,
"Who sees what": not found), roles in scope but without the right get "forbidden", and phases
or deadlines refuse with "closed". A GET-only view has no "POST" here: a POST to it must write
nothing. Web POSTs send an empty form (so an allowed one is usually "invalid" or "closed": it
passed the access checks); API writes send a body the operation accepts.
"""

from __future__ import annotations

# URLs that other work of this release announces but that may not be in the tree yet: their
# rows are checked when they exist, and their absence is no failure.
ANNOUNCED: frozenset[str] = frozenset(
    {
        "accounts:otp",
        "accounts:otp-verify",
        "accounts:otp-remove",
        "accounts:lockouts",
        "accounts:lift-lockout",
    }
)

WEB: dict[str, dict[str, str | dict[str, str]]] = {
    "accounts:lift-lockout": {
        "GET": "anonymous:login *:method",
        "POST": "anonymous:login secretariat:ok secretariat_other:not_found *:forbidden",
    },
    "accounts:lockouts": {
        "GET": "anonymous:login secretariat,secretariat_other:ok *:forbidden",
    },
    "accounts:login": {
        "GET": "*:ok",
        "POST": "*:invalid",
    },
    "accounts:logout": {
        "GET": "*:method",
        "POST": "*:ok",
    },
    "accounts:otp": {
        "GET": "anonymous:login *:ok",
        "POST": "anonymous:login *:invalid",
    },
    "accounts:otp-remove": {
        "GET": "anonymous:login *:method",
        "POST": "anonymous:login *:ok",
    },
    "accounts:otp-verify": {
        "GET": "anonymous:login *:ok",
        "POST": "anonymous:login *:ok",
    },
    "admin:index": {
        "GET": "admin:ok *:login",
        "POST": "admin:invalid *:login",
    },
    # The public online form: anyone, without an account (a real unused code of the cycle's
    # questionnaire; an empty POST is refused as invalid and burns nothing). The code entry
    # page and the thank-you page are public too.
    "answering:enter": {
        "GET": "*:ok",
    },
    "answering:form": {  # closed (409) once the cycle's scores are locked
        "GET": {"finalised,published": "*:closed", "*": "*:ok"},
        "POST": {"finalised,published": "*:closed", "*": "*:invalid"},
    },
    "answering:thanks": {
        "GET": "*:ok",
    },
    # The code batches of a questionnaire: its cycle's secretariat only.
    "answering:batches": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
    },
    "answering:sheet": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "api:api-root": {
        "GET": "*:ok",
    },
    "api:openapi-json": {
        "GET": "*:ok",
    },
    "api:openapi-view": {
        "GET": "*:ok",
    },
    "api:revoke": {
        "GET": "anonymous:login *:method",
        "POST": "anonymous:login secretariat:ok *:not_found",
    },
    "api:tokens": {
        "GET": "anonymous:login *:ok",
        "POST": "anonymous:login *:invalid",
    },
    "appraisal:appraise": {
        "GET": "anonymous:login *:method",
        "POST": {
            "draft": "anonymous:login secretariat,officer,leader:forbidden *:not_found",
            "*": "anonymous:login secretariat,officer,leader:forbidden appraiser:closed *:not_found",
        },
    },
    "appraisal:assessment": {
        "GET": "anonymous:login secretariat,appraiser:ok officer,leader:forbidden *:not_found",
    },
    "appraisal:accept_remaining": {
        "GET": "anonymous:login secretariat,officer,leader:forbidden appraiser:ok *:not_found",
        "POST": "anonymous:login secretariat,officer,leader:forbidden appraiser:closed *:not_found",
    },
    "appraisal:complete": {
        "GET": "anonymous:login *:method",
        "POST": "anonymous:login secretariat,officer,leader:forbidden appraiser:closed *:not_found",
    },
    "appraisal:decide": {
        "GET": {
            "explanation,finalised,published": "anonymous:login secretariat,officer,leader:forbidden appraiser:ok *:not_found",
            "*": "anonymous:login *:not_found",
        },
        "POST": {
            "explanation": "anonymous:login secretariat,officer,leader:forbidden appraiser:invalid *:not_found",
            "finalised,published": "anonymous:login secretariat,officer,leader:forbidden appraiser:closed *:not_found",
            "*": "anonymous:login *:not_found",
        },
    },
    "appraisal:explain": {
        "GET": "anonymous:login *:method",
        "POST": {
            "draft": "anonymous:login secretariat,appraiser,leader:forbidden *:not_found",
            "explanation": "anonymous:login secretariat,appraiser,leader:forbidden officer:invalid *:not_found",
            "*": "anonymous:login secretariat,appraiser,leader:forbidden officer:closed *:not_found",
        },
    },
    "appraisal:explanations": {
        "GET": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
    },
    "appraisal:index": {
        "GET": "anonymous:login *:ok",
    },
    "assessments:detail": {
        "GET": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
    },
    "assessments:entry": {
        "GET": {
            "draft": "anonymous:login *:not_found",
            "*": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
        },
        "POST": {
            "draft": "anonymous:login secretariat,appraiser,leader:forbidden *:not_found",
            "self_assessment": "anonymous:login secretariat,appraiser,leader:forbidden officer:invalid *:not_found",
            "*": "anonymous:login secretariat,appraiser,leader:forbidden officer:closed *:not_found",
        },
    },
    "assessments:evidence": {
        "GET": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
        "POST": {
            "self_assessment": "anonymous:login secretariat,appraiser,leader:forbidden officer:invalid *:not_found",
            "*": "anonymous:login secretariat,appraiser,leader:forbidden officer:closed *:not_found",
        },
    },
    "assessments:evidence_download": {
        "GET": {
            "draft": "anonymous:login *:not_found",
            "*": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
        },
    },
    "assessments:link_evidence": {
        "GET": "anonymous:login *:method",
        "POST": {
            "draft": "anonymous:login secretariat,appraiser,leader:forbidden *:not_found",
            "self_assessment": "anonymous:login secretariat,appraiser,leader:forbidden officer:ok *:not_found",
            "*": "anonymous:login secretariat,appraiser,leader:forbidden officer:closed *:not_found",
        },
    },
    "assessments:preview": {
        "GET": "anonymous:login *:method",
        "POST": {
            "draft": "anonymous:login secretariat,appraiser,leader:forbidden *:not_found",
            "*": "anonymous:login secretariat,appraiser,leader:forbidden officer:invalid *:not_found",
        },
    },
    "assessments:review": {
        "GET": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
    },
    "assessments:send_back": {
        "GET": "anonymous:login *:method",
        "POST": {
            "self_assessment": "anonymous:login secretariat,appraiser,officer:forbidden leader:invalid *:not_found",
            "*": "anonymous:login secretariat,appraiser,officer:forbidden leader:closed *:not_found",
        },
    },
    "assessments:sign_off": {
        "GET": "anonymous:login secretariat,appraiser,officer:forbidden leader:ok *:not_found",
        "POST": {
            "self_assessment": "anonymous:login secretariat,appraiser,officer:forbidden leader:invalid *:not_found",
            "*": "anonymous:login secretariat,appraiser,officer:forbidden leader:closed *:not_found",
        },
    },
    "assessments:work": {
        "GET": "anonymous:login *:ok",
    },
    "assessments:workbook": {
        "GET": "anonymous:login secretariat,appraiser,leader:forbidden officer:ok *:not_found",
        "POST": {
            "self_assessment": "anonymous:login secretariat,appraiser,leader:forbidden officer:invalid *:not_found",
            "*": "anonymous:login secretariat,appraiser,leader:forbidden officer:closed *:not_found",
        },
    },
    "assessments:workbook_xlsx": {
        "GET": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
    },
    "home:healthz": {
        "GET": "*:ok",
    },
    "home:index": {
        "GET": "*:ok",
    },
    "home:index_json": {
        "GET": "*:ok",
    },
    "methodologies:adopt": {
        "GET": "anonymous:login *:method",
        "POST": "anonymous:login secretariat,secretariat_other:invalid *:forbidden",
    },
    "methodologies:template": {
        "GET": "anonymous:login secretariat,secretariat_other:ok *:forbidden",
    },
    "methodologies:upload": {
        "GET": "anonymous:login secretariat,secretariat_other:ok *:forbidden",
        "POST": "anonymous:login secretariat,secretariat_other:invalid *:forbidden",
    },
    "jobs:job": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "jobs:job_json": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "notifications:notices": {
        "GET": "anonymous:login *:ok",
        "POST": "anonymous:login *:ok",
    },
    "notifications:open": {
        "GET": "anonymous:login *:not_found",
    },
    "notifications:preferences": {
        "GET": "anonymous:login *:ok",
        "POST": "anonymous:login *:ok",
    },
    "notifications:reminders": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
    },
    "profiles:map": {
        "GET": "*:not_found",
    },
    "profiles:map_twin": {
        "GET": "*:not_found",
    },
    "profiles:unit": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "profiles:unit_twin": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "reports:archive_pdf": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "reports:archive_pdf_version": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "reports:bundle": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "reports:bundle_version": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "reports:cycle_pdf": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "reports:unit_pdf": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "reports:workbook": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "results:components": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "results:components_twin": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "results:index": {
        "GET": "*:ok",
    },
    "results:index_twin": {
        "GET": "*:ok",
    },
    "results:methodology": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "results:methodology_twin": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "results:ranking": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "results:ranking_twin": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "results:summary": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "results:summary_twin": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "secretariat:assignments": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": {
            "finalised,published": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
            "*": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        },
    },
    "secretariat:correction": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:differences": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:differences_xlsx": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:missing_evidence": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:missing_evidence_file": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:dashboard": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:deadlines": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": {
            "finalised,published": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
            "*": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        },
    },
    "secretariat:external": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:external_template": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:external_unit": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": {
            "self_assessment,appraisal,explanation": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
            "*": "anonymous:login secretariat:closed secretariat_other,admin:not_found *:forbidden",
        },
    },
    "secretariat:list": {
        "GET": "anonymous:login *:ok",
    },
    "secretariat:new": {
        "GET": "anonymous:login secretariat,secretariat_other:ok *:forbidden",
        "POST": "anonymous:login secretariat,secretariat_other:invalid *:forbidden",
    },
    "secretariat:phase": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:publication": {
        "GET": {
            "published": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
            "*": "anonymous:login secretariat,secretariat_other,admin:not_found *:forbidden",
        },
    },
    "secretariat:publication_file": {
        "GET": {
            "published": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
            "*": "anonymous:login secretariat,secretariat_other,admin:not_found *:forbidden",
        },
    },
    "secretariat:publication_json": {
        "GET": {
            "published": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
            "*": "anonymous:login secretariat,secretariat_other,admin:not_found *:forbidden",
        },
    },
    "secretariat:progress_xlsx": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:publish": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": {
            "finalised": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
            "published": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
            "*": "anonymous:login secretariat:closed secretariat_other,admin:not_found *:forbidden",
        },
    },
    "secretariat:reopen": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:results": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:results_csv": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "secretariat:results_json": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    # A questionnaire's field data, progress, estimates and deletion: its cycle's secretariat
    # only, in every phase (an empty POST of the population saves none and redirects).
    "surveys:delete": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:detail": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:detail_json": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:download": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:estimates_csv": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    # Filling the cycle's survey criteria from a questionnaire: GET previews in every phase (a
    # refusal is shown); POST only while survey points may be set (the matrix's form maps no
    # criterion: refused as invalid).
    "surveys:fill": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": {
            "self_assessment,appraisal,explanation": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
            "*": "anonymous:login secretariat:closed secretariat_other,admin:not_found *:forbidden",
        },
    },
    "surveys:import_responses": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:list": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:progress_csv": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:responses": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:responses_json": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:template": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
    },
    "surveys:upload": {
        "GET": "anonymous:login secretariat:ok secretariat_other,admin:not_found *:forbidden",
        "POST": "anonymous:login secretariat:invalid secretariat_other,admin:not_found *:forbidden",
    },
    "set_language": {
        "GET": "*:ok",
        "POST": "*:ok",
    },
}

API: dict[str, dict[str, str | dict[str, str]]] = {
    "GET /api/assessments": {
        "GET": "anonymous:login *:ok",
    },
    "GET /api/assessments/{assessment_id}": {
        "GET": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
    },
    "GET /api/assessments/{assessment_id}/entries": {
        "GET": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
    },
    "GET /api/assessments/{assessment_id}/entries/{code}": {
        "GET": {
            "draft": "anonymous:login *:not_found",
            "*": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
        },
    },
    "GET /api/assessments/{assessment_id}/evidence": {
        "GET": "anonymous:login secretariat,appraiser,officer,leader:ok *:not_found",
    },
    "GET /api/cycles": {
        "GET": "*:ok",
    },
    "GET /api/cycles/{cycle_id}": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "GET /api/cycles/{cycle_id}/publications": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "GET /api/cycles/{cycle_id}/results": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "GET /api/cycles/{cycle_id}/results/{unit_code}": {
        "GET": {
            "published": "*:ok",
            "*": "*:not_found",
        },
    },
    "GET /api/methodologies": {
        "GET": "*:ok",
    },
    "GET /api/methodologies/{slug}": {
        "GET": "*:ok",
    },
    "GET /api/units": {
        "GET": "*:ok",
    },
    "GET /api/units/{code}": {
        "GET": "*:ok",
    },
    "POST /api/assessments/{assessment_id}/evidence": {
        "POST": {
            "self_assessment,explanation": "anonymous:login secretariat,appraiser,leader:forbidden officer:ok *:not_found",
            "*": "anonymous:login secretariat,appraiser,leader:forbidden officer:closed *:not_found",
        },
    },
    "PUT /api/assessments/{assessment_id}/entries/{code}/appraisal": {
        "PUT": {
            "draft": "anonymous:login secretariat,officer,leader:forbidden *:not_found",
            "appraisal": "anonymous:login secretariat,officer,leader:forbidden appraiser:ok *:not_found",
            "*": "anonymous:login secretariat,officer,leader:forbidden appraiser:closed *:not_found",
        },
    },
    "PUT /api/assessments/{assessment_id}/entries/{code}/self-assessment": {
        "PUT": {
            "draft": "anonymous:login secretariat,appraiser,leader:forbidden *:not_found",
            "self_assessment": "anonymous:login secretariat,appraiser,leader:forbidden officer:ok *:not_found",
            "*": "anonymous:login secretariat,appraiser,leader:forbidden officer:closed *:not_found",
        },
    },
}
