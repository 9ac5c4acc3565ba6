"""Where the appraisal differs from the self-assessment, per leaf and unit, and per leaf.

The secretariat reads it to see which criteria the appraisers cut most often (the basis of the
explanations and of next year's training). A difference is ``appraised − self-assessed``: a cut
is negative. Only a pair with both figures has one; the arithmetic is exact (Decimals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .decimals import ZERO

__all__ = ["AppraisalDifferences", "LeafDifferences", "appraisal_differences"]

Pair = tuple[Decimal | None, Decimal | None]
"""(self-assessed points, appraised points) of one unit's leaf; None where not given."""


@dataclass(frozen=True)
class LeafDifferences:
    """One leaf over every unit: how many were appraised lower or higher, the sum of the
    differences (negative: points cut in all) and how many units had both figures."""

    code: str
    lowered: int
    raised: int
    total: Decimal
    compared: int

    @property
    def differing(self) -> int:
        return self.lowered + self.raised


@dataclass(frozen=True)
class AppraisalDifferences:
    """``cells``: (unit, code) → appraised − self-assessed, for every pair with both figures
    (0 included). ``leaves``: every leaf, the most often lowered first (then the most often
    different, then the largest cut, then methodology order). ``by_unit``: each compared unit's sum of differences."""

    cells: Mapping[tuple[str, str], Decimal]
    leaves: tuple[LeafDifferences, ...]
    by_unit: Mapping[str, Decimal]


def appraisal_differences(
    codes: Sequence[str], points: Mapping[tuple[str, str], Pair]
) -> AppraisalDifferences:
    """The differences of ``points`` ((unit, leaf code) → (self-assessed, appraised)) on the
    leaves ``codes`` (in methodology order); pairs on other codes are ignored.

    >>> d = appraisal_differences(["1", "2"], {("a", "1"): (Decimal(2), Decimal("0.5"))})
    >>> d.cells[("a", "1")], d.leaves[0].code, d.leaves[0].lowered, d.by_unit["a"]
    (Decimal('-1.5'), '1', 1, Decimal('-1.5'))
    """
    wanted = set(codes)
    cells: dict[tuple[str, str], Decimal] = {}
    by_unit: dict[str, Decimal] = {}
    for (unit, code), (own, appraised) in points.items():
        if code in wanted and own is not None and appraised is not None:
            cells[(unit, code)] = appraised - own
            by_unit[unit] = by_unit.get(unit, ZERO) + appraised - own
    per_code: dict[str, list[Decimal]] = {code: [] for code in codes}
    for (_unit, code), diff in cells.items():
        per_code[code].append(diff)
    order = {code: i for i, code in enumerate(codes)}
    leaves = sorted(
        (
            LeafDifferences(
                code=code,
                lowered=sum(1 for d in diffs if d < 0),
                raised=sum(1 for d in diffs if d > 0),
                total=sum(diffs, ZERO),
                compared=len(diffs),
            )
            for code, diffs in per_code.items()
        ),
        key=lambda leaf: (-leaf.lowered, -leaf.differing, leaf.total, order[leaf.code]),
    )
    return AppraisalDifferences(cells=cells, leaves=tuple(leaves), by_unit=by_unit)
