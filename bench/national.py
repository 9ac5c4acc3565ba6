"""The cycle at national scale (issue 17): N example communes × 100 leaves, end to end.

Builds the cycle with ``manage.py load_demo --scale N`` (every step through the services, timed
by the command itself), finalises and publishes it with ``manage.py advance_cycle`` (the
secretariat page's path), and times ``parindex compute`` on the published ``scores.csv`` in the
same run: the core's cost, the baseline each phase step is held against. Then the first and the
cached response of the ranking, components, a unit profile, the secretariat's dashboard and the
cycle's report.pdf, through Django's test client in one process (the cache is per process, as a
worker's is), and the peak memory (max RSS) of every process. Targets (issue 17): each phase
step ≤ 3 × compute; no write transaction > 5 s (every phase step is one transaction); first
response ≤ 1 s, cached ≤ 50 ms; no process > 500 MB. A step that fails is reported (its last
error line) and the run goes on with what does not depend on it.

SQLite by default, PostgreSQL with ``--postgres`` (a throw-away server from ``.ci/postgres.sh``
on its own port). A benchmark, not a test: it reports, it does not assert.

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
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PARINDEX = str(Path(PYTHON).with_name("parindex"))
PG = {"PARINDEX_PG_PORT": "54351", "PARINDEX_PG_DATA": "/tmp/parindex-national-pg"}
STEP = re.compile(r"^step (\S+) ([\d.]+) s$")
LAST = re.compile(r"^cycle (\d+) user (\S+)$")
MB = 1024  # ru_maxrss is in KiB on Linux
FIRST_S, CACHED_S, WRITE_S, MEMORY_MB, CORE_FACTOR = 1.0, 0.050, 5.0, 500, 3

PAGES = """
import sys, time, resource
import django_otp.middleware
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from parindex_web.cycles.models import Cycle

django_otp.middleware.is_verified = lambda user: True  # the bench signs in without a device
cycle = Cycle.objects.get(pk=CYCLE)
unit = cycle.assessments.select_related("unit").order_by("unit__code").first().unit.code
public, secretariat = Client(), Client()
secretariat.force_login(get_user_model().objects.get(username=USER))
pages = [
    ("ranking", public, reverse("results:ranking", args=[CYCLE])),
    ("components", public, reverse("results:components", args=[CYCLE])),
    ("unit profile", public, reverse("profiles:unit", kwargs={"cycle_id": CYCLE, "unit_code": unit})),
    ("dashboard", secretariat, reverse("secretariat:dashboard", args=[CYCLE])),
    ("report.pdf", public, reverse("reports:cycle_pdf", args=[CYCLE])),
]
for name, client, url in pages:
    times, size, status = [], 0, 0
    for _ in range(2):
        t0 = time.perf_counter()
        try:
            response = client.get(url, secure=True)  # DEBUG off redirects plain HTTP
        except Exception as exc:  # reported, and the next page is tried
            print(f"FAILED {name} {type(exc).__name__}: {exc}"[:300], flush=True)
            break
        times.append(time.perf_counter() - t0)
        size = len(response.content) if not response.streaming else 0
        status = response.status_code
    else:
        mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"PAGE {name}|{times[0]:.3f}|{times[1]:.3f}|{size}|{status}|{mb:.0f}", flush=True)
"""

DUMP = """
from pathlib import Path
from django.db.models.functions import Coalesce
from parindex_web.cycles import services
from parindex_web.cycles.models import Cycle, Entry
cycle = Cycle.objects.get(pk=CYCLE)
publication = cycle.publications.order_by("-version").first()
Path(OUT, "methodology.yaml").write_text(cycle.methodology.source_text, encoding="utf-8")
if publication is not None:
    text = publication.scores_csv
else:  # the same size of input for the core when publishing failed (not the points that count)
    scores = {}
    rows = Entry.objects.filter(assessment__cycle=cycle).values_list(
        "assessment__unit__code", "code",
        Coalesce("external_points", "appraised_points", "self_points"),
    )
    for unit, code, points in rows.iterator(chunk_size=10000):
        if points is not None:
            scores.setdefault(unit, {})[code] = points
    text = services.scores_csv(scores, cycle.core())
    print("FROM-ENTRIES")
Path(OUT, "scores.csv").write_text(text, encoding="utf-8")
"""


@dataclass
class Ran:
    """A finished process: exit status, standard output, last error line, seconds, max RSS."""

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
        proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, errors = out.read(), [line for line in err.read().splitlines() if line.strip()]
    return Ran(
        proc.returncode,
        text,
        errors[-1] if errors else "",
        seconds,
        usage.ru_maxrss / MB,
        text.splitlines(),
    )


def shell(script: str, env: dict[str, str], **names: object) -> Ran:
    header = "".join(f"{k} = {v!r}\n" for k, v in names.items())
    return run([PYTHON, "manage.py", "shell", "-c", header + script], env)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=3_300)
    parser.add_argument("--quick", action="store_true", help="100 units (a quick look)")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL")
    args = parser.parse_args()
    units = 100 if args.quick else args.units
    work = Path(tempfile.mkdtemp(prefix="parindex-national-"))
    env = {
        **os.environ,
        "PARINDEX_DEBUG": "false",
        "PARINDEX_SECRET_KEY": "bench-only-" + "x" * 50,
        "PARINDEX_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "PARINDEX_MEDIA_ROOT": str(work / "media"),
        "PARINDEX_STATIC_ROOT": str(work / "static"),
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
    try:
        return measure(units, database, work, env)
    finally:
        if args.postgres:
            subprocess.run([str(REPO / ".ci" / "postgres.sh"), "stop"], check=False, env=pg_env)
        shutil.rmtree(work, ignore_errors=True)


def measure(units: int, database: str, work: Path, env: dict[str, str]) -> int:
    print(f"bench: national scale, {units} units × 100 leaves on {database}", flush=True)
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([PYTHON, "manage.py", *command], env=env, cwd=REPO, check=True)
    steps: dict[str, float] = {}
    memory: dict[str, float] = {}
    demo = run([PYTHON, "manage.py", "load_demo", "--scale", str(units)], env)
    memory["load_demo"] = demo.mb
    for line in demo.lines:
        if m := STEP.match(line):
            steps[m.group(1)] = float(m.group(2))
            print(f"  {m.group(1):32s} {float(m.group(2)):9.2f} s", flush=True)
    last = LAST.match(demo.lines[-1]) if demo.lines else None
    if demo.rc or last is None:
        print(f"  load_demo --scale FAILED: {demo.error}")
        return 1
    cycle, user = int(last.group(1)), last.group(2)
    for name in ("finalise", "publish"):
        if name == "publish" and "finalise" not in steps:
            print(f"  {name:32s}    not tried: finalising failed", flush=True)
            break
        moved = run([PYTHON, "manage.py", "advance_cycle", str(cycle), "--user", user], env)
        memory[f"advance_cycle ({name})"] = moved.mb
        if moved.rc:
            print(f"  {name:32s}    FAILED: {moved.error}", flush=True)
            continue
        seconds = float(re.findall(r"\(([\d.]+) [^)]*\)", moved.out)[-1])
        steps[name] = seconds
        print(f"  {name:32s} {seconds:9.2f} s", flush=True)
    dumped = shell(DUMP, env, CYCLE=cycle, OUT=str(work))
    core = None
    computed = run(
        [PARINDEX, "compute", str(work / "methodology.yaml"), str(work / "scores.csv")], env
    )
    if dumped.rc == 0 and computed.rc == 0:
        core = computed.seconds
        origin = " (scores read from the entries)" if "FROM-ENTRIES" in dumped.out else ""
        print(f"  {'parindex compute (the core)':32s} {core:9.2f} s{origin}", flush=True)
    else:
        print(f"  parindex compute FAILED: {dumped.error or computed.error}")
    pages = shell(PAGES, env, CYCLE=cycle, USER=user)
    memory["pages (one worker)"] = pages.mb
    report(steps, core, pages, memory, units, database)
    return 0


def report(
    steps: dict[str, float],
    core: float | None,
    pages: Ran,
    memory: dict[str, float],
    units: int,
    database: str,
) -> None:
    print(f"targets (issue 17), {units} units on {database}:")
    phase_steps = ("open-self-assessment", "import-external-points", "finalise", "publish")
    for name in phase_steps:
        if name not in steps:
            print(f"  {name:32s} failed: targets NOT met")
            continue
        seconds = steps[name]
        versus = (
            f"{seconds / core:6.1f} × compute (≤ {CORE_FACTOR}: {verdict(seconds <= CORE_FACTOR * core)})"
            if core
            else "compute not measured"
        )
        print(
            f"  {name:32s} {seconds:8.2f} s  {versus};  one write transaction ≤ {WRITE_S:g} s: "
            f"{verdict(seconds <= WRITE_S)}"
        )
    for line in pages.lines:
        if line.startswith("FAILED"):
            print(f"  page {line}")
        elif line.startswith("PAGE "):
            name, first, cached, size, status, _mb = line[5:].split("|")
            if status != "200":
                first = cached = "inf"  # an error page is no answer
                if "publish" not in steps and name != "dashboard":
                    print(f"  {name:14s} HTTP {status}: not published, not measured")
                    continue
            print(
                f"  {name:14s} HTTP {status}  {int(size) / 1e6:6.2f} MB  first {float(first):7.3f} s "
                f"(≤ {FIRST_S:g} s: {verdict(float(first) <= FIRST_S)})  cached "
                f"{float(cached) * 1000:8.1f} ms (≤ {CACHED_S * 1000:g} ms: "
                f"{verdict(float(cached) <= CACHED_S)})"
            )
    if pages.rc:
        print(f"  pages FAILED: {pages.error}")
    for name, mb in memory.items():
        print(
            f"  peak memory {name:28s} {mb:7.0f} MB (≤ {MEMORY_MB} MB: {verdict(mb <= MEMORY_MB)})"
        )


if __name__ == "__main__":
    raise SystemExit(main())
