"""`manage.py serve`: the multi-process server `make run` starts."""

import gc
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parindex_web.home.management.commands.serve import _Gunicorn, default_workers, warm_up

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize("address", ["8000", "localhost:", "localhost:http", ":8000"])
def test_an_address_without_host_and_port_is_refused(address):
    with pytest.raises(CommandError, match="host:port"):
        call_command("serve", address)


@pytest.mark.parametrize("option", ["--workers", "--threads"])
def test_zero_workers_or_threads_are_refused(option):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("serve", "127.0.0.1:8000", option, "0")


def test_default_workers_are_one_per_core_plus_one(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_workers() == 3
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert default_workers() == 2


@pytest.mark.parametrize("reuse_port", [False, True])
def test_an_address_in_use_is_refused(reuse_port):
    # With SO_REUSEPORT on both sides (another `serve` of the same user), a second server could
    # bind the port and silently take half its connections; the probe refuses it either way.
    with socket.socket() as other:
        if reuse_port:
            other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(CommandError, match=f"cannot listen on 127.0.0.1:{port}"):
            call_command("serve", f"127.0.0.1:{port}")


def test_an_unknown_host_is_refused():
    with pytest.raises(CommandError, match=r"cannot resolve 'no-such-host\.invalid'"):
        call_command("serve", "no-such-host.invalid:8000")


def test_it_serves_pages_from_several_processes_and_stops_on_interrupt(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PARINDEX_MEDIA_ROOT": str(tmp_path / "media"),
    }
    server = subprocess.Popen(
        [
            *(sys.executable, str(REPO / "manage.py"), "serve", f"127.0.0.1:{port}"),
            *("--workers", "2", "--access-log"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read()
                break
            except OSError:
                time.sleep(0.1)
        assert body == b'{"status": "ok"}'
        # WhiteNoise serves the static files, as in production.
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/vendor/echarts/echarts.min.js"
        ) as r:
            assert r.status == 200
        for _ in range(100):  # the second worker may still be booting
            if len(children(server.pid)) == 2:
                break
            time.sleep(0.1)
        assert len(children(server.pid)) == 2
        for _ in range(40):  # new connections, each its own
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz?spread") as r:
                assert r.status == 200
    finally:
        server.send_signal(signal.SIGINT)
        out, _err = server.communicate(timeout=30)
    assert server.returncode == 0
    assert f"http://127.0.0.1:{port}/ (2 processes × 2 threads" in out
    # The kernel spreads connections over the workers' own sockets: 40 connections all landing
    # on one of two workers would happen once in 2**39 runs.
    pids = {line.rsplit("pid=", 1)[1] for line in out.splitlines() if "/healthz?spread" in line}
    assert len(pids) == 2


def test_warm_up_compiles_every_template_before_the_first_request():
    from django.template import engines

    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    assert warm_up() > 100  # the project's templates and the admin's
    cached = set(loader.get_template_cache)
    assert {"base.html", "assessments/entry.html", "results/ranking.html"} <= cached


def test_a_worker_freezes_what_it_loaded_so_full_collections_skip_it():
    assert gc.get_freeze_count() == 0
    try:
        application = _Gunicorn.__new__(_Gunicorn).load()  # what each worker runs at start
        frozen = gc.get_freeze_count()
        # What a full collection still walks: only what was created after the freeze, not
        # the modules, templates and catalogues the worker loaded (a mutation that drops the
        # freeze leaves frozen at 0 and every object walked).
        walked = len(gc.get_objects())
        assert callable(application)
        assert frozen > 50_000
        assert walked < frozen // 20
    finally:
        gc.unfreeze()
