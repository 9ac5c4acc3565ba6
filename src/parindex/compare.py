"""Year-over-year comparison of published results across unit successions.

A cycle's units are compared with an earlier cycle's published results. A unit assessed in both
compares with itself. A unit that came from earlier units (the 2025 mergers: 63 provinces into
34) compares with its direct predecessors that were assessed: one predecessor gives its index and
rank; several give their mean, weighted by the share of each that passed into the unit when every
link says its share (``Succession.weight``), unweighted otherwise, and the comparison says which
(``method``). The mean is rounded to the methodology's places with its rounding rule, so the
change is the difference of two published figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .compute import Previous
from .decimals import Rounding, quantize
from .successions import same_name
from .units import Succession

__all__ = ["Basis", "Comparison", "Method", "compare_with_previous"]

Basis = Literal["same", "successor", "merged", "none"]
"""``same``: the unit itself, or its continuation under another code with the same name;
``successor``: one predecessor with another name; ``merged``: several predecessors; ``none``: no
assessed predecessor."""

Method = Literal["itself", "predecessor", "weighted_mean", "mean", "none"]
"""How the previous figure was obtained: the unit's own or its one predecessor's published index,
the mean of several weighted by their published shares, or their plain mean (a share missing)."""


@dataclass(frozen=True)
class Comparison:
    """How one unit compares with the earlier cycle.

    ``previous_rank`` is given only where one earlier unit stands behind the figure; ``weights``
    are the shares used by a weighted mean, in the order of ``predecessors``.
    """

    basis: Basis
    method: Method = "none"
    predecessors: tuple[str, ...] = ()
    previous_index: Decimal | None = None
    previous_rank: int | None = None
    change: Decimal | None = None
    weights: tuple[Decimal, ...] = ()


NO_COMPARISON = Comparison("none")


def compare_with_previous(
    current: Mapping[str, Decimal],
    previous: Mapping[str, Previous],
    successions: Iterable[Succession],
    *,
    places: int,
    rounding: Rounding = Rounding.HALF_UP,
    names: Mapping[str, str] | None = None,
) -> dict[str, Comparison]:
    """Compare each unit's published index in ``current`` with the earlier cycle's ``previous``.

    ``current`` maps unit ids to published indices; ``previous`` maps the earlier cycle's unit ids
    to their :class:`Previous` results. ``successions`` are the direct links between the two
    cycles' units (others are ignored). ``names`` (id → the name people read) tells a unit that
    continues under a new id with the same name (``same``) from a successor with another name.
    Returns a comparison for every unit of ``current``, in its order.
    """
    names = names or {}
    into: dict[str, list[Succession]] = {}
    for link in successions:
        if link.predecessor in previous:
            into.setdefault(link.successor, []).append(link)
    out: dict[str, Comparison] = {}
    for unit, index in current.items():
        if unit in previous:
            before = previous[unit]
            out[unit] = Comparison(
                "same", "itself", (unit,), before.index, before.rank, index - before.index
            )
            continue
        links = sorted(into.get(unit, []), key=lambda link: link.predecessor)
        if not links:
            out[unit] = NO_COMPARISON
        elif len(links) == 1:
            code = links[0].predecessor
            before = previous[code]
            out[unit] = Comparison(
                "same" if same_name(code, unit, names) else "successor",
                "predecessor",
                (code,),
                before.index,
                before.rank,
                index - before.index,
            )
        else:
            out[unit] = _merged(unit, index, links, previous, places, rounding)
    return out


def _merged(
    unit: str,
    index: Decimal,
    links: list[Succession],
    previous: Mapping[str, Previous],
    places: int,
    rounding: Rounding,
) -> Comparison:
    codes = tuple(link.predecessor for link in links)
    indices = [previous[code].index for code in codes]
    weights = [link.weight for link in links]
    if all(w is not None and w > 0 for w in weights):
        shares = tuple(w for w in weights if w is not None)
        mean = sum((w * i for w, i in zip(shares, indices, strict=True)), Decimal(0)) / sum(shares)
        method: Method = "weighted_mean"
    else:
        shares = ()
        mean = sum(indices, Decimal(0)) / len(indices)
        method = "mean"
    mean = quantize(mean, places, rounding)
    return Comparison("merged", method, codes, mean, None, index - mean, shares)
