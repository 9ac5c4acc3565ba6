"""``load_demo --scale N`` and ``advance_cycle``: the tools that measure a cycle at national
scale (issue 17). The cycle is built through the services, so its audit trail is the pages'."""

from __future__ import annotations

import io
import re
from typing import Any
from unittest import mock

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import OutputWrapper

import parindex
from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import preflight
from parindex_web.cycles.management import scale_demo
from parindex_web.cycles.models import Assessment, Cycle, Entry, Explanation, Phase, Publication

pytestmark = pytest.mark.django_db

LAST_LINE = re.compile(r"^cycle (\d+) user (\S+)$")


@pytest.fixture(autouse=True)
def _quiet_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def load(n: int) -> tuple[Cycle, str, list[str]]:
    out = io.StringIO()
    call_command("load_demo", scale=n, stdout=out)
    lines = out.getvalue().splitlines()
    m = LAST_LINE.match(lines[-1])
    assert m, lines[-1]
    return Cycle.objects.get(pk=int(m.group(1))), m.group(2), lines


def manage(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run a command as ``manage.py`` does: (exit status, standard output, standard error).

    ``run_from_argv`` closes every database connection when the command ends, which on
    PostgreSQL would close the test's transaction under it: the test keeps its connection."""
    try:
        with mock.patch("django.core.management.base.connections.close_all"):
            ManagementUtility(["manage.py", *argv]).execute()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_generated_methodology_has_100_example_leaves_20_of_them_external() -> None:
    core = parindex.parse_methodology_yaml(scale_demo.methodology_yaml(), "scale")
    parindex.ensure_valid(core, "scale")
    external = [n for n in core.leaves if core.source_of(n.code) is not parindex.Source.APPRAISAL]
    assert (len(core.leaves), len(external), core.example) == (100, 20, True)
    assert sum(n.max_points for n in core.leaves) == 100


def test_load_demo_scale_builds_a_cycle_ready_to_finalise_through_the_services() -> None:
    cycle, user, lines = load(30)
    assert user == "quymo_thuky"
    assert (cycle.phase, cycle.example, cycle.methodology.example) == (
        Phase.EXPLANATION,
        True,
        True,
    )
    assessments = cycle.assessments.select_related("unit")
    assert assessments.count() == 30
    assert {a.status for a in assessments} == {Assessment.Status.APPRAISED}
    assert all(re.fullmatch(r"Xã ví dụ \d{4}", a.unit.name) for a in assessments)
    entries = Entry.objects.filter(assessment__cycle=cycle)
    assert entries.count() == 3000
    assert entries.filter(external_points__isnull=False).count() == 30 * 20
    assert entries.filter(self_points__isnull=False).count() == 30 * 80
    assert entries.filter(appraised_points__isnull=False).count() == 30 * 80
    # The explanation the demo files is decided: nothing blocks finalising, nobody unfinished.
    assert not Explanation.objects.filter(
        entry__assessment__cycle=cycle, status=Explanation.Status.PENDING
    ).exists()
    report = preflight.check(cycle)
    assert report is not None and not report.result.needs_confirmation
    # Audited as the pages audit: one record per saved, imported and accepted value.
    records = AuditRecord.objects.filter(cycle_id=cycle.pk)
    assert records.filter(field="external_points").count() == 600
    assert records.filter(field="self_points").count() == 2400
    assert records.filter(action="assessment.accept_remaining").count() == 30
    assert [line.split()[1] for line in lines[:-1]] == [
        "units-and-users",
        "create-cycle",
        "open-self-assessment",
        "import-external-points",
        "self-assessment-and-sign-off",
        "open-appraisal",
        "appraisal",
        "open-explanation",
        "explanation",
    ]


def test_a_second_scale_load_adds_another_cycle_on_the_same_units() -> None:
    first, _user, _lines = load(2)
    second, _user, _lines = load(2)
    assert first.pk != second.pk
    assert set(first.assessments.values_list("unit", flat=True)) == set(
        second.assessments.values_list("unit", flat=True)
    )


def test_load_demo_scale_refuses_a_size_below_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = manage(capsys, "load_demo", "--scale", "0")
    assert code == 1 and "--scale" in err


def test_advance_cycle_finalises_then_publishes_saying_what_it_did(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cycle, user, _lines = load(3)
    code, out, _err = manage(capsys, "advance_cycle", str(cycle.pk), "--user", user)
    assert code == 0
    # Commands speak the site's language (Vietnamese first): "kỳ đánh giá 1: A → B (0.1 giây)".
    assert re.fullmatch(rf"kỳ đánh giá {cycle.pk}: \S.* → \S.* \([\d.]+ giây\)\n", out), out
    cycle.refresh_from_db()
    assert cycle.phase == Phase.FINALISED
    code, out, _err = manage(capsys, "advance_cycle", str(cycle.pk), "--user", user)
    assert code == 0 and ", " in out
    cycle.refresh_from_db()
    assert cycle.phase == Phase.PUBLISHED
    assert Publication.objects.filter(cycle=cycle, version=1).exists()
    # Publishing again is a correction: refused without a reason, done with one.
    code, _out, err = manage(capsys, "advance_cycle", str(cycle.pk), "--user", user)
    assert code == 1 and err.strip()
    code, _out, _err = manage(
        capsys, "advance_cycle", str(cycle.pk), "--user", user, "--reason", "Đính chính (ví dụ)"
    )
    assert code == 0 and Publication.objects.filter(cycle=cycle, version=2).exists()


def test_advance_cycle_refuses_an_unknown_cycle(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = manage(capsys, "advance_cycle", "987654", "--user", "quymo_thuky")
    assert code == 1 and "987654" in err


def test_advance_cycle_refuses_an_unknown_user(capsys: pytest.CaptureFixture[str]) -> None:
    cycle, _user, _lines = load(1)
    code, _out, err = manage(capsys, "advance_cycle", str(cycle.pk), "--user", "nobody-here")
    assert code == 1 and "nobody-here" in err
    assert Cycle.objects.get(pk=cycle.pk).phase == Phase.EXPLANATION


def test_advance_cycle_refuses_a_user_outside_the_secretariat(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cycle, _user, _lines = load(1)
    code, _out, err = manage(capsys, "advance_cycle", str(cycle.pk), "--user", "quymo_canbo0001")
    assert code == 1 and cycle.body.name in err
    assert Cycle.objects.get(pk=cycle.pk).phase == Phase.EXPLANATION


def test_advance_cycle_refuses_unfinished_units_naming_how_many_and_confirm_moves_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scale = scale_demo.Scale(3, OutputWrapper(io.StringIO()))
    scale.people()
    cycle = scale.create()
    scale.advance(cycle)  # self-assessment open, nobody has signed off
    argv = ("advance_cycle", str(cycle.pk), "--user", scale.secretariat.get_username())
    code, _out, err = manage(capsys, *argv)
    assert code == 1 and "3" in err.splitlines()[-1]
    assert all(f"vd-000{i}" in err for i in (1, 2, 3))
    assert Cycle.objects.get(pk=cycle.pk).phase == Phase.SELF_ASSESSMENT
    code, _out, _err = manage(capsys, *argv, "--confirm")
    assert code == 0 and Cycle.objects.get(pk=cycle.pk).phase == Phase.APPRAISAL
    assert AuditRecord.objects.filter(
        cycle_id=cycle.pk, action="cycle.preflight_confirmed"
    ).exists()
