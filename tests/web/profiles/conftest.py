"""Demo-like national data for the profile and map tests, built inline.

The shipped provinces with their successions (63 until 30 June 2025, 34 since), a small
methodology with criteria, sub-criteria, two sources and bands, and two cycles published through
the services with seeded points: 2024 over the 63 provinces, 2025 over the 34. An unpublished
2026 cycle and a commune cycle complete the picture.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle, Entry, Phase
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Succession, Unit

METHODOLOGY = """
id: test-province
name: "Bộ chỉ số thử nghiệm cấp tỉnh"
name_en: "Test provincial index"
unit_type: province
example: false
places: 2
rounding: half_up
total_points: 30
bands:
  - {label: "Tốt", min: 85}
  - {label: "Khá", min: 70}
  - {label: "Trung bình", min: 0}
default_rule: {kind: points}
nodes:
  - code: "1"
    name: "Công tác chỉ đạo, điều hành"
    name_en: "Direction and management"
    max_points: 10
    children:
      - code: "1.1"
        name: "Kế hoạch CCHC"
        name_en: "PAR plan"
        max_points: 6
        children:
          - {code: "1.1.1", name: "Ban hành kế hoạch", name_en: "Plan issued", max_points: 2}
          - {code: "1.1.2", name: "Thực hiện kế hoạch", name_en: "Plan carried out", max_points: 4}
      - {code: "1.2", name: "Kiểm tra CCHC", name_en: "PAR inspections", max_points: 4}
  - code: "2"
    name: "Cải cách thủ tục hành chính"
    name_en: "Administrative procedure reform"
    max_points: 12
    children:
      - {code: "2.1", name: "Rà soát thủ tục", name_en: "Procedures reviewed", max_points: 5}
      - {code: "2.2", name: "Một cửa", name_en: "One-stop counter", max_points: 7}
  - code: "3"
    name: "Sự hài lòng của người dân"
    name_en: "Satisfaction of the people"
    max_points: 8
    source: survey
    children:
      - {code: "3.1", name: "Khảo sát người dân", name_en: "Citizens' survey", max_points: 8}
"""

CYCLE_2024 = "Chỉ số CCHC cấp tỉnh năm 2024 (thử nghiệm)"
CYCLE_2025 = "Chỉ số CCHC cấp tỉnh năm 2025 (thử nghiệm)"


@dataclass
class National:
    body: AssessingBody
    methodology: Methodology
    c2024: Cycle
    c2025: Cycle
    unpublished: Cycle
    secretariat: object


def provinces_on(day: date) -> list[Unit]:
    return [
        u
        for u in Unit.objects.filter(unit_type=Unit.Type.PROVINCE)
        if (u.valid_from is None or u.valid_from <= day)
        and (u.valid_to is None or u.valid_to >= day)
    ]


def fill(cycle: Cycle, units: list[Unit], seed: int) -> None:
    """Assessments with final points (seeded, demo-like), some leaves at the maximum."""
    rnd = random.Random(seed)
    core = cycle.core()
    assessments = Assessment.objects.bulk_create(
        Assessment(cycle=cycle, unit=u, status=Assessment.Status.FINAL) for u in units
    )
    entries = []
    for assessment in assessments:
        level = rnd.uniform(0.6, 0.97)
        for leaf in core.leaves:
            share = min(1.0, max(0.3, level + rnd.gauss(0, 0.08)))
            points = (leaf.max_points * Decimal(str(share))).quantize(Decimal("0.01"))
            entries.append(
                Entry(
                    assessment=assessment,
                    code=leaf.code,
                    inputs={"points": str(points)},
                    self_points=points,
                    appraised_points=points,
                    final_points=points,
                )
            )
    Entry.objects.bulk_create(entries)


def published_cycle(
    body: AssessingBody, methodology: Methodology, year: int, name: str, user: object
) -> Cycle:
    cycle = Cycle.objects.create(
        body=body, year=year, name=name, methodology=methodology, phase=Phase.FINALISED
    )
    fill(cycle, provinces_on(date(year, 12, 31)), seed=year)
    services.publish(user, cycle)
    cycle.refresh_from_db()
    return cycle


def load_provinces() -> AssessingBody:
    """The shipped provinces and their successions (what ``load_units`` loads, in bulk)."""
    body = AssessingBody.objects.create(code="bnv", name="Bộ Nội vụ", kind="national")
    registry = parindex.UnitRegistry.shipped()
    provinces = [u for u in registry.units if u.unit_type == "province"]
    created = Unit.objects.bulk_create(
        Unit(
            code=u.id,
            name=u.name,
            short_name=u.short_name,
            name_en=u.name_en,
            unit_type=u.unit_type,
            body=body,
            valid_from=u.valid_from,
            valid_to=u.valid_to,
            lat=u.lat,
            lon=u.lon,
        )
        for u in provinces
    )
    by_id = {u.code: u for u in created}
    Succession.objects.bulk_create(
        Succession(
            predecessor=by_id[s.predecessor],
            successor=by_id[s.successor],
            effective=s.effective,
            weight=s.weight,
            primary=s.primary,
            basis=s.basis[:300],
        )
        for u in provinces
        for s in registry.successors(u.id)
    )
    return body


@pytest.fixture
def national(db: None) -> National:
    body = load_provinces()
    methodology = Methodology(slug="test-province", source_text=METHODOLOGY)
    methodology.save()
    user = get_user_model().objects.create_user("thuky")
    c2024 = published_cycle(body, methodology, 2024, CYCLE_2024, user)
    c2025 = published_cycle(body, methodology, 2025, CYCLE_2025, user)
    unpublished = Cycle.objects.create(
        body=body, year=2026, name="Chỉ số CCHC cấp tỉnh năm 2026", methodology=methodology
    )
    return National(body, methodology, c2024, c2025, unpublished, user)
