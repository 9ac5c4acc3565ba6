"""The array path: the same tree aggregation on NumPy float arrays, for many runs at once.

Monte Carlo over weights and survey error, or thousands of units, call the aggregation tens of
thousands of times; the exact decimal path (:mod:`parindex.compute`) is for published figures.
Both agree to within 1e-9 (tested). Float results are not rounded unless asked to; ranks here
are competition ranks on values rounded half-up to ``places`` when ``places`` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .model import Methodology
from .validate import ensure_valid

__all__ = ["TreeArrays", "competition_ranks_array", "round_half_up"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TreeArrays:
    """A methodology as matrices.

    ``leaf_codes`` order the columns of a leaf matrix, ``node_codes`` the columns of node
    results (source order). ``membership[i, j]`` is 1 when leaf ``i`` lies under node ``j``
    (a leaf lies under itself). ``field_columns`` are the node columns of the fields.
    """

    leaf_codes: tuple[str, ...]
    node_codes: tuple[str, ...]
    membership: FloatArray
    node_max: FloatArray
    leaf_max: FloatArray
    field_columns: IntArray
    max_total: float

    @classmethod
    def from_methodology(cls, m: Methodology) -> TreeArrays:
        ensure_valid(m)
        leaf_codes = tuple(leaf.code for leaf in m.leaves)
        node_codes = tuple(node.code for node in m.nodes)
        column = {code: j for j, code in enumerate(node_codes)}
        membership = np.zeros((len(leaf_codes), len(node_codes)), dtype=np.float64)
        for i, code in enumerate(leaf_codes):
            current: str | None = code
            while current is not None:
                membership[i, column[current]] = 1.0
                current = m.by_code[current].parent
        return cls(
            leaf_codes=leaf_codes,
            node_codes=node_codes,
            membership=membership,
            node_max=np.array([float(n.max_points) for n in m.nodes], dtype=np.float64),
            leaf_max=np.array([float(n.max_points) for n in m.leaves], dtype=np.float64),
            field_columns=np.array([column[f.code] for f in m.fields], dtype=np.int64),
            max_total=float(m.max_total),
        )

    def leaf_matrix(self, scores: dict[str, dict[str, Any]], units: list[str]) -> FloatArray:
        """A (units × leaves) matrix from unit → code → points; missing leaves are 0."""
        matrix = np.zeros((len(units), len(self.leaf_codes)), dtype=np.float64)
        for i, unit in enumerate(units):
            row = scores.get(unit, {})
            for j, code in enumerate(self.leaf_codes):
                if code in row:
                    matrix[i, j] = float(row[code])
        return matrix

    def node_points(self, leaves: FloatArray) -> FloatArray:
        """Points per node: ``leaves`` (…, leaves) → (…, nodes)."""
        return leaves @ self.membership

    def node_index(self, leaves: FloatArray) -> FloatArray:
        """Index per node in per cent: (…, leaves) → (…, nodes)."""
        return self.node_points(leaves) / self.node_max * 100.0

    def total_points(self, leaves: FloatArray) -> FloatArray:
        """Total points: (…, leaves) → (…)."""
        total: FloatArray = np.sum(leaves, axis=-1)
        return total

    def total_index(self, leaves: FloatArray) -> FloatArray:
        """Total index in per cent: (…, leaves) → (…)."""
        return self.total_points(leaves) / self.max_total * 100.0


def round_half_up(values: FloatArray, places: int) -> FloatArray:
    """Round half away from zero at ``places`` decimals, as published figures are.

    A relative nudge of 1e-12 makes binary near-ties (2.675 stored as 2.67499…) round as their
    decimal text does.
    """
    scale = 10.0**places
    scaled = np.abs(values) * scale
    rounded = np.floor(scaled * (1 + 1e-12) + 0.5) / scale
    result: FloatArray = np.copysign(rounded, values)
    return result


def competition_ranks_array(values: FloatArray, places: int | None = None) -> IntArray:
    """Competition ranks (1, 2, 2, 4), highest first, along the last axis of ``values``.

    With ``places`` the values are first rounded half-up, as the exact path ranks published
    figures. Works on one run (units,) or many runs at once (runs, units).
    """
    data = values if places is None else round_half_up(values, places)
    order = np.argsort(-data, axis=-1, kind="stable")
    ordered = np.take_along_axis(data, order, axis=-1)
    count = data.shape[-1]
    new_value = np.ones(ordered.shape, dtype=bool)
    new_value[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    positions = np.broadcast_to(np.arange(count, dtype=np.int64), ordered.shape)
    start = np.maximum.accumulate(np.where(new_value, positions, 0), axis=-1) + 1
    ranks = np.empty(data.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, start, axis=-1)
    return ranks
