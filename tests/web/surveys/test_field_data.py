"""Field data on the web: the import of a Kobo/ODK export or the template (checked by its bytes,
read by the core, all or nothing, duplicates skipped, a large file as a job with its progress),
the template download, progress against the sample target and the estimates per unit (equal to
the core's), the JSON/CSV twins and deleting a questionnaire with its responses."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from parindex.surveys import SurveyAnswers, estimate_indices, read_responses, read_xlsform
from parindex.surveys.commands import figures_to_csv
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Assessment
from parindex_web.jobs.models import Job
from parindex_web.surveys import services
from parindex_web.surveys.models import ImportBatch, Questionnaire, Response
from parindex_web.units.models import Unit

from .test_questionnaires import FORM, post

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "surveys"
KOBO = (FIXTURES / "example-sipas-responses.csv").read_bytes()
DESIGN = {"unit_column": "nguoi_tra_loi/don_vi", "weight_column": "trong_so"}


def kobo_rows() -> list[list[str]]:
    lines = KOBO.decode("utf-8").splitlines()
    return [row for row in csv.reader(lines) if not row[0].startswith("#")]


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def questionnaire(client, people, cycle, body) -> Questionnaire:
    """The EXAMPLE form in a cycle whose units include its wards phuong_a and phuong_b."""
    for code, name in (("phuong_a", "Phường A"), ("phuong_b", "Phường B")):
        unit = Unit.objects.create(code=code, name=name, unit_type=Unit.Type.COMMUNE, body=body)
        Assessment.objects.create(cycle=cycle, unit=unit)
    client.force_login(people.secretariat)
    assert post(client, cycle).status_code == 302
    return Questionnaire.objects.get()


def upload(client, q, data: bytes, name: str = "kobo.csv", **fields):
    url = reverse("surveys:import_responses", args=[q.cycle_id, q.pk])
    form = {"source": "import", "file": SimpleUploadedFile(name, data), **DESIGN, **fields}
    return client.post(url, form)


def errors(response) -> str:
    assert response.status_code == 400
    return response.content.decode()


def test_the_kobo_export_is_stored_with_its_duplicate_skipped(client, questionnaire, people):
    response = upload(client, questionnaire, KOBO, stratum_column="tang")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "surveys:responses", args=[questionnaire.cycle_id, questionnaire.pk]
    )
    batch = ImportBatch.objects.get()
    assert (batch.rows, batch.stored, batch.duplicates) == (11, 10, 1)
    assert (batch.source, batch.uploaded_by, batch.unit_column) == (
        "import",
        people.secretariat,
        "nguoi_tra_loi/don_vi",
    )
    first = Response.objects.get(submission_id="u-01")
    assert (first.unit_code, first.weight, first.stratum, first.batch) == (
        "phuong_a",
        10.0,
        "mot_cua",
        batch,
    )
    assert first.answers["q24"] == "5" and first.answers["kenh"] == "truc_tiep"
    assert "y_kien" not in first.answers  # blank: left out
    assert "start" in first.answers  # what the form asks is kept, nothing else (_id, _uuid…)
    assert not {"_id", "_submission_time", "trong_so"} & set(first.answers)
    audit = AuditRecord.objects.get(action="questionnaire.responses")
    new = json.loads(audit.new_value)
    assert new["stored"] == 10 and new["duplicates"] == 1
    # The same file again: every row an exact duplicate of a stored one.
    assert upload(client, questionnaire, KOBO, stratum_column="tang").status_code == 302
    assert Response.objects.count() == 10
    assert ImportBatch.objects.first().duplicates == 11


def odk_rows() -> list[list[str]]:
    """The EXAMPLE as ODK Central writes it: dash paths, KEY, a select-multiple in one column."""
    rows = kobo_rows()
    header = rows[0]
    keep = [i for i, h in enumerate(header) if "kenh/" not in h and h != "_uuid"]
    out = [[header[i].replace("/", "-") for i in keep] + ["KEY"]]
    ident = header.index("_uuid")
    for row in rows[1:]:
        out.append([row[i] for i in keep] + [f"uuid:{row[ident]}"])
    return out


@pytest.mark.parametrize("shape", ["xlsx", "csv"])
def test_an_odk_shaped_export_is_read_as_csv_or_xlsx(client, questionnaire, shape):
    rows = odk_rows()
    data = as_xlsx(rows) if shape == "xlsx" else as_csv(rows)
    # The unit column as ODK names it; the name's extension does not decide, the bytes do.
    response = upload(
        client,
        questionnaire,
        data,
        "export.csv",
        unit_column="nguoi_tra_loi-don_vi",
        weight_column="trong_so",
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Response.objects.count() == 10
    r = Response.objects.get(submission_id="uuid:u-04")
    assert r.answers["kenh"] == "truc_tiep truc_tuyen"


def test_the_template_filled_in_is_imported(client, questionnaire):
    url = reverse("surveys:template", args=[questionnaire.cycle_id, questionnaire.pk])
    got = client.get(url)
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(got.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "_uuid" and "q24" in header and "don_vi" in header
    values = {"_uuid": "p-1", "don_vi": "VÍ DỤ – Phường A", "tuoi": "40", "q24": "4", "q25": "5"}
    sheet.append([values.get(h, "") for h in header])
    sheet.append([{**values, "_uuid": "p-2", "don_vi": "phuong_b"}.get(h, "") for h in header])
    out = io.BytesIO()
    book.save(out)
    response = upload(
        client,
        questionnaire,
        out.getvalue(),
        "phieu.xlsx",
        source="template",
        unit_column="don_vi",
        weight_column="",
    )
    assert response.status_code == 302, response.context["form"].errors
    assert sorted(Response.objects.values_list("submission_id", "unit_code", "source")) == [
        ("p-1", "phuong_a", "template"),
        ("p-2", "phuong_b", "template"),
    ]


def test_every_bad_row_is_reported_and_nothing_is_stored(client, questionnaire):
    rows = kobo_rows()
    header = rows[0]
    rows[1][header.index("dich_vu/q24")] = "7"  # row 3 of the file: not a choice
    rows[3][header.index("nguoi_tra_loi/tuoi")] = "12"  # row 5: outside the constraint
    rows[4][header.index("trong_so")] = "0"  # row 6: not a weight
    page = errors(upload(client, questionnaire, as_csv(rows)))
    assert "Dòng 2, cột “q24”: “7” không phải lựa chọn của danh sách “muc_do”" in page
    assert "Dòng 4, cột “tuoi”: “12” không thỏa mãn ràng buộc" in page
    assert "Dòng 5, cột “trong_so”: “0” không phải trọng số lớn hơn 0" in page
    assert not Response.objects.exists() and not ImportBatch.objects.exists()


def test_a_unit_outside_the_cycle_is_a_problem(client, questionnaire):
    Assessment.objects.filter(unit__code="phuong_b").delete()
    page = errors(upload(client, questionnaire, KOBO))
    assert "“phuong_b” không có trong kỳ đánh giá này" in page or "phuong_b" in page
    assert not Response.objects.exists()


def test_a_file_of_another_type_or_encoding_is_refused(client, questionnaire):
    page = errors(upload(client, questionnaire, b"%PDF-1.4 not responses", "r.csv"))
    assert "application/pdf" in page
    latin = "nguoi_tra_loi/don_vi,q24\nPhường,4\n".encode("cp1258", errors="replace")
    assert "UTF-8" in errors(upload(client, questionnaire, latin + b"\xe9\xe9"))
    assert not Response.objects.exists()


def test_a_missing_unit_column_is_named(client, questionnaire):
    page = errors(upload(client, questionnaire, KOBO, unit_column="don_vi_khac"))
    assert "don_vi_khac" in page
    assert not Response.objects.exists()


def test_a_large_file_is_a_job_with_progress_and_its_result(
    client, questionnaire, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_BYTES", 100)
    monkeypatch.setattr(services, "STORE_CHUNK", 3)
    response = upload(client, questionnaire, KOBO)
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job", args=[job.cycle_id, job.pk])
    assert job.kind == "responses" and job.status == "queued"
    assert not Response.objects.exists()  # nothing until the worker runs it
    from parindex_web.jobs.runner import claim, execute

    seen: list[tuple[int, int]] = []
    import parindex_web.jobs.runner as runner

    real = runner.reporter

    def recording(j):
        report = real(j)

        def progress(done: int, total: int) -> None:
            seen.append((done, total))
            report(done, total)

        return progress

    monkeypatch.setattr(runner, "reporter", recording)
    execute(claim(job.pk))
    job.refresh_from_db()
    assert job.status == "done", job.errors
    assert job.result["stored"] == 10 and job.result["duplicates"] == 1
    assert "data" not in job.args  # the file's bytes are not kept in the job
    assert seen[-1] == (100, 100) and [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert any(0 < d < 50 for d, _t in seen) and any(50 < d < 100 for d, _t in seen)
    page = client.get(response["Location"]).content.decode()
    assert (
        "10" in page
        and reverse("surveys:responses", args=[questionnaire.cycle_id, questionnaire.pk]) in page
    )
    assert Response.objects.count() == 10


def test_a_job_with_bad_rows_fails_with_every_problem_and_stores_nothing(
    client, questionnaire, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_BYTES", 100)
    rows = kobo_rows()
    rows[1][rows[0].index("dich_vu/q24")] = "7"
    rows[2][rows[0].index("dich_vu/q24")] = "8"
    upload(client, questionnaire, as_csv(rows))
    from parindex_web.jobs.runner import claim, execute

    job = Job.objects.get()
    execute(claim(job.pk))
    job.refresh_from_db()
    assert job.status == "failed"
    assert len(job.errors) == 2 and "Dòng 2" in job.errors[0] and "Dòng 3" in job.errors[1]
    assert not Response.objects.exists() and not ImportBatch.objects.exists()


def core_figures():
    form = read_xlsform(FORM)
    extra = {"by": "nguoi_tra_loi/don_vi", "weight": "trong_so", "strata": "tang"}
    r = read_responses(FIXTURES / "example-sipas-responses.csv", form, extra=extra)
    items = [q for q in form.questions if q.factor]
    data = SurveyAnswers(
        answers={q.name: r.answers[q.name] for q in items},
        factors={q.name: q.factor for q in items},
        weights=[float(w) for w in r.extra["weight"]],
        strata=r.extra["strata"],
        domains=r.extra["by"],
    )
    return estimate_indices(services.methodology(), data)


def test_the_estimates_equal_the_cores_and_the_worked_example(client, questionnaire):
    upload(client, questionnaire, KOBO, stratum_column="tang")
    figures = services.estimates(questionnaire)
    assert figures == core_figures()
    q24 = next(f for f in figures if f.unit == "phuong_a" and f.item == "q24")
    # docs/surveys.md: satisfied weights 10 + 10 + 20 of 70 = 57.14 %, interval 5.69–100.
    assert (q24.estimate, q24.ci_low, q24.ci_high, q24.n, q24.few) == (
        Decimal("57.14"),
        Decimal("5.69"),
        Decimal("100.00"),
        5,
        True,
    )
    q = questionnaire
    csv_twin = client.get(reverse("surveys:estimates_csv", args=[q.cycle_id, q.pk]))
    assert csv_twin.content.decode() == figures_to_csv(core_figures(), 2)
    assert "phuong_a,q24,57.14,5.69,100.00,5,question,few" in csv_twin.content.decode()
    body = json.loads(
        client.get(reverse("surveys:responses_json", args=[q.cycle_id, q.pk])).content
    )
    assert body["version"] == 1 and body["questionnaire"] == q.pk
    first = next(e for e in body["estimates"] if e["unit"] == "phuong_a" and e["item"] == "q24")
    assert first == {
        "unit": "phuong_a",
        "item": "q24",
        "kind": "question",
        "estimate": "57.14",
        "ci_low": "5.69",
        "ci_high": "100.00",
        "n": 5,
        "few": True,
    }
    page = client.get(reverse("surveys:responses", args=[q.cycle_id, q.pk])).content.decode()
    assert "57,14" in page or "57.14" in page
    assert "5,69 – 100,00" in page or "5.69 – 100.00" in page


def test_progress_per_unit_against_the_target(client, questionnaire):
    upload(client, questionnaire, KOBO)
    q = questionnaire
    url = reverse("surveys:responses", args=[q.cycle_id, q.pk])
    assert client.post(url, {"population": "400"}).status_code == 302
    q.refresh_from_db()
    # n = 400 / (1 + 400 · 0.05²) = 400 / 2 = 200
    assert q.population == 400 and services.sample_target(q) == 200
    body = json.loads(
        client.get(reverse("surveys:responses_json", args=[q.cycle_id, q.pk])).content
    )
    progress = {p["unit"]: (p["responses"], p["target"]) for p in body["progress"]}
    assert progress["phuong_a"] == (5, 200) and progress["phuong_b"] == (5, 200)
    assert progress["xa-1"] == (0, 200)
    text = client.get(reverse("surveys:progress_csv", args=[q.cycle_id, q.pk])).content.decode()
    assert "unit,responses,target\n" in text and "phuong_a,5,200\n" in text
    assert client.post(url, {"population": "-3"}).status_code == 400


def test_deleting_a_questionnaire_shows_what_goes_and_deletes_its_responses(client, questionnaire):
    upload(client, questionnaire, KOBO)
    q = questionnaire
    url = reverse("surveys:delete", args=[q.cycle_id, q.pk])
    page = client.get(url).content.decode()
    assert "10" in page
    assert client.post(url).status_code == 302
    assert not Questionnaire.objects.exists() and not Response.objects.exists()
    assert not ImportBatch.objects.exists()
    old = AuditRecord.objects.get(action="questionnaire.delete").old_value
    assert json.loads(old)["responses"] == 10


def test_a_kobo_export_with_labels_as_headers_is_read_from_xlsx(client, questionnaire):
    form = read_xlsform(FORM)
    rows = kobo_rows()
    labels = {q.name: q.labels.get("Vietnamese (vi)", "") for q in form.questions}
    header = []
    for title in rows[0]:
        name = title.rpartition("/")[2]
        plain = "/" not in title.partition("/")[2]  # not a select-multiple's choice column
        header.append(labels.get(name) or title if plain and name in labels else title)
    data = as_xlsx([header, *rows[1:]])
    response = upload(client, questionnaire, data, "kobo-nhan.xlsx", unit_column=labels["don_vi"])
    assert response.status_code == 302, response.context["form"].errors
    assert Response.objects.get(submission_id="u-02").answers["q24"] == "4"


def test_a_submission_stored_with_other_answers_refuses_the_whole_file(client, questionnaire):
    upload(client, questionnaire, KOBO)
    rows = kobo_rows()
    rows[1][rows[0].index("dich_vu/q24")] = "1"  # u-01 answered otherwise
    rows.append([*rows[2][:-2], "u-99", rows[2][-1]])  # and a new submission
    page = errors(upload(client, questionnaire, as_csv(rows)))
    assert "u-01" in page and "không có gì được lưu" in page
    assert Response.objects.count() == 10 and ImportBatch.objects.count() == 1
    assert Response.objects.get(submission_id="u-01").answers["q24"] == "5"


def test_a_job_whose_file_is_gone_fails_with_a_message(client, questionnaire, monkeypatch):
    monkeypatch.setattr(services, "INLINE_BYTES", 100)
    upload(client, questionnaire, KOBO)
    from parindex_web.jobs.runner import claim, execute

    job = Job.objects.get()
    job.args.pop("data")
    job.save()
    execute(claim(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and "nhập lại" in job.errors[0].lower()


def test_the_estimates_follow_every_import(client, questionnaire):
    upload(client, questionnaire, KOBO)
    before = services.estimates(questionnaire)
    assert services.estimates(questionnaire) == before  # kept: the same responses
    rows = kobo_rows()
    extra = list(rows[1])
    extra[rows[0].index("_uuid")] = "u-new"
    extra[rows[0].index("dich_vu/q24")] = "1"
    assert upload(client, questionnaire, as_csv([rows[0], extra])).status_code == 302
    after = services.estimates(questionnaire)
    q24 = {f.unit: f.n for f in after if f.item == "q24"}
    assert q24["phuong_a"] == 6 and after != before


def test_the_import_summary_reads_as_counts_in_english_and_vietnamese():
    from django.utils import translation

    with translation.override("en"):
        assert services.stored_summary(1, 1000) == (
            "Responses stored: 1; exact duplicates skipped: 1,000."
        )
    with translation.override("vi"):
        assert services.stored_summary(1200, 0) == (
            "Đã lưu 1.200 phiếu trả lời (bỏ qua 0 phiếu trùng hoàn toàn)."
        )
