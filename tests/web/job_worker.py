"""Running queued jobs in a test: django-tasks-db's own worker (its claim loop in batch mode),
in the test's thread and inside its transaction."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands import db_worker


def run_jobs(*, worker_id: str = "test-worker", max_tasks: int | None = None) -> int:
    """Run every task queued (or ``max_tasks`` of them) and return how many ran.

    The worker closes stale database connections between tasks, which would end the test's
    transaction; that alone is left out."""
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    return worker._run_tasks
