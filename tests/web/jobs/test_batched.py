"""Batched jobs (issue 17): in the worker, opening the self-assessment, finalising and an
import of survey and data points hold the cycle, check everything, then apply in batches of
units (or rows), each batch in its own short transaction with the job's checkpoint; a worker
stopped between batches leaves a job that goes on from there; the cycle refuses every other
change while the job holds it.

The cycles are the scale demo's (tests/web/cycles/test_set_based.py): example communes on the
100-leaf methodology (20 leaves from surveys and data), with batches made small here (2 units,
40 import rows) so that a few units make several batches.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from cycles.test_set_based import build, expected_points, external_rows, fill
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from job_worker import run_jobs
from transactions import longest, most, transactions

from parindex_web.audit.models import AuditRecord, verify
from parindex_web.cycles import preflight, services
from parindex_web.cycles.models import Assessment, Cycle, Entry, Phase
from parindex_web.cycles.services import bulk, external
from parindex_web.jobs import batches, queue, recovery
from parindex_web.jobs.models import Job

pytestmark = pytest.mark.django_db

UNITS, ROWS = 2, 40
SAVE = batches.save
ENTRY = "cycles_entry"


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setattr(bulk, "UNITS_PER_BATCH", UNITS)
    monkeypatch.setattr(bulk, "ROWS_PER_BATCH", ROWS)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class Killed(BaseException):
    """The worker killed between two batches (not an error the job could catch)."""


def kill_at_batch(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """The worker dies inside the ``n``-th batch's transaction (1 = the first batch), after
    its writes, before its commit: that batch is rolled back, the earlier ones are kept."""
    real, calls = batches.save, []

    def save(job: Job, checkpoint: dict[str, Any], done: int, total: int) -> None:
        if checkpoint.get("stage") == "applying":
            calls.append(checkpoint)
            if len(calls) == n:
                raise Killed
        real(job, checkpoint, done, total)

    monkeypatch.setattr(batches, "save", save)


def resume_after_the_kill(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker restarted: the dead one's job is resumed (its process is taken for gone)."""
    monkeypatch.setattr(batches, "save", SAVE)
    monkeypatch.setattr(recovery, "alive", lambda worker: False)
    assert [outcome for _job, outcome in recovery.recover()] == ["resumed"]
    monkeypatch.setattr(recovery, "alive", lambda worker: True)
    assert run_jobs() == 1


def entries(cycle: Cycle) -> list[tuple[str, str, int]]:
    return list(
        Entry.objects.filter(assessment__cycle=cycle)
        .order_by("pk")
        .values_list("assessment__unit__code", "code", "version")
    )


def leaves_of(cycle: Cycle, units: list[str]) -> list[tuple[str, str, int]]:
    """What opening the self-assessment makes: each unit's leaves in the methodology's order."""
    leaves = [n.code for n in cycle.core().leaves]
    return [(unit, code, 0) for unit in units for code in leaves]


def confirmed(cycle: Cycle) -> dict[str, Any]:
    """A phase change's arguments with the confirmation of the pre-flight table as it is."""
    report = preflight.check(cycle)
    return {"confirm": report.token if report is not None else None}


def to_explanation(user: Any, cycle: Cycle, units: list[str]) -> None:
    services.advance_phase(user, cycle)
    services.set_external_points(user, cycle, external_rows(cycle, units))
    fill(cycle)
    services.advance_phase(user, cycle)
    services.advance_phase(user, cycle)


def test_opening_the_self_assessment_writes_one_batch_of_units_per_transaction() -> None:
    scale, cycle = build(5)
    units = [u.code for u in scale.units]
    job = queue.start(Job.Kind.ADVANCE, scale.secretariat, cycle, {})
    with transactions() as found:
        assert run_jobs() == 1
    job.refresh_from_db()
    cycle.refresh_from_db()
    assert (job.status, job.done, job.total, job.result) == (
        "done",
        5,
        5,
        {"phase": "self_assessment"},
    )
    assert cycle.phase == Phase.SELF_ASSESSMENT and cycle.busy_job is None
    assert entries(cycle) == leaves_of(cycle, units)
    assert [tx.rows[ENTRY] for tx in found if tx.rows[ENTRY]] == [200, 200, 100]
    assert most(found, ENTRY) == UNITS * 100
    assert longest(found) < 2.0
    assert job.checkpoint["stage"] == "closed"


def test_finalising_writes_one_batch_of_units_per_transaction_and_the_per_entry_points() -> None:
    scale, cycle = build(5)
    to_explanation(scale.secretariat, cycle, [u.code for u in scale.units])
    expected = expected_points(cycle)
    job = queue.start(Job.Kind.ADVANCE, scale.secretariat, cycle, confirmed(cycle))
    with transactions() as found:
        assert run_jobs() == 1
    job.refresh_from_db()
    cycle.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 5, 5)
    assert cycle.phase == Phase.FINALISED and cycle.busy_job is None
    final = {
        (u, c): p
        for u, c, p in Entry.objects.filter(assessment__cycle=cycle).values_list(
            "assessment__unit__code", "code", "final_points"
        )
    }
    assert final == expected
    assert final[("vd-0001", "1.1.1")] == Decimal("0.75")  # the accepted explanation
    assert set(cycle.assessments.values_list("status", flat=True)) == {Assessment.Status.FINAL}
    assert most(found, ENTRY) == UNITS * 100  # both UPDATEs of one batch: 2 units' entries
    assert longest(found) < 2.0
    assert AuditRecord.objects.filter(action="cycle.phase", new_value="finalised").count() == 1


def test_an_import_writes_one_batch_of_rows_per_transaction_audited_once() -> None:
    scale, cycle = build(5)
    services.advance_phase(scale.secretariat, cycle)
    rows = external_rows(cycle, [u.code for u in scale.units])  # 100 rows
    args = {"points": [[u, c, str(p)] for (u, c), p in rows.items()]}
    job = queue.start(Job.Kind.IMPORT, scale.secretariat, cycle, args)
    with transactions() as found:
        assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result) == ("done", 100, 100, {"count": 100})
    assert [tx.rows[ENTRY] for tx in found if tx.rows[ENTRY]] == [40, 40, 20]
    stored = {
        (u, c): p
        for u, c, p in Entry.objects.filter(
            assessment__cycle=cycle, external_points__isnull=False
        ).values_list("assessment__unit__code", "code", "external_points")
    }
    assert stored == rows
    written = AuditRecord.objects.filter(action="entry.external_points").order_by("pk")
    assert [(r.unit_code, r.code, r.new_value) for r in written] == [
        (u, c, f"{p}") for (u, c), p in rows.items()
    ]
    assert verify() == []
    assert longest(found) < 2.0


def test_an_import_refused_when_it_runs_writes_nothing_and_lets_go_of_the_cycle() -> None:
    scale, cycle = build(3)
    services.advance_phase(scale.secretariat, cycle)
    rows = [[u, c, str(p)] for (u, c), p in external_rows(cycle, ["vd-0001"]).items()]
    rows += [["vd-0002", "1.1.1", "1"], ["vd-0099", "5.1.1", "1"]]
    job = queue.start(Job.Kind.IMPORT, scale.secretariat, cycle, {"points": rows})
    audited = AuditRecord.objects.count()
    run_jobs()
    job.refresh_from_db()
    cycle.refresh_from_db()
    assert job.status == "failed" and len(job.errors) == 2
    assert "1.1.1" in job.errors[0] and "vd-0099 / 5.1.1" in job.errors[1]
    assert not Entry.objects.filter(assessment__cycle=cycle, external_points__isnull=False).exists()
    assert AuditRecord.objects.count() == audited
    assert cycle.busy_job is None


def batched_queries(n: int) -> dict[str, int]:
    """Queries of each batched job (the worker's own included) on a cycle of ``n`` units,
    every unit in one batch."""
    scale, cycle = build(n)
    user, counts = scale.secretariat, {}

    def run(kind: str, args: dict[str, Any]) -> int:
        queue.start(kind, user, cycle, args)
        with CaptureQueriesContext(connection) as queries:
            assert run_jobs() == 1
        cycle.refresh_from_db()
        return len(queries)

    counts["open"] = run(Job.Kind.ADVANCE, {})
    rows = external_rows(cycle, ["vd-0001"])  # the audit chain's inserts grow with the rows
    counts["import"] = run(
        Job.Kind.IMPORT, {"points": [[u, c, str(p)] for (u, c), p in rows.items()]}
    )
    fill(cycle)
    services.advance_phase(user, cycle)
    services.advance_phase(user, cycle)
    cycle.core()
    counts["finalise"] = run(Job.Kind.ADVANCE, confirmed(cycle))
    assert set(cycle.jobs.values_list("status", flat=True)) == {"done"}
    return counts


def test_the_batched_jobs_queries_do_not_grow_with_the_units_in_a_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk, "UNITS_PER_BATCH", 500)
    monkeypatch.setattr(bulk, "ROWS_PER_BATCH", 5000)
    small, large = batched_queries(3), batched_queries(12)
    assert small == large, (small, large)
    # the worker's claim and end, holding and letting go, the checks, one batch, the close
    assert all(count <= 45 for count in small.values()), small


def test_an_import_stopped_between_batches_goes_on_from_there_when_resumed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Killed inside the second batch: the first is kept, the second rolled back; resumed, the
    job applies the second and third once each, as an uninterrupted import does (the test
    above): every point, one audit record each in the file's order, each entry's version once
    more, the chain intact."""
    scale, cycle = build(5)
    services.advance_phase(scale.secretariat, cycle)
    rows = external_rows(cycle, [u.code for u in scale.units])
    args = {"points": [[u, c, str(p)] for (u, c), p in rows.items()]}
    job = queue.start(Job.Kind.IMPORT, scale.secretariat, cycle, args)
    kill_at_batch(monkeypatch, 2)
    run_jobs()
    job.refresh_from_db()
    cycle.refresh_from_db()
    assert job.status == "running" and job.checkpoint == {
        "stage": "applying",
        "batches": 1,
        "done": 40,
    }
    assert cycle.busy_job == job.pk
    assert (
        Entry.objects.filter(assessment__cycle=cycle, external_points__isnull=False).count() == 40
    )

    resume_after_the_kill(monkeypatch)
    job.refresh_from_db()
    cycle.refresh_from_db()
    assert (job.status, job.attempt, job.result) == ("done", 1, {"count": 100})
    assert cycle.busy_job is None
    stored = Entry.objects.filter(assessment__cycle=cycle, external_points__isnull=False)
    assert {(e.assessment.unit.code, e.code): e.external_points for e in stored} == rows
    assert set(stored.values_list("version", flat=True)) == {1}
    written = AuditRecord.objects.filter(action="entry.external_points").order_by("pk")
    assert [(r.unit_code, r.code, r.new_value) for r in written] == [
        (u, c, f"{p}") for (u, c), p in rows.items()
    ]
    assert verify() == []


def test_finalising_stopped_between_batches_ends_as_an_uninterrupted_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scale, cycle = build(5)
    to_explanation(scale.secretariat, cycle, [u.code for u in scale.units])
    expected = expected_points(cycle)
    job = queue.start(Job.Kind.ADVANCE, scale.secretariat, cycle, confirmed(cycle))
    kill_at_batch(monkeypatch, 3)
    run_jobs()
    cycle.refresh_from_db()
    assert cycle.phase == Phase.EXPLANATION and cycle.busy_job == job.pk  # not yet final
    finalised = Entry.objects.filter(assessment__cycle=cycle, final_points__isnull=False)
    assert finalised.values("assessment").distinct().count() == 4  # two batches of two

    resume_after_the_kill(monkeypatch)
    job.refresh_from_db()
    cycle.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 5, 5)
    assert cycle.phase == Phase.FINALISED and cycle.busy_job is None
    final = {
        (u, c): p
        for u, c, p in Entry.objects.filter(assessment__cycle=cycle).values_list(
            "assessment__unit__code", "code", "final_points"
        )
    }
    assert final == expected
    assert AuditRecord.objects.filter(action="cycle.phase", new_value="finalised").count() == 1
    assert verify() == []


def test_opening_stopped_between_batches_ends_as_an_uninterrupted_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scale, cycle = build(5)
    job = queue.start(Job.Kind.ADVANCE, scale.secretariat, cycle, {})
    kill_at_batch(monkeypatch, 2)
    run_jobs()
    cycle.refresh_from_db()
    assert (
        cycle.phase == Phase.DRAFT and Entry.objects.filter(assessment__cycle=cycle).count() == 200
    )
    resume_after_the_kill(monkeypatch)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.SELF_ASSESSMENT and cycle.busy_job is None
    assert entries(cycle) == leaves_of(cycle, [u.code for u in scale.units])
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 5, 5)


def test_while_a_job_holds_the_cycle_every_other_change_is_refused(
    monkeypatch: pytest.MonkeyPatch, client: Any
) -> None:
    scale, cycle = build(3)
    services.advance_phase(scale.secretariat, cycle)
    rows = external_rows(cycle, [u.code for u in scale.units])  # 60 rows: two batches
    args = {"points": [[u, c, str(p)] for (u, c), p in rows.items()]}
    job = queue.start(Job.Kind.IMPORT, scale.secretariat, cycle, args)
    kill_at_batch(monkeypatch, 2)
    run_jobs()
    cycle.refresh_from_db()
    assert cycle.busy_job == job.pk
    message = f"(công việc #{job.pk})"
    user = scale.secretariat
    assessment = cycle.assessments.select_related("unit").order_by("pk").first()
    assert assessment is not None
    entry = assessment.entries.get(code="1.1.1")
    officer, leader = scale.officers[assessment.unit_id], scale.leaders[assessment.unit_id]
    attempts = {
        "import": lambda: services.set_external_points(
            user, cycle, {("vd-0001", "5.1.1"): Decimal(1)}
        ),
        "phase": lambda: services.advance_phase(user, cycle),
        "deadlines": lambda: services.set_deadlines(user, cycle, self_assessment_due=None),
        "assignments": lambda: services.set_assignments(user, cycle, []),
        "save": lambda: services.save_self_assessment(
            officer, entry, inputs={"value": "yes"}, note="", version=entry.version
        ),
        "sign off": lambda: services.sign_off(leader, assessment),
    }
    for name, attempt in attempts.items():
        with pytest.raises(services.CycleError) as refused:
            attempt()
        assert message in str(refused.value), name
    another = queue.start(Job.Kind.ADVANCE, user, cycle, {})
    monkeypatch.setattr(batches, "save", SAVE)
    run_jobs(max_tasks=1)  # the other job, queued later: refused, the cycle still the first's
    another.refresh_from_db()
    cycle.refresh_from_db()
    assert another.status == "failed" and message in another.errors[0]
    assert cycle.busy_job == job.pk and cycle.phase == Phase.SELF_ASSESSMENT

    client.force_login(user)
    page = client.get(f"/cycles/{cycle.pk}/jobs/{job.pk}").content.decode()
    assert "mọi thay đổi khác trong kỳ đánh giá này" in page  # the job holds the cycle
    # the page of a small cycle runs the import within the request
    upload = "unit,code,points\nvd-0001,5.1.1,1\n"
    r = client.post(
        f"/cycles/{cycle.pk}/external",
        {"file": SimpleUploadedFile("diem.csv", upload.encode(), "text/csv")},
    )
    assert r.status_code == 400 and message in r.content.decode()


def test_an_unexpected_error_in_a_batch_fails_the_job_keeps_what_was_applied_and_lets_go(
    monkeypatch: pytest.MonkeyPatch, client: Any
) -> None:
    """The second batch breaks (a disk full): the first stays applied and audited, the job says
    how far it got, the cycle is free again, and the same import run again finishes it."""
    scale, cycle = build(5)
    services.advance_phase(scale.secretariat, cycle)
    rows = external_rows(cycle, [u.code for u in scale.units])
    args = {"points": [[u, c, str(p)] for (u, c), p in rows.items()]}
    job = queue.start(Job.Kind.IMPORT, scale.secretariat, cycle, args)
    real, calls = external.apply_external, []

    def apply(*a: Any) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(*a)

    monkeypatch.setattr(external, "apply_external", apply)
    run_jobs()
    job.refresh_from_db()
    cycle.refresh_from_db()
    assert job.status == "failed" and cycle.busy_job is None
    assert job.errors == [
        "Công việc dừng vì một lỗi ngoài dự kiến; quản trị viên xem được nguyên nhân.",
        "Công việc dừng sau 40 trên 100; phần đã áp dụng được giữ lại. "
        "Hãy chạy lại đúng bước này để hoàn tất.",
    ]
    applied = Entry.objects.filter(assessment__cycle=cycle, external_points__isnull=False)
    assert applied.count() == 40
    client.force_login(scale.secretariat)
    page = client.get(f"/cycles/{cycle.pk}/jobs/{job.pk}").content.decode()
    assert "Không có gì bị thay đổi" not in page

    monkeypatch.setattr(external, "apply_external", real)
    again = queue.start(Job.Kind.IMPORT, scale.secretariat, cycle, args)
    run_jobs()
    again.refresh_from_db()
    assert again.status == "done"
    stored = Entry.objects.filter(assessment__cycle=cycle, external_points__isnull=False)
    assert {(e.assessment.unit.code, e.code): e.external_points for e in stored} == rows
    assert AuditRecord.objects.filter(action="entry.external_points").count() == 100
    assert verify() == []
