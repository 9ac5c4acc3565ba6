"""What a unit's profile and the province map show, read from publication snapshots.

Every figure is the snapshot's (computed by the core when the cycle was published, see
:mod:`parindex_web.cycles.published`), kept as text with exactly the published places. The only
arithmetic here is descriptive: points lost (maximum − points of a node, both as published).

History follows ``Succession`` links backwards: in an earlier cycle a unit is shown itself when
it was assessed there, otherwise its nearest predecessors that were (the three provinces merged
into one on 1 July 2025, or the province it continues).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language

import parindex
from parindex_web.cycles import published
from parindex_web.cycles.models import Cycle
from parindex_web.cycles.published import Published
from parindex_web.reports import stored
from parindex_web.results import serializers
from parindex_web.results.palette import INDEX_COLOURS, NO_GROUP_COLOUR, band_colour
from parindex_web.units.models import Succession, Unit

LOST_TOP = 10

# GSO codes of the provinces that hold the archipelagos (for the map's note and labels).
HOANG_SA_PROVINCE, TRUONG_SA_PROVINCE = "48", "56"


def node_name(node: parindex.Node) -> str:
    """The node's name in the page's language (the English name when there is one)."""
    if get_language() == "en" and node.name_en:
        return node.name_en
    return node.name


def cycle_info(pub: Published) -> dict[str, Any]:
    """The cycle's header in the profile and map twins' shape (:func:`.serializers.cycle_info`
    adapted by :func:`.serializers.profile_cycle`)."""
    return serializers.profile_cycle(serializers.published_cycle_info(pub))


def _fmt(pub: Published, value: Decimal) -> str:
    return parindex.format_fixed(value, pub.header["places"], pub.methodology.rounding)


def _lost(pub: Published, row: dict[str, Any], code: str) -> str:
    """Points the unit of ``row`` (a :attr:`Published.rows` row) lost on node ``code``."""
    node = row["result"].node(code)
    return _fmt(pub, node.lost)


def unit_url(cycle_id: int, code: str) -> str:
    return reverse("profiles:unit", kwargs={"cycle_id": str(cycle_id), "unit_code": code})


def unit_pdf_url(cycle_id: int, code: str) -> str:
    """The unit's report (PDF) of the cycle's latest publication (the reports app's)."""
    return reverse("reports:unit_pdf", kwargs={"cycle_id": cycle_id, "unit_code": code})


def results_url() -> str:
    """The list of published results (the results app's)."""
    return reverse("results:index")


def ranking_url(cycle_id: int) -> str:
    """The cycle's ranking page (the results app's)."""
    return reverse("results:ranking", kwargs={"cycle_id": cycle_id})


# --- components ---------------------------------------------------------------------------------


def fields(pub: Published, row: dict[str, Any]) -> list[dict[str, Any]]:
    """Per field, in methodology order: the unit's points and index against the cycle's mean and
    best index, the units that reached the best, and the points lost."""
    nodes = {n["code"]: n for n in row["nodes"]}
    out = []
    for field in pub.methodology.fields:
        node, stats = nodes[field.code], pub.header["stats"][field.code]
        best = [
            {"unit": r["unit"], "name": pub.name_of(r["unit"])}
            for r in pub.field_rows
            for n in r["nodes"]
            if n["code"] == field.code and n["index"] == stats["max"]
        ]
        out.append(
            {
                "code": field.code,
                "name": node_name(field),
                "points": node["points"],
                "max_points": node["max_points"],
                "index": node["index"],
                "mean": stats["mean"],
                "best": stats["max"],
                "best_units": best,
                "points_lost": _lost(pub, row, field.code),
            }
        )
    return out


def points_lost(pub: Published, row: dict[str, Any]) -> list[dict[str, Any]]:
    """The leaves (the most detailed nodes) where the unit lost points, most first (methodology
    order among equals), at most :data:`LOST_TOP`."""
    m = pub.methodology
    leaves = {leaf.code for leaf in m.leaves}
    rows = []
    for position, (node, result) in enumerate(zip(row["nodes"], row["result"].nodes, strict=True)):
        if node["code"] in leaves and result.lost > 0:
            rows.append((-result.lost, position, node))
    rows.sort(key=lambda item: (item[0], item[1]))
    return [
        {
            "code": node["code"],
            "name": node_name(m.by_code[node["code"]]),
            "field": m.field_of(node["code"]),
            "level": node["level"],
            "points": node["points"],
            "max_points": node["max_points"],
            "points_lost": _lost(pub, row, node["code"]),
        }
        for _, _, node in rows[:LOST_TOP]
    ]


def fields_by_loss(field_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields, most points lost first (methodology order among equals)."""
    ordered = sorted(enumerate(field_rows), key=lambda p: (-Decimal(p[1]["points_lost"]), p[0]))
    return [
        {k: f[k] for k in ("code", "name", "points", "max_points", "points_lost")}
        for _, f in ordered
    ]


# --- successions and history --------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One change of a unit (the core's :class:`parindex.SuccessionEvent` with its units)."""

    kind: str
    effective: date
    basis: str
    units: tuple[Unit, ...]
    partners: tuple[Unit, ...] = ()


def _links() -> list[Succession]:
    return list(Succession.objects.select_related("predecessor", "successor"))


def _events(unit: Unit, links: list[Succession], forwards: bool) -> list[Event]:
    """How the unit was formed (or, ``forwards``, what became of it), classified by the core."""
    units = {u.code: u for s in links for u in (s.predecessor, s.successor)}
    units[unit.code] = unit
    core_links = [
        parindex.Succession(
            s.predecessor.code, s.successor.code, s.effective, s.weight, s.primary, s.basis
        )
        for s in links
    ]
    names = {code: u.label for code, u in units.items()}
    classify = parindex.successor_events if forwards else parindex.predecessor_events
    return [
        Event(
            e.kind,
            e.effective,
            e.basis,
            tuple(units[c] for c in e.units),
            tuple(units[c] for c in e.partners),
        )
        for e in classify(unit.code, core_links, names)
    ]


def predecessor_events(unit: Unit, links: list[Succession]) -> list[Event]:
    """How the unit was formed, grouped by date and legal basis."""
    return _events(unit, links, forwards=False)


def successor_events(unit: Unit, links: list[Succession]) -> list[Event]:
    """What became of the unit, grouped by date and legal basis."""
    return _events(unit, links, forwards=True)


def _nearest(code: str, present: set[str], preds: dict[str, list[str]]) -> list[str]:
    """``code`` if present, else its nearest predecessors that are (breadth first)."""
    found: list[str] = []
    frontier, seen = [code], {code}
    while frontier:
        following = []
        for c in frontier:
            if c in present:
                found.append(c)
                continue
            for p in sorted(preds.get(c, [])):
                if p not in seen:
                    seen.add(p)
                    following.append(p)
        frontier = following
    return found


def related_cycles(pub: Published) -> list[Cycle]:
    """Published cycles of the same body and unit type, newest first."""
    return [
        c
        for c in published.published_cycles()
        if c.body_id == pub.cycle.body_id
        and c.methodology.unit_type == pub.cycle.methodology.unit_type
    ]


def history(pub: Published, code: str, links: list[Succession]) -> list[dict[str, Any]]:
    """The unit's index and rank in this and every earlier published cycle of the same body and
    unit type; in a cycle before the unit existed, its nearest predecessors' (oldest first)."""
    preds: dict[str, list[str]] = {}
    for s in links:
        preds.setdefault(s.successor.code, []).append(s.predecessor.code)
    rows = []
    for cycle in reversed(related_cycles(pub)):
        if cycle.year > pub.cycle.year or (cycle.year == pub.cycle.year and cycle != pub.cycle):
            continue
        if cycle == pub.cycle:
            present = set(pub.ranks)
        else:  # an earlier cycle: its unit rows, not its whole results (reports.stored)
            latest = _latest_id(cycle)
            present = stored.unit_codes(latest)
        nearest = _nearest(code, present, preds)
        if cycle == pub.cycle:
            by_code = stored.rows_of(pub.publication.pk, set(nearest))
        else:
            by_code = stored.rows_of(latest, set(nearest))
        units = {u.code: u for u in Unit.objects.filter(code__in=nearest)}
        for found in nearest:
            r = by_code[found]
            unit = units.get(found)
            rows.append(
                {
                    "year": cycle.year,
                    "cycle": cycle.pk,
                    "cycle_name": cycle.name,
                    "unit": found,
                    "name": unit.label if unit else found,
                    "valid_to": unit.valid_to.isoformat() if unit and unit.valid_to else None,
                    "relation": "self" if found == code else "predecessor",
                    "index": r["index"],
                    "rank": r["rank"],
                    "units_count": len(present),
                    "url": unit_url(cycle.pk, found),
                }
            )
    return rows


def _latest_id(cycle: Cycle) -> int:
    """The id of the cycle's latest publication (the cycle is a published one)."""
    pk: int = cycle.publications.order_by("-version").values_list("pk", flat=True)[0]
    return pk


def successor_links(pub: Published, events: list[Event]) -> dict[str, str]:
    """Successor code → its profile in the newest published cycle that has it."""
    wanted = {u.code for e in events for u in e.units}
    out: dict[str, str] = {}
    for cycle in related_cycles(pub):
        if not wanted - set(out):
            break
        codes = stored.unit_codes(_latest_id(cycle))
        for code in sorted((wanted - set(out)) & codes):
            out[code] = unit_url(cycle.pk, code)
    return out


def event_dict(event: Event, urls: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "effective": event.effective.isoformat(),
        "basis": event.basis,
        "units": [
            {"unit": u.code, "name": u.label, **({} if urls is None else {"url": urls.get(u.code)})}
            for u in event.units
        ],
        "partners": [{"unit": u.code, "name": u.label} for u in event.partners],
    }


# --- the whole profile --------------------------------------------------------------------------


def profile(pub: Published, code: str) -> dict[str, Any]:
    """The profile's data as its JSON twin shows it (404 for a unit not in the publication)."""
    row = pub.unit_row(code)
    unit: Unit | None = row["unit_obj"]
    links = _links()
    before = predecessor_events(unit, links) if unit else []
    after = successor_events(unit, links) if unit else []
    field_rows = fields(pub, row)
    return {
        "cycle": cycle_info(pub),
        "unit": {
            "code": code,
            "name": row["name"],
            "full_name": unit.name if unit else row["name"],
            "unit_type": unit.unit_type if unit else "",
        },
        "total_points": row["total_points"],
        "max_points": _fmt(pub, pub.max_total),
        "index": row["index"],
        "rank": row["rank"],
        "group": row["group"],
        "units_count": len(pub.ranks),
        "mean_index": pub.header["stats"]["total"]["mean"],
        "best_index": pub.header["stats"]["total"]["max"],
        "by_source": [{"source": source, **values} for source, values in row["by_source"].items()],
        "fields": field_rows,
        "points_lost": points_lost(pub, row),
        "points_lost_by_field": fields_by_loss(field_rows),
        "history": history(pub, code, links),
        "formed": [event_dict(e) for e in before],
        "became": [event_dict(e, successor_links(pub, after)) for e in after],
        "links": {
            "page": unit_url(pub.cycle.pk, code),
            "ranking": ranking_url(pub.cycle.pk),
            "map": reverse("profiles:map", kwargs={"cycle_id": pub.cycle.pk}),
            "report_pdf": unit_pdf_url(pub.cycle.pk, code),
        },
    }


PROFILE_CSV_COLUMNS = [
    "section",
    "year",
    "unit",
    "name",
    "code",
    "label",
    "points",
    "max_points",
    "index",
    "rank",
    "mean_index",
    "best_index",
    "points_lost",
]


def profile_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The profile as long-form CSV rows (see docs/public-data.md)."""
    year, code, name = data["cycle"]["year"], data["unit"]["code"], data["unit"]["name"]
    base = {"year": year, "unit": code, "name": name}
    rows = [
        {
            "section": "total",
            **base,
            "label": data["group"] or "",
            "points": data["total_points"],
            "max_points": data["max_points"],
            "index": data["index"],
            "rank": data["rank"],
            "mean_index": data["mean_index"],
            "best_index": data["best_index"],
        }
    ]
    rows += [
        {
            "section": "source",
            **base,
            "code": s["source"],
            "points": s["points"],
            "max_points": s["max_points"],
            "index": s["index"],
        }
        for s in data["by_source"]
    ]
    rows += [
        {
            "section": "field",
            **base,
            "code": f["code"],
            "label": f["name"],
            "points": f["points"],
            "max_points": f["max_points"],
            "index": f["index"],
            "mean_index": f["mean"],
            "best_index": f["best"],
            "points_lost": f["points_lost"],
        }
        for f in data["fields"]
    ]
    rows += [
        {
            "section": "lost",
            **base,
            "code": p["code"],
            "label": p["name"],
            "points": p["points"],
            "max_points": p["max_points"],
            "points_lost": p["points_lost"],
        }
        for p in data["points_lost"]
    ]
    rows += [
        {
            "section": "history",
            "year": h["year"],
            "unit": h["unit"],
            "name": h["name"],
            "label": h["relation"],
            "index": h["index"],
            "rank": h["rank"],
        }
        for h in data["history"]
    ]
    return rows


# --- the map ------------------------------------------------------------------------------------


def tilegrid_for(codes: set[str]) -> tuple[str, tuple[parindex.Tile, ...]] | None:
    """The shipped tile grid that holds every one of ``codes`` (the smallest such), or None."""
    grids = sorted(parindex.shipped_tilegrids().items(), key=lambda item: len(item[1]))
    for name, tiles in grids:
        if codes <= {t.unit_id for t in tiles}:
            return name, tiles
    return None


def _islands(tiles: dict[str, parindex.Tile]) -> list[dict[str, Any]]:
    """Where the map labels the archipelagos: in the sea east of the province that holds each
    (Hoàng Sa: Đà Nẵng; Trường Sa: Khánh Hòa), in a cell no tile takes."""
    registry = parindex.UnitRegistry.shipped()
    taken = {(t.col, t.row) for t in tiles.values()}
    out = []
    for gso, key, name, right, down in (
        (HOANG_SA_PROVINCE, "hoang_sa", "Hoàng Sa", 2, -1),
        (TRUONG_SA_PROVINCE, "truong_sa", "Trường Sa", 1, 2),
    ):
        holder = next(
            (t for uid, t in tiles.items() if uid in registry and registry.get(uid).code == gso),
            None,
        )
        if holder is None:
            continue
        col, row = holder.col + right, max(0, holder.row + down)
        while (col, row) in taken:
            col += 1
        out.append({"key": key, "name": name, "province": holder.unit_id, "col": col, "row": row})
    return out


def province_map(pub: Published) -> dict[str, Any] | None:
    """The map's data as its JSON twin shows it, or None when no tile grid holds the units."""
    rows = {r["unit"]: r for r in pub.field_rows}
    grid = tilegrid_for(set(rows))
    if grid is None:
        return None
    name, all_tiles = grid
    tiles = {t.unit_id: t for t in all_tiles if t.unit_id in rows}
    bands = pub.header["bands"]
    width = max(t.col for t in all_tiles) + 1
    height = max(t.row for t in all_tiles) + 1
    return {
        "cycle": cycle_info(pub),
        "grid": name,
        "columns": width,
        "rows": height,
        "bands": [
            {"label": b["label"], "min": b["min"], "colour": band_colour(i, len(bands))}
            for i, b in enumerate(bands)
        ],
        "index_colours": INDEX_COLOURS,
        "no_group_colour": NO_GROUP_COLOUR,
        "islands": _islands(tiles),
        "tiles": [
            {
                "unit": code,
                "name": pub.name_of(code),
                "col": tile.col,
                "row": tile.row,
                "label": tile.label,
                "index": rows[code]["index"],
                "rank": rows[code]["rank"],
                "group": rows[code]["group"],
                "url": unit_url(pub.cycle.pk, code),
            }
            for code, tile in sorted(tiles.items(), key=lambda item: (item[1].row, item[1].col))
        ],
    }


MAP_CSV_COLUMNS = ["unit", "name", "col", "row", "label", "index", "rank", "group"]
