"""Writing a methodology in the project's YAML format (``docs/methodology-format.md``).

:func:`methodology_to_yaml` is the inverse of :func:`parindex.parse_methodology_yaml`: what it
writes reads back as the same methodology. A table read by
:func:`parindex.parse_appendix_table` is kept (and adopted in the web application) this way.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import yaml

from .model import Methodology, Node

__all__ = ["methodology_to_yaml"]

# Methodology fields written by hand below; every other field is plain text, a number or a flag.
_SPECIAL = ("nodes", "decision", "bands", "rounding", "total_points")


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _node(m: Methodology, node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {"code": node.code, "name": node.name}
    if node.name_en:
        data["name_en"] = node.name_en
    data["max_points"] = _plain(node.max_points)
    if node.source is not None:
        data["source"] = node.source.value
    for key in ("evidence", "legal_basis", "note"):
        if getattr(node, key):
            data[key] = getattr(node, key)
    if node.rule is not None:
        data["rule"] = node.rule.to_dict()
    kids = m.children.get(node.code, ())
    if kids:
        data["children"] = [_node(m, kid) for kid in kids]
    return data


def methodology_to_yaml(m: Methodology) -> str:
    """``m`` as YAML that :func:`parindex.parse_methodology_yaml` reads back as ``m``.

    Numbers of points are written as quoted text ("0.5"), so that no digit is lost to a float.
    """
    data: dict[str, Any] = {}
    for f in dataclasses.fields(m):
        value = getattr(m, f.name)
        if f.name not in _SPECIAL and value != f.default:
            data[f.name] = value
    data["rounding"] = m.rounding.value
    d = m.decision
    if d.number or d.date or d.issuer or d.url:
        data["decision"] = {"number": d.number, "date": d.date, "issuer": d.issuer, "url": d.url}
    if m.total_points is not None:
        data["total_points"] = _plain(m.total_points)
    if m.bands:
        data["bands"] = [{"label": b.label, "min": _plain(b.minimum)} for b in m.bands]
    data["nodes"] = [_node(m, node) for node in m.fields]
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
