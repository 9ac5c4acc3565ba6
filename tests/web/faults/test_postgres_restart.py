"""PostgreSQL restarted under the running server: requests meanwhile get the 503 "briefly
unavailable" page (never a 500), the server recovers by itself, no acknowledged write is lost.

Needs PostgreSQL's server programs and root (to run them as the postgres user, as
.ci/postgres.sh does); runs in CI's PostgreSQL phase (DATABASE_URL is PostgreSQL), or anywhere
with PARINDEX_FAULTS=whole. It starts a server of its own on PARINDEX_FAULTS_PG_PORT (default
54339) in /tmp/parindex-faults-pg, so the suite's database is not touched.
"""

from __future__ import annotations

import glob
import os
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from .harness import REPO, Browser, Down, Harness

PORT = os.environ.get("PARINDEX_FAULTS_PG_PORT", "54339")
DATA = "/tmp/parindex-faults-pg"
BINDIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql" and os.environ.get("PARINDEX_FAULTS") != "whole",
        reason="runs in the PostgreSQL phase (DATABASE_URL is PostgreSQL) or PARINDEX_FAULTS=whole",
    ),
    pytest.mark.skipif(not BINDIRS or os.geteuid() != 0, reason="needs PostgreSQL and root"),
]


def pg_ctl(*args: str) -> None:
    """Run pg_ctl as the postgres user; a server it starts logs to its own file and holds none
    of this process's pipes (else the call would wait for the server to exit)."""
    subprocess.run(
        ["runuser", "-u", "postgres", "--", f"{BINDIRS[-1]}/pg_ctl", "-D", DATA, "-w", *args],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.fixture
def postgres():
    env = {**os.environ, "PARINDEX_PG_PORT": PORT, "PARINDEX_PG_DATA": DATA}
    script = str(REPO / ".ci" / "postgres.sh")
    out = subprocess.run([script, "start"], env=env, check=True, capture_output=True, text=True)
    yield out.stdout.strip().split("=", 1)[1]
    subprocess.run([script, "stop"], env=env, check=False, capture_output=True)


def test_a_postgresql_restart_gives_503_pages_and_the_server_recovers(postgres, tmp_path):
    harness = Harness(
        tmp_path,
        postgres,
        clients=3,
        env={
            "PARINDEX_DEBUG": "false",  # what people see in production, not the debug page
            "PARINDEX_SECRET_KEY": "faults-" + "x" * 50,
            "PARINDEX_ALLOWED_HOSTS": "127.0.0.1",
            "PARINDEX_SSL_REDIRECT": "false",
            "DJANGO_SETTINGS_MODULE": "production_settings",
            "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(REPO / "src")]),
        },
    )
    t0 = time.monotonic()
    harness.set_up()
    harness.start()
    print(f"set up and started in {time.monotonic() - t0:.1f} s")
    try:
        t0 = time.monotonic()

        def restart() -> None:
            time.sleep(4)
            pg_ctl("-m", "fast", "-l", f"{DATA}/server.log", "restart")  # during the burst

        harness.burst(seconds=12, kills=0, on_start=restart)
        print(f"burst with a restart: {time.monotonic() - t0:.1f} s")
        # Down long enough to see: every page answers 503 with the page, then recovers.
        probe = Browser(harness.port)
        probe.login("officer00")
        leaf = f"/assessments/{harness.assessments[0][1]}/entries/1.1/"
        pg_ctl("-m", "fast", "stop")
        status, body = probe.request("GET", leaf)
        api_status, api_body = probe.request("GET", "/api/v1/cycles")
        options = f"-p {PORT} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        pg_ctl("-l", f"{DATA}/server.log", "-o", options, "start")  # as .ci/postgres.sh does
        recovered = None
        for _ in range(50):
            try:
                recovered = probe.request("GET", leaf)[0]
            except Down:
                recovered = None
            if recovered == 200:
                break
            time.sleep(0.2)
    finally:
        harness.shut_down()
    assert (status, b"Traceback" in body) == (503, False)
    assert "Tạm thời gián đoạn".encode() in body
    assert api_status in (401, 503), api_body  # no token: refused before the database, or 503
    assert recovered == 200
    assert set(harness.record.statuses) <= {503}, harness.record.statuses
    assert harness.record.acked > 10
    result = harness.check()
    assert result["problems"] == [] and result["chain_findings"] == []
    assert result["leftovers"] == [] and result["orphans"] == 0
    assert "Internal Server Error" not in Path(harness.log).read_text(errors="replace")
