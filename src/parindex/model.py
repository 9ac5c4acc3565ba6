"""The methodology model: a versioned tree of fields → criteria → sub-criteria.

A :class:`Methodology` is plain, immutable data. Build one with :func:`parindex.load_methodology`
(from YAML or the interchange CSV) or directly, then :func:`parindex.validate` it. Nodes keep the
order of the source file; that order is the order of every output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from .decimals import Rounding
from .rules import Rule

__all__ = ["Band", "Decision", "Methodology", "Node", "Source"]


class Source(StrEnum):
    """Where a leaf's points come from."""

    APPRAISAL = "appraisal"  # self-assessed, then appraised by the council
    SURVEY = "survey"  # sociological survey of officials, citizens, businesses
    SIPAS = "sipas"  # the satisfaction index survey
    DATA = "data"  # computed from service data (online public services, dossiers)


@dataclass(frozen=True)
class Band:
    """A group (xếp loại): units whose published index reaches ``minimum`` per cent."""

    label: str
    minimum: Decimal


@dataclass(frozen=True)
class Decision:
    """The legal act that issues a methodology."""

    number: str = ""
    date: date | None = None
    issuer: str = ""
    url: str = ""


@dataclass(frozen=True)
class Node:
    """One node of the tree. ``parent`` is None for a field (lĩnh vực).

    ``source`` None means: inherit the parent's (a field without one is ``appraisal``).
    ``rule`` is set on leaves only. ``evidence`` names the documents a unit attaches;
    ``evidence_mandatory`` makes them a condition of the sign-off: a unit claiming points on the
    leaf cannot sign off without a document attached (validation allows it only on an appraisal
    leaf that names its evidence).
    """

    code: str
    parent: str | None
    name: str
    max_points: Decimal
    name_en: str = ""
    source: Source | None = None
    rule: Rule | None = None
    evidence: str = ""
    legal_basis: str = ""
    note: str = ""
    evidence_mandatory: bool = False


@dataclass(frozen=True)
class Methodology:
    """Methodology metadata and its nodes (in source order, parents before children).

    Free text is written in Vietnamese, as the source document is: names, ``notes``, band and
    level labels, evidence, legal bases and node notes. ``name_en`` and ``notes_en`` (and each
    node's ``name_en``) are the optional English versions that English pages show.
    """

    id: str
    name: str
    nodes: tuple[Node, ...]
    name_en: str = ""
    unit_type: str = ""
    valid_from: int | None = None
    valid_to: int | None = None
    decision: Decision = field(default_factory=Decision)
    places: int = 2
    rounding: Rounding = Rounding.HALF_UP
    total_points: Decimal | None = None
    bands: tuple[Band, ...] = ()
    tie_rule: str = "competition"
    example: bool = False
    notes: str = ""
    notes_en: str = ""

    @cached_property
    def by_code(self) -> dict[str, Node]:
        """Nodes by code (the last one wins if codes repeat; validation reports repeats)."""
        return {node.code: node for node in self.nodes}

    @cached_property
    def children(self) -> dict[str | None, tuple[Node, ...]]:
        """Children of each code in source order; key None holds the fields."""
        result: dict[str | None, list[Node]] = {}
        for node in self.nodes:
            result.setdefault(node.parent, []).append(node)
        return {key: tuple(value) for key, value in result.items()}

    @cached_property
    def fields(self) -> tuple[Node, ...]:
        """The first level (lĩnh vực), in source order."""
        return self.children.get(None, ())

    @cached_property
    def leaves(self) -> tuple[Node, ...]:
        """Nodes with no children, in source order."""
        return tuple(node for node in self.nodes if node.code not in self.children)

    @cached_property
    def evidence_required(self) -> tuple[str, ...]:
        """Codes of the appraisal leaves whose ``evidence`` names documents to attach (not blank),
        in source order: the leaves a unit must document (tài liệu kiểm chứng)."""
        return tuple(
            node.code
            for node in self.leaves
            if node.evidence.strip() and self.source_of(node.code) is Source.APPRAISAL
        )

    @cached_property
    def evidence_mandatory(self) -> tuple[str, ...]:
        """Codes of the leaves among :attr:`evidence_required` whose documents are a condition
        of the sign-off (``evidence_mandatory``), in source order."""
        return tuple(c for c in self.evidence_required if self.by_code[c].evidence_mandatory)

    @cached_property
    def max_total(self) -> Decimal:
        """The sum of the fields' maxima."""
        return sum((node.max_points for node in self.fields), Decimal(0))

    def is_leaf(self, code: str) -> bool:
        return code in self.by_code and code not in self.children

    def level(self, code: str) -> int:
        """1 for a field, 2 for a criterion, 3 for a sub-criterion, and so on."""
        depth, node = 1, self.by_code[code]
        seen = {code}
        while node.parent is not None and node.parent in self.by_code:
            node = self.by_code[node.parent]
            if node.code in seen:  # a cycle; validation reports it
                break
            seen.add(node.code)
            depth += 1
        return depth

    def field_of(self, code: str) -> str:
        """The code of the field that holds ``code``."""
        node = self.by_code[code]
        seen = {code}
        while node.parent is not None and node.parent not in seen:
            seen.add(node.parent)
            node = self.by_code[node.parent]
        return node.code

    def source_of(self, code: str) -> Source:
        """The node's source, inherited from its ancestors; ``appraisal`` by default."""
        return self._sources[code]

    @cached_property
    def _sources(self) -> dict[str, Source]:
        return {code: self._find_source(code) for code in self.by_code}

    def _find_source(self, code: str) -> Source:
        node = self.by_code[code]
        seen = {code}
        while node.source is None and node.parent is not None and node.parent not in seen:
            seen.add(node.parent)
            node = self.by_code[node.parent]
        return node.source or Source.APPRAISAL
