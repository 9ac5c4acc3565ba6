"""What changed between two methodologies (last year's and the one about to be adopted).

Nodes are matched by code. :func:`diff_methodologies` lists, in the new methodology's order
(then the removed nodes in the old one's): nodes added, removed, renamed (same code, another
name), moved (another parent), with another maximum, another scoring rule or another required
evidence. Each :class:`NodeDifference` carries both nodes, for the shells to show in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import Methodology, Node

__all__ = ["DifferenceKind", "NodeDifference", "diff_methodologies"]


class DifferenceKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    MOVED = "moved"
    MAX_CHANGED = "max_changed"
    RULE_CHANGED = "rule_changed"
    EVIDENCE_CHANGED = "evidence_changed"


@dataclass(frozen=True)
class NodeDifference:
    """One difference of one node: ``old`` is None for an added node, ``new`` for a removed."""

    kind: DifferenceKind
    code: str
    old: Node | None
    new: Node | None

    def __str__(self) -> str:
        old, new = self.old, self.new
        if old is None or new is None:
            node = new or old
            assert node is not None
            return f"{self.kind.value} {self.code}: {node.name}"
        before, after = {
            DifferenceKind.RENAMED: (old.name, new.name),
            DifferenceKind.MOVED: (old.parent or "-", new.parent or "-"),
            DifferenceKind.MAX_CHANGED: (_plain(old), _plain(new)),
            DifferenceKind.RULE_CHANGED: (_rule(old), _rule(new)),
            DifferenceKind.EVIDENCE_CHANGED: (old.evidence, new.evidence),
        }[self.kind]
        return f"{self.kind.value} {self.code}: {before!r} → {after!r}"


def _plain(node: Node) -> str:
    return f"{node.max_points.normalize():f}"


def _rule(node: Node) -> str:
    return node.rule.describe() if node.rule is not None else "-"


def _changes(old: Node, new: Node) -> list[DifferenceKind]:
    kinds = []
    if old.name.strip() != new.name.strip():
        kinds.append(DifferenceKind.RENAMED)
    if old.parent != new.parent:
        kinds.append(DifferenceKind.MOVED)
    if old.max_points != new.max_points:
        kinds.append(DifferenceKind.MAX_CHANGED)
    if old.rule != new.rule:
        kinds.append(DifferenceKind.RULE_CHANGED)
    if old.evidence.strip() != new.evidence.strip():
        kinds.append(DifferenceKind.EVIDENCE_CHANGED)
    return kinds


def diff_methodologies(old: Methodology, new: Methodology) -> tuple[NodeDifference, ...]:
    """Every difference from ``old`` to ``new``; empty when their trees are the same.

    >>> from decimal import Decimal
    >>> a = Methodology("a", "A", (Node("1", None, "Plan", Decimal(2)),))
    >>> b = Methodology("b", "B", (Node("1", None, "Annual plan", Decimal(3)),))
    >>> [str(d) for d in diff_methodologies(a, b)]
    ["renamed 1: 'Plan' → 'Annual plan'", "max_changed 1: '2' → '3'"]
    """
    before, after = old.by_code, new.by_code
    found: list[NodeDifference] = []
    for code, node in after.items():
        if code not in before:
            found.append(NodeDifference(DifferenceKind.ADDED, code, None, node))
            continue
        found += [NodeDifference(k, code, before[code], node) for k in _changes(before[code], node)]
    found += [
        NodeDifference(DifferenceKind.REMOVED, code, node, None)
        for code, node in before.items()
        if code not in after
    ]
    return tuple(found)
