"""One table of inputs × outcomes through every entry point: the officer's form (and its page),
the workbook upload, the API and the service. The checks are the core's (``parindex.check_inputs``
over each rule's declared inputs), so every entry point refuses the same inputs, naming the field.

Issue 15: 150 % for "share of subordinate units inspected" (1.3.2) was saved, also through the
workbook; a percentage and counts together were resolved by silently ignoring the counts.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from parindex_web.api.models import ApiToken
from parindex_web.assessments import workbook
from parindex_web.assessments.forms import INPUT_LABELS, EntryForm
from parindex_web.cycles import services

from .helpers import entry, form_data

pytestmark = pytest.mark.django_db

# code, inputs, the field refused (None: accepted), the points when accepted. Example commune:
# 1.3.2 share of subordinate units inspected (thresholds: a share, achieved ≤ planned),
# 1.4.1 communication plan (proportional, floor 90 %), 1.5.1 tasks done on time (proportional,
# more than planned capped at the maximum), 1.5.2 reminders (deduction per reminder).
REFUSED = [
    ("1.3.2", {"percent": "150"}, "percent"),
    ("1.3.2", {"percent": "-5"}, "percent"),
    ("1.3.2", {"percent": "95", "achieved": "3", "planned": "10"}, "percent"),
    ("1.3.2", {"achieved": "3", "planned": "2"}, "achieved"),
    ("1.3.2", {"achieved": "1.5", "planned": "2"}, "achieved"),
    ("1.3.2", {"achieved": "1", "planned": "0"}, "planned"),
    ("1.4.1", {"achieved": "-1", "planned": "5"}, "achieved"),
    ("1.4.1", {"achieved": "4", "planned": "4.5"}, "planned"),
    ("1.5.2", {"count": "-1"}, "count"),
    ("1.5.2", {"count": "1.5"}, "count"),
    ("1.1.1", {"points": "1"}, "points"),  # an input the rule does not take (API, service)
]
ACCEPTED = [
    ("1.3.2", {"percent": "100"}, "2"),
    ("1.3.2", {"percent": "25"}, "1"),
    ("1.3.2", {"achieved": "2", "planned": "2"}, "2"),
    ("1.4.1", {"achieved": "9", "planned": "10"}, "0.9"),
    ("1.5.1", {"achieved": "12", "planned": "10"}, "4"),  # proportional: capped, allowed
    ("1.5.2", {"count": "2"}, "3"),
]
# An input the form has no field for never reaches it (a browser cannot send it).
FORM_REFUSED = [case for case in REFUSED if case[2] != "points"]


def _unchanged(w, code):
    e = entry(w.assessment, code)
    return (e.version, e.self_points, e.inputs) == (0, None, {})


@pytest.mark.parametrize(("code", "inputs", "field"), REFUSED)
def test_the_service_refuses_naming_the_field(w, code, inputs, field):
    e = entry(w.assessment, code)
    with pytest.raises(services.InputRefused) as caught:
        services.save_self_assessment(w.officer, e, inputs=inputs, note="", version=0)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert _unchanged(w, code)


@pytest.mark.parametrize(("code", "inputs", "points"), ACCEPTED)
def test_the_service_accepts_what_the_rule_allows(w, code, inputs, points):
    e = entry(w.assessment, code)
    saved = services.save_self_assessment(w.officer, e, inputs=inputs, note="", version=0)
    assert saved.self_points == Decimal(points)


def _form(w, code, inputs):
    e = entry(w.assessment, code)
    node = w.cycle.core().by_code[code]
    return EntryForm({**inputs, "version": 0}, cycle=w.cycle, node=node, initial={}), e


@pytest.mark.parametrize(("code", "inputs", "field"), FORM_REFUSED)
def test_the_form_refuses_with_the_error_on_the_field(w, code, inputs, field):
    form, _e = _form(w, code, inputs)
    assert not form.is_valid()
    assert list(form.errors) == [field], form.errors


@pytest.mark.parametrize(("code", "inputs", "points"), ACCEPTED)
def test_the_form_accepts_what_the_rule_allows(w, code, inputs, points):
    form, _e = _form(w, code, inputs)
    assert form.is_valid(), form.errors
    assert form.points == Decimal(points)


def test_the_form_fields_carry_the_declared_bounds(w):
    form, _e = _form(w, "1.3.2", {})
    assert (form.fields["percent"].min_value, form.fields["percent"].max_value) == (0, 100)
    assert form.fields["achieved"].min_value == 0 and form.fields["planned"].min_value == 1
    widget = form.fields["planned"].widget_attrs(form.fields["planned"].widget)
    assert widget["min"] == 1
    points, _e = _form(w, "1.1.4", {})
    assert points.fields["percent"].max_value == 100


def test_the_page_shows_150_percent_refused_at_the_percentage(client, parse, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.3.2")
    r = client.post(
        f"/assessments/{w.assessment.pk}/entries/1.3.2/", form_data(e, {"percent": "150"})
    )
    assert r.status_code == 400
    with translation.override("vi"):
        label = str(INPUT_LABELS["percent"])
    fields = parse(r.content).find_all("p", class_="field")
    field = next(p for p in fields if label in p.text)
    assert "không được lớn hơn 100" in field.text
    assert _unchanged(w, "1.3.2")


def test_the_page_says_both_modes_are_refused_in_vietnamese(client, parse, w):
    client.force_login(w.officer)
    e = entry(w.assessment, "1.3.2")
    data = form_data(e, {"percent": "95", "achieved": "3", "planned": "10"})
    r = client.post(f"/assessments/{w.assessment.pk}/entries/1.3.2/", data)
    assert r.status_code == 400
    errors = [x.text for x in parse(r.content).find_all("span", class_="field-error")]
    assert any("không nhập cả hai" in x for x in errors), errors
    assert _unchanged(w, "1.3.2")


def _upload(w, code, inputs):
    """The unit's workbook with ``inputs`` in the row of ``code``, and that row's number."""
    columns = {key: i for i, (key, _label) in enumerate(workbook.COLUMNS)}
    book = load_workbook(io.BytesIO(workbook.build(w.assessment)))
    sheet = book["Tự đánh giá"]
    number = None
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):  # noqa: B007
        if cells[0].value == code:
            for key, value in inputs.items():
                cells[columns[key]].value = value
            break
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("tu-danh-gia.xlsx", out.getvalue(), content_type=workbook.XLSX)
    return upload, number, columns


@pytest.mark.parametrize(("code", "inputs", "field"), FORM_REFUSED)
def test_the_workbook_refuses_naming_the_row_and_column(w, code, inputs, field):
    upload, row, columns = _upload(w, code, inputs)
    changes, errors = workbook.read(w.assessment, upload)
    assert changes == [] or all(c.entry.code != code for c in changes)
    letter = get_column_letter(columns[field] + 1)
    assert any(f"dòng {row}, cột {letter}" in e for e in errors), errors


def test_the_workbook_refuses_150_percent_in_a_percent_cell(w):
    upload, row, columns = _upload(w, "1.3.2", {})
    book = load_workbook(io.BytesIO(upload.read()))
    cell = book["Tự đánh giá"].cell(row=row, column=columns["percent"] + 1)
    cell.value, cell.number_format = 1.5, "0%"  # Excel shows 150 %
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("tu-danh-gia.xlsx", out.getvalue(), content_type=workbook.XLSX)
    _changes, errors = workbook.read(w.assessment, upload)
    letter = get_column_letter(columns["percent"] + 1)
    assert any(f"dòng {row}, cột {letter}" in e and "100" in e for e in errors), errors


@pytest.mark.parametrize(("code", "inputs", "points"), ACCEPTED)
def test_the_workbook_accepts_what_the_rule_allows(w, code, inputs, points):
    upload, _row, _columns = _upload(w, code, inputs)
    changes, errors = workbook.read(w.assessment, upload)
    assert errors == []
    workbook.apply(w.officer, w.assessment, changes)
    assert entry(w.assessment, code).self_points == Decimal(points)


def _put(client, w, code, inputs):
    _token, secret = ApiToken.issue(w.officer, "tests")
    return client.put(
        f"/api/assessments/{w.assessment.pk}/entries/{code}/self-assessment",
        data=json.dumps({"inputs": inputs, "note": "", "version": 0}),
        content_type="application/json",
        headers={"authorization": f"Bearer {secret}"},
    )


@pytest.mark.parametrize(("code", "inputs", "field"), REFUSED)
def test_the_api_refuses_naming_the_field(client, w, code, inputs, field):
    r = _put(client, w, code, inputs)
    # A value the rule refuses is bad input (422, docs/api.md), not a conflict with the cycle.
    assert r.status_code == 422, r.content
    error = r.json()["error"]
    assert error["code"] == "invalid"
    [detail] = error["details"]
    assert (detail["field"], detail["type"]) == (field, "value_refused")
    assert error["message"].startswith(f"{field}: ")
    assert _unchanged(w, code)


@pytest.mark.parametrize(("code", "inputs", "points"), ACCEPTED)
def test_the_api_accepts_what_the_rule_allows(client, w, code, inputs, points):
    r = _put(client, w, code, inputs)
    assert r.status_code == 200, r.content
    assert Decimal(r.json()["self_points"]) == Decimal(points)


def test_the_workbook_and_the_form_say_the_same_in_vietnamese(w):
    upload, row, columns = _upload(w, "1.3.2", {"achieved": 1.5, "planned": 2})
    _changes, errors = workbook.read(w.assessment, upload)
    assert errors == [
        f"Trang tính “Tự đánh giá”, dòng {row}, cột "
        f"{get_column_letter(columns['achieved'] + 1)} (Số đã hoàn thành): hãy nhập một số nguyên"
    ]
    upload, row, _columns = _upload(w, "1.3.2", {"achieved": 3, "planned": 2})
    _changes, errors = workbook.read(w.assessment, upload)
    assert errors[0].endswith("số đã hoàn thành không được lớn hơn số đề ra (2)")
