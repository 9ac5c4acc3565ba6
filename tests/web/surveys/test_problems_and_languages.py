"""Every XLSForm problem of the core has its message in the site's languages; the pages speak
the reader's language; any file that is not an XLSX workbook is refused and nothing stored."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from languages import foreign_text
from openpyxl import load_workbook

import parindex
from parindex.messages import MESSAGES
from parindex_web.lib import core_problems
from parindex_web.surveys import services
from parindex_web.surveys.models import Questionnaire

pytestmark = pytest.mark.django_db

FORM = Path(__file__).resolve().parents[2] / "fixtures" / "surveys" / "example-sipas-form.xlsx"
FORM_CODES = [*sorted(c for c in MESSAGES if c.startswith("xlsform_")), "value_required"]


@pytest.mark.parametrize("code", FORM_CODES)
def test_every_xlsform_problem_of_the_core_has_a_vietnamese_message(code):
    params = dict.fromkeys(("sheet", "column", "value", "name", "first", "list"), "x")
    params |= dict.fromkeys(("kind", "row", "methodology", "reason", "expression", "at"), "x")
    problem = parindex.Problem.of(code, parindex.Location("f.xlsx"), **params)
    assert code in core_problems._MESSAGES, f"{code}: add its message to lib/core_problems.py"
    with translation.override("vi"):
        vietnamese = core_problems.describe(problem)
    with translation.override("en"):
        english = core_problems.describe(problem)
    assert vietnamese != english, f"{code} has no Vietnamese in the catalogue"


def _with_relevant(expression: str) -> bytes:
    book = load_workbook(FORM)
    book["survey"]["G11"] = expression  # q25's relevant
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _post(client, cycle, data: bytes):
    upload = SimpleUploadedFile("phieu.xlsx", data, "application/octet-stream")
    form = {"group": "citizens", "title": "Phiếu", "file": upload}
    return client.post(reverse("surveys:upload", args=[cycle.pk]), form)


def test_a_relevant_naming_no_question_is_refused_with_its_cell(client, people, cycle, parse):
    client.force_login(people.secretariat)
    response = _post(client, cycle, _with_relevant("${khong_co} = '4'"))
    assert response.status_code == 400
    text = parse(response.content).find("ul", id="id_file_error").text
    assert (
        "Trang “survey”, dòng 11, cột “relevant”: biểu thức dùng “khong_co”, "
        "không phải tên câu hỏi nào của biểu mẫu"
    ) in text
    assert not Questionnaire.objects.exists()


def test_the_pages_read_in_english_for_an_english_reader(client, people, cycle, parse):
    client.force_login(people.secretariat)
    assert _post(client, cycle, FORM.read_bytes()).status_code == 302
    q = Questionnaire.objects.get()
    client.get(reverse("surveys:detail", args=[cycle.pk, q.pk]))  # the upload's message, read
    client.cookies["django_language"] = "en"
    pages = [
        reverse("surveys:list", args=[cycle.pk]),
        reverse("surveys:upload", args=[cycle.pk]),
        reverse("surveys:detail", args=[cycle.pk, q.pk]),
    ]
    data = {repr(cycle.name), repr(q.title), repr(f": {q.title}")}  # what people typed
    for url in pages:
        html = client.get(url).content.decode()
        assert [t for t in foreign_text(html, "en") if t.split(" reads as")[0] not in data] == [], (
            url
        )
    listing = parse(client.get(pages[0]).content)
    assert "Citizens" in listing.find("tbody").text
    client.cookies["django_language"] = "vi"
    for url in pages:
        html = client.get(url).content.decode()
        assert [t for t in foreign_text(html, "vi") if t.split(" reads as")[0] not in data] == [], (
            url
        )


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(min_size=1, max_size=2000).filter(lambda b: not b.startswith(b"PK")))
def test_any_file_that_is_not_a_zip_is_refused_by_its_bytes(people, cycle, data):
    client = Client()
    client.force_login(people.secretariat)
    response = _post(client, cycle, data)
    assert response.status_code == 400
    assert "(.xlsx)" in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_the_size_limit_is_checked_before_the_bytes_are_read(monkeypatch):
    class Huge:
        name = "phieu.xlsx"
        size = services.MAX_BYTES + 1

        def read(self) -> bytes:
            raise AssertionError("read a file over the limit")

    with pytest.raises(services.ValidationError):
        services.read_upload(Huge())
