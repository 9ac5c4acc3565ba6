"""Jobs: an import and a phase change of a large cycle queued, run by the worker, and reported
on the job's page (tests/web/job_worker.py runs django-tasks-db's own worker loop)."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from job_worker import run_jobs

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles.models import Cycle, Entry, Phase
from parindex_web.jobs import queue, runner, work
from parindex_web.jobs.models import Job

pytestmark = pytest.mark.django_db

GOOD = 'unit,code,points\nx-a,4.1.1,12.5\nx-b,4.1.2,"7,25"\nx-d,2.2.1,10\n'


@pytest.fixture
def as_jobs(settings):
    """Every import and phase change runs as a job, whatever the cycle's size."""
    settings.PARINDEX_JOBS_INLINE_UNITS = 0


@pytest.fixture
def open_cycle(cycle, run_to):
    return run_to(cycle, Phase.SELF_ASSESSMENT)


def points(cycle, unit: str, code: str) -> Decimal | None:
    return Entry.objects.get(
        assessment__cycle=cycle, assessment__unit__code=unit, code=code
    ).external_points


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("diem.csv", text.encode("utf-8"), "text/csv")


def test_an_import_is_queued_run_by_the_worker_and_reported(
    as_jobs, client, parse, open_cycle, secretariat
):
    before = points(open_cycle, "x-a", "4.1.1")
    client.force_login(secretariat)
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload(GOOD)})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cycles/{open_cycle.pk}/jobs/{job.pk}"
    assert (job.kind, job.status, job.created_by) == ("import", "queued", secretariat)
    assert points(open_cycle, "x-a", "4.1.1") == before != Decimal("12.5")  # not yet applied

    page = parse(client.get(r["Location"]).content)
    assert page.find("strong", class_="status status--queued").text == "Đang chờ"
    assert "value" not in page.find("progress", id="job-progress").attrs  # not started yet
    assert page.find("noscript").node.find("meta", attrs={"http-equiv": "refresh"})
    assert page.find("div", id="job").attrs["data-twin"] == f"{r['Location']}.json"

    assert run_jobs() == 1
    assert points(open_cycle, "x-a", "4.1.1") == Decimal("12.5")
    assert points(open_cycle, "x-b", "4.1.2") == Decimal("7.25")
    assert points(open_cycle, "x-d", "2.2.1") == Decimal("10")
    twin = client.get(f"{r['Location']}.json").json()
    assert (twin["status"], twin["done"], twin["total"]) == ("done", 3, 3)
    assert twin["result"] == {"count": 3} and twin["errors"] == []
    assert twin["back"] == f"/cycles/{open_cycle.pk}/external"
    page = parse(client.get(r["Location"]).content)
    assert page.find("p", class_="message message--success").text == "Đã nhập 3 điểm."
    bar = page.find("progress").attrs
    assert (bar["value"], bar["max"]) == ("3", "3")
    assert not page.find_all("noscript")  # ended: no more refreshing
    assert page.find("a", class_="button").attrs["href"] == f"/cycles/{open_cycle.pk}/external"
    task = DBTaskResult.objects.get()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")


def test_a_failing_import_reports_every_error_and_writes_nothing(
    client, parse, open_cycle, secretariat
):
    """Rows checked at upload can be refused when the job runs (here: staged by hand); every
    refused row is named and the good one is not written either."""
    rows = [["x-a", "4.1.1", "12.5"], ["x-zz", "4.1.1", "1"], ["x-b", "1.1.1", "2"]]
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": rows})
    before, audited = points(open_cycle, "x-a", "4.1.1"), AuditRecord.objects.count()
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == "failed" and len(job.errors) == 2
    assert "x-zz / 4.1.1" in job.errors[0] and "1.1.1" in job.errors[1]
    assert points(open_cycle, "x-a", "4.1.1") == before != Decimal("12.5")
    assert AuditRecord.objects.count() == audited
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{open_cycle.pk}/jobs/{job.pk}").content)
    items = page.find("ul", class_="errors").node.find_all("li")
    assert [li.get_text() for li in items] == job.errors
    assert page.find("h2").text == "Công việc thất bại: 2 lỗi"
    assert not page.find_all("p", class_="message message--success")


def test_an_unexpected_error_fails_the_job_with_a_message_and_the_traceback_kept(
    open_cycle, secretariat
):
    job = queue.start(Job.Kind.ADVANCE, secretariat, open_cycle, {})

    def broken(job, progress):
        raise RuntimeError("disk full")

    with mock.patch.dict(work.BATCHED, {Job.Kind.ADVANCE: broken}):  # the worker's
        assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.errors == [
        "Công việc dừng vì một lỗi ngoài dự kiến; quản trị viên xem được nguyên nhân."
    ]
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and "disk full" in task.traceback


def test_two_workers_cannot_claim_one_job(open_cycle, secretariat):
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": [["x-a", "4.1.1", "3"]]})
    assert runner.claim(job.pk) is not None
    assert runner.claim(job.pk) is None  # compare and set: the second claim finds it running


def test_a_job_queued_twice_is_done_once(open_cycle, secretariat):
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": [["x-a", "4.1.1", "3"]]})
    runner.run.enqueue(job.pk)  # the same job as a second task
    assert run_jobs(worker_id="one") == 2
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [
        "done",
        "skipped",
    ]
    assert AuditRecord.objects.filter(action="entry.external_points", new_value="3").count() == 1


def test_a_task_a_worker_holds_is_not_handed_to_another(open_cycle, secretariat):
    before = points(open_cycle, "x-a", "4.1.1")
    queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": [["x-a", "4.1.1", "3"]]})
    task = DBTaskResult.objects.ready().get_locked()
    task.claim("first")  # django-tasks-db's claim, as its worker makes it
    assert run_jobs(worker_id="second") == 0
    assert points(open_cycle, "x-a", "4.1.1") == before != Decimal(3)


def test_a_running_job_shows_the_progress_it_last_reported(client, parse, open_cycle, secretariat):
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": []})
    claimed = runner.claim(job.pk)
    runner.reporter(claimed)(40, 160)
    client.force_login(secretariat)
    url = f"/cycles/{open_cycle.pk}/jobs/{job.pk}"
    twin = client.get(f"{url}.json").json()
    assert (twin["status"], twin["done"], twin["total"]) == ("running", 40, 160)
    bar = parse(client.get(url).content).find("progress").attrs
    assert (bar["value"], bar["max"]) == ("40", "160")


def test_a_phase_change_is_queued_and_opens_the_phase_when_run(
    as_jobs, client, parse, cycle, secretariat
):
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/phase", {"phase": "draft"})
    job = Job.objects.get()
    assert r["Location"] == f"/cycles/{cycle.pk}/jobs/{job.pk}"
    cycle.refresh_from_db()
    assert cycle.phase == Phase.DRAFT
    run_jobs()
    cycle.refresh_from_db()
    assert cycle.phase == Phase.SELF_ASSESSMENT
    assert Entry.objects.filter(assessment__cycle=cycle).count() > 0
    job.refresh_from_db()
    assert (job.done, job.total) == (3, 3)  # the service's own count: units given entries
    page = parse(client.get(r["Location"]).content)
    assert page.find("p", class_="message message--success").text == (
        "Giai đoạn hiện tại: Tự đánh giá."
    )
    assert page.find("a", class_="button").attrs["href"] == f"/cycles/{cycle.pk}/"


def test_a_phase_change_whose_confirmation_went_stale_fails_and_moves_nothing(
    as_jobs, client, open_cycle, secretariat
):
    """The units' state changed between the table the secretariat confirmed and the job."""
    client.force_login(secretariat)
    client.post(f"/cycles/{open_cycle.pk}/phase", {"phase": "self_assessment", "confirm": "0"})
    with mock.patch("parindex_web.cycles.preflight._require", side_effect=stale):
        run_jobs()
    job = Job.objects.get()
    open_cycle.refresh_from_db()
    assert (job.status, open_cycle.phase) == ("failed", Phase.SELF_ASSESSMENT)
    assert job.errors == ["The list changed"]


def stale(*args):
    from parindex_web.cycles.services import StaleList

    raise StaleList("The list changed")


def test_a_publication_is_queued_then_queues_its_files(
    as_jobs, client, parse, cycle, run_to, secretariat
):
    run_to(cycle, Phase.FINALISED)
    client.force_login(secretariat)
    r = client.post(f"/cycles/{cycle.pk}/publish", {})
    publish = Job.objects.get()
    assert r["Location"] == f"/cycles/{cycle.pk}/jobs/{publish.pk}"
    assert not cycle.publications.exists()
    assert run_jobs(max_tasks=1) == 1
    publish.refresh_from_db()
    files = Job.objects.get(kind="files")
    assert publish.result == {
        "version": 1,
        "publication": files.args["publication"],
        "files_job": files.pk,
    }
    assert files.status == "queued" and files.created_by == secretariat
    page = parse(client.get(r["Location"]).content)
    assert page.find("a", class_="button").attrs["href"] == f"/cycles/{cycle.pk}/publications/1/"
    assert page.find("a", href=f"/cycles/{cycle.pk}/jobs/{files.pk}")


def test_a_small_cycle_still_imports_within_the_request(client, open_cycle, secretariat):
    client.force_login(secretariat)
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload(GOOD)})
    assert r["Location"] == f"/cycles/{open_cycle.pk}/external"
    assert points(open_cycle, "x-a", "4.1.1") == Decimal("12.5")
    assert Job.objects.get().status == "done"
    assert not DBTaskResult.objects.exists()  # nothing queued


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_the_job_page_is_the_cycles_secretariats(suffix, refused, open_cycle, secretariat):
    job = queue.start(Job.Kind.ADVANCE, secretariat, open_cycle, {})
    refused(f"/cycles/{open_cycle.pk}/jobs/{job.pk}{suffix}")


def test_a_job_of_another_cycle_is_not_found(client, open_cycle, secretariat):
    job = queue.start(Job.Kind.ADVANCE, secretariat, open_cycle, {})
    other_cycle = Cycle.objects.create(
        body=open_cycle.body,
        year=2026,
        name="Chỉ số CCHC 2026",
        methodology=open_cycle.methodology,
        created_by=secretariat,
    )
    client.force_login(secretariat)
    assert client.get(f"/cycles/{other_cycle.pk}/jobs/{job.pk}").status_code == 404
    assert client.get(f"/cycles/{open_cycle.pk}/jobs/{job.pk + 1}.json").status_code == 404


def test_a_file_refused_at_upload_queues_nothing(as_jobs, client, open_cycle, secretariat):
    client.force_login(secretariat)
    bad = "unit,code,points\nx-a,4.1.1,999\nx-zz,4.1.1,1\n"
    r = client.post(f"/cycles/{open_cycle.pk}/external", {"file": upload(bad)})
    assert r.status_code == 400
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


EXTERNAL = [("x-a", "4.1.1"), ("x-b", "4.1.2"), ("x-d", "2.2.1"), ("x-a", "4.1.2")]


@examples(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=4),
    spoil=st.sampled_from([None, "unit", "appraised", "range"]),
)
def test_an_import_job_applies_every_row_or_none(open_cycle, secretariat, values, spoil):
    rows = [[u, c, str(v)] for (u, c), v in zip(EXTERNAL, values, strict=False)]
    if spoil == "unit":
        rows.append(["x-zz", "4.1.1", "1"])
    elif spoil == "appraised":
        rows.append(["x-a", "1.1.1", "1"])
    elif spoil == "range":
        rows.append(["x-b", "4.1.1", "999"])
    before = {(u, c): points(open_cycle, u, c) for u, c in EXTERNAL}
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": rows})
    run_jobs()
    job.refresh_from_db()
    after = {(u, c): points(open_cycle, u, c) for u, c in EXTERNAL}
    if spoil is None:
        assert job.status == "done" and job.result == {"count": len(rows)}
        assert all(after[(u, c)] == Decimal(v) for u, c, v in rows)
    else:
        assert job.status == "failed" and len(job.errors) == 1
        assert after == before
