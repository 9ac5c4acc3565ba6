"""The one serialization of a published cycle and of its ranked units, for every public reader.

The ranking page, its ``.json`` and ``.csv`` twins (docs/public-data.md) and the API's results
(docs/api.md) read a publication's units through :func:`ranked_units`: each unit once, as a
:class:`RankedUnit` with the published figures as text, the group's position and the change
since the previous cycle (the core's comparison, formatted once). :func:`search` is the one
filter over them (a group's label and :func:`~parindex_web.cycles.published.unit_matches`).
The two documented contracts are two spellings of the same object, value for value:

================================  ========================================================
ranking twin row                  API v1 result row
================================  ========================================================
``fields``: code → ``{points,      ``fields``: list of ``{code, points, max_points,
max_points, index}``               index}``, in methodology order
``change``: ``{basis,              ``comparison``: ``{basis, predecessors`` (codes)``,
predecessors`` (``{unit, name}``)  ``previous_index, previous_rank, change}``
``, previous_index, previous_rank,
index_change}``
================================  ========================================================

Every other key (``rank``, ``unit``, ``name``, ``full_name``, ``index``, ``group``,
``group_position``, ``total_points``, ``by_source``, ``profile_url``) is the same in both.

:func:`cycle_info` is the one header of a published cycle (the ranking's, components' and
summary's ``cycle``); :func:`profile_cycle` adapts it to the shorter shape the profile and map
twins document (``body`` the body's name, ``methodology`` the site's identifier).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

import parindex
from parindex.compare import NO_COMPARISON, Comparison
from parindex_web.cycles import published
from parindex_web.cycles.models import Cycle, Publication
from parindex_web.cycles.published import Published
from parindex_web.results.palette import band_colour
from parindex_web.units.models import Unit

# --- the cycle ------------------------------------------------------------------------------


def cycle_url(cycle_id: int) -> str:
    return reverse("results:ranking", kwargs={"cycle_id": cycle_id})


def snapshot_methodology(pub: Published) -> dict[str, str]:
    """The methodology's ``id``, ``name`` and ``name_en`` as the publication's snapshot has them."""
    m = pub.methodology
    return {"id": m.id, "name": m.name, "name_en": m.name_en}


def cycle_info(
    cycle: Cycle, publication: Publication, methodology: Mapping[str, str], places: int
) -> dict[str, Any]:
    """The header of a published cycle's twins. ``methodology`` and ``places`` are the
    snapshot's (:func:`snapshot_methodology`, ``results["places"]``); the rest is read from
    ``cycle`` and ``publication`` (none of its heavy columns), with the methodology's ``slug``,
    the site's identifier (``/api/methodologies/{slug}``)."""
    return {
        "id": cycle.pk,
        "year": cycle.year,
        "name": cycle.name,
        "body": {"code": cycle.body.code, "name": cycle.body.name, "name_en": cycle.body.name_en},
        "unit_type": cycle.methodology.unit_type,
        "methodology": {
            "id": methodology["id"],
            "slug": cycle.methodology.slug,
            "name": methodology["name"],
            "name_en": methodology["name_en"],
        },
        "version": publication.version,
        "published_at": publication.published_at.isoformat(),
        "reason": publication.reason,
        "content_hash": publication.content_hash,
        "example": cycle.is_example,
        "places": places,
        "url": cycle_url(cycle.pk),
    }


def published_cycle_info(pub: Published) -> dict[str, Any]:
    """:func:`cycle_info` of a loaded publication."""
    return cycle_info(pub.cycle, pub.publication, snapshot_methodology(pub), pub.header["places"])


def profile_cycle(info: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`cycle_info` in the shape of the profile and map twins (docs/public-data.md):
    ``body`` is the body's name, ``methodology`` the site's identifier (its slug)."""
    return {
        "id": info["id"],
        "name": info["name"],
        "year": info["year"],
        "body": info["body"]["name"],
        "methodology": info["methodology"]["slug"],
        "example": info["example"],
        "version": info["version"],
        "published_at": info["published_at"],
    }


# --- the ranked units -----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldScore:
    """A unit's points, maximum and component index on one field, as published."""

    code: str
    points: str
    max_points: str
    index: str


@dataclass(frozen=True)
class Predecessor:
    unit: str
    name: str


@dataclass(frozen=True)
class Change:
    """The change since the previous cycle, and how it was worked out (``basis``)."""

    basis: str
    predecessors: tuple[Predecessor, ...]
    previous_index: str | None
    previous_rank: int | None
    index_change: str | None

    def twin(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "predecessors": [{"unit": p.unit, "name": p.name} for p in self.predecessors],
            "previous_index": self.previous_index,
            "previous_rank": self.previous_rank,
            "index_change": self.index_change,
        }

    def api(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "predecessors": [p.unit for p in self.predecessors],
            "previous_index": self.previous_index,
            "previous_rank": self.previous_rank,
            "change": self.index_change,
        }


@dataclass(frozen=True)
class RankedUnit:
    """One unit of a publication as every public reader shows it (figures as published)."""

    rank: int
    unit: str
    name: str
    full_name: str
    index: str
    group: str | None
    group_position: int | None
    group_colour: str | None
    total_points: str
    by_source: Mapping[str, Mapping[str, str]]
    fields: tuple[FieldScore, ...]
    change: Change
    profile_url: str
    unit_obj: Unit | None = field(default=None, compare=False)

    def twin(self) -> dict[str, Any]:
        """The row of the ranking's JSON twin (docs/public-data.md), keys in its order."""
        return {
            "rank": self.rank,
            "unit": self.unit,
            "name": self.name,
            "full_name": self.full_name,
            "index": self.index,
            "group": self.group,
            "group_position": self.group_position,
            "total_points": self.total_points,
            "by_source": self._by_source(),
            "fields": {
                f.code: {"points": f.points, "index": f.index, "max_points": f.max_points}
                for f in self.fields
            },
            "change": self.change.twin(),
            "profile_url": self.profile_url,
        }

    def api(self) -> dict[str, Any]:
        """The row of ``GET /api/cycles/{id}/results`` (docs/api.md; the schema orders it)."""
        return {
            "unit": self.unit,
            "name": self.name,
            "rank": self.rank,
            "index": self.index,
            "group": self.group,
            "total_points": self.total_points,
            "by_source": self._by_source(),
            "fields": [
                {"code": f.code, "points": f.points, "max_points": f.max_points, "index": f.index}
                for f in self.fields
            ],
            "comparison": self.change.api(),
            "full_name": self.full_name,
            "group_position": self.group_position,
            "profile_url": self.profile_url,
        }

    def page(self) -> dict[str, Any]:
        """The twin's row with what the HTML page adds (the unit, the group's colour)."""
        return {**self.twin(), "unit_obj": self.unit_obj, "group_colour": self.group_colour}

    def _by_source(self) -> dict[str, dict[str, str]]:
        return {source: dict(values) for source, values in self.by_source.items()}


def _fixed(value: Any, places: int) -> str | None:
    return None if value is None else parindex.format_fixed(value, places)


def _change(c: Comparison, places: int, names: Mapping[str, str]) -> Change:
    return Change(
        basis=c.basis,
        predecessors=tuple(Predecessor(code, names.get(code, code)) for code in c.predecessors),
        previous_index=_fixed(c.previous_index, places),
        previous_rank=c.previous_rank,
        index_change=_fixed(c.change, places),
    )


def ranked_units(pub: Published) -> list[RankedUnit]:
    """Every unit of the publication in rank order, each worked out once."""
    places = pub.header["places"]
    raw_bands = pub.header["bands"]
    groups = {b["label"]: i for i, b in enumerate(raw_bands)}
    field_codes = [f.code for f in pub.methodology.fields]
    previous = pub.previous
    names = {code: u.label for code, u in previous.units.items()} if previous else {}
    comparisons = pub.comparisons
    out = []
    for row in pub.field_rows:  # the published text, fields only: no node below them read
        unit = pub.units.get(row["unit"])
        name = pub.name_of(row["unit"])
        nodes = {n["code"]: n for n in row["nodes"]}
        position = groups.get(row["group"])
        out.append(
            RankedUnit(
                rank=row["rank"],
                unit=row["unit"],
                name=name,
                full_name=unit.name if unit else name,
                index=row["index"],
                group=row["group"],
                group_position=position,
                group_colour=None if position is None else band_colour(position, len(raw_bands)),
                total_points=row["total_points"],
                by_source=row["by_source"],
                fields=tuple(
                    FieldScore(
                        code,
                        nodes[code]["points"],
                        nodes[code]["max_points"],
                        nodes[code]["index"],
                    )
                    for code in field_codes
                ),
                change=_change(comparisons.get(row["unit"], NO_COMPARISON), places, names),
                profile_url=reverse(
                    "profiles:unit",
                    kwargs={"cycle_id": str(pub.cycle.pk), "unit_code": row["unit"]},
                ),
                unit_obj=unit,
            )
        )
    return out


def search(units: Iterable[RankedUnit], group: str | None, q: str | None) -> list[RankedUnit]:
    """The units of ``group`` (its exact label; any when empty) that the one unit search
    (:func:`~parindex_web.cycles.published.unit_matches`) finds for ``q``, in their order."""
    q = (q or "").strip()
    return [
        u
        for u in units
        if (not group or u.group == group)
        and (not q or published.unit_matches(q, u.unit, u.unit_obj))
    ]
