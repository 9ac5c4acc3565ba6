"""The secretariat's questionnaire pages: upload (checked by the core), list, questions, JSON twin
and download, and who is refused. The form is the core tests' EXAMPLE (tests/fixtures/surveys)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from parindex_web.audit.models import AuditRecord
from parindex_web.surveys import services
from parindex_web.surveys.models import Questionnaire

pytestmark = pytest.mark.django_db

FORM = Path(__file__).resolve().parents[2] / "fixtures" / "surveys" / "example-sipas-form.xlsx"
EXAMPLE = FORM.read_bytes()


def variant(edit: Callable[[Workbook], object]) -> bytes:
    book = load_workbook(FORM)
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx(data: bytes = EXAMPLE, name: str = "phieu-sipas.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


def post(client, cycle, data: bytes = EXAMPLE, name: str = "phieu-sipas.xlsx", **fields):
    form = {"group": "citizens", "title": "Phiếu người dân", "file": xlsx(data, name), **fields}
    return client.post(reverse("surveys:upload", args=[cycle.pk]), form)


@pytest.fixture
def refusal(parse, described) -> Callable[[object], str]:
    """The text of the file's errors on a refused upload (each announced with its field)."""

    def _refusal(response) -> str:
        assert response.status_code == 400
        page = parse(response.content)
        assert [e.attrs["name"] for e in described(page)] == ["file"]
        return page.find("ul", id="id_file_error").text

    return _refusal


@pytest.fixture
def signed_in(client, people):
    client.force_login(people.secretariat)
    return client


@pytest.fixture
def stored(signed_in, cycle) -> Questionnaire:
    assert post(signed_in, cycle).status_code == 302
    return Questionnaire.objects.get()


def test_a_valid_form_is_stored_with_what_the_core_read(signed_in, cycle, people):
    response = post(signed_in, cycle)
    q = Questionnaire.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:detail", args=[cycle.pk, q.pk])
    assert (q.cycle, q.group, q.title, q.uploaded_by) == (
        cycle,
        "citizens",
        "Phiếu người dân",
        people.secretariat,
    )
    assert (q.form_id, q.form_version) == ("example_sipas", "2026120401")
    assert bytes(q.content) == EXAMPLE
    assert q.sha256 == hashlib.sha256(EXAMPLE).hexdigest()
    audit = AuditRecord.objects.get(action="questionnaire.upload")
    assert (audit.actor, audit.object_id, audit.cycle_id) == (
        people.secretariat,
        str(q.pk),
        cycle.pk,
    )
    assert json.loads(audit.new_value)["sha256"] == q.sha256
    assert (
        q.factor_codes()
        == ["access", "procedures", "civil_servants", "results", "feedback"][
            : len(q.factor_codes())
        ]
    )
    assert q.questions == 12 or q.questions == len(services.question_rows(services.stored_form(q)))


def test_the_questions_page_shows_each_question_with_its_vietnamese_label(signed_in, stored, parse):
    page = parse(
        signed_in.get(reverse("surveys:detail", args=[stored.cycle_id, stored.pk])).content
    )
    rows = {
        r.node.find("th").get_text(strip=True): [
            td.get_text(strip=True) for td in r.node.find_all("td")
        ]
        for r in page.find_all("tr")
        if r.node.find("th", scope="row")
    }
    assert rows["q24"] == ["select_one muc_do", "Có biển hiệu, hướng dẫn rõ ràng", "access", "có"]
    assert rows["q25"] == ["select_one muc_do", "Có đủ ghế ngồi chờ", "access", "không"]
    assert rows["tuoi"] == ["integer", "Tuổi", "", "có"]
    assert "start" not in rows  # metadata takes no answer
    assert "dich_vu" not in rows  # a group is not a question


def test_the_json_twin_lists_the_same_questions(signed_in, stored):
    url = reverse("surveys:detail_json", args=[stored.cycle_id, stored.pk])
    body = json.loads(signed_in.get(url).content)
    assert body["version"] == 1
    assert (body["form_id"], body["form_version"], body["group"]) == (
        "example_sipas",
        "2026120401",
        "citizens",
    )
    q24 = next(q for q in body["questions"] if q["name"] == "q24")
    assert q24 == {
        "name": "q24",
        "type": "select_one muc_do",
        "label": "Có biển hiệu, hướng dẫn rõ ràng",
        "sipas_factor": "access",
        "required": True,
    }
    assert len(body["questions"]) == stored.questions


def test_the_list_shows_title_group_count_factors_date_and_download(signed_in, stored, parse):
    page = parse(signed_in.get(reverse("surveys:list", args=[stored.cycle_id])).content)
    (row,) = [r for r in page.find_all("tr") if r.node.find("th", scope="row")]
    cells = [c.get_text(" ", strip=True) for c in row.node.find_all(["th", "td"])]
    assert cells[0] == "Phiếu người dân example_sipas 2026120401"
    assert cells[1] == "Người dân"
    assert cells[2] == str(stored.questions)
    assert cells[3].startswith("access")
    assert cells[4] == timezone.localtime(stored.uploaded_at).strftime("%d/%m/%Y")
    assert cells[5].startswith("0")  # responses stored, linked to their page
    responses = reverse("surveys:responses", args=[stored.cycle_id, stored.pk])
    assert row.node.find("a", href=responses) is not None
    download = reverse("surveys:download", args=[stored.cycle_id, stored.pk])
    assert row.node.find("a", href=download) is not None


def test_the_cycle_page_links_to_the_questionnaires(signed_in, cycle, parse):
    page = parse(signed_in.get(reverse("secretariat:dashboard", args=[cycle.pk])).content)
    assert page.find("a", href=reverse("surveys:list", args=[cycle.pk])).text == "Phiếu khảo sát"


def test_the_download_gives_back_the_same_bytes(signed_in, stored):
    response = signed_in.get(reverse("surveys:download", args=[stored.cycle_id, stored.pk]))
    assert response.status_code == 200
    assert response.content == EXAMPLE
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="phieu-sipas.xlsx"'


def _bad_type(book: Workbook) -> None:
    book["survey"]["A10"] = "select_one_of muc_do"


def test_a_malformed_form_is_refused_with_sheet_row_and_column_and_nothing_stored(
    signed_in, cycle, refusal
):
    text = refusal(post(signed_in, cycle, variant(_bad_type)))
    assert not Questionnaire.objects.exists()
    assert not AuditRecord.objects.filter(action="questionnaire.upload").exists()
    assert "Trang “survey”, dòng 10, cột “type”" in text
    assert "“select_one_of muc_do” không phải loại câu hỏi" in text


def test_every_problem_of_the_form_is_listed(signed_in, cycle, refusal):
    def two(book: Workbook) -> None:
        _bad_type(book)
        book["survey"]["B13"] = "q25"  # a name given twice (first in row 11)

    text = refusal(post(signed_in, cycle, variant(two)))
    assert "dòng 10, cột “type”" in text
    assert "dòng 13, cột “name”: tên “q25” bị trùng (lần đầu ở dòng 11)" in text
    assert not Questionnaire.objects.exists()


def test_a_missing_sheet_is_named(signed_in, cycle, refusal):
    def drop(book: Workbook) -> None:
        del book["choices"]

    assert "Sổ tính không có trang “choices”" in refusal(post(signed_in, cycle, variant(drop)))
    assert not Questionnaire.objects.exists()


def test_an_unknown_factor_is_refused(signed_in, cycle, refusal):
    def factor(book: Workbook) -> None:
        sheet = book["survey"]
        column = [c.value for c in sheet[1]].index("sipas_factor") + 1
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column).value)
        sheet.cell(row, column, "khong_co")

    text = refusal(post(signed_in, cycle, variant(factor)))
    assert "cột “sipas_factor”: “khong_co” không phải yếu tố" in text


def test_a_file_that_is_not_xlsx_is_refused_by_its_bytes(signed_in, cycle, refusal):
    text = refusal(post(signed_in, cycle, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"))
    assert "Tệp này có kiểu application/pdf, không phải sổ tính Excel (.xlsx)." in text
    assert not Questionnaire.objects.exists()


def test_a_csv_renamed_xlsx_is_refused(signed_in, cycle, refusal):
    assert "không phải sổ tính Excel" in refusal(post(signed_in, cycle, b"type,name\ntext,q1\n"))
    assert not Questionnaire.objects.exists()


def test_a_file_over_the_limit_is_refused(signed_in, cycle, monkeypatch, refusal):
    monkeypatch.setattr(services, "MAX_BYTES", len(EXAMPLE) - 1)
    assert "Tệp lớn hơn" in refusal(post(signed_in, cycle))
    assert not Questionnaire.objects.exists()


def test_the_same_form_id_and_version_twice_is_refused(signed_in, stored, parse):
    response = post(signed_in, stored.cycle, title="Lần hai")
    assert response.status_code == 400
    assert "example_sipas" in parse(response.content).find("div", role="alert").text
    assert Questionnaire.objects.count() == 1


def test_a_new_version_of_the_form_is_a_second_questionnaire(signed_in, stored):
    def version(book: Workbook) -> None:
        book["settings"]["C2"] = "2026120402"

    assert post(signed_in, stored.cycle, variant(version)).status_code == 302
    assert sorted(Questionnaire.objects.values_list("form_version", flat=True)) == [
        "2026120401",
        "2026120402",
    ]


def _urls(q: Questionnaire) -> list[str]:
    c = q.cycle_id
    return [
        reverse("surveys:list", args=[c]),
        reverse("surveys:upload", args=[c]),
        reverse("surveys:detail", args=[c, q.pk]),
        reverse("surveys:detail_json", args=[c, q.pk]),
        reverse("surveys:download", args=[c, q.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, stored):
    client.logout()
    for url in _urls(stored):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("foreign_secretariat", 404)])
def test_others_are_refused_every_page_and_cannot_upload(client, stored, people, who, status):
    client.force_login(getattr(people, who))
    for url in _urls(stored):
        assert client.get(url).status_code == status, url
    assert post(client, stored.cycle, title="x").status_code == status
    assert Questionnaire.objects.count() == 1


def test_a_questionnaire_of_another_cycle_is_not_found(
    signed_in, stored, body, units, methodology, people
):
    from world import make_cycle

    other = make_cycle(body, units, methodology, people, 2030)
    url = reverse("surveys:detail", args=[other.pk, stored.pk])
    assert signed_in.get(url).status_code == 404


def test_the_questions_page_leads_to_the_imports_and_the_one_time_codes(signed_in, stored, parse):
    page = parse(
        signed_in.get(reverse("surveys:detail", args=[stored.cycle_id, stored.pk])).content
    )
    links = {a.node.get_text(strip=True): a.node["href"] for a in page.find_all("a")}
    args = [stored.cycle_id, stored.pk]
    assert links["Mã dùng một lần"] == reverse("answering:batches", args=args)
    assert links["Nhập phiếu trả lời"] == reverse("surveys:import_responses", args=args)
