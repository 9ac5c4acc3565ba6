"""``manage.py db_worker``: django-tasks-db's worker, recovering the jobs of dead workers.

The same command and options as django-tasks-db's own (this app is listed before it, so this
one wins); its worker also runs :func:`parindex_web.jobs.recovery.recover` when it starts and
after each task, so that a job left running by a worker that was killed is resumed from its
checkpoint, or failed with a message on its page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from parindex_web.jobs.recovery import recover

logger = logging.getLogger(__name__)


def recover_logged() -> None:
    """Recover, and log what was recovered; a failure of the recovery itself (the database
    not migrated yet, gone for a moment) is logged and the worker goes on with its tasks."""
    try:
        recovered = recover()
    except DatabaseError:
        logger.exception("the recovery of stopped jobs failed; the worker goes on")
        return
    for job, outcome in recovered:
        logger.warning("job %s %s after its worker stopped", job.pk, outcome)


class Worker(db_worker.Worker):
    def run(self) -> None:
        recover_logged()
        super().run()

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        try:
            super().run_task(db_task_result)
        finally:
            recover_logged()


class Command(db_worker.Command):
    help = db_worker.Command.help + ", recovering the jobs of workers that died"

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = Worker  # type: ignore[misc]  # the command builds its worker by name
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
