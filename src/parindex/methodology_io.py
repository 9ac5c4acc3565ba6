"""Reading and writing methodologies: the project's YAML and the interchange CSV.

The interchange CSV (UTF-8, header row) has the columns ``code,parent,name,max_points``; ``parent``
is empty for a field and a node with no children is a leaf. Optional columns the project reads:
``name_en``, ``source``, ``rule`` (a rule as JSON, e.g. ``{"kind": "yes_no"}``), ``evidence``,
``legal_basis``, ``note``, ``evidence_mandatory`` (``true``/``false``, empty for false). Other
columns are ignored. Leaves without a ``rule`` get direct points
(``{"kind": "points"}``). Lines starting with ``#`` before the header are comments.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from .decimals import Rounding, parse_decimal
from .errors import Location, MethodologyError, ParindexError, Problem
from .inputs import (
    DEFAULT_LIMITS,
    clean_name,
    csv_records,
    decode,
    load_json,
    load_yaml,
    name_problem,
    read_bytes,
    refuse_duplicate_columns,
)
from .model import Band, Decision, Methodology, Node, Source
from .rules import PointsRule, Rule, rule_from_dict

__all__ = [
    "load_methodology",
    "methodology_to_dict",
    "parse_methodology_csv",
    "parse_methodology_yaml",
    "read_text",
    "shipped_methodologies",
]

CSV_REQUIRED = ("code", "parent", "name", "max_points")


def read_text(path: Path, error: type[ParindexError] = MethodologyError) -> str:
    """Read a text file as :func:`parindex.inputs.decode` does (UTF-8, NFC); raise ``error``."""
    return decode(read_bytes(path, str(path), error), str(path), error)


def resolve_methodology(name: str | Path) -> Path:
    """``name`` as a path, or, when no such file exists, the file of the methodology shipped
    with the package under that id (``"example-commune"``)."""
    path = Path(name)
    if not path.exists():
        shipped = shipped_methodologies()
        if str(name) in shipped:
            return shipped[str(name)]
    return path


def load_methodology(path: str | Path) -> Methodology:
    """Load a methodology from ``.yaml``/``.yml`` or the interchange ``.csv``, given its path or
    the id of a shipped methodology (as the CLI accepts: :func:`resolve_methodology`).

    Raises :class:`MethodologyError` naming the file, row/field and node for malformed input.
    The result is not validated: call :func:`parindex.validate` or :func:`ensure_valid`.
    """
    p = resolve_methodology(path)
    text = read_text(p)
    if p.suffix.lower() == ".csv":
        return parse_methodology_csv(text, str(p))
    if p.suffix.lower() in (".yaml", ".yml"):
        return parse_methodology_yaml(text, str(p))
    raise MethodologyError(Problem.of("methodology_format", Location(str(p))))


def shipped_methodologies() -> dict[str, Path]:
    """The methodology files shipped with the package, by file stem."""
    folder = resources.files("parindex") / "data" / "methodologies"
    return {
        Path(item.name).stem: Path(str(item))
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith((".yaml", ".csv"))
    }


# --- YAML -----------------------------------------------------------------------------------


class _Reader:
    """Typed access to a YAML mapping that names the field path in every error."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, code: str, **params: object) -> MethodologyError:
        return MethodologyError(Problem.of(code, Location(self.file, column=path), **params))

    def text(self, data: Mapping[str, Any], key: str, path: str, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(f"{path}{key}", "field_required")
            return ""
        if not isinstance(value, str | int | float):
            raise self.fail(f"{path}{key}", "expected_text")
        return str(value)

    def name(self, data: Mapping[str, Any], key: str, path: str, required: bool = False) -> str:
        try:
            return clean_name(self.text(data, key, path, required))
        except ValueError as exc:
            where = Location(self.file, column=f"{path}{key}")
            raise MethodologyError(name_problem(exc, where)) from None

    def number(self, data: Mapping[str, Any], key: str, path: str) -> Decimal:
        if data.get(key) is None:
            raise self.fail(f"{path}{key}", "field_required")
        try:
            return parse_decimal(data[key])
        except ValueError as exc:
            raise self.fail(f"{path}{key}", "bad_number", reason=exc) from None

    def integer(self, data: Mapping[str, Any], key: str, default: int | None) -> int | None:
        value = data.get(key, default)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(key, "expected_whole")
        return value

    def flag(self, data: Mapping[str, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{path}{key}", "expected_flag")
        return value

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "expected_mapping")
        return value


def _decision(r: _Reader, data: Mapping[str, Any]) -> Decision:
    raw = data.get("decision")
    if raw is None:
        return Decision()
    d = r.mapping(raw, "decision")
    day = d.get("date")
    if day is not None and not isinstance(day, date):
        raise r.fail("decision.date", "expected_date")
    return Decision(
        number=r.text(d, "number", "decision."),
        date=day,
        issuer=r.text(d, "issuer", "decision."),
        url=r.text(d, "url", "decision."),
    )


def _bands(r: _Reader, data: Mapping[str, Any]) -> tuple[Band, ...]:
    raw = data.get("bands")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise r.fail("bands", "expected_bands")
    bands = []
    for i, item in enumerate(raw):
        band = r.mapping(item, f"bands[{i}]")
        bands.append(
            Band(r.text(band, "label", f"bands[{i}].", True), r.number(band, "min", f"bands[{i}]."))
        )
    return tuple(bands)


def _rule(r: _Reader, raw: object, path: str) -> Rule:
    try:
        return rule_from_dict(r.mapping(raw, path))
    except ValueError as exc:
        raise r.fail(path, "rule", reason=exc) from None


def _source(r: _Reader, raw: object, path: str) -> Source | None:
    if raw is None:
        return None
    try:
        return Source(str(raw))
    except ValueError:
        known = ", ".join(s.value for s in Source)
        raise r.fail(path, "unknown_source", source=repr(raw), known=known) from None


def _walk(
    r: _Reader,
    items: object,
    parent: str | None,
    path: str,
    default_rule: Rule | None,
    count: list[int],
    depth: int = 1,
) -> Iterator[Node]:
    if not isinstance(items, list):
        raise r.fail(path, "expected_nodes")
    limits = DEFAULT_LIMITS
    if depth > limits.max_depth:
        raise r.fail(path, "tree_too_deep", limit=limits.max_depth)
    for i, item in enumerate(items):
        here = f"{path}[{i}]"
        count[0] += 1
        if count[0] > limits.max_nodes:
            raise r.fail(here, "tree_too_large", limit=limits.max_nodes)
        data = r.mapping(item, here)
        code = r.name(data, "code", f"{here}.", True)
        children = data.get("children")
        rule = _rule(r, data["rule"], f"{here}.rule") if data.get("rule") is not None else None
        if rule is None and not children:
            rule = default_rule
        yield Node(
            code=code,
            parent=parent,
            name=r.name(data, "name", f"{here}.", True),
            name_en=r.name(data, "name_en", f"{here}."),
            max_points=r.number(data, "max_points", f"{here}."),
            source=_source(r, data.get("source"), f"{here}.source"),
            rule=rule,
            evidence=r.text(data, "evidence", f"{here}."),
            legal_basis=r.text(data, "legal_basis", f"{here}."),
            note=r.text(data, "note", f"{here}."),
            evidence_mandatory=r.flag(data, "evidence_mandatory", f"{here}."),
        )
        if children:
            yield from _walk(r, children, code, f"{here}.children", default_rule, count, depth + 1)


def parse_methodology_yaml(text: str, file: str = "<yaml>") -> Methodology:
    """Parse the project's YAML methodology format (see ``docs/methodology-format.md``)."""
    r = _Reader(file)
    raw = load_yaml(unicodedata.normalize("NFC", text), file, MethodologyError)
    data = r.mapping(raw, "(top level)")
    default_rule = (
        _rule(r, data["default_rule"], "default_rule")
        if data.get("default_rule") is not None
        else None
    )
    rounding_raw = data.get("rounding", "half_up")
    try:
        rounding = Rounding(rounding_raw)
    except ValueError:
        raise r.fail("rounding", "expected_rounding") from None
    total = r.number(data, "total_points", "") if data.get("total_points") is not None else None
    return Methodology(
        id=r.text(data, "id", "", True),
        name=r.text(data, "name", "", True),
        name_en=r.text(data, "name_en", ""),
        unit_type=r.text(data, "unit_type", ""),
        valid_from=r.integer(data, "valid_from", None),
        valid_to=r.integer(data, "valid_to", None),
        decision=_decision(r, data),
        places=r.integer(data, "places", 2) or 0,
        rounding=rounding,
        total_points=total,
        bands=_bands(r, data),
        tie_rule=r.text(data, "tie_rule", "") or "competition",
        example=bool(data.get("example", False)),
        notes=r.text(data, "notes", ""),
        notes_en=r.text(data, "notes_en", ""),
        nodes=tuple(_walk(r, data.get("nodes"), None, "nodes", default_rule, [0])),
    )


# --- interchange CSV ------------------------------------------------------------------------


# The interchange CSV's ``evidence_mandatory`` cell (empty: not mandatory).
_FLAGS = {"": False, "false": False, "true": True}


def parse_methodology_csv(text: str, file: str = "<csv>") -> Methodology:
    """Parse the interchange CSV. The header must hold ``code,parent,name,max_points``."""
    rows = csv_records(text=text, file=file, error=MethodologyError)
    if not rows:
        raise MethodologyError(Problem.of("empty", Location(file)))
    header_line, header = rows[0][0], [h.strip() for h in rows[0][1]]
    refuse_duplicate_columns(header, file, header_line, MethodologyError)
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        where = Location(file, row=header_line)
        columns, header_must = ", ".join(missing), ",".join(CSV_REQUIRED)
        raise MethodologyError(
            Problem.of("missing_columns", where, columns=columns, header=header_must)
        )
    col = {name: i for i, name in enumerate(header)}
    problems: list[Problem] = []
    raw_nodes: list[tuple[int, dict[str, str]]] = []
    for line, row in rows[1:]:
        if len(row) != len(header):
            where = Location(file, row=line)
            problems.append(Problem.of("wrong_cells", where, count=len(header), found=len(row)))
            continue
        values = {name: row[i].strip() for name, i in col.items()}
        for name in ("code", "parent", "name", "name_en"):
            if name in values:
                try:
                    values[name] = clean_name(values[name])
                except ValueError as exc:
                    where = Location(file, line, name, values["code"] or None)
                    problems.append(name_problem(exc, where))
        raw_nodes.append((line, values))
    if problems:
        raise MethodologyError(problems)
    parents = {values["parent"] for _, values in raw_nodes}
    nodes: list[Node] = []
    for line, values in raw_nodes:
        node, node_problems = _csv_node(values, values["code"] in parents, Location(file, row=line))
        problems += node_problems
        if node is not None:
            nodes.append(node)
    if problems:
        raise MethodologyError(problems)
    stem = Path(file).stem
    return Methodology(id=stem, name=stem, nodes=tuple(nodes))


def _csv_node(
    values: dict[str, str], has_children: bool, where: Location
) -> tuple[Node | None, list[Problem]]:
    problems: list[Problem] = []

    def at(column: str) -> Location:
        return Location(where.file, where.row, column, values["code"] or None)

    try:
        max_points = parse_decimal(values["max_points"])
    except ValueError as exc:
        problems.append(
            Problem.of("not_a_number", at("max_points"), value=values["max_points"], reason=exc)
        )
        max_points = Decimal(0)
    rule: Rule | None = None if has_children else PointsRule()
    if values.get("rule") and not has_children:
        try:
            rule = rule_from_dict(load_json(values["rule"], at("rule"), MethodologyError))
        except MethodologyError as exc:
            problems += [
                Problem.of("rule_json", p.location, reason=p.message) for p in exc.problems
            ]
        except (ValueError, TypeError, AttributeError) as exc:
            problems.append(Problem.of("rule_json", at("rule"), reason=exc))
    source: Source | None = None
    if values.get("source"):
        try:
            source = Source(values["source"])
        except ValueError:
            problems.append(Problem.of("unknown_source_csv", at("source"), source=values["source"]))
    if not values["name"]:
        problems.append(Problem.of("name_empty", at("name")))
    mandatory = values.get("evidence_mandatory", "").lower()
    if mandatory not in _FLAGS:
        problems.append(Problem.of("not_a_flag", at("evidence_mandatory"), value=mandatory))
    if problems:
        return None, problems
    node = Node(
        code=values["code"],
        parent=values["parent"] or None,
        name=values["name"],
        max_points=max_points,
        name_en=values.get("name_en", ""),
        source=source,
        rule=rule,
        evidence=values.get("evidence", ""),
        legal_basis=values.get("legal_basis", ""),
        note=values.get("note", ""),
        evidence_mandatory=_FLAGS[mandatory],
    )
    return node, []


# --- writing --------------------------------------------------------------------------------


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _node_dict(m: Methodology, node: Node) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": node.code,
        "name": node.name,
        "max_points": _plain(node.max_points),
        "level": m.level(node.code),
        "source": m.source_of(node.code).value,
    }
    for key in ("name_en", "evidence", "legal_basis", "note", "evidence_mandatory"):
        if getattr(node, key):
            data[key] = getattr(node, key)
    if node.rule is not None:
        data["rule"] = node.rule.to_dict()
        data["rule_text"] = node.rule.describe()
    kids = m.children.get(node.code, ())
    if kids:
        data["children"] = [_node_dict(m, kid) for kid in kids]
    return data


def methodology_to_dict(m: Methodology) -> dict[str, Any]:
    """The methodology as plain data (JSON-ready), nodes nested in source order."""
    return {
        "id": m.id,
        "name": m.name,
        "name_en": m.name_en,
        "unit_type": m.unit_type,
        "valid_from": m.valid_from,
        "valid_to": m.valid_to,
        "decision": {
            "number": m.decision.number,
            "date": m.decision.date.isoformat() if m.decision.date else None,
            "issuer": m.decision.issuer,
            "url": m.decision.url,
        },
        "example": m.example,
        "places": m.places,
        "rounding": m.rounding.value,
        "total_points": _plain(m.total_points) if m.total_points is not None else None,
        "max_total": _plain(m.max_total),
        "bands": [{"label": b.label, "min": _plain(b.minimum)} for b in m.bands],
        "tie_rule": m.tie_rule,
        "notes": m.notes,
        "notes_en": m.notes_en,
        "nodes": [_node_dict(m, node) for node in m.fields],
    }
