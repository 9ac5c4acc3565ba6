"""A small published world for the public results pages, built inline with models and services.

A tiny province methodology (two fields, one scored by appraisal and one by a survey, three
groups) and two published years of the national body:

* 2024: Đà Nẵng (old code), Quảng Nam, Lạng Sơn;
* 2025: Đà Nẵng (new code, merged from the old Đà Nẵng and Quảng Nam), Hà Nội (tied first,
  nothing to compare with), Lạng Sơn (the same unit), Cao Bằng (new).

Plus a cycle in preparation (never published) and an example commune cycle ("ví dụ").
The cache is emptied around every test: keys hold the publication count, and rolled-back
tests reuse the same primary keys.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from world import example_methodology

import parindex
from parindex_web.cycles import services
from parindex_web.cycles.models import Assessment, Cycle, Entry, Phase, Publication
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Succession, Unit

TINY = """
id: tiny-province
name: "Bộ tiêu chí nhỏ cấp tỉnh"
name_en: "Tiny province methodology"
unit_type: province
decision: {number: "01/QĐ-THU", date: 2024-01-15, issuer: "Bộ Nội vụ", url: "https://example.org/qd"}
places: 2
rounding: half_up
total_points: 100
bands:
  - {label: "Tốt", min: 80}
  - {label: "Khá", min: 60}
  - {label: "Yếu", min: 0}
default_rule: {kind: points}
nodes:
  - code: "1"
    name: "Chỉ đạo, điều hành"
    name_en: "Direction and management"
    max_points: 40
    children:
      - code: "1.1"
        name: "Kế hoạch CCHC"
        max_points: 25
        evidence: "Kế hoạch CCHC năm"
        legal_basis: "Điều 1 Quyết định 01"
      - {code: "1.2", name: "Báo cáo CCHC", max_points: 15, rule: {kind: yes_no}}
  - code: "2"
    name: "Sự hài lòng của người dân"
    name_en: "Citizens' satisfaction"
    max_points: 60
    source: survey
    children:
      - {code: "2.1", name: "Khảo sát người dân", max_points: 60}
"""

# unit code → (name, short name, valid from, valid to)
UNITS = {
    "DN-OLD": ("Thành phố Đà Nẵng", "Đà Nẵng", None, date(2025, 6, 30)),
    "QN": ("Tỉnh Quảng Nam", "Quảng Nam", None, date(2025, 6, 30)),
    "LS": ("Tỉnh Lạng Sơn", "Lạng Sơn", None, None),
    "DN": ("Thành phố Đà Nẵng", "Đà Nẵng", date(2025, 7, 1), None),
    "HN": ("Thành phố Hà Nội", "Hà Nội", None, None),
    "CB": ("Tỉnh Cao Bằng", "Cao Bằng", None, None),
}
# year → unit → (1.1, 1.2, 2.1) points
POINTS = {
    2024: {
        "DN-OLD": ("20", "10", "50"),  # 80.00
        "QN": ("15", "10", "45"),  # 70.00
        "LS": ("20", "7.25", "45"),  # 72.25
    },
    2025: {
        "DN": ("25", "12.5", "50"),  # 87.50
        "HN": ("25", "15", "47.5"),  # 87.50, tied first
        "LS": ("20", "10", "45"),  # 75.00
        "CB": ("10", "5", "30"),  # 45.00
    },
}


@dataclass
class World:
    body: AssessingBody
    methodology: Methodology
    secretariat: Any
    units: dict[str, Unit]
    c2024: Cycle
    c2025: Cycle
    draft: Cycle

    def url(self, cycle: Cycle, page: str = "") -> str:
        return f"/results/{cycle.pk}/{page}"


def publish_cycle(
    body: AssessingBody,
    methodology: Methodology,
    user: Any,
    year: int,
    name: str,
    points: dict[str, tuple[str, ...]],
    units: dict[str, Unit],
) -> Cycle:
    """A cycle whose units got ``points`` (leaves in methodology order), finalised, published."""
    cycle = Cycle.objects.create(body=body, year=year, name=name, methodology=methodology)
    leaves = methodology.core().leaves
    core = methodology.core()
    for code, values in points.items():
        assessment = Assessment.objects.create(
            cycle=cycle, unit=units[code], status=Assessment.Status.APPRAISED
        )
        for leaf, value in zip(leaves, values, strict=True):
            pts = Decimal(value)
            if core.source_of(leaf.code) is parindex.Source.APPRAISAL:
                Entry.objects.create(
                    assessment=assessment, code=leaf.code, self_points=pts, appraised_points=pts
                )
            else:
                Entry.objects.create(assessment=assessment, code=leaf.code, external_points=pts)
    cycle.phase = Phase.EXPLANATION
    cycle.save(update_fields=["phase"])
    services.finalise(user, cycle)
    services.publish(user, cycle)
    return cycle


@pytest.fixture
def world(db: None) -> World:
    body = AssessingBody.objects.create(
        code="bnv-test",
        name="Bộ Nội vụ",
        name_en="Ministry of Home Affairs",
        kind=AssessingBody.Kind.NATIONAL,
    )
    methodology = Methodology(slug="tiny-province", source_text=TINY)
    methodology.save()
    secretariat = get_user_model().objects.create_user("thuky-test", password="x")
    units = {
        code: Unit.objects.create(
            code=code,
            name=name,
            short_name=short,
            unit_type=Unit.Type.PROVINCE,
            valid_from=start,
            valid_to=end,
        )
        for code, (name, short, start, end) in UNITS.items()
    }
    for old in ("DN-OLD", "QN"):
        Succession.objects.create(
            predecessor=units[old], successor=units["DN"], effective=date(2025, 7, 1)
        )
    c2024 = publish_cycle(
        body, methodology, secretariat, 2024, "Chỉ số CCHC cấp tỉnh 2024", POINTS[2024], units
    )
    c2025 = publish_cycle(
        body, methodology, secretariat, 2025, "Chỉ số CCHC cấp tỉnh 2025", POINTS[2025], units
    )
    draft = Cycle.objects.create(
        body=body, year=2026, name="Chỉ số CCHC cấp tỉnh 2026", methodology=methodology
    )
    return World(body, methodology, secretariat, units, c2024, c2025, draft)


@pytest.fixture
def example_cycle(world: World) -> Cycle:
    """A published demo cycle on the shipped example methodology, named "ví dụ"."""
    methodology = example_methodology()
    body = AssessingBody.objects.create(
        code="snv-test", name="Sở Nội vụ (ví dụ)", kind=AssessingBody.Kind.PROVINCIAL
    )
    units = {
        code: Unit.objects.create(code=code, name=name, unit_type=Unit.Type.COMMUNE, body=body)
        for code, name in [("x1", "Xã An Bình (ví dụ)"), ("x2", "Xã Ô Môn (ví dụ)")]
    }
    core = methodology.core()
    values = {
        code: tuple(str(leaf.max_points * share) for leaf in core.leaves)
        for code, share in [("x1", Decimal("0.8")), ("x2", Decimal("0.5"))]
    }
    return publish_cycle(
        body, methodology, world.secretariat, 2024, "Chỉ số CCHC cấp xã 2024 (ví dụ)", values, units
    )


def engine_results(cycle: Cycle, tmp_path: Any) -> parindex.Results:
    """The results recomputed by the core from the publication's own inputs (as the CLI would)."""
    publication = Publication.objects.filter(cycle=cycle).order_by("-version").first()
    assert publication is not None
    m = parindex.parse_methodology_yaml(publication.methodology_text)
    path = tmp_path / f"scores-{cycle.pk}.csv"
    path.write_text(publication.scores_csv, encoding="utf-8")
    return parindex.compute(m, parindex.read_scores(path, m))


def fixed(value: Decimal, places: int = 2) -> str:
    return parindex.format_fixed(value, places)


def number(text: str) -> str:
    """A figure as a page shows it in Vietnamese ("87,50", "+12,50", "−0,50") → "87.50"."""
    return text.replace(",", ".").replace("−", "-").replace("+", "")


def rows_of(page: Any, attr: str = "data-unit") -> dict[str, dict[str, str]]:
    """Table rows keyed by ``attr`` → their cells' text keyed by ``data-col``."""
    rows: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for element in page.elements:
        if element.tag == "tr":
            current = rows.setdefault(element.attrs[attr], {}) if attr in element.attrs else None
        elif current is not None and element.tag in ("td", "th") and "data-col" in element.attrs:
            current[element.attrs["data-col"]] = element.text
    return rows


def read_csv(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert not text.startswith("\ufeff"), "no byte-order mark"
    return list(csv.DictReader(io.StringIO(text)))


# --- twin schemas: plain checks of keys and types ----------------------------------------------


def is_fixed(value: object, places: int = 2) -> bool:
    if not isinstance(value, str):
        return False
    whole, _, decimals = value.lstrip("-").partition(".")
    return whole.isdigit() and decimals.isdigit() and len(decimals) == places


def check_keys(data: dict[str, Any], types: dict[str, Any]) -> None:
    """Every key present with its type (a tuple of types allows several, e.g. with None)."""
    for key, kind in types.items():
        assert key in data, f"missing key {key!r}"
        if kind == "fixed":
            assert is_fixed(data[key]), f"{key}: {data[key]!r} is not a fixed decimal"
        elif kind == "fixed?":
            assert data[key] is None or is_fixed(data[key]), f"{key}: {data[key]!r}"
        else:
            assert isinstance(data[key], kind), f"{key}: {data[key]!r} is not {kind}"


CYCLE_SCHEMA = {
    "id": int,
    "year": int,
    "name": str,
    "body": dict,
    "unit_type": str,
    "methodology": dict,
    "version": int,
    "published_at": str,
    "reason": str,
    "content_hash": str,
    "example": bool,
    "places": int,
    "url": str,
}


def check_cycle(data: dict[str, Any]) -> None:
    check_keys(data, CYCLE_SCHEMA)
    check_keys(data["body"], {"code": str, "name": str, "name_en": str})
    check_keys(data["methodology"], {"id": str, "name": str, "name_en": str})
