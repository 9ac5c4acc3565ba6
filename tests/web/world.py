"""The small world the web tests share, built inline with the models.

The example-commune methodology; a provincial body ("snv-a") with three communes and another
body ("snv-b"); their people (:class:`People`); a cycle in preparation over the first two
communes, one appraiser assigned to each. The fixtures over it (``methodology``, ``body``,
``other_body``, ``units``, ``people``, ``cycle``, ``assessment``, ``assessment2``) are in
tests/web/conftest.py; tests/web/permissions builds its once-per-module world from these
functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

import parindex
from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles.models import Assessment, Assignment, Cycle, Entry
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

BODY = ("snv-a", "Sở Nội vụ A")
OTHER_BODY = ("snv-b", "Sở Nội vụ B")
# The communes of ``body`` (their names sort differently in Vietnamese than by code points).
UNITS = [("xa-1", "Xã Đông Hòa"), ("xa-2", "Xã Ái Quốc"), ("xa-3", "Phường Bình An")]


def make_user(username: str) -> Any:
    """A user without a password (hashing one costs a second per user)."""
    return get_user_model().objects.create_user(username, email=f"{username}@example.org")


def example_methodology() -> Methodology:
    """The shipped example-commune methodology, saved."""
    m = Methodology.from_file(parindex.shipped_methodologies()["example-commune"])
    m.save()
    return m


def make_body(code: str, name: str) -> AssessingBody:
    return AssessingBody.objects.create(code=code, name=name, kind=AssessingBody.Kind.PROVINCIAL)


def make_units(body: AssessingBody, names: list[tuple[str, str]] = UNITS) -> list[Unit]:
    return [
        Unit.objects.create(code=c, name=n, unit_type=Unit.Type.COMMUNE, body=body)
        for c, n in names
    ]


@dataclass
class People:
    secretariat: Any
    appraiser: Any  # assigned to units[0]
    appraiser2: Any  # the body's appraiser, assigned to units[1] (not to units[0])
    officer: Any  # units[0]
    leader: Any  # units[0]
    officer2: Any  # units[1]
    leader2: Any  # units[1]
    officer3: Any  # units[2], not in the cycle's scope
    foreign_secretariat: Any  # secretariat of the other body
    outsider: Any  # no role anywhere


def make_people(
    body: AssessingBody, other_body: AssessingBody, units: list[Unit], prefix: str = ""
) -> People:
    """The people of :class:`People`, each user named ``prefix`` + the field's name."""
    p = People(*(make_user(prefix + n) for n in People.__dataclass_fields__))
    for user, role, where in [
        (p.secretariat, Role.SECRETARIAT, {"body": body}),
        (p.appraiser, Role.APPRAISER, {"body": body}),
        (p.appraiser2, Role.APPRAISER, {"body": body}),
        (p.foreign_secretariat, Role.SECRETARIAT, {"body": other_body}),
        (p.officer, Role.OFFICER, {"unit": units[0]}),
        (p.leader, Role.LEADER, {"unit": units[0]}),
        (p.officer2, Role.OFFICER, {"unit": units[1]}),
        (p.leader2, Role.LEADER, {"unit": units[1]}),
        (p.officer3, Role.OFFICER, {"unit": units[2]}),
    ]:
        Membership.objects.create(user=user, role=role, **where)
    return p


def make_cycle(
    body: AssessingBody,
    units: list[Unit],
    methodology: Methodology,
    people: People,
    year: int = 2025,
    name: str = "",
    *,
    dated: bool = True,
) -> Cycle:
    """A cycle in preparation over the first two communes, one appraiser for each; ``dated``:
    created by the secretariat, its deadlines 30, 60 and 75 days from now."""
    now = timezone.now()
    dates: dict[str, Any] = {
        "created_by": people.secretariat,
        "self_assessment_due": now + timedelta(days=30),
        "appraisal_due": now + timedelta(days=60),
        "explanation_due": now + timedelta(days=75),
    }
    cycle = Cycle.objects.create(
        body=body,
        year=year,
        name=name or f"Chỉ số CCHC cấp xã {year}",
        methodology=methodology,
        **(dates if dated else {}),
    )
    for unit in units[:2]:
        Assessment.objects.create(cycle=cycle, unit=unit)
    Assignment.objects.create(cycle=cycle, appraiser=people.appraiser, unit=units[0])
    Assignment.objects.create(cycle=cycle, appraiser=people.appraiser2, unit=units[1])
    return cycle


def assessment_of(cycle: Cycle, unit: Unit) -> Assessment:
    """The unit's assessment, sharing ``cycle`` (so that a refreshed cycle shows through)."""
    a = cycle.assessments.select_related("unit").get(unit=unit)
    a.cycle = cycle
    return a


def entry_of(assessment: Assessment, code: str) -> Entry:
    return Entry.objects.select_related("assessment__cycle", "assessment__unit").get(
        assessment=assessment, code=code
    )


def external_rows(cycle: Cycle, share: str = "0.8") -> dict[tuple[str, str], Decimal]:
    """Points for every leaf the secretariat enters: ``share`` of each leaf's maximum."""
    core = cycle.core()
    return {
        (a.unit.code, leaf.code): (leaf.max_points * Decimal(share)).quantize(Decimal("0.01"))
        for a in cycle.assessments.select_related("unit")
        for leaf in core.leaves
        if core.source_of(leaf.code) is not parindex.Source.APPRAISAL
    }
