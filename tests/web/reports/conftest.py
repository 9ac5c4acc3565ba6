"""Published cycles built inline for the download tests.

A provincial body with communes whose names carry Vietnamese diacritics, the example-commune
methodology (groups, several sources, three levels), and helpers that take a cycle to
publication the way the secretariat does (entries with final points → finalise → publish).
Two of the units get the same points, so that the ranking has a tie.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from world import example_methodology

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle, Entry, Phase
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Succession, Unit

# Unit code, name, share of the maximum each leaf gets (x-hai and x-ba tie).
COMMUNES = [
    ("x-mot", "Xã Đông Hà", "0.93"),
    ("x-hai", "Phường Ô Môn", "0.81"),
    ("x-ba", "Xã Ea Kao", "0.81"),
    ("x-bon", "Thị trấn Hưng Yên", "0.66"),
]


@dataclass
class World:
    body: AssessingBody
    methodology: Methodology
    secretariat: Any
    units: list[Unit]


@pytest.fixture
def world(db: None) -> World:
    methodology = example_methodology()
    body = AssessingBody.objects.create(
        code="snv-r", name="Sở Nội vụ tỉnh Thử", kind=AssessingBody.Kind.PROVINCIAL
    )
    units = [
        Unit.objects.create(code=code, name=name, unit_type=Unit.Type.COMMUNE, body=body)
        for code, name, _share in COMMUNES
    ]
    secretariat = get_user_model().objects.create_user("thuky-r", password="x")
    return World(body, methodology, secretariat, units)


def make_cycle(
    world: World,
    year: int,
    units: Sequence[Unit],
    share: Callable[[Unit], Decimal],
    *,
    publish: bool = True,
    name: str | None = None,
) -> Cycle:
    """A cycle whose every leaf has ``share(unit)`` of its maximum, published unless told."""
    core = world.methodology.core()
    cycle = Cycle.objects.create(
        body=world.body,
        year=year,
        name=name or f"Chỉ số CCHC cấp xã năm {year}",
        methodology=world.methodology,
        phase=Phase.EXPLANATION,
    )
    for unit in units:
        assessment = Assessment.objects.create(
            cycle=cycle, unit=unit, status=Assessment.Status.APPRAISED
        )
        for leaf in core.leaves:
            points = (leaf.max_points * share(unit)).quantize(Decimal("0.01"))
            external = core.source_of(leaf.code) is not parindex.Source.APPRAISAL
            Entry.objects.create(
                assessment=assessment,
                code=leaf.code,
                inputs={"points": str(points)},
                self_points=None if external else points,
                appraised_points=None if external else points,
                external_points=points if external else None,
            )
    if publish:
        services.finalise(world.secretariat, cycle)
        services.publish(world.secretariat, cycle)
    return cycle


def default_share(unit: Unit) -> Decimal:
    return Decimal(next(s for code, _n, s in COMMUNES if code == unit.code))


@pytest.fixture
def published(world: World) -> Cycle:
    """A published cycle of four communes (two tie)."""
    return make_cycle(world, 2024, world.units, default_share)


@pytest.fixture
def unpublished(world: World) -> Cycle:
    """A cycle that went as far as the explanations but was never published."""
    return make_cycle(world, 2025, world.units, default_share, publish=False)


@pytest.fixture
def merged(world: World) -> Cycle:
    """2023 with four communes; 2024 after x-ba and x-bon merged into a new commune."""
    make_cycle(world, 2023, world.units, default_share)
    new = Unit.objects.create(
        code="x-moi", name="Xã Ea Kao Mới", unit_type=Unit.Type.COMMUNE, body=world.body
    )
    for old in world.units[2:]:
        Succession.objects.create(predecessor=old, successor=new, effective=date(2024, 1, 1))
    units = [*world.units[:2], new]
    return make_cycle(world, 2024, units, lambda unit: Decimal("0.80"))
