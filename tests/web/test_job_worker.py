"""The tests' job runner (job_worker.run_jobs): its tries again when SQLite reports a locked
table keep the count of the tasks run."""

from __future__ import annotations

import pytest
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker
from job_worker import run_jobs


@pytest.fixture
def runs(monkeypatch):
    """Each start of the worker runs the next of these: (tasks it runs, error it ends with)."""
    plan: list[tuple[int, Exception | None]] = []
    starts = []

    def run(self):
        ran, error = plan.pop(0)
        starts.append(self.max_tasks)
        self._run_tasks += ran
        if error is not None:
            raise error

    monkeypatch.setattr(db_worker.Worker, "run", run)
    return plan, starts


LOCKED = OperationalError("database table is locked: django_tasks_db_dbtaskresult")


def test_the_tasks_run_before_a_locked_table_count_with_those_of_the_next_try(runs, monkeypatch):
    plan, starts = runs
    monkeypatch.setattr("job_worker.time.sleep", lambda seconds: None)
    plan += [(1, LOCKED), (0, LOCKED), (2, None)]
    assert run_jobs(locked_tries=5) == 3
    assert len(starts) == 3


def test_max_tasks_counts_the_tasks_of_the_earlier_tries(runs, monkeypatch):
    plan, starts = runs
    monkeypatch.setattr("job_worker.time.sleep", lambda seconds: None)
    plan += [(1, LOCKED), (2, None)]
    assert run_jobs(max_tasks=3, locked_tries=2) == 3
    assert starts == [3, 2]


def test_a_locked_table_is_raised_once_the_tries_are_spent(runs, monkeypatch):
    plan, starts = runs
    monkeypatch.setattr("job_worker.time.sleep", lambda seconds: None)
    plan += [(0, LOCKED), (0, LOCKED)]
    with pytest.raises(OperationalError, match="locked"):
        run_jobs(locked_tries=2)
    assert len(starts) == 2


def test_by_default_a_locked_table_is_not_tried_again(runs):
    plan, starts = runs
    plan += [(0, LOCKED)]
    with pytest.raises(OperationalError, match="locked"):
        run_jobs()
    assert len(starts) == 1


def test_another_database_error_is_raised_at_once(runs):
    plan, starts = runs
    plan += [(0, OperationalError("no such table: x")), (1, None)]
    with pytest.raises(OperationalError, match="no such table"):
        run_jobs(locked_tries=5)
    assert len(starts) == 1
