"""Fixtures of the bad-input corpus: the generated files, a CLI runner, one web world per module.

The large and binary files are made once per session by ``scripts/make_bad_inputs.py`` into a
temporary folder. The web world (one body, three communes, three cycles: in self-assessment, in
appraisal, in explanation) is built once per module, with the web tests' builders
(tests/web/world.py), inside a transaction that is rolled back at the end; each test runs in a
savepoint of it, so a case that wrongly writes cannot leak. The settings every run shares (the
cache in memory) come from tests/conftest.py.
"""

from __future__ import annotations

import importlib.util
import random
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import pytest

from parindex.cli import main

from .points import Case

if TYPE_CHECKING:  # the models are imported once Django is set up (in the fixtures)
    from parindex_web.cycles.models import Assessment, Cycle
    from parindex_web.lib.users import User

ROOT = Path(__file__).resolve().parents[2]
CASE_SECONDS = 20  # a case that takes longer is a failure (a bomb that went off), not a hang


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_bad_inputs", ROOT / "scripts" / "make_bad_inputs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Case name → the generated file."""
    made: dict[str, Path] = _load_generator().make_all(tmp_path_factory.mktemp("bad-inputs"))
    return made


@pytest.fixture
def content(generated: dict[str, Path]) -> Callable[[Case], tuple[str, bytes]]:
    """A file case's upload name and bytes."""

    def get(case: Case) -> tuple[str, bytes]:
        if case.data is not None:
            return f"{case.name}{case.suffix}", case.data
        path = generated[case.name]
        return path.name, path.read_bytes()

    return get


@pytest.fixture
def case_path(
    tmp_path: Path, content: Callable[[Case], tuple[str, bytes]]
) -> Callable[[Case], Path]:
    """A file case written to disk, alone in a folder of its own."""

    def write(case: Case) -> Path:
        name, data = content(case)
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_bytes(data)
        return path

    return write


class CaseTimeout(Exception):
    pass


@pytest.fixture(autouse=True)
def _time_limit() -> Iterator[None]:
    """Fail a case that runs longer than CASE_SECONDS instead of hanging the session."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout(f"the case took more than {CASE_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(CASE_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the CLI in-process; an escaping exception is reported like the interpreter would
    (as a traceback), so that the assertion on standard error sees it."""

    def _run(*args: str | Path) -> Run:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        except CaseTimeout:
            raise
        except BaseException as exc:  # a traceback is the defect under test
            captured = capsys.readouterr()
            return Run(
                -1, captured.out, f"{captured.err}Traceback: {exc.__class__.__name__}: {exc}"
            )
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return _run


# --- the web world --------------------------------------------------------------------------


@dataclass
class World:
    secretariat: User
    officer: User  # of the commune in self-assessment (cycle ``open``)
    appraiser: User  # assigned to the commune in appraisal (cycle ``appraising``)
    open: Cycle  # a cycle in self-assessment over xa-1
    assessment: Assessment  # xa-1's assessment in ``open``
    appraising: Cycle  # a cycle in appraisal over xa-2
    appraised: Assessment  # xa-2's assessment in ``appraising``
    explainer: User  # the officer of the commune in explanation (cycle ``explaining``)
    explaining: Cycle  # a cycle in explanation over xa-3
    explained: Assessment  # xa-3's: 1.1.4 appraised below its self-assessment
    media: Path


def _build_world(media: Path) -> World:
    from django.utils import timezone

    import parindex
    from parindex_web.accounts.models import Membership, Role
    from parindex_web.cycles import services
    from parindex_web.cycles.management.commands.load_demo import demo_inputs
    from parindex_web.cycles.models import Assessment, Assignment, Cycle
    from web.world import example_methodology, make_body, make_units, make_user

    # The body, communes, methodology and users are the web tests' own builders
    # (tests/web/world.py); the roles and the three cycles walked through their phases are
    # this corpus's: each commune in a cycle of its own, one per phase the cases refuse input in.
    m = example_methodology()
    body = make_body("snv-bad", "Sở Nội vụ thử")
    one, two, three = make_units(body, [("xa-1", "Xã Một"), ("xa-2", "Xã Hai"), ("xa-3", "Xã Ba")])
    people = {
        n: make_user(n)
        for n in ("secretariat", "officer", "officer2", "leader2", "appraiser", "officer3")
    }
    Membership.objects.create(user=people["secretariat"], role=Role.SECRETARIAT, body=body)
    Membership.objects.create(user=people["appraiser"], role=Role.APPRAISER, body=body)
    Membership.objects.create(user=people["officer"], role=Role.OFFICER, unit=one)
    Membership.objects.create(user=people["officer2"], role=Role.OFFICER, unit=two)
    Membership.objects.create(user=people["leader2"], role=Role.LEADER, unit=two)
    Membership.objects.create(user=people["officer3"], role=Role.OFFICER, unit=three)
    Membership.objects.create(user=people["leader2"], role=Role.LEADER, unit=three)
    now = timezone.now()
    cycles = []
    for name, unit in [("Mở", one), ("Thẩm định", two), ("Giải trình", three)]:
        cycle = Cycle.objects.create(
            body=body,
            year=2025,
            name=f"Chỉ số CCHC {name}",
            methodology=m,
            created_by=people["secretariat"],
            self_assessment_due=now + timedelta(days=30),
            appraisal_due=now + timedelta(days=60),
            explanation_due=now + timedelta(days=75),
        )
        Assessment.objects.create(cycle=cycle, unit=unit)
        Assignment.objects.create(cycle=cycle, appraiser=people["appraiser"], unit=unit)
        services.advance_phase(people["secretariat"], cycle)
        cycles.append(cycle)
    core = m.core()
    for cycle, unit, officer in [
        (cycles[1], "xa-2", people["officer2"]),
        (cycles[2], "xa-3", people["officer3"]),
    ]:
        external = {
            (unit, leaf.code): leaf.max_points / 2
            for leaf in core.leaves
            if core.source_of(leaf.code) is not parindex.Source.APPRAISAL
        }
        services.set_external_points(people["secretariat"], cycle, external)
        assessment = cycle.assessments.get()
        rnd = random.Random(7)
        for entry in assessment.entries.order_by("pk"):
            if core.source_of(entry.code) is parindex.Source.APPRAISAL:
                node = core.by_code[entry.code]
                inputs = demo_inputs(node.rule, node.max_points, rnd)
                if entry.code == "1.1.4":
                    inputs = {"percent": "95"}  # full marks, so that 0 below differs
                services.save_self_assessment(
                    officer, entry, inputs=inputs, note="", version=entry.version
                )
        services.sign_off(people["leader2"], assessment)
        services.advance_phase(people["secretariat"], cycle)
    explained = cycles[2].assessments.get()
    for entry in explained.entries.order_by("pk"):
        if core.source_of(entry.code) is parindex.Source.APPRAISAL:
            entry.refresh_from_db()
            points, reason = entry.self_points, ""
            if entry.code == "1.1.4":
                points, reason = Decimal(0), "Thiếu tài liệu"
            services.appraise(
                people["appraiser"], entry, points=points, reason=reason, version=entry.version
            )
    services.complete_appraisal(people["appraiser"], explained)
    services.advance_phase(people["secretariat"], cycles[2])
    appraising, opened = cycles[1], cycles[0]
    return World(
        secretariat=people["secretariat"],
        officer=people["officer"],
        appraiser=people["appraiser"],
        open=opened,
        assessment=opened.assessments.select_related("unit").get(),
        appraising=appraising,
        appraised=appraising.assessments.select_related("unit").get(),
        explainer=people["officer3"],
        explaining=cycles[2],
        explained=cycles[2].assessments.select_related("unit").get(),
        media=media,
    )


@pytest.fixture(scope="module")
def world(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    """The module's world, rolled back when the module ends.

    Built once per module, outside any test, so the settings are overridden here for the module
    rather than by tests/web/conftest.py's per-test fixtures (which only serve tests/web): its
    own media folder, no second factor asked of any role, English messages."""
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    overrides = override_settings(
        MEDIA_ROOT=str(media),
        PARINDEX_OTP_REQUIRED_ROLES=[],
        LANGUAGE_CODE="en",
    )
    with django_db_blocker.unblock(), overrides:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def snapshot(world: World) -> tuple[object, ...]:
    """Everything a refused input must leave as it was: the entries' values, the documents,
    explanations and audit records, and the files under MEDIA_ROOT."""
    from parindex_web.audit.models import AuditRecord
    from parindex_web.cycles.models import Entry, Evidence, Explanation

    entries = Entry.objects.order_by("pk").values_list(
        "pk",
        "version",
        "inputs",
        "note",
        "self_points",
        "external_points",
        "appraised_points",
        "appraisal_reason",
    )
    files = sorted(str(p.relative_to(world.media)) for p in world.media.rglob("*") if p.is_file())
    return (
        AuditRecord.objects.count(),
        Evidence.objects.count(),
        Explanation.objects.count(),
        list(entries),
        files,
    )
