"""Every file and value of the corpus that the web app and the API accept.

A refused case answers 4xx; a page re-shows the form with the problem (in English here), the
API answers its JSON error object; and nothing is written: the entries' values, documents,
explanations, audit records and the files under MEDIA_ROOT are as they were.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from parindex_web.api.models import ApiToken
from parindex_web.cycles.models import Entry

from .cases import params
from .conftest import World, snapshot
from .points import (
    API_APPRAISAL_POINTS,
    API_EVIDENCE,
    API_SELF_NOTE,
    API_SELF_PERCENT,
    WEB_APPRAISE_POINTS,
    WEB_APPRAISE_REASON,
    WEB_ENTRY_NOTE,
    WEB_ENTRY_PERCENT,
    WEB_EVIDENCE,
    WEB_EVIDENCE_NUMBER,
    WEB_EXPLAIN_EVIDENCE,
    WEB_EXPLAIN_TEXT,
    WEB_EXTERNAL,
    WEB_EXTERNAL_UNIT,
    WEB_WORKBOOK,
    Case,
)

pytestmark = pytest.mark.django_db

WEB = (
    WEB_EXTERNAL,
    WEB_WORKBOOK,
    WEB_EVIDENCE,
    API_EVIDENCE,
    WEB_ENTRY_PERCENT,
    WEB_ENTRY_NOTE,
    WEB_EXTERNAL_UNIT,
    WEB_APPRAISE_POINTS,
    WEB_APPRAISE_REASON,
    WEB_EVIDENCE_NUMBER,
    WEB_EXPLAIN_EVIDENCE,
    WEB_EXPLAIN_TEXT,
    API_SELF_PERCENT,
    API_SELF_NOTE,
    API_APPRAISAL_POINTS,
)
PERCENT_LEAF, APPRAISED_LEAF = "1.1.4", "1.1.4"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_IN_CYCLE = "nobody's scope: the re-shown form answers 200, not 4xx"


def _param(case: Case, point: str) -> object:
    reason = case.reason(point)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, point, id=f"{case.name}@{point}", marks=marks)


def _entry(world: World, assessment: Any, code: str) -> Entry:
    return Entry.objects.get(assessment=assessment, code=code)


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _bearer(user: Any) -> dict[str, str]:
    return {"authorization": f"Bearer {ApiToken.issue(user, 'badinput')[1]}"}


def _explain(world: World, client: Client, text: str, upload: Any = None) -> Any:
    entry = _entry(world, world.explained, APPRAISED_LEAF)
    data = {f"e{entry.pk}-text": text}
    if upload is not None:
        data[f"e{entry.pk}-file"] = upload
    _login(client, world.explainer)
    return client.post(f"/appraisal/{world.explained.pk}/explanations/{entry.pk}/", data)


def _post_file(case: Case, point: str, world: World, client: Client, name: str, data: bytes) -> Any:
    upload = SimpleUploadedFile(name, data, case.content_type)
    if point == WEB_EXTERNAL:
        _login(client, world.secretariat)
        return client.post(f"/cycles/{world.open.pk}/external", {"file": upload})
    if point == WEB_WORKBOOK:
        _login(client, world.officer)
        return client.post(f"/assessments/{world.assessment.pk}/workbook", {"workbook": upload})
    if point == WEB_EVIDENCE:
        _login(client, world.officer)
        return client.post(f"/assessments/{world.assessment.pk}/evidence/", {"file": upload})
    if point == WEB_EXPLAIN_EVIDENCE:
        return _explain(world, client, "Giải trình", upload)
    assert point == API_EVIDENCE
    return client.post(
        f"/api/assessments/{world.assessment.pk}/evidence",
        {"file": upload, "doc_number": "1/KH"},
        headers=_bearer(world.officer),
    )


def _post_value(case: Case, point: str, world: World, client: Client) -> Any:
    value = case.value
    assert value is not None
    if point in (WEB_ENTRY_PERCENT, WEB_ENTRY_NOTE):
        entry = _entry(world, world.assessment, PERCENT_LEAF)
        percent, note = (value, "") if point == WEB_ENTRY_PERCENT else ("50", value)
        data = {f"e{entry.pk}-percent": percent, f"e{entry.pk}-note": note}
        data[f"e{entry.pk}-version"] = str(entry.version)
        _login(client, world.officer)
        return client.post(f"/assessments/{world.assessment.pk}/entries/{PERCENT_LEAF}/", data)
    if point == WEB_EXTERNAL_UNIT:
        _login(client, world.secretariat)
        url = f"/cycles/{world.open.pk}/external/{world.assessment.pk}"
        return client.post(url, {"points_2.2.1": value})
    if point in (WEB_APPRAISE_POINTS, WEB_APPRAISE_REASON):
        entry = _entry(world, world.appraised, APPRAISED_LEAF)
        points, reason = (value, "lý do") if point == WEB_APPRAISE_POINTS else ("0", value)
        data = {"points": points, "reason": reason, "version": entry.version, "action": "set"}
        _login(client, world.appraiser)
        url = f"/appraisal/{world.appraised.pk}/entries/{entry.pk}/appraise"
        return client.post(url, {f"e{entry.pk}-{k}": v for k, v in data.items()})
    if point == WEB_EVIDENCE_NUMBER:
        _login(client, world.officer)
        upload = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
        url = f"/assessments/{world.assessment.pk}/evidence/"
        return client.post(url, {"file": upload, "doc_number": value})
    if point == WEB_EXPLAIN_TEXT:
        return _explain(world, client, value)
    if point in (API_SELF_PERCENT, API_SELF_NOTE):
        entry = _entry(world, world.assessment, PERCENT_LEAF)
        percent, note = (value, "") if point == API_SELF_PERCENT else ("50", value)
        body = {"inputs": {"percent": percent}, "note": note, "version": entry.version}
        url = f"/api/assessments/{world.assessment.pk}/entries/{PERCENT_LEAF}/self-assessment"
        return client.put(
            url, json.dumps(body), content_type="application/json", headers=_bearer(world.officer)
        )
    assert point == API_APPRAISAL_POINTS
    entry = _entry(world, world.appraised, APPRAISED_LEAF)
    body = {"points": value, "reason": "lý do", "version": entry.version}
    url = f"/api/assessments/{world.appraised.pk}/entries/{APPRAISED_LEAF}/appraisal"
    return client.put(
        url, json.dumps(body), content_type="application/json", headers=_bearer(world.appraiser)
    )


# A page's error elements: a field's error, a form's error list, an alert.
ERRORS = ".field-error, .errorlist, [role=alert]"


def problems_of(response: Any) -> list[str]:
    """The problems a response names: the API's error message and details, or the texts of
    the re-shown page's error elements."""
    if response.status_code < 400:
        return []
    if response["Content-Type"].startswith("application/json"):
        error = response.json()["error"]
        return [error["message"], *(json.dumps(d, ensure_ascii=False) for d in error["details"])]
    page = BeautifulSoup(response.content.decode(), "html.parser")
    found = [" ".join(e.get_text().split()) for e in page.select(ERRORS)]
    return [text for text in found if text]


def _outcome(case: Case, point: str) -> str:
    if point == WEB_EXTERNAL and case.expect == "text":
        return "refused"  # the name is not one of the cycle's units
    return case.expect


@pytest.mark.parametrize(("case", "point"), [_param(c, p) for c, p in params(WEB)])
def test_the_web_refuses_bad_input_with_a_message_and_writes_nothing(
    case: Case,
    point: str,
    world: World,
    client: Client,
    content: Callable[[Case], tuple[str, bytes]],
) -> None:
    cache.clear()  # no request counted against the API's rates
    before = snapshot(world)
    if case.value is None:
        r = _post_file(case, point, world, client, *content(case))
    else:
        r = _post_value(case, point, world, client)
    problems = problems_of(r) if r.status_code != 302 else []
    said = f"{r.status_code}: {' | '.join(problems)[:300] or r.content[:300]!r}"
    assert r.status_code < 500, said
    outcome = _outcome(case, point)
    if outcome == "clean" and r.status_code < 400:
        return
    if outcome in ("refused", "clean"):
        assert 400 <= r.status_code < 500, said
        assert problems, said
        if case.where:
            assert any(case.where in p.lower() for p in problems), said
        assert snapshot(world) == before, "something was written"
        return
    assert r.status_code in (200, 201, 302), said
    assert snapshot(world) != before
    if outcome == "text" and point == WEB_WORKBOOK:  # the note comes back as text, not a formula
        _login(client, world.officer)
        book = client.get(f"/assessments/{world.assessment.pk}/workbook.xlsx").content
        sheet = load_workbook(io.BytesIO(book)).worksheets[0]
        cells = [c for row in sheet.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        assert any("=1+1" in str(c.value) for c in cells), [
            c.value for c in cells if c.column == 13
        ]
    if outcome == "text" and case.value is not None:
        if point == WEB_APPRAISE_REASON:
            page = _login(client, world.appraiser).get(f"/appraisal/{world.appraised.pk}/")
        elif point == WEB_EXPLAIN_TEXT:
            url = f"/appraisal/{world.explained.pk}/explanations/"
            page = _login(client, world.explainer).get(url)
        else:
            url = f"/assessments/{world.assessment.pk}/entries/{PERCENT_LEAF}/"
            page = _login(client, world.officer).get(url)
        html = page.content.decode()
        assert page.status_code == 200
        if "<" in case.value:  # shown escaped, never as markup
            assert case.value not in html and "&lt;script&gt;" in html
