"""Running queued jobs in a test: django-tasks-db's own worker (its claim loop in batch mode),
in the test's thread and inside its transaction if it has one."""

from __future__ import annotations

import time
from unittest import mock

from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker


def run_jobs(
    *, worker_id: str = "test-worker", max_tasks: int | None = None, locked_tries: int = 1
) -> int:
    """Run every task queued (or ``max_tasks`` of them) and return how many ran.

    The worker closes stale database connections between tasks, which would end the test's
    transaction; that alone is left out.

    ``locked_tries``: how many times the worker is started when SQLite reports "database table
    is locked", 0.1 s apart. A live server's test database (the browser tests) is SQLite in
    memory with a shared cache, where a table read by a page's request at that moment makes the
    worker's ``BEGIN EXCLUSIVE`` fail at once (no busy timeout applies to shared-cache locks,
    unlike the file databases the app runs on). The tasks run before the failure count, and are
    not run again; any other error, or the lock once the tries are spent, is raised."""
    ran = tries = 0
    while True:
        tries += 1
        worker = db_worker.Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None if max_tasks is None else max_tasks - ran,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        try:
            with mock.patch.object(db_worker, "close_old_connections", lambda: None):
                worker.run()
        except OperationalError as exc:
            if "locked" not in str(exc) or tries >= locked_tries:
                raise
            ran += worker._run_tasks
            time.sleep(0.1)
        else:
            return ran + worker._run_tasks
