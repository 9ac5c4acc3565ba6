"""Recovery of the jobs a dead worker left running (parindex_web.jobs.recovery): resumed from
their checkpoint when the worker could go on from there, else failed with a message the
secretariat reads on the job's page; the worker recovers when it starts and after each job."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks_db.management.commands import db_worker as tasks_db_worker
from django_tasks_db.models import DBTaskResult
from job_worker import run_jobs

from parindex_web.cycles.models import Cycle, Entry, Phase
from parindex_web.cycles.services import busy
from parindex_web.jobs import batches, queue, recovery, runner
from parindex_web.jobs.management.commands import db_worker
from parindex_web.jobs.models import Job

pytestmark = pytest.mark.django_db

GONE = "some-host:1"  # another machine's process: only the heartbeat can tell


@pytest.fixture
def open_cycle(cycle: Cycle, run_to: Any) -> Cycle:
    return run_to(cycle, Phase.SELF_ASSESSMENT)


def left_running(job: Job, *, minutes: int, worker: str = GONE, **fields: Any) -> Job:
    """``job`` as a worker that died ``minutes`` ago left it: claimed, its task running."""
    claimed = runner.claim(job.pk)
    assert claimed is not None
    if job.task_id:
        DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    then = timezone.now() - timedelta(minutes=minutes)
    Job.objects.filter(pk=job.pk).update(
        started_at=then, heartbeat_at=then, worker=worker, **fields
    )
    job.refresh_from_db()
    return job


def points(cycle: Cycle, unit: str, code: str) -> Decimal | None:
    return Entry.objects.get(
        assessment__cycle=cycle, assessment__unit__code=unit, code=code
    ).external_points


def test_a_batched_import_whose_worker_went_silent_is_resumed_from_its_checkpoint(
    open_cycle: Cycle, secretariat: Any, client: Any
) -> None:
    rows = [["x-a", "4.1.1", "3"], ["x-b", "4.1.2", "4"]]
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": rows})
    old_task = job.task_id
    busy.mark(open_cycle, job.pk)
    job = left_running(job, minutes=11, checkpoint={"stage": "applying", "batches": 0, "done": 0})

    assert [(j.pk, outcome) for j, outcome in recovery.recover()] == [(job.pk, "resumed")]
    job.refresh_from_db()
    assert (job.status, job.attempt, job.worker) == ("queued", 1, "")
    assert job.task_id != old_task
    assert DBTaskResult.objects.get(id=old_task).status == "FAILED"
    client.force_login(secretariat)
    page = client.get(f"/cycles/{open_cycle.pk}/jobs/{job.pk}").content.decode()
    assert "công việc đã được xếp hàng lại và sẽ tiếp tục từ chỗ đã dừng" in page
    assert "mọi thay đổi khác trong kỳ đánh giá này" in page
    assert run_jobs() == 1
    job.refresh_from_db()
    open_cycle.refresh_from_db()
    assert (job.status, job.result) == ("done", {"count": 2})
    assert points(open_cycle, "x-a", "4.1.1") == 3 and points(open_cycle, "x-b", "4.1.2") == 4
    assert open_cycle.busy_job is None


def test_a_job_whose_process_on_this_machine_is_gone_is_recovered_at_once(
    open_cycle: Cycle, secretariat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = queue.start(Job.Kind.ADVANCE, secretariat, open_cycle, {})
    job = left_running(job, minutes=0, worker=runner.this_worker())
    assert recovery.recover() == []  # this process is alive, and the heartbeat is fresh
    monkeypatch.setattr(recovery.os, "kill", mock.Mock(side_effect=ProcessLookupError))
    assert [outcome for _j, outcome in recovery.recover()] == ["resumed"]


def test_a_running_job_with_a_recent_sign_of_life_is_left_alone(
    open_cycle: Cycle, secretariat: Any
) -> None:
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": []})
    job = left_running(job, minutes=30)
    runner.reporter(job)(1, 2)  # a progress report a moment ago (the cache's heartbeat)
    assert recovery.recover() == []
    assert recovery.recover(now=timezone.now() + timedelta(minutes=11))[0][1] == "resumed"


def test_a_publication_left_running_is_failed_with_a_message_on_its_page(
    cycle: Cycle, run_to: Any, secretariat: Any, client: Any, parse: Any
) -> None:
    run_to(cycle, Phase.FINALISED)
    job = queue.start(Job.Kind.PUBLISH, secretariat, cycle, {})
    job = left_running(job, minutes=15)
    last = timezone.localtime(job.heartbeat_at).strftime("%d/%m/%Y %H:%M")
    assert [outcome for _j, outcome in recovery.recover()] == ["failed"]
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert job.errors == [
        f"Tiến trình chạy công việc này đã dừng (lần cuối còn hoạt động lúc {last}) trước khi "
        "công việc kết thúc. Chưa có gì được áp dụng: hãy chạy lại."
    ]
    client.force_login(secretariat)
    page = parse(client.get(f"/cycles/{cycle.pk}/jobs/{job.pk}").content)
    items = page.find("ul", class_="errors").node.find_all("li")
    assert [li.get_text() for li in items] == job.errors
    assert not DBTaskResult.objects.ready().exists()  # not queued again


def test_an_inline_job_left_running_is_failed_and_its_cycle_let_go(
    open_cycle: Cycle, secretariat: Any, settings: Any
) -> None:
    """A request that died mid-way: its one transaction died with it; a held cycle (none is,
    inline, but recovery lets go of any the job holds) is free again."""
    job = queue._new(Job.Kind.ADVANCE, secretariat, open_cycle, {}, status=Job.Status.RUNNING)
    Cycle.objects.filter(pk=open_cycle.pk).update(busy_job=job.pk)
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert [outcome for _j, outcome in recovery.recover()] == ["failed"]
    open_cycle.refresh_from_db()
    assert open_cycle.busy_job is None


def test_a_worker_taken_for_dead_cannot_write_once_its_job_was_resumed(
    open_cycle: Cycle, secretariat: Any
) -> None:
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": []})
    zombie = left_running(job, minutes=20)
    recovery.recover()
    with pytest.raises(batches.Superseded):
        batches.save(zombie, {"stage": "applying", "batches": 1, "done": 1}, 1, 1)
    job.refresh_from_db()
    assert (job.status, job.checkpoint) == ("queued", {})


def test_the_worker_recovers_when_it_starts(open_cycle: Cycle, secretariat: Any) -> None:
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": [["x-a", "4.1.1", "5"]]})
    left_running(job, minutes=60)
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="restarted",
        excluded_queue_names=[],
    )
    with mock.patch.object(tasks_db_worker, "close_old_connections", lambda: None):
        worker.run()
    job.refresh_from_db()
    assert (job.status, job.attempt) == ("done", 1)
    assert points(open_cycle, "x-a", "4.1.1") == 5


def test_manage_py_db_worker_is_the_recovering_worker() -> None:
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "parindex_web.jobs"
    assert issubclass(db_worker.Command, tasks_db_worker.Command)


def test_a_failing_recovery_is_logged_and_the_worker_goes_on(
    open_cycle: Cycle, secretariat: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    from django.db import OperationalError

    monkeypatch.setattr(db_worker, "recover", mock.Mock(side_effect=OperationalError("gone")))
    job = queue.start(Job.Kind.IMPORT, secretariat, open_cycle, {"points": [["x-a", "4.1.1", "2"]]})
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w",
        excluded_queue_names=[],
    )
    with mock.patch.object(tasks_db_worker, "close_old_connections", lambda: None):
        worker.run()
    job.refresh_from_db()
    assert job.status == "done"
    assert "the recovery of stopped jobs failed" in caplog.text
