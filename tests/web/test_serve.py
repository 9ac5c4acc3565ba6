"""`manage.py serve`: the multi-process server `make run` starts."""

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

from parindex_web.home.management.commands.serve import default_workers, warm_up

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


def test_it_serves_pages_from_several_processes_and_stops_on_interrupt(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PARINDEX_MEDIA_ROOT": str(tmp_path / "media"),
    }
    server = subprocess.Popen(
        [sys.executable, str(REPO / "manage.py"), "serve", f"127.0.0.1:{port}", "--workers", "2"],
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
    finally:
        server.send_signal(signal.SIGINT)
        out, _err = server.communicate(timeout=30)
    assert server.returncode == 0
    assert f"http://127.0.0.1:{port}/ (2 processes × 4 threads" in out


def test_warm_up_compiles_every_template_before_the_first_request():
    from django.template import engines

    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    assert warm_up() > 100  # the project's templates and the admin's
    cached = set(loader.get_template_cache)
    assert {"base.html", "assessments/entry.html", "results/ranking.html"} <= cached
