"""The cycle at national scale (issue 17): N example communes × 100 leaves, end to end through
the job path the secretariat's pages use.

The cycle is built with the steps of ``manage.py load_demo --scale N`` (the officers' saves and
sign-offs, the appraisals, one explanation: ``cycles/management/scale_demo.py``, in processes of
their own), but every whole-cycle step goes through the web as the secretariat takes it: a
request (Django's test client, signed in as the cycle's secretariat) opens the page (the phase
pre-flight, the import form, the publication form), posts it, which queues a job, and
``manage.py db_worker`` runs the job. Opening self-assessment, importing the survey and data
points (a CSV of every external criterion of every unit, uploaded through the form), opening
appraisal and the explanations, finalising, publishing, and the publication's files job (its
PDFs, workbook and bundle). Each step's time in the request and in the worker is set against
``parindex compute`` on the same cycle's published ``scores.csv`` (the core's cost, in the same
run).

The longest write transaction of every step is measured, not assumed. A probe process writes
every 50 ms and records how long each write waited: on SQLite any write (one writer at a time,
so the longest wait is how long the worker held the write lock); on PostgreSQL what a competing
secretariat write waits for: the audit chain's head row (every audited write locks it) and the
cycle's row, each locked in a statement of its own. On PostgreSQL a monitor also reads
``pg_stat_activity`` every 100 ms: the age of every transaction that has written (has a
transaction id), so the longest is seen even where no other writer would wait.

Then the first and the cached response of the public pages of the published cycle (ranking, its
JSON twin, components, a unit profile, the API's results page, report.pdf as the file the job
built) and of the secretariat's dashboard and assignments, in one process (a web worker), and the
peak memory of every process: the worker (sampled every 100 ms per step, and its max RSS), each
request's process, the page process and the build's processes.

Targets (issue 17): each phase step ≤ 3 × compute; no write transaction > 5 s; first response
≤ 1 s, cached ≤ 50 ms; no process > 500 MB. A step that fails is reported (its errors) and the
run stops at what depends on it. A benchmark, not a test: it reports, it does not assert.

SQLite by default, PostgreSQL with ``--postgres`` (a throw-away server from ``.ci/postgres.sh``
on its own port; ``PARINDEX_PG_PORT``/``PARINDEX_PG_DATA`` override it). Code measured: the
working tree (HEAD's commit and whether ``src/`` differs from it are printed).

Usage: ``python bench/national.py [--units 3300 | --quick] [--postgres]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO  # the code measured: the checkout, or a commit's export (--commit)
PYTHON = sys.executable
PARINDEX = str(Path(PYTHON).with_name("parindex"))
PG = {"PARINDEX_PG_PORT": "54351", "PARINDEX_PG_DATA": "/tmp/parindex-national-pg"}
STEP = re.compile(r"^step (.+) ([\d.]+) s$")
LAST = re.compile(r"^cycle (\d+) user (\S+)$")
MB = 1024  # ru_maxrss is in KiB on Linux
WORKER = (
    PYTHON,
    "manage.py",
    "db_worker",
    "--no-reload",
    "--interval",
    "0.2",
    "--no-startup-delay",
)
FIRST_S, CACHED_S, WRITE_S, MEMORY_MB, CORE_FACTOR = 1.0, 0.050, 5.0, 500, 3

SETUP = """
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex_web.settings")
django.setup()
"""

# The build's steps, the same functions as load_demo --scale, one stage per process.
BUILD = (
    SETUP
    + """
from django.core.management.base import OutputWrapper
from parindex_web.cycles.management.scale_demo import Scale
from parindex_web.cycles.models import Cycle
scale = Scale(UNITS, OutputWrapper(sys.stdout))
with scale.step("units-and-users" if STAGE == "create" else "users-read"):
    scale.people()
if STAGE == "create":
    with scale.step("create-cycle"):
        cycle = scale.create()
    print(f"cycle {cycle.pk} user {scale.secretariat.get_username()}")
else:
    cycle = Cycle.objects.select_related("methodology").get(pk=CYCLE)
    with scale.step(STAGE + (" (written in bulk)" if FAST and STAGE != "explanation" else "")):
        if FAST and STAGE != "explanation":
            exec(FAST_BUILD)
        elif STAGE == "self-assessment-and-sign-off":
            scale.each(cycle, scale.fill)
        elif STAGE == "appraisal":
            scale.each(cycle, scale.appraise)
        else:
            scale.explain(cycle)
"""
)

# --fast-build: the end state of the officers' saves and sign-offs, and of the appraisals, written
# by a few UPDATEs instead of one service call a leaf (no audit records, no notices): the build
# is not what is measured, and on shared cores the services' 264,000 saves take hours.
FAST_BUILD = """
import random
from decimal import Decimal
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Mod
from django.utils import timezone
import parindex
from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles.management.commands.load_demo import demo_inputs
from parindex_web.cycles.models import Assessment, Entry
from parindex_web.cycles.services import score_input
core = cycle.core()
codes = [n.code for n in core.leaves if core.source_of(n.code) is parindex.Source.APPRAISAL]
entries = Entry.objects.filter(assessment__cycle=cycle, code__in=codes)
rnd = random.Random(17)
with transaction.atomic():
    if STAGE == "self-assessment-and-sign-off":
        for code in codes:
            node = core.by_code[code]
            for k in range(5):
                inputs = demo_inputs(node.rule, node.max_points, rnd)
                clean = {
                    key: f"{v:f}" if isinstance(v, Decimal) else v
                    for key, v in inputs.items()
                    if v is not None and v != ""
                }
                points = score_input(cycle, code, clean)
                entries.filter(code=code).alias(m=Mod("assessment_id", 5)).filter(m=k).update(
                    inputs=clean, self_points=points, version=F("version") + 1
                )
        leader = Membership.objects.filter(unit=OuterRef("unit"), role=Role.LEADER)
        cycle.assessments.update(
            status=Assessment.Status.SUBMITTED,
            signed_at=timezone.now(),
            signed_by=Subquery(leader.values("user")[:1]),
        )
    else:
        entries.update(appraised_points=F("self_points"), appraised_by=scale.appraisers[0])
        first = entries.filter(self_points__gt=0).order_by("assessment__unit__code", "pk").first()
        if first is not None:  # one lowered score, explained in the next phase
            Entry.objects.filter(pk=first.pk).update(
                appraised_points=Decimal(0), appraisal_reason="Tài liệu kiểm chứng chưa đầy đủ (ví dụ)."
            )
        cycle.assessments.update(status=Assessment.Status.APPRAISED, appraised_at=timezone.now())
"""

# A points file of every survey, SIPAS and data criterion of every unit (as scale_demo's).
POINTS = (
    SETUP
    + """
import csv, random
from decimal import Decimal
import parindex
from parindex_web.cycles.models import Cycle
cycle = Cycle.objects.get(pk=CYCLE)
core = cycle.core()
leaves = [l for l in core.leaves if core.source_of(l.code) is not parindex.Source.APPRAISAL]
rnd = random.Random(17)
with open(OUT, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(["unit", "code", "points"])
    for unit in sorted(cycle.assessments.values_list("unit__code", flat=True)):
        for leaf in leaves:
            p = (leaf.max_points * Decimal(rnd.randint(60, 98)) / 100).quantize(Decimal("0.01"))
            w.writerow([unit, leaf.code, f"{p:f}"])
print(f"POINTS {len(leaves)} {cycle.assessments.count() * len(leaves)}")
"""
)

# One request of the secretariat: open the step's page, post its form (which queues the job).
REQUEST = (
    SETUP
    + """
import re, resource
import django_otp.middleware
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from parindex_web.cycles.models import Cycle
django_otp.middleware.is_verified = lambda user: True  # the bench signs in without a device
cycle = Cycle.objects.get(pk=CYCLE)
client = Client()
client.force_login(get_user_model().objects.get(username=USER))
url = reverse({"phase": "secretariat:phase", "publish": "secretariat:publish",
               "import": "secretariat:external"}[KIND], args=[CYCLE])
t0 = time.time()
page = client.get(url, secure=True)
t1 = time.time()
html = page.content.decode()
found = re.search(r'name="confirm" value="([^"]*)"', html)
confirm = found.group(1) if found else ""
if KIND == "phase":
    data = {"phase": cycle.phase, "confirm": confirm}
elif KIND == "publish":
    data = {"reason": "", "confirm": confirm}
else:
    data = {"file": open(FILE, "rb")}
t2 = time.time()
posted = client.post(url, data, secure=True)
t3 = time.time()
job = re.search(r"/jobs/(\\d+)", posted.get("Location", ""))
mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"REQUEST {page.status_code} {t1 - t0:.3f} {posted.status_code} {t3 - t2:.3f} "
      f"{job.group(1) if job else 0} {t0:.3f} {t3:.3f} {len(page.content)} {mb:.0f}", flush=True)
if not job:
    print("BODY", re.sub(r"\\s+", " ", posted.content.decode())[:600])
"""
)

# Wait for a job to end; print its times (wall clock, as the probe's) and outcome.
WAIT = (
    SETUP
    + """
import json
from parindex_web.jobs.models import Job
while True:
    job = Job.objects.get(pk=JOB)
    if job.finished:
        break
    time.sleep(0.2)
print("JOB " + json.dumps({
    "kind": job.kind, "status": job.status, "done": job.done, "total": job.total,
    "started": job.started_at.timestamp(), "finished": job.finished_at.timestamp(),
    "result": job.result, "errors": job.errors[:5],
}), flush=True)
"""
)

# Writes every 50 ms and how long each waited (see the module's docstring).
PROBE = (
    SETUP
    + """
from django.db import OperationalError, connection, transaction
from parindex_web.audit.models import ChainHead
from parindex_web.cycles.models import Cycle
postgres = connection.vendor == "postgresql"
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS bench_probe (n integer)")
    c.execute("INSERT INTO bench_probe VALUES (0)")
while not os.path.exists(STOP):
    start = time.time()
    ok = 1
    try:
        if postgres:  # each lock in a statement of its own: the probe never holds one and waits
            with transaction.atomic():
                list(ChainHead.objects.select_for_update().filter(pk=1).values_list("pk"))
            with transaction.atomic():
                list(Cycle.objects.select_for_update().filter(pk=CYCLE).values_list("pk"))
        else:
            with connection.cursor() as c:  # one write, autocommit: waits for the write lock
                c.execute("UPDATE bench_probe SET n = n + 1")
    except OperationalError:  # SQLite's busy timeout passed: the wait is still recorded
        ok = 0
    print(f"W {start:.3f} {time.time() - start:.3f} {ok}", flush=True)
    time.sleep(0.05)
"""
)

# PostgreSQL: every 100 ms, the age of each transaction that has written (has an xid).
MONITOR = (
    SETUP
    + """
from django.db import connection
with connection.cursor() as c:
    while not os.path.exists(STOP):
        c.execute(
            "SELECT pid, extract(epoch FROM now() - xact_start), left(query, 80) "
            "FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
        now = time.time()
        for pid, age, query in c.fetchall():
            query = " ".join((query or "").split())
            print(f"X {now:.3f} {pid} {float(age):.3f} {query}", flush=True)
        time.sleep(0.1)
"""
)

PAGES = (
    SETUP
    + """
import resource
import django_otp.middleware
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from parindex_web.cycles.models import Cycle
django_otp.middleware.is_verified = lambda user: True
cycle = Cycle.objects.get(pk=CYCLE)
unit = cycle.assessments.select_related("unit").order_by("unit__code").first().unit.code
public, secretariat = Client(), Client()
secretariat.force_login(get_user_model().objects.get(username=USER))
pages = [
    ("ranking", public, reverse("results:ranking", args=[CYCLE])),
    ("ranking.json", public, reverse("results:ranking_twin", kwargs={"cycle_id": CYCLE, "fmt": "json"})),
    ("components", public, reverse("results:components", args=[CYCLE])),
    ("unit profile", public, reverse("profiles:unit", kwargs={"cycle_id": CYCLE, "unit_code": unit})),
    ("API results", public, f"/api/cycles/{CYCLE}/results?page_size=100"),
    ("report.pdf", public, reverse("reports:cycle_pdf", args=[CYCLE])),
    ("dashboard", secretariat, reverse("secretariat:dashboard", args=[CYCLE])),
    ("assignments", secretariat, reverse("secretariat:assignments", args=[CYCLE])),
]
for name, client, url in pages:
    if name == globals().get("SKIP") or globals().get("ONLY", name) != name:
        continue
    times, size, status = [], 0, 0
    for _ in range(2):
        t0 = time.perf_counter()
        try:
            response = client.get(url, secure=True)  # DEBUG off redirects plain HTTP
            body = b"".join(response.streaming_content) if response.streaming else response.content
        except Exception as exc:  # reported, and the next page is tried
            print(f"FAILED {name} {type(exc).__name__}: {exc}"[:300], flush=True)
            break
        times.append(time.perf_counter() - t0)
        size, status = len(body), response.status_code
    else:
        mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"PAGE {name}|{times[0]:.3f}|{times[1]:.3f}|{size}|{status}|{mb:.0f}", flush=True)
"""
)

DUMP = (
    SETUP
    + """
from pathlib import Path
from parindex_web.cycles.models import Cycle
cycle = Cycle.objects.get(pk=CYCLE)
publication = cycle.publications.order_by("-version").first()
Path(OUT, "methodology.yaml").write_text(cycle.methodology.source_text, encoding="utf-8")
Path(OUT, "scores.csv").write_text(publication.scores_csv, encoding="utf-8")
"""
)


@dataclass
class Ran:
    """A finished process: exit status, standard output, last error lines, seconds, max RSS."""

    rc: int
    out: str
    error: str
    seconds: float
    mb: float
    lines: list[str] = field(default_factory=list)


def run(argv: list[str], env: dict[str, str]) -> Ran:
    """Run ``argv`` to its end; its peak memory is that child's own (``os.wait4``'s rusage)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), [line for line in err.read().splitlines() if line.strip()]
    return Ran(
        proc.returncode,
        text,
        " | ".join(errors[-3:]),
        seconds,
        usage.ru_maxrss / MB,
        text.splitlines(),
    )


def script(source: str, env: dict[str, str], **names: object) -> Ran:
    header = "".join(f"{k} = {v!r}\n" for k, v in names.items())
    return run([PYTHON, "-c", header + source], env)


def background(
    source: str, env: dict[str, str], log: Path, **names: object
) -> subprocess.Popen[str]:
    header = "".join(f"{k} = {v!r}\n" for k, v in names.items())
    return subprocess.Popen(
        [PYTHON, "-c", header + source], env=env, cwd=ROOT, stdout=log.open("w"), text=True
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def code_version(commit: str | None = None) -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", commit or "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    if commit:
        return f"{head} (exported from git, without the checkout's changes)"
    changed = subprocess.run(
        ["git", "status", "--short", "--", "src"], cwd=REPO, capture_output=True, text=True
    ).stdout.splitlines()
    return f"{head}" + (f" (+{len(changed)} files of src/ changed in the tree)" if changed else "")


class Sampler(threading.Thread):
    """The worker's resident memory every 100 ms (``/proc/PID/status``, VmRSS)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stopped = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                with open(f"/proc/{self.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            self.samples.append((time.time(), int(line.split()[1]) / MB))
            except OSError:
                return
            self.stopped.wait(0.1)

    def peak(self, t0: float, t1: float) -> float:
        return max((mb for t, mb in self.samples if t0 <= t <= t1), default=0.0)


@dataclass
class Step:
    name: str
    get_s: float = 0.0
    post_s: float = 0.0
    page_mb: float = 0.0
    page_kb: float = 0.0
    t0: float = 0.0
    t1: float = 0.0
    job_s: float | None = None
    status: str = ""
    summary: str = ""
    errors: list[str] = field(default_factory=list)
    worker_mb: float = 0.0
    wait_s: float = 0.0
    waits: int = 0
    refused: int = 0
    xact_s: float | None = None
    xact_query: str = ""
    load: float = 0.0


class Bench:
    def __init__(self, units: int, database: str, work: Path, env: dict[str, str]) -> None:
        self.units, self.database, self.work, self.env = units, database, work, env
        self.postgres = database == "PostgreSQL"
        self.steps: list[Step] = []
        self.built: dict[str, float] = {}
        self.memory: dict[str, float] = {}
        self.cycle, self.user = 0, ""
        self.commit: str | None = None
        self.fast = False
        self.files_job = 0
        self.files_minutes: float | None = None

    def build(self, stage: str) -> bool:
        done = script(
            BUILD,
            self.env,
            UNITS=self.units,
            STAGE=stage,
            CYCLE=self.cycle,
            FAST=self.fast,
            FAST_BUILD=FAST_BUILD,
        )
        self.memory[f"build: {stage}"] = done.mb
        for line in done.lines:
            if m := STEP.match(line):
                self.built[m.group(1)] = float(m.group(2))
                print(f"  build {m.group(1):34s} {float(m.group(2)):9.2f} s", flush=True)
            elif m := LAST.match(line):
                self.cycle, self.user = int(m.group(1)), m.group(2)
        if done.rc:
            print(f"  build {stage} FAILED: {done.error}", flush=True)
        return done.rc == 0

    def wait(self, job: int, minutes: float | None = None) -> dict[str, object] | None:
        import json

        proc = background(WAIT, self.env, self.work / f"wait-{job}.log", JOB=job)
        deadline = time.time() + minutes * 60 if minutes else None
        while proc.poll() is None:
            if deadline is not None and time.time() > deadline:
                proc.kill()
                proc.wait()
                self.worker.kill()  # the job is not measured further
                self.worker.wait()
                print(f"  job {job} not finished after {minutes:g} min: the worker is stopped")
                return None
            if self.worker.poll() is not None:
                proc.kill()
                proc.wait()
                print("  the worker stopped", flush=True)
                return None
            time.sleep(0.5)
        for line in (self.work / f"wait-{job}.log").read_text().splitlines():
            if line.startswith("JOB "):
                found: dict[str, object] = json.loads(line[4:])
                return found
        return None

    def record(self, step: Step, job: dict[str, object]) -> None:
        started, finished = float(job["started"]), float(job["finished"])  # type: ignore[arg-type]
        step.job_s, step.t1 = finished - started, max(step.t1, finished)
        step.status = str(job["status"])
        step.errors = list(job["errors"])  # type: ignore[call-overload]
        step.summary = f"{job['done']}/{job['total']}, result {job['result']}"

    def step(self, name: str, kind: str, upload: Path | None = None) -> Step | None:
        step = Step(name)
        self.steps.append(step)
        done = script(
            REQUEST, self.env, KIND=kind, CYCLE=self.cycle, USER=self.user, FILE=str(upload)
        )
        line = next((x for x in done.lines if x.startswith("REQUEST ")), None)
        if done.rc or line is None:
            step.status, step.errors = "request failed", [done.error or done.out[-600:]]
            print(f"  {name:40s} request FAILED: {step.errors[0]}", flush=True)
            return None
        get_status, get_s, post_status, post_s, job, t0, t3, size, mb = line.split()[1:]
        step.get_s, step.post_s, step.t0, step.t1 = (
            float(get_s),
            float(post_s),
            float(t0),
            float(t3),
        )
        step.page_mb, step.page_kb = float(mb), int(size) / 1000
        if job == "0":
            step.status = f"request answered {get_status}/{post_status}, no job"
            step.errors = [x for x in done.lines if x.startswith("BODY")]
            print(f"  {name:40s} {step.status}: {step.errors}", flush=True)
            return None
        outcome = self.wait(int(job))
        if outcome is None:
            step.status = "worker stopped"
            return None
        self.record(step, outcome)
        step.load = os.getloadavg()[0]
        print(
            f"  {name:40s} request GET {step.get_s:6.2f} s POST {step.post_s:6.2f} s; "
            f"job {step.status} in {step.job_s:7.2f} s ({step.summary}) {step.errors or ''}; "
            f"load average {step.load:.1f}",
            flush=True,
        )
        if kind == "publish" and step.status == "done":
            self.files_job = int(outcome["result"]["files_job"])  # type: ignore[index]
        return step if step.status == "done" else None

    def files(self) -> None:
        """Wait for the publication's files job (queued by publishing)."""
        after = Step("publication's files (PDFs, workbook, bundle)", t0=self.steps[-1].t1)
        self.steps.append(after)
        found = self.wait(self.files_job, self.files_minutes)
        if found is None:
            after.t1 = time.time()
            after.status = (
                f"not finished after {self.files_minutes:g} min"
                if self.files_minutes
                else "worker stopped"
            )
            return
        self.record(after, found)
        after.load = os.getloadavg()[0]
        print(
            f"  {after.name:40s} job {after.status} in {after.job_s:7.2f} s "
            f"({after.summary}) {after.errors or ''}; load average {after.load:.1f}",
            flush=True,
        )

    def compute(self) -> float | None:
        dumped = script(DUMP, self.env, CYCLE=self.cycle, OUT=str(self.work))
        computed = run(
            [
                PARINDEX,
                "compute",
                str(self.work / "methodology.yaml"),
                str(self.work / "scores.csv"),
            ],
            self.env,
        )
        if dumped.rc or computed.rc:
            print(f"  parindex compute FAILED: {dumped.error or computed.error}")
            return None
        self.memory["parindex compute"] = computed.mb
        print(f"  {'parindex compute (the core)':40s} {computed.seconds:9.2f} s", flush=True)
        return computed.seconds

    def measure(self) -> int:
        print(
            f"bench: national scale, {self.units} units × 100 leaves on {self.database}; "
            f"code {code_version(self.commit)}",
            flush=True,
        )
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([PYTHON, "manage.py", *command], env=self.env, cwd=ROOT, check=True)
        if not self.build("create"):
            return 1
        points = self.work / "points.csv"
        made = script(POINTS, self.env, CYCLE=self.cycle, OUT=str(points))
        self.external = made.lines[-1].split()[-1] if made.rc == 0 else "?"
        stop = self.work / "stop"
        self.probe = background(
            PROBE, self.env, self.work / "probe.log", STOP=str(stop), CYCLE=self.cycle
        )
        self.monitor = (
            background(MONITOR, self.env, self.work / "monitor.log", STOP=str(stop))
            if self.postgres
            else None
        )
        self.worker = subprocess.Popen(
            [*WORKER],
            env=self.env,
            cwd=ROOT,
            stdout=(self.work / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        self.sampler = Sampler(self.worker.pid)
        self.sampler.start()
        core, pages, pdf = None, None, None
        try:
            published = self.path(points)
            if published:  # the first visitors come while the files are being built
                core = self.compute()
                pages = script(PAGES, self.env, CYCLE=self.cycle, USER=self.user, SKIP="report.pdf")
                self.memory["pages (one web process)"] = pages.mb
                self.attribute()
                print("\nwhile the publication's files are being built:")
                self.report(core, pages)
                self.files()
                if self.steps[-1].status == "done":
                    pdf = script(
                        PAGES, self.env, CYCLE=self.cycle, USER=self.user, ONLY="report.pdf"
                    )
        finally:
            if self.worker.returncode is None:  # not reaped by a wait that saw it stop
                self.worker.terminate()  # it ends the job it runs, then stops
                _pid, _status, usage = os.wait4(self.worker.pid, 0)
                self.worker.returncode = 0
                self.memory["the worker (db_worker), whole run"] = usage.ru_maxrss / MB
            else:
                peak = max((mb for _t, mb in self.sampler.samples), default=0.0)
                self.memory["the worker (db_worker), sampled until it stopped"] = peak
            self.sampler.stopped.set()
            stop.touch()
            for proc in (self.probe, self.monitor):
                if proc is not None:
                    proc.wait(timeout=60)
            self.attribute()
        if pdf is not None and pages is not None:
            pages.lines += pdf.lines
            pages.rc = pages.rc or pdf.rc
        print("\nthe whole run:" if published else "")
        self.report(core, pages)
        if not self.commit:
            print(f"code at the end: {code_version()}")
        return 0

    def path(self, points: Path) -> bool:
        """The cycle from preparation to its publication's files; False where it stopped."""
        return bool(
            self.step("open self-assessment", "phase")
            and self.step(f"import {self.external} external points", "import", points)
            and self.build("self-assessment-and-sign-off")
            and self.step("open appraisal", "phase")
            and self.build("appraisal")
            and self.step("open explanation", "phase")
            and self.build("explanation")
            and self.step("finalise", "phase")
            and self.step("publish", "publish")
            and self.steps[-1].status == "done"
        )

    def attribute(self) -> None:
        """Each step's worst probe wait, worker memory and longest writing transaction."""
        writes = []
        for line in (self.work / "probe.log").read_text().splitlines():
            if line.startswith("W "):
                _w, at, waited, ok = line.split()
                writes.append((float(at), float(waited), ok == "1"))
        xacts: list[tuple[float, float, str]] = []
        if self.postgres:
            for line in (self.work / "monitor.log").read_text().splitlines():
                if line.startswith("X "):
                    parts = line.split(" ", 4)
                    xacts.append(
                        (float(parts[1]), float(parts[3]), parts[4] if len(parts) > 4 else "")
                    )
        for step in self.steps:
            mine = [(w, ok) for at, w, ok in writes if step.t0 <= at <= step.t1]
            step.waits = len(mine)
            step.wait_s = max((w for w, _ok in mine), default=0.0)
            step.refused = sum(1 for _w, ok in mine if not ok)
            step.worker_mb = self.sampler.peak(step.t0, step.t1)
            seen = [(age, q) for at, age, q in xacts if step.t0 <= at <= step.t1]
            if self.postgres:
                step.xact_s, step.xact_query = max(seen, default=(0.0, ""))

    def report(self, core: float | None, pages: Ran | None) -> None:
        loads = [s.load for s in self.steps if s.load]
        print(
            f"\ntargets (issue 17), {self.units} units on {self.database} "
            f"({os.cpu_count()} cores, load average {min(loads, default=0):.1f}–"
            f"{max(loads, default=0):.1f} at the steps' ends):"
        )
        print(
            "| step | request (GET page / POST) | job in the worker | × compute | longest wait of "
            "another writer | longest writing transaction | worker peak | target |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for s in self.steps:
            factor = f"{s.job_s / core:.1f}" if core and s.job_s is not None else ""
            longest = max(s.wait_s, s.xact_s or 0.0)
            ok = (
                s.status == "done"
                and longest <= WRITE_S
                and s.worker_mb <= MEMORY_MB
                and (
                    core is None
                    or s.job_s is None
                    or s.job_s <= CORE_FACTOR * core
                    or "files" in s.name
                )
            )
            request = f"{s.get_s:.2f} / {s.post_s:.2f} s" if s.t0 and "files" not in s.name else ""
            job = f"{s.job_s:.2f} s" if s.job_s is not None else s.status
            xact = f"{s.xact_s:.2f} s" if s.xact_s is not None else "(SQLite: the wait)"
            refused = f", {s.refused} timed out" if s.refused else ""
            print(
                f"| {s.name} | {request} | {job} | {factor} | {s.wait_s:.2f} s "
                f"({s.waits} writes{refused}) | {xact} | {s.worker_mb:.0f} MB | {verdict(ok)} |"
            )
            if s.status not in ("done", ""):
                print(f"|   {s.status}: {s.errors} | | | | | | | |")
            if s.xact_query and (s.xact_s or 0) > WRITE_S:
                print(f"|   longest transaction's last statement: `{s.xact_query}` | | | | | | | |")
        print(
            f"(× compute: the job's time over `parindex compute`'s {core:.2f} s; targets ≤ "
            f"{CORE_FACTOR} × for the phase steps, writes ≤ {WRITE_S:g} s, memory ≤ {MEMORY_MB} MB)"
            if core
            else "(compute not measured)"
        )
        print("\nrequests' pages (the page each step's request opened first):")
        for s in self.steps:
            if s.t0 and "files" not in s.name:
                print(f"  {s.name:40s} {s.page_kb:9.0f} kB, process peak {s.page_mb:.0f} MB")
        if pages is not None:
            print(f"\npages at {self.units} units (first / cached, one process):")
            print("| page | size | first | cached | target |")
            print("| --- | ---: | ---: | ---: | --- |")
            for line in pages.lines:
                if line.startswith("FAILED"):
                    print(f"| {line} | | | | NOT met |")
                elif line.startswith("PAGE "):
                    name, first, cached, size, status, _mb = line[5:].split("|")
                    ok = status == "200" and float(first) <= FIRST_S and float(cached) <= CACHED_S
                    note = "" if status == "200" else f" (HTTP {status})"
                    print(
                        f"| {name}{note} | {int(size) / 1e3:.0f} kB | {float(first) * 1000:.0f} ms "
                        f"| {float(cached) * 1000:.0f} ms | {verdict(ok)} |"
                    )
            if pages.rc:
                print(f"  pages FAILED: {pages.error}")
        print("\nbuild (load_demo --scale's steps, not timed against a target):")
        for name, seconds in self.built.items():
            print(f"  {name:40s} {seconds:9.2f} s")
        print("\npeak memory (max RSS):")
        for name, mb in self.memory.items():
            print(f"  {name:44s} {mb:7.0f} MB (≤ {MEMORY_MB} MB: {verdict(mb <= MEMORY_MB)})")
        for s in self.steps:
            if s.t0 and "files" not in s.name:
                print(
                    f"  {'request: ' + s.name:44s} {s.page_mb:7.0f} MB "
                    f"(≤ {MEMORY_MB} MB: {verdict(s.page_mb <= MEMORY_MB)})"
                )
        sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=3_300)
    parser.add_argument("--quick", action="store_true", help="100 units (a quick look)")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL")
    parser.add_argument(
        "--commit", help="measure this commit (exported with git archive), not the checkout"
    )
    parser.add_argument(
        "--fast-build",
        action="store_true",
        help="write the officers' and appraisers' work in bulk (not measured) instead of the "
        "services' one save a leaf",
    )
    parser.add_argument(
        "--files-minutes",
        type=float,
        help="stop waiting for the publication's files job after this many minutes",
    )
    args = parser.parse_args()
    units = 100 if args.quick else args.units
    work = Path(tempfile.mkdtemp(prefix="parindex-national-"))
    global ROOT
    if args.commit:  # resolved once: HEAD moves while others commit
        args.commit = subprocess.run(
            ["git", "rev-parse", "--short", args.commit],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        ROOT = work / "code"
        ROOT.mkdir()
        archive = subprocess.run(
            ["git", "archive", args.commit], cwd=REPO, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(ROOT)], input=archive, check=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "parindex_web.settings",
        "PYTHONPATH": str(ROOT / "src"),  # before the checkout's editable install
        "PARINDEX_DEBUG": "false",
        "PARINDEX_SECRET_KEY": "bench-only-" + "x" * 50,
        "PARINDEX_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "PARINDEX_MEDIA_ROOT": str(work / "media"),
        "PARINDEX_STATIC_ROOT": str(work / "static"),
        "PARINDEX_CACHE_LOCATION": str(work / "cache"),
        "PARINDEX_JOBS_INLINE_UNITS": "0",  # every step a job, as for a large cycle
        "PARINDEX_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    pg_env = {**os.environ, **{k: os.environ.get(k, v) for k, v in PG.items()}}
    if args.postgres:
        out = subprocess.run(
            [str(REPO / ".ci" / "postgres.sh"), "start"],
            check=True,
            capture_output=True,
            text=True,
            env=pg_env,
        ).stdout
        env["DATABASE_URL"] = out.strip().split("=", 1)[1]
    else:
        env["DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    database = "PostgreSQL" if args.postgres else "SQLite"
    bench = Bench(units, database, work, env)
    bench.commit, bench.fast = args.commit, args.fast_build
    bench.files_minutes = args.files_minutes
    try:
        return bench.measure()
    finally:
        if args.postgres:
            subprocess.run([str(REPO / ".ci" / "postgres.sh"), "stop"], check=False, env=pg_env)
        if os.environ.get("PARINDEX_BENCH_KEEP"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
