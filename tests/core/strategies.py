"""Hypothesis strategies: random valid methodologies and scores for them."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from parindex import Methodology, Node, PointsRule, Source

CENT = Decimal("0.01")


@st.composite
def methodologies(draw: st.DrawFn, max_fields: int = 4) -> Methodology:
    """A valid tree: 1–4 fields, each a leaf or 1–3 criteria, each a leaf or 1–3 sub-criteria."""
    nodes: list[Node] = []
    for f in range(1, draw(st.integers(1, max_fields)) + 1):
        field_nodes: list[Node] = []
        for c in range(1, draw(st.integers(0, 3)) + 1):
            subs = [
                Node(
                    f"{f}.{c}.{s}",
                    f"{f}.{c}",
                    "x",
                    Decimal(draw(st.integers(25, 1000))) * CENT,
                    rule=PointsRule(),
                    source=draw(st.sampled_from([None, *Source])),
                )
                for s in range(1, draw(st.integers(0, 3)) + 1)
            ]
            if subs:
                total = sum((s.max_points for s in subs), Decimal(0))
                field_nodes += [Node(f"{f}.{c}", str(f), "x", total), *subs]
            else:
                field_nodes.append(
                    Node(
                        f"{f}.{c}",
                        str(f),
                        "x",
                        Decimal(draw(st.integers(25, 1000))) * CENT,
                        rule=PointsRule(),
                    )
                )
        direct = [n for n in field_nodes if n.parent == str(f)]
        if direct:
            total = sum((n.max_points for n in direct), Decimal(0))
            nodes += [Node(str(f), None, "x", total), *field_nodes]
        else:
            nodes.append(
                Node(
                    str(f),
                    None,
                    "x",
                    Decimal(draw(st.integers(25, 3000))) * CENT,
                    rule=PointsRule(),
                )
            )
    return Methodology(id="h", name="h", nodes=tuple(nodes), places=draw(st.integers(0, 3)))


@st.composite
def scored(
    draw: st.DrawFn, max_units: int = 6
) -> tuple[Methodology, dict[str, dict[str, Decimal]]]:
    """A methodology and points (in [0, max], two decimals) for every leaf of 1–6 units."""
    m = draw(methodologies())
    units: dict[str, dict[str, Decimal]] = {}
    for u in range(draw(st.integers(1, max_units))):
        row: dict[str, Decimal] = {}
        for leaf in m.leaves:
            cents = int(leaf.max_points / CENT)
            row[leaf.code] = Decimal(draw(st.integers(0, cents))) * CENT
        units[f"unit-{u}"] = row
    return m, units
