"""What happened to a unit through its successions, as events people read on its profile.

One classification, used wherever a unit's formation or fate is told: backwards (how the unit
was formed) an event is ``merged`` (several units went wholly into it), ``split`` (it took a part
of a unit, a link with a share below 1), ``continues`` (one unit with the same name: a new code)
or ``successor`` (one unit with another name); forwards (what became of it) ``split_into``
(several successors), ``merged_into`` (with ``partners``, the others that went into the same
successor), ``continued_by`` or ``succeeded_by``. Links on one date under one legal basis are one
event. Names decide "same name"; units are listed in Vietnamese order of name, then id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .text import vi_sort_key
from .units import Succession

__all__ = ["EventKind", "SuccessionEvent", "predecessor_events", "successor_events"]

EventKind = Literal[
    "merged",
    "split",
    "continues",
    "successor",
    "split_into",
    "merged_into",
    "continued_by",
    "succeeded_by",
]


@dataclass(frozen=True)
class SuccessionEvent:
    """On ``effective`` the unit was formed from (or went into) ``units``, under ``basis``."""

    kind: EventKind
    effective: date
    basis: str
    units: tuple[str, ...]
    partners: tuple[str, ...] = ()


def _ordered(ids: Iterable[str], names: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids), key=lambda i: (vi_sort_key(names.get(i, i)), i)))


def _grouped(links: Iterable[Succession]) -> list[tuple[date, str, list[Succession]]]:
    groups: dict[tuple[date, str], list[Succession]] = {}
    for link in links:
        groups.setdefault((link.effective, link.basis), []).append(link)
    return [(day, basis, group) for (day, basis), group in sorted(groups.items())]


def same_name(a: str, b: str, names: Mapping[str, str]) -> bool:
    """Whether units ``a`` and ``b`` bear one name (a unit without a name never does)."""
    return a in names and b in names and names[a] == names[b]


def predecessor_events(
    unit: str, links: Iterable[Succession], names: Mapping[str, str]
) -> list[SuccessionEvent]:
    """How ``unit`` was formed, oldest first (``links`` may hold any units' links)."""
    events = []
    for day, basis, group in _grouped(s for s in links if s.successor == unit):
        units = _ordered((s.predecessor for s in group), names)
        kind: EventKind
        if any(s.weight is not None and s.weight < 1 for s in group):
            kind = "split"
        elif len(group) > 1:
            kind = "merged"
        elif same_name(units[0], unit, names):
            kind = "continues"
        else:
            kind = "successor"
        events.append(SuccessionEvent(kind, day, basis, units))
    return events


def successor_events(
    unit: str, links: Iterable[Succession], names: Mapping[str, str]
) -> list[SuccessionEvent]:
    """What became of ``unit``, oldest first (``links`` may hold any units' links)."""
    links = list(links)
    events = []
    for day, basis, group in _grouped(s for s in links if s.predecessor == unit):
        units = _ordered((s.successor for s in group), names)
        if len(group) > 1:
            events.append(SuccessionEvent("split_into", day, basis, units))
            continue
        partners = _ordered(
            (s.predecessor for s in links if s.successor == units[0] and s.predecessor != unit),
            names,
        )
        kind: EventKind
        if partners:
            kind = "merged_into"
        elif same_name(units[0], unit, names):
            kind = "continued_by"
        else:
            kind = "succeeded_by"
        events.append(SuccessionEvent(kind, day, basis, units, partners))
    return events
