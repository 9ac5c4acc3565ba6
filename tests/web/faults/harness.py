"""Fault harness: the real server (``manage.py serve``) under a burst of writes, killed and
restarted, then the database and the evidence store checked for anything lost or half-written.

A burst is officers saving leaves and uploading evidence documents (some larger than 2 MB, so
received in the temporary upload folder) and a secretary importing a CSV of survey points for
every unit. A write is *acknowledged* when the server answered its redirect; a write whose
answer never came may or may not be stored. :func:`check` then asks, through ``manage.py
shell``:

- every acknowledged save and import is there; per leaf, the version counts the committed
  writes and each one has its audit record (nothing saved without its record, nor the reverse);
- an import is all or nothing: every unit's survey leaf saw the same number of imports;
- every acknowledged upload has its document row, every row its whole file (bytes matching the
  hash), and after ``clean_uploads`` (which ``serve`` runs at start) no temporary file is left
  and, with ``--delete-orphans``, no file without its row;
- the audit chain verifies.

Used by tests/web/faults/ (a short burst) and ``bench/faults.py`` (a long one).
"""

from __future__ import annotations

import http.client
import http.cookies
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
SERVE = [PYTHON, str(REPO / "manage.py"), "serve"]
PASSWORD = "faults-password-1"
LEAVES = 5

METHODOLOGY = (
    "id: faults\nname: 'FAULTS – synthetic methodology (not official)'\nexample: true\n"
    "places: 2\ntotal_points: 10\ndefault_rule: {kind: points}\nnodes:\n"
    "  - {code: '1', name: 'Saved by officers', max_points: 5, children: ["
    + ", ".join(f"{{code: '1.{i}', name: 'Leaf 1.{i}', max_points: 1}}" for i in range(1, 6))
    + "]}\n"
    "  - {code: '2', name: 'Imported', max_points: 5, children: ["
    "{code: '2.1', name: 'Survey', max_points: 5, source: survey}]}\n"
)

SETUP = """
from django.contrib.auth import get_user_model
from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

User = get_user_model()
body = AssessingBody.objects.create(code="faults", name="Faults body", kind="provincial")
m = Methodology(slug="faults", source_text=METHODOLOGY)
m.save()
secretary = User.objects.create_user("secretary", password=PASSWORD)
Membership.objects.create(user=secretary, role=Role.SECRETARIAT, body=body)
cycle = Cycle.objects.create(body=body, year=2026, name="Faults", methodology=m)
for i in range(CLIENTS):
    unit = Unit.objects.create(code=f"u{i:02d}", name=f"Unit {i}", unit_type="commune", body=body)
    user = User.objects.create_user(f"officer{i:02d}", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.OFFICER, unit=unit)
    Assessment.objects.create(cycle=cycle, unit=unit)
services.advance_phase(secretary, cycle)
print("CYCLE", cycle.pk)
for a in Assessment.objects.order_by("unit__code"):
    print("ASSESSMENT", a.unit.code, a.pk)
"""

CHECK = """
import hashlib, json, os
from pathlib import Path
from django.conf import settings
from parindex_web.audit.models import AuditRecord, verify
from parindex_web.cycles import storage
from parindex_web.cycles.models import Entry, Evidence

expected = json.load(open(os.environ["FAULTS_EXPECTED"]))
problems = []
audits = {}
for r in AuditRecord.objects.filter(action__startswith="entry.").values("action", "object_id"):
    key = (r["action"], str(r["object_id"]))
    audits[key] = audits.get(key, 0) + 1
imports = set()
for e in Entry.objects.select_related("assessment__unit"):
    key = f"{e.assessment.unit.code}|{e.code}"
    field = "self_points" if e.code.startswith("1.") else "external_points"
    attempts = expected["attempts"].get(key, [])
    acked = [i for i, (_, ok) in enumerate(attempts) if ok]
    records = audits.get((f"entry.{field}", str(e.pk)), 0)
    if e.version != records:
        problems.append(f"{key}: version {e.version} but {records} audit records")
    if not len(acked) <= e.version <= len(attempts):
        problems.append(f"{key}: {len(acked)} acknowledged, {len(attempts)} sent, version {e.version}")
    if attempts and e.version:
        stored = getattr(e, field)
        allowed = {p for _, (p, _ok) in list(enumerate(attempts))[(acked[-1] if acked else 0):]}
        if stored is None or float(stored) not in allowed:
            problems.append(f"{key}: {stored} is none of the last acknowledged or later {allowed}")
    elif acked:
        problems.append(f"{key}: acknowledged saves lost")
    if field == "external_points":
        imports.add(e.version)
if len(imports) > 1:
    problems.append(f"imports half-applied: survey leaves saw {sorted(imports)} imports")
shas = set(Evidence.objects.values_list("sha256", flat=True))
for sha in expected["uploads"]:
    if sha not in shas:
        problems.append(f"acknowledged upload {sha[:12]} lost")
root = Path(settings.MEDIA_ROOT)
for ev in Evidence.objects.all():
    path = root / ev.file.name
    if not path.is_file() or storage.file_sha256(path) != ev.sha256:
        problems.append(f"document {ev.pk}: file missing or not whole")
orphans = storage.orphans()
problems += [f"orphan {o.name} is not whole" for o in orphans if not o.whole]
leftovers = [p.name for p in storage.temp_dir().rglob("*") if p.is_file()]
print("CHECK", json.dumps({
    "problems": problems,
    "chain_findings": [f.message for f in verify()],
    "orphans": len(orphans),
    "leftovers": leftovers,
    "documents": len(shas),
    "audit_records": AuditRecord.objects.count(),
}))
"""

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BOUNDARY = "faults-boundary-51c2"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Down(Exception):
    """The server did not answer (killed, restarting)."""


class Browser:
    """One person's browser: cookies and a connection opened again after the server died."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = content_type
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            raise Down(str(exc)) from None
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        return response.status, data

    def page(self, path: str) -> str:
        status, body = self.request("GET", path)
        if status != 200:
            raise Down(f"GET {path}: HTTP {status}")
        return body.decode()

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
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        body = b"".join([*parts, content, f"\r\n--{BOUNDARY}--\r\n".encode()])
        return self.request("POST", path, body, f"multipart/form-data; boundary={BOUNDARY}")[0]

    def login(self, username: str) -> None:
        """Sign in, trying again while the server or its database is down."""
        for _ in range(300):
            try:
                page = self.page("/accounts/login/")
                token = CSRF.search(page).group(1)  # type: ignore[union-attr]
                status = self.form(
                    "/accounts/login/",
                    {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                )
            except Down:
                status = 503
            if status == 302:
                return
            if status != 503:
                break
            time.sleep(0.2)
        raise RuntimeError(f"{username} could not sign in: HTTP {status}")


def pdf(size: int, tag: str) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return head + os.urandom(max(size - len(head) - 40, 0)) + f"\n% {tag}\n%%EOF\n".encode()


@dataclass
class Record:
    """What the clients sent and what the server acknowledged."""

    attempts: dict[str, list[tuple[float, bool]]] = field(default_factory=dict)
    uploads: list[str] = field(default_factory=list)
    sent: int = 0
    acked: int = 0
    failed: int = 0  # refused connections and cut-off answers while the server was down
    statuses: dict[int, int] = field(default_factory=dict)  # answers other than a redirect
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attempt(self, key: str, points: float) -> int:
        with self.lock:
            self.sent += 1
            self.attempts.setdefault(key, []).append((points, False))
            return len(self.attempts[key]) - 1

    def ack(self, key: str, index: int) -> None:
        with self.lock:
            self.acked += 1
            self.attempts[key][index] = (self.attempts[key][index][0], True)

    def answer(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1


class Harness:
    """A database, a media folder and the server, in ``work``."""

    def __init__(self, work: Path, database_url: str, clients: int, env: dict[str, str]) -> None:
        self.work, self.clients = work, clients
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PARINDEX_MEDIA_ROOT": str(work / "media"),
            "PARINDEX_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PARINDEX_OTP_REQUIRED_ROLES": "staff",
            "PARINDEX_API_ANON_RATE": "off",
            **env,
        }
        self.env.pop("PARINDEX_UPLOAD_TEMP_DIR", None)
        self.server: subprocess.Popen[bytes] | None = None
        self.port = free_port()
        self.log = work / "server.log"
        self.record = Record()
        self.stop = threading.Event()
        self.ready = threading.Semaphore(0)  # released by each client once signed in
        self.go = threading.Event()  # the burst starts: every client has signed in

    def manage(self, *args: str, extra: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [PYTHON, str(REPO / "manage.py"), *args],
            env={**self.env, **(extra or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def set_up(self) -> None:
        self.manage("migrate", "-v0")
        script = (
            f"METHODOLOGY = {METHODOLOGY!r}\nPASSWORD = {PASSWORD!r}\nCLIENTS = {self.clients}\n"
        )
        out = self.manage("shell", "-c", script + SETUP)
        self.cycle = int(next(x.split()[1] for x in out.splitlines() if x.startswith("CYCLE")))
        self.assessments = [
            (x.split()[1], int(x.split()[2])) for x in out.splitlines() if x.startswith("ASSESS")
        ]

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.server = subprocess.Popen(
                [*SERVE, f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "2"],
                env=self.env,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its own process group: one kill takes every worker
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if b" 200 " in s.recv(64):
                        return
            except OSError:
                pass
            if self.server.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise RuntimeError("the server did not start in 90 s")

    def kill(self) -> None:
        """SIGKILL the server's master and every worker at once."""
        assert self.server is not None
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait()

    def shut_down(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()

    # --- the burst ----------------------------------------------------------------------

    def _retrying(self, browser: Browser, path: str) -> str:
        while not self.stop.is_set():
            try:
                return browser.page(path)
            except Down:
                time.sleep(0.2)
        raise Down("stopped")

    def officer(self, index: int, unit: str, assessment: int, big: bytes) -> None:
        browser, rnd = Browser(self.port), random.Random(index)
        try:
            browser.login(f"officer{index:02d}")
        finally:
            self.ready.release()
        self.go.wait()
        n = 0
        while not self.stop.is_set():
            n += 1
            code = f"1.{n % LEAVES + 1}"
            key = f"{unit}|{code}"
            try:
                html = self._retrying(browser, f"/assessments/{assessment}/entries/{code}/")
            except Down:
                return
            prefix = re.search(r'name="(e\d+)-version" value="(\d+)"', html)
            token = CSRF.search(html)
            if prefix is None or token is None:
                raise RuntimeError(f"no form for {key}")
            # Never the value of the last 19 attempts: every committed save changes the points.
            points = round(((len(self.record.attempts.get(key, [])) % 20) + 1) * 0.05, 2)
            i = self.record.attempt(key, points)
            try:
                status = browser.form(
                    f"/assessments/{assessment}/entries/{code}/",
                    {
                        "csrfmiddlewaretoken": token.group(1),
                        f"{prefix.group(1)}-version": prefix.group(2),
                        f"{prefix.group(1)}-points": str(points),
                        f"{prefix.group(1)}-note": "",
                    },
                )
            except Down:
                with self.record.lock:
                    self.record.failed += 1
                continue
            if status == 302:
                self.record.ack(key, i)
            else:
                self.record.answer(status)
            if n % 3 == 0:
                content = pdf(rnd.choice([20_000, 200_000]), f"{unit}-{n}")
                if n % 9 == 0:
                    content = big + f"{unit}-{n}".encode()  # > 2 MB: spooled to a temp file
                self._upload(browser, assessment, token.group(1), content, f"{unit}-{n}")

    def _upload(self, browser: Browser, assessment: int, token: str, content: bytes, tag: str):
        import hashlib

        fields = {"csrfmiddlewaretoken": token, "doc_number": tag, "issuer": "Faults"}
        with self.record.lock:
            self.record.sent += 1
        try:
            status = browser.upload(
                f"/assessments/{assessment}/evidence/", fields, f"{tag}.pdf", content
            )
        except Down:
            with self.record.lock:
                self.record.failed += 1
            return
        if status == 302:
            with self.record.lock:
                self.record.acked += 1
                self.record.uploads.append(hashlib.sha256(content).hexdigest())
        else:
            self.record.answer(status)

    def secretary(self) -> None:
        browser = Browser(self.port)
        try:
            browser.login("secretary")
        finally:
            self.ready.release()
        self.go.wait()
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                html = self._retrying(browser, f"/cycles/{self.cycle}/external")
            except Down:
                return
            token = CSRF.search(html).group(1)  # type: ignore[union-attr]
            points = float(n % 5 + 1)
            rows = "".join(f"{unit},2.1,{points:g}\n" for unit, _ in self.assessments)
            indexes = [(u, self.record.attempt(f"{u}|2.1", points)) for u, _ in self.assessments]
            try:
                status = browser.upload(
                    f"/cycles/{self.cycle}/external",
                    {"csrfmiddlewaretoken": token},
                    "points.csv",
                    f"unit,code,points\n{rows}".encode(),
                )
            except Down:
                with self.record.lock:
                    self.record.failed += len(indexes)  # one write per unit, as sent
                continue
            if status == 302:
                for unit, i in indexes:
                    self.record.ack(f"{unit}|2.1", i)
            else:
                self.record.answer(status)
            time.sleep(0.3)

    def burst(
        self, seconds: float, kills: int, seed: int = 0, on_start: Callable[[], None] | None = None
    ) -> None:
        """Writes for ``seconds``, the server SIGKILLed ``kills`` times at random moments (and
        started again at once) meanwhile; ``on_start`` is called (in a thread of its own) when
        the clients have signed in and the burst begins."""
        big = pdf(2_500_000, "big")
        threads = [
            threading.Thread(target=self.officer, args=(i, unit, a, big), daemon=True)
            for i, (unit, a) in enumerate(self.assessments)
        ]
        threads.append(threading.Thread(target=self.secretary, daemon=True))
        errors: list[BaseException] = []

        def guarded(target):  # type: ignore[no-untyped-def]
            def run(*args):  # type: ignore[no-untyped-def]
                try:
                    target(*args)
                except BaseException as exc:
                    errors.append(exc)

            return run

        for t in threads:
            t._target = guarded(t._target)  # type: ignore[attr-defined]
            t.start()
        for _ in threads:  # signing in hashes a password: not part of the timed burst
            self.ready.acquire(timeout=300)
        if errors:
            self.stop.set()
            raise errors[0]
        self.go.set()
        starter = threading.Thread(target=on_start or (lambda: None), daemon=True)
        starter.start()
        rnd = random.Random(seed)
        moments = sorted(rnd.uniform(0.2, 0.8) * seconds for _ in range(kills))
        t0 = time.monotonic()
        for moment in moments:
            time.sleep(max(0.0, moment - (time.monotonic() - t0)))
            self.kill()
            self.start()
        time.sleep(max(0.0, seconds - (time.monotonic() - t0)))
        self.stop.set()
        starter.join(timeout=120)
        for t in threads:
            t.join(timeout=120)
        if errors:
            raise errors[0]

    def check(self) -> dict[str, object]:
        """Stop the server, clean up as ``serve`` would at start, and check the stored data."""
        self.shut_down()
        expected = self.work / "expected.json"
        expected.write_text(
            json.dumps({"attempts": self.record.attempts, "uploads": self.record.uploads})
        )
        self.manage("clean_uploads")
        before = self._check(expected)
        self.manage("clean_uploads", "--delete-orphans", "--older-than", "0")
        after = self._check(expected)
        after["orphans_before_cleanup"] = before["orphans"]
        return after

    def _check(self, expected: Path) -> dict[str, object]:
        out = self.manage("shell", "-c", CHECK, extra={"FAULTS_EXPECTED": str(expected)})
        return json.loads(out.split("CHECK", 1)[1])
