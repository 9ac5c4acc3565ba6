"""100 concurrent officers saving leaves and uploading 1 MB evidence files.

Starts the server as ``make run`` does (``manage.py serve``: gunicorn worker processes; Django's
one-process ``runserver`` with ``--runserver``, for comparison) on a fresh database —
SQLite by default, PostgreSQL with ``--postgres`` (started by ``.ci/postgres.sh``) — with one
synthetic cycle (a BENCH methodology of 10 fields × 10 leaves scored with direct points, one
unit and one officer per client). Each client logs in, then, for each of its leaves, loads the
leaf page and saves new points through the same form a person uses, then pauses as a person
does (``--think`` seconds on average; 0 measures saturation instead); every few saves it
uploads a 1 MB evidence document. Prints requests/s, p50/p95/p99 latency of the page loads, saves
and uploads (the target applies to each of the three), the errors, and checks afterwards that every save is stored exactly once (the entry's version and
points, one audit record per points change) and every upload once. It also prints the CPU
time the server, PostgreSQL and the load generator used in the timed part, and how fast
the machine's cores ran meanwhile (``_speed.py``: a fixed loop's CPU time), a rough guide to
whether a run fell in a slow minute of a shared machine. Targets (issue 3): p95 ≤
200 ms, 0 errors, 0 lost writes. A benchmark, not a test: it reports, it does not assert.

Usage: ``python bench/officers_load.py [--clients 100] [--saves 10] [--postgres]
[--take-cores 0.33]`` (the last keeps a third of every core busy, as a slower machine would).
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import requests
from _procs import cpu_snapshot, cpu_used, free_port, stop
from _speed import SpeedProbe, take_cores

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PASSWORD = "bench-password-1"

METHODOLOGY = """
id: bench
name: "BENCH – synthetic methodology (not official)"
example: true
places: 2
total_points: 100
default_rule: {kind: points}
nodes:
""" + "".join(
    f'  - code: "{f}"\n    name: "Field {f}"\n    max_points: 10\n    children:\n'
    + "".join(
        f'      - {{code: "{f}.{i}", name: "Leaf {f}.{i}", max_points: 1}}\n' for i in range(1, 11)
    )
    for f in range(1, 11)
)

SETUP = """
import parindex
from django.contrib.auth import get_user_model
from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

body = AssessingBody.objects.create(code="bench", name="Bench body", kind="provincial")
m = Methodology(slug="bench", source_text=METHODOLOGY)
m.save()
admin = get_user_model().objects.create_user("bench-secretariat", password=PASSWORD)
Membership.objects.create(user=admin, role=Role.SECRETARIAT, body=body)
cycle = Cycle.objects.create(body=body, year=2026, name="Bench", methodology=m)
User = get_user_model()
for i in range(CLIENTS):
    unit = Unit.objects.create(code=f"bench-{i:03d}", name=f"Bench unit {i}", unit_type="commune", body=body)
    user = User(username=f"officer{i:03d}")
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(user=user, role=Role.OFFICER, unit=unit)
    Assessment.objects.create(cycle=cycle, unit=unit)
services.advance_phase(admin, cycle)
for a in Assessment.objects.order_by("unit__code"):
    print("ASSESSMENT", a.unit.code, a.pk)
"""

CHECK = """
from parindex_web.audit.models import AuditRecord, verify
from parindex_web.cycles.models import Entry, Evidence
import json, os
expected = json.load(open(os.environ["BENCH_EXPECTED"]))
wrong = 0
for key, (points, saves) in expected["entries"].items():
    unit, code = key.split("|")
    e = Entry.objects.get(assessment__unit__code=unit, code=code)
    if e.version != saves or e.self_points is None or float(e.self_points) != points:
        wrong += 1
audit = AuditRecord.objects.filter(action="entry.self_points").count()
uploads = Evidence.objects.count()
print("CHECK", json.dumps({"entries_wrong": wrong, "audit_points_records": audit,
      "uploads_stored": uploads, "chain_findings": len(verify())}))
"""


@dataclass
class Stats:
    pages: list[float] = field(default_factory=list)
    saves: list[float] = field(default_factory=list)
    uploads: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected: dict[str, tuple[float, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Released once by each client after signing in (or failing to).
    signed_in: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BOUNDARY = "officers-load-boundary-7f3a9c"


class Browser:
    """One officer's browser: a kept-alive connection and its cookies, nothing else.

    The load generator shares the machine's cores with the server, so it does the least a
    client must (plain ``http.client``, bodies built from ready bytes) to leave them to the
    server. Cookies follow Set-Cookie: a value is replaced, an expired one dropped (Django
    deletes the messages cookie once shown).
    """

    def __init__(self, host: str, port: int) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = content_type
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value  # as sent, quoted if it was
        return response.status, data

    def form(self, path: str, fields: dict[str, str]) -> int:
        body = urlencode(fields).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")[0]

    def upload(self, path: str, fields: dict[str, str], name: str, content: bytes) -> int:
        parts = [
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        body = b"".join([*parts, content, f"\r\n--{BOUNDARY}--\r\n".encode()])
        return self.request("POST", path, body, f"multipart/form-data; boundary={BOUNDARY}")[0]


def officer(
    base: str,
    index: int,
    assessment: int,
    unit: str,
    saves: int,
    every: int,
    payload: bytes,
    stats: Stats,
    start: threading.Event,
    think: float,
) -> None:
    host, port = base.removeprefix("http://").split(":")
    s = Browser(host, int(port))
    rnd = random.Random(index)
    try:
        try:
            page = s.request("GET", "/accounts/login/")[1].decode()
            s.form(
                "/accounts/login/",
                {
                    "username": f"officer{index:03d}",
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": CSRF.search(page).group(1),  # type: ignore[union-attr]
                },
            )
        finally:
            stats.signed_in.release()
        start.wait()
        time.sleep(rnd.uniform(0, think))  # officers do not all start in the same millisecond
        for n in range(saves):
            code = f"{n % 10 + 1}.{index % 10 + 1}"
            url = f"/assessments/{assessment}/entries/{code}/"
            t0 = time.perf_counter()
            status, body = s.request("GET", url)
            elapsed = time.perf_counter() - t0
            html = body.decode()
            with stats.lock:
                stats.pages.append(elapsed)
                if status != 200:
                    stats.errors.append(f"page {unit} {code}: HTTP {status}")
            prefix = re.search(r'name="(e\d+)-version" value="(\d+)"', html)
            if prefix is None:
                raise RuntimeError(f"no form on {url}")
            points = round((n % 4 + 1) * 0.25, 2)
            t0 = time.perf_counter()
            status = s.form(
                url,
                {
                    "csrfmiddlewaretoken": CSRF.search(html).group(1),  # type: ignore[union-attr]
                    f"{prefix.group(1)}-version": prefix.group(2),
                    f"{prefix.group(1)}-points": str(points),
                    f"{prefix.group(1)}-note": "",
                },
            )
            elapsed = time.perf_counter() - t0
            with stats.lock:
                stats.saves.append(elapsed)
                if status != 302:
                    stats.errors.append(f"save {unit} {code}: HTTP {status}")
                else:
                    old = stats.expected.get(f"{unit}|{code}", (0.0, 0))
                    stats.expected[f"{unit}|{code}"] = (points, old[1] + 1)
            time.sleep(rnd.uniform(0.5 * think, 1.5 * think))  # reading, typing
            if (n + 1) % every == 0:
                t0 = time.perf_counter()
                status = s.upload(
                    f"/assessments/{assessment}/evidence/",
                    {
                        "csrfmiddlewaretoken": CSRF.search(html).group(1),  # type: ignore[union-attr]
                        "doc_number": f"{index}/{n}/QĐ",
                        "issuer": "Bench",
                    },
                    f"doc-{index}-{n}.pdf",
                    payload + f"{index}-{n}".encode(),
                )
                elapsed = time.perf_counter() - t0
                with stats.lock:
                    stats.uploads.append(elapsed)
                    if status != 302:
                        stats.errors.append(f"upload {unit}: HTTP {status}")
    except Exception as exc:  # every failure counts as an error of the run
        with stats.lock:
            stats.errors.append(f"client {index}: {exc.__class__.__name__}: {exc}")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--saves", type=int, default=10, help="saves per client")
    parser.add_argument("--upload-every", type=int, default=5, help="an upload every N saves")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL")
    parser.add_argument(
        "--think",
        type=float,
        default=3.0,
        help="mean seconds an officer spends between two saves (0: saturate)",
    )
    parser.add_argument(
        "--take-cores",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="keep this share (0-1) of every core busy during the run, as a slower machine would",
    )
    parser.add_argument(
        "--runserver",
        action="store_true",
        help="serve with Django's one-process runserver instead of `make run`'s server",
    )
    args = parser.parse_args()
    try:  # first: a refused share must leave nothing running
        busy = take_cores(args.take_cores)
    except ValueError as exc:
        parser.error(f"--take-cores: {exc}")
    work = Path(tempfile.mkdtemp(prefix="parindex-officers-"))
    env = {
        **os.environ,
        "PARINDEX_MEDIA_ROOT": str(work / "media"),
        "PARINDEX_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if args.postgres:
        out = subprocess.run(
            [str(REPO / ".ci" / "postgres.sh"), "start"], check=True, capture_output=True, text=True
        ).stdout
        env["DATABASE_URL"] = out.strip().split("=", 1)[1]
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    manage = [PYTHON, str(REPO / "manage.py")]
    server = None
    probe = SpeedProbe()
    try:
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        script = (
            f"METHODOLOGY = {METHODOLOGY!r}\nPASSWORD = {PASSWORD!r}\nCLIENTS = {args.clients}\n"
            + SETUP
        )
        out = subprocess.run(
            [*manage, "shell", "-c", script], env=env, check=True, capture_output=True, text=True
        ).stdout
        assessments = [
            line.split()[1:] for line in out.splitlines() if line.startswith("ASSESSMENT")
        ]
        port = free_port()
        command = (
            ["runserver", f"127.0.0.1:{port}", "--noreload"]
            if args.runserver
            else ["serve", f"127.0.0.1:{port}"]
        )
        server = subprocess.Popen(
            [*manage, *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                requests.get(f"{base}/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        payload = b"%PDF-1.4\n" + os.urandom(1024 * 1024 - 25)  # a PDF by its bytes
        stats, start = Stats(), threading.Event()
        threads = [
            threading.Thread(
                target=officer,
                args=(
                    base,
                    i,
                    int(a),
                    unit,
                    args.saves,
                    args.upload_every,
                    payload,
                    stats,
                    start,
                    args.think,
                ),
            )
            for i, (unit, a) in enumerate(assessments)
        ]
        for t in threads:
            t.start()
        # Signing in hashes a password (hundreds of ms of CPU each): the timed part starts
        # when every client has signed in, not during that storm.
        for _ in threads:
            stats.signed_in.acquire(timeout=600)
        cpu0 = cpu_snapshot(server.pid)
        t0, m0 = time.perf_counter(), time.monotonic()
        start.set()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        cpu = cpu_used(cpu0, cpu_snapshot(server.pid))
        speed = probe.between(m0, time.monotonic())
        expected = work / "expected.json"
        expected.write_text(json.dumps({"entries": stats.expected}))
        check = subprocess.run(
            [*manage, "shell", "-c", CHECK],
            env={**env, "BENCH_EXPECTED": str(expected)},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(check.split("CHECK", 1)[1])
        writes = len(stats.saves) + len(stats.uploads)
        requests_done = writes + len(stats.pages)
        saves_ok = sum(n for _, n in stats.expected.values())
        print(
            f"{'PostgreSQL' if args.postgres else 'SQLite'}, "
            f"{'runserver' if args.runserver else 'manage.py serve (make run)'}, "
            f"{args.clients} officers, "
            f"{args.saves} saves each, a 1 MB upload every {args.upload_every} saves, "
            f"{args.think:g} s mean think time"
            + (f", {args.take_cores:.0%} of every core taken" if args.take_cores else "")
        )
        print(
            f"  {requests_done} requests in {wall:.1f} s: {requests_done / wall:.1f} requests/s, "
            f"of which {writes / wall:.1f} writes/s"
        )
        print(
            f"  pages:   p50 {pct(stats.pages, 50):6.0f} ms  p95 {pct(stats.pages, 95):6.0f} ms  "
            f"p99 {pct(stats.pages, 99):6.0f} ms"
        )
        print(
            f"  saves:   p50 {pct(stats.saves, 50):6.0f} ms  p95 {pct(stats.saves, 95):6.0f} ms  "
            f"p99 {pct(stats.saves, 99):6.0f} ms"
        )
        print(
            f"  uploads: p50 {pct(stats.uploads, 50):6.0f} ms  p95 {pct(stats.uploads, 95):6.0f} ms"
            f"  p99 {pct(stats.uploads, 99):6.0f} ms"
        )
        print(f"  machine: a fixed loop's CPU time {speed} (higher: slower cores)")
        print(f"  CPU used: {cpu}")
        print(f"  errors: {len(stats.errors)}" + "".join(f"\n    {e}" for e in stats.errors[:5]))
        uploads_ok = len(stats.uploads) - sum(e.startswith("upload") for e in stats.errors)
        lost = (
            result["entries_wrong"]
            + abs(saves_ok - result["audit_points_records"])
            + abs(uploads_ok - result["uploads_stored"])
        )
        print(
            f"  stored: entries not as saved {result['entries_wrong']}, audit records of points "
            f"{result['audit_points_records']} for {saves_ok} saves, uploads stored "
            f"{result['uploads_stored']} of {len(stats.uploads)}, audit chain breaks "
            f"{result['chain_findings']}"
        )
        p95 = max(pct(values, 95) for values in (stats.pages, stats.saves, stats.uploads) if values)
        met = p95 <= 200 and not stats.errors and lost == 0
        print(f"  targets (p95 ≤ 200 ms, 0 errors, 0 lost writes): {'met' if met else 'NOT met'}")
    finally:
        probe.close()
        stop(busy, signal.SIGTERM)
        if server is not None:
            stop([server], signal.SIGINT)
        if args.postgres:
            subprocess.run([str(REPO / ".ci" / "postgres.sh"), "stop"], check=False)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
