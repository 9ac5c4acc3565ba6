"""`manage.py serve` starts the job worker beside gunicorn, unless PARINDEX_JOBS_WORKER is off."""

from __future__ import annotations

import io

from django.core.management.base import BaseCommand

from parindex_web.home.management.commands.serve import start_worker, stop_worker


def _command() -> tuple[BaseCommand, io.StringIO]:
    out = io.StringIO()
    return BaseCommand(stdout=out), out


def test_no_worker_is_started_when_the_setting_is_off(settings):
    settings.PARINDEX_JOBS_WORKER = False
    command, out = _command()
    assert start_worker(command) is None
    assert "job worker: off" in out.getvalue()


def test_the_worker_runs_django_tasks_db_worker_and_stops_with_the_server(settings):
    settings.PARINDEX_JOBS_WORKER = True
    command, out = _command()
    worker = start_worker(command)
    assert worker is not None
    try:
        assert worker.args[1:5] == ["-m", "django", "db_worker", "--no-reload"]
        assert worker.poll() is None  # running
        assert f"job worker: pid {worker.pid}" in out.getvalue()
    finally:
        stop_worker(worker)
    assert worker.returncode is not None
    stop_worker(worker)  # stopping a stopped worker does nothing
