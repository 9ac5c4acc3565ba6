"""Jobs at scale (issue 17.2): the survey/data import, finalising and publishing of an N-unit cycle
run as jobs by ``manage.py db_worker``, while another process writes every 50 ms.

Against a database it makes for the run (SQLite in a temporary folder; ``--database-url`` for
another), it builds the cycle with ``manage.py load_demo --scale N`` (ready to finalise), writes a
points file of every survey and data criterion of every unit, and times what the request does
(reading and checking the file: ``secretariat.imports.read_points``, then queueing the job) and
what the worker does (each job from claim to end, as recorded on the job). Meanwhile a probe
process updates one row every 50 ms and records how long each write waited: the longest wait is
how long the worker held the database's write lock (on SQLite one writer at a time; the target is
5 s). ``--files`` also builds the publication's files (minutes of CPU at thousands of units).

Usage: ``python bench/jobs.py [--units 1000] [--files] [--database-url URL]``. A benchmark: it
reports, it does not assert.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
LAST = re.compile(r"^cycle (\d+) user (\S+)$", re.M)

SETUP = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex_web.settings")
django.setup()
"""

PROBE = (
    SETUP
    + """
import sys, time
from django.db import connection
stop = sys.argv[1]
worst, writes = 0.0, 0
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS bench_probe (n integer)")
    c.execute("INSERT INTO bench_probe VALUES (0)")
while not os.path.exists(stop):
    start = time.perf_counter()
    with connection.cursor() as c:  # one write, autocommit: waits for the write lock
        c.execute("UPDATE bench_probe SET n = n + 1")
    worst = max(worst, time.perf_counter() - start)
    writes += 1
    time.sleep(0.05)
print(f"probe {writes} writes, longest wait {worst:.2f} s")
"""
)

QUEUE = (
    SETUP
    + """
import sys, time, io
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from parindex_web.cycles import preflight
from parindex_web.cycles.models import Cycle
from parindex_web.jobs import queue
from parindex_web.jobs.models import Job
from parindex_web.secretariat.imports import read_points
kind, cycle_id, user, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cycle = Cycle.objects.get(pk=cycle_id)
user = get_user_model().objects.get(username=user)
start = time.perf_counter()
args = {}
if kind == "import":
    upload = SimpleUploadedFile("points.csv", open(path, "rb").read(), "text/csv")
    points = read_points(upload, cycle)
    args = {"points": [[u, c, str(p)] for (u, c), p in points.items()]}
    print(f"request: read and checked {len(points)} rows in {time.perf_counter() - start:.2f} s")
else:  # the secretariat ticks the confirmation of the table it is shown
    report = preflight.check(cycle)
    args = {"confirm": report.token if report else None, "reason": ""}
start = time.perf_counter()
job = queue.start(kind, user, cycle, args)
print(f"request: queued job {job.pk} in {time.perf_counter() - start:.3f} s")
print(f"job {job.pk}")
"""
)

WAIT = (
    SETUP
    + """
import sys, time
from parindex_web.jobs.models import Job
job_id = int(sys.argv[1])
while True:
    job = Job.objects.get(pk=job_id)
    if job.finished:
        break
    time.sleep(0.2)
took = (job.finished_at - job.started_at).total_seconds()
print(f"worker: {job.kind} {job.status} in {took:.2f} s, {job.done}/{job.total}, "
      f"result {job.result}, errors {job.errors[:3]}")
"""
)

POINTS = (
    SETUP
    + """
import csv, sys
import parindex
from parindex_web.cycles.models import Cycle
cycle = Cycle.objects.get(pk=int(sys.argv[1]))
core = cycle.core()
leaves = [l for l in core.leaves if core.source_of(l.code) is not parindex.Source.APPRAISAL]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\\n")
    w.writerow(["unit", "code", "points"])
    for unit in sorted(cycle.assessments.values_list("unit__code", flat=True)):
        for leaf in leaves:
            w.writerow([unit, leaf.code, f"{(leaf.max_points / 2).normalize():f}"])
print(f"points file: {len(leaves)} criteria per unit")
"""
)


def run(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(argv[:3])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--files", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--cycle", help="a cycle already built by load_demo --scale (with --user)")
    parser.add_argument("--user")
    parser.add_argument(
        "--steps",
        default="import,advance,publish",
        help="jobs in order, comma-separated: import, advance (the next phase), publish",
    )
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="parindex-jobs-"))
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url or f"sqlite:///{folder}/db.sqlite3",
        "PARINDEX_MEDIA_ROOT": str(folder / "media"),
        "PARINDEX_CACHE_LOCATION": str(folder / "cache"),
        "PARINDEX_JOBS_INLINE_UNITS": "0",
        "PARINDEX_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    manage = [PYTHON, "manage.py"]
    run(env, *manage, "migrate", "-v0")
    if options.cycle:
        cycle, user = options.cycle, options.user
    else:
        start = time.perf_counter()
        built = run(env, *manage, "load_demo", "--scale", str(options.units))
        cycle, user = LAST.findall(built)[-1]
        print(f"{options.units} units: load_demo --scale in {time.perf_counter() - start:.0f} s")
    points = folder / "points.csv"
    print(run(env, PYTHON, "-c", POINTS, cycle, str(points)).strip())
    stop = folder / "stop"
    probe = subprocess.Popen(
        [PYTHON, "-c", PROBE, str(stop)], env=env, cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    worker = subprocess.Popen(
        [*manage, "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay", "-v0"],
        env=env,
        cwd=REPO,
    )
    try:
        kinds = options.steps.split(",")
        for kind in kinds:
            out = run(env, PYTHON, "-c", QUEUE, kind, cycle, user, str(points))
            print(out.strip().rsplit("\n", 1)[0])
            job = out.strip().rsplit(" ", 1)[-1]
            print(run(env, PYTHON, "-c", WAIT, job).strip())
        if options.files:
            out = run(
                env,
                PYTHON,
                "-c",
                WAIT.replace(
                    "job_id = int(sys.argv[1])",
                    "job_id = Job.objects.filter(kind='files').latest('pk').pk",
                ),
                "0",
            )
            print(out.strip())
    finally:
        if options.files:
            worker.terminate()  # it ends the job it runs, then stops
        else:
            worker.kill()  # the publication's files job may have started: not measured
        worker.wait()
        stop.touch()
        print(probe.communicate(timeout=30)[0].strip())


if __name__ == "__main__":
    main()
