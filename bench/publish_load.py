"""Publication-day load: the public ranking page and its JSON twin under 200 connections.

Starts the app as in production (gunicorn, several workers, DEBUG off, WhiteNoise static files)
on a fresh SQLite database with the demo data, and nginx twice: once serving the same bytes as
static files (the baseline, measured in the same run), once as the production front end, a
caching reverse proxy to gunicorn that honours the app's ``Cache-Control``. wrk (Debian) drives
each target with 200 connections. Prints requests/s, latency percentiles and errors, and the
ratios against static nginx. Targets (issue 4): ≥ 50 % of nginx's throughput, p99 ≤ 100 ms,
0 errors. A benchmark, not a test: it reports, it does not assert.

Usage: ``python bench/publish_load.py [--seconds 10] [--connections 200] [--workers 3]``.
Needs ``nginx`` and ``wrk`` (``apt-get install nginx-light wrk``).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from _procs import free_port, stop

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: {url} did not answer in {seconds} s")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


@dataclass
class Run:
    name: str
    rps: float
    p50: float
    p99: float
    errors: int


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(name: str, url: str, seconds: int, connections: int) -> Run:
    out = subprocess.run(
        [
            WRK,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    return Run(name, rps, p50, p99, errors)


NGINX_CONF = """
worker_processes 2;
pid {work}/nginx-{name}.pid;
error_log {work}/nginx-{name}-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  types {{ text/html html; application/json json; }}
  gzip on; gzip_types application/json text/css application/javascript; gzip_min_length 1000;
  client_body_temp_path {work}/nginx-{name}-body;
  proxy_temp_path {work}/nginx-{name}-proxy;
  fastcgi_temp_path {work}/nginx-{name}-fcgi; uwsgi_temp_path {work}/nginx-{name}-uwsgi;
  scgi_temp_path {work}/nginx-{name}-scgi;
  proxy_cache_path {work}/nginx-{name}-cache levels=1:2 keys_zone=pages:10m max_size=100m;
  server {{
    listen 127.0.0.1:{port};
    {body}
  }}
}}
"""

# The same bytes as files, compressed once ahead of time (gzip_static), as a static site would.
STATIC_BODY = "root {root}; location / {{ default_type text/html; gzip_static on; }}"
PROXY_BODY = """
    location /static/ {{ proxy_pass http://127.0.0.1:{app}; proxy_cache pages; }}
    location / {{
      proxy_pass http://127.0.0.1:{app};
      proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_cache pages; proxy_cache_lock on; proxy_cache_use_stale updating;
      proxy_cache_key "$scheme$host$request_uri$http_accept_language$cookie_django_language";
      add_header X-Cache $upstream_cache_status;
    }}
"""


def start_nginx(work: Path, name: str, port: int, body: str) -> subprocess.Popen[bytes]:
    conf = work / f"nginx-{name}.conf"
    conf.write_text(NGINX_CONF.format(work=work, name=name, port=port, body=body))
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"])
    return proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    for tool in (NGINX, WRK):
        if not Path(tool).exists():
            print(f"bench: {tool} is missing (apt-get install nginx-light wrk)", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="parindex-publish-"))
    work.chmod(0o755)  # nginx workers run as an unprivileged user and must read the files
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "PARINDEX_DEBUG": "false",
        "PARINDEX_SECRET_KEY": "bench-only-" + "x" * 50,
        "PARINDEX_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PARINDEX_SSL_REDIRECT": "false",  # plain http on the loopback, no TLS proxy
        "PARINDEX_STATIC_ROOT": str(work / "static"),
        "PARINDEX_MEDIA_ROOT": str(work / "media"),
        "PARINDEX_CACHE_LOCATION": str(work / "cache"),
    }
    manage = [PYTHON, str(REPO / "manage.py")]
    print("bench: preparing a database with the demo data …", flush=True)
    for command in (["migrate", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, env=env, check=True, stdout=subprocess.DEVNULL)
    cycle_id = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from parindex_web.cycles.models import Cycle;"
            "print(Cycle.objects.get(body__code='bnv', year=2025).pk)",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    app, static, proxy = free_port(), free_port(), free_port()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "parindex_web.wsgi",
                    "-b",
                    f"127.0.0.1:{app}",
                    "-w",
                    str(args.workers),
                    "-k",
                    "gthread",
                    "--threads",
                    "8",
                    "--backlog",
                    "2048",
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=REPO / "src",
            )
        )
        page, twin = f"/results/{cycle_id}/", f"/results/{cycle_id}.json"
        wait_for(f"http://127.0.0.1:{app}{page}")
        root = work / "www"
        (root / "results").mkdir(parents=True)
        for name, path in ((f"{cycle_id}.html", page), (f"{cycle_id}.json", twin)):
            body = fetch(f"http://127.0.0.1:{app}{path}")
            (root / "results" / name).write_bytes(body)
            (root / "results" / f"{name}.gz").write_bytes(gzip.compress(body, 6))
        procs.append(start_nginx(work, "static", static, STATIC_BODY.format(root=root)))
        procs.append(start_nginx(work, "proxy", proxy, PROXY_BODY.format(app=app)))
        wait_for(f"http://127.0.0.1:{static}/results/{cycle_id}.html")
        wait_for(f"http://127.0.0.1:{proxy}{page}")
        # Warm the proxy cache as the first reader after publication would (both encodings).
        for path in (page, twin):
            for encoding in ("gzip", "identity"):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{proxy}{path}", headers={"Accept-Encoding": encoding}
                )
                urllib.request.urlopen(request, timeout=10).read()
        targets = [
            ("nginx static: ranking page", f"http://127.0.0.1:{static}/results/{cycle_id}.html"),
            ("nginx static: ranking JSON", f"http://127.0.0.1:{static}/results/{cycle_id}.json"),
            ("gunicorn: ranking page", f"http://127.0.0.1:{app}{page}"),
            ("gunicorn: ranking JSON", f"http://127.0.0.1:{app}{twin}"),
            ("nginx cache → gunicorn: ranking page", f"http://127.0.0.1:{proxy}{page}"),
            ("nginx cache → gunicorn: ranking JSON", f"http://127.0.0.1:{proxy}{twin}"),
        ]
        runs = []
        for name, url in targets:
            run = wrk(name, url, args.seconds, args.connections)
            runs.append(run)
            print(
                f"  {name:40s} {run.rps:10.0f} req/s  p50 {run.p50:7.2f} ms  "
                f"p99 {run.p99:7.2f} ms  errors {run.errors}",
                flush=True,
            )
        base = {"page": runs[0].rps, "JSON": runs[1].rps}
        print(
            f"{args.connections} connections, {args.seconds} s each, gunicorn "
            f"{args.workers} workers × 8 threads"
        )
        for run in runs[2:]:
            kind = "JSON" if run.name.endswith("JSON") else "page"
            share = run.rps / base[kind]
            ok = share >= 0.5 and run.p99 <= 100 and run.errors == 0
            print(
                f"  {run.name:40s} {share:6.1%} of nginx static  "
                f"(targets ≥ 50 %, p99 ≤ 100 ms, 0 errors: {'met' if ok else 'NOT met'})"
            )
    finally:
        stop(procs, signal.SIGTERM)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
