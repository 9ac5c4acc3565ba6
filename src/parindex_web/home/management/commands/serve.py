"""Serve the site the way ``make run`` does: gunicorn, several processes, on embedded defaults.

``runserver`` is one process: under a hundred officers saving at once its single interpreter
(and GIL) is the queue. This command starts gunicorn with worker processes (threads inside
each), so requests run on every core; SQLite in WAL mode takes the writers one at a time.
Static files come from WhiteNoise, as in production. For code reloading while developing, use
``manage.py runserver`` (``make dev``).
"""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication


def default_workers() -> int:
    """One worker per core, plus one.

    gunicorn's "2 × cores + 1" is advice for one-thread workers waiting on I/O; these workers
    run a few threads each, and measured on 2 cores (bench/officers_load.py, PostgreSQL) 5 workers
    gave a save p95 of 520 ms against 130 ms for 3: more processes than cores only fight over
    them.
    """
    return (os.cpu_count() or 1) + 1


class _Gunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn is untyped
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Imported here, in each worker, so that nothing (no database connection) is shared
        # across the fork.
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        warm_up()
        freeze_heap()
        return application


def warm_up() -> int:
    """Do in a worker, before its first request, what its first requests would each wait for.

    Imports every view (the URL configuration), reads the translation catalogues of every
    language and compiles every template into the cached loader. Without it, the first page
    each new worker serves takes seconds under load. Returns the number of templates compiled.
    """
    from django.conf import settings
    from django.template import TemplateDoesNotExist, engines
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    get_resolver().url_patterns  # noqa: B018  (evaluated for its imports)
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)  # reads and merges every app's catalogue, then caches it
    compiled = 0
    for engine in engines.all():
        for folder in engine.template_dirs:
            for path in Path(folder).rglob("*.html"):
                try:
                    engine.get_template(path.relative_to(folder).as_posix())
                except TemplateDoesNotExist:  # shadowed by a template of the same name
                    continue
                compiled += 1
    return compiled


def freeze_heap() -> int:
    """Take what a worker has loaded out of the garbage collector's sight; return how much.

    After ``warm_up`` a worker holds about 150,000 long-lived objects (modules, compiled
    templates, translation catalogues) that no request frees, and each full (generation 2)
    collection walks all of them: about 75 ms on an idle core, 90–330 ms measured under the
    officers benchmark. The workers serve the same load, so they reach that collection at about
    the same moment and the whole server pauses. Frozen objects (``gc.freeze``) are never walked
    again: a full collection then walks only what requests created since, a few thousand
    objects (8–42 ms measured). Garbage among frozen objects would never be freed, so the heap is
    collected first; call this once, before the first request.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def _check_free(host: str, port: int) -> None:
    """Refuse an address another server already listens on.

    The workers' sockets share their port (``SO_REUSEPORT``), so a second server of the same
    user on the same port would start without complaint and take half the connections. A bind
    without that flag fails if anything listens there, whatever its flags.
    """
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CommandError(f"cannot resolve {host!r}: {exc.strerror}") from exc
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As gunicorn does: a port whose last connections are still closing (TIME_WAIT) is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def clean_uploads(command: BaseCommand) -> None:
    """Before serving: delete the temporary files of uploads a stopped or killed server cut
    off, and list orphan evidence files (``manage.py clean_uploads``). The database connection
    this opens is closed again, so that no worker inherits it across the fork."""
    from django.db import DatabaseError, connections

    from parindex_web.cycles.management.commands.clean_uploads import report

    try:
        report(command.stdout.write, before=time.time())
    except DatabaseError as exc:
        command.stderr.write(f"evidence files not checked: the database is unavailable ({exc})")
    finally:
        connections.close_all()


def start_worker(command: BaseCommand) -> subprocess.Popen[bytes] | None:
    """The job worker (``manage.py db_worker``, django-tasks-db) in its own process beside
    gunicorn, unless ``PARINDEX_JOBS_WORKER`` is off (production runs its own; see
    docs/deployment.md, "Jobs"). Stopped by :func:`stop_worker` when the server stops."""
    from django.conf import settings

    if not settings.PARINDEX_JOBS_WORKER:
        command.stdout.write("job worker: off (PARINDEX_JOBS_WORKER)")
        return None
    # `python -m django` with this process's DJANGO_SETTINGS_MODULE (manage.py sets it).
    argv = [sys.executable, "-m", "django", "db_worker", "--no-reload", "--interval", "1"]
    worker = subprocess.Popen(argv, env={**os.environ, "DJANGO_SETTINGS_MODULE": _settings()})
    command.stdout.write(f"job worker: pid {worker.pid}")
    return worker


def _settings() -> str:
    return os.environ.get("DJANGO_SETTINGS_MODULE", "parindex_web.settings")


def stop_worker(worker: subprocess.Popen[bytes] | None) -> None:
    """Ask the worker to stop (it finishes the job it runs), then make it."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "Serve the site with gunicorn worker processes (what `make run` starts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000", help="host:port")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", 0)) or default_workers(),
            help="worker processes (default: WEB_CONCURRENCY, else cores + 1)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=2,
            help="threads per worker (default 2: a worker's threads share one interpreter "
            "lock; more threads made the slowest requests slower, see docs/deployment.md)",
        )
        parser.add_argument(
            "--access-log", action="store_true", help="log every request to standard output"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, _, port = options["address"].rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"address must be host:port, not {options['address']!r}")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        _check_free(host, int(port))
        clean_uploads(self)
        self.stdout.write(
            f"parindex on http://{options['address']}/ "
            f"({options['workers']} processes × {options['threads']} threads; Ctrl-C stops)"
        )
        worker = start_worker(self)
        try:
            self._serve(options)
        finally:
            stop_worker(worker)

    def _serve(self, options: dict[str, Any]) -> None:
        _Gunicorn(
            {
                "bind": options["address"],
                "workers": options["workers"],
                "threads": options["threads"],
                "worker_class": "gthread",
                "accesslog": "-" if options["access_log"] else None,
                # gunicorn's usual line, then how long the request took and which worker.
                "access_log_format": '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" '
                '"%(a)s" %(M)sms pid=%(p)s',
                # Large evidence uploads on a slow line must not be cut off.
                "timeout": 120,
                # Served directly (no proxy in front), browsers keep a connection between an
                # officer's pages; gunicorn's 2 s default would close it while they read and
                # race their next request. 75 s is nginx's default.
                "keepalive": 75,
                # gunicorn's control socket has one path per user: two servers (a test beside
                # `make run`) would fight over it, and nothing here uses it.
                "control_socket_disable": True,
                # Each worker listens on its own socket and the kernel spreads new connections
                # over them. With one shared socket, whichever worker wins the accept race keeps
                # the connection for as long as it is kept alive: measured with 100 officers on
                # PostgreSQL, one worker served 6 % of the requests and another 49 %, and p95
                # swung from 124 to 687 ms between runs of the same benchmark.
                "reuse_port": True,
            }
        ).run()
