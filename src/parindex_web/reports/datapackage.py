"""``datapackage.json`` of the open-data bundle: a Frictionless Data Package (v1).

One resource per data file (the methodology, ``scores.csv``, ``results.csv``, ``results.json``,
``units.csv``), each with its path, format, media type, size and SHA-256; every CSV file is a
tabular data resource with a Table Schema: its columns in file order with their types (codes
are ``string``, points and indices ``number``, ranks ``integer``), its primary key and the
foreign keys that hold (every unit of ``scores.csv`` and ``results.csv`` is in ``units.csv``;
with a CSV methodology, every code of ``scores.csv`` is one of its nodes). The package names the
licence, the source and the publication (version, date, content hash). Specification:
https://specs.frictionlessdata.io/data-package/ and /table-schema/.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from typing import Any

from django.utils import timezone

from .data import Report, file_stem

PROFILE = "data-package"
NUMBER, INTEGER, STRING = "number", "integer", "string"

# Column name → (type, description); a ``points_``/``index_`` prefix names a field's column.
COLUMNS: dict[str, dict[str, tuple[str, str]]] = {
    "scores.csv": {
        "unit": (STRING, "the unit's code"),
        "code": (STRING, "the leaf criterion's code"),
        "points": (NUMBER, "final points of the leaf"),
    },
    "results.csv": {
        "unit": (STRING, "the unit's code"),
        "total_points": (NUMBER, "total points"),
        "index": (NUMBER, "total index (%)"),
        "rank": (INTEGER, "competition rank (1, 2, 2, 4)"),
        "group": (STRING, "the group (band); empty when the methodology has none"),
        "points_": (NUMBER, "points of the field"),
        "index_": (NUMBER, "component index of the field (%)"),
        "previous_index": (NUMBER, "the previous index"),
        "index_change": (NUMBER, "index minus the previous index"),
        "previous_rank": (INTEGER, "the previous rank"),
        "rank_change": (INTEGER, "previous rank minus rank"),
    },
    "units.csv": {
        "code": (STRING, "the unit's code"),
        "name": (STRING, "the unit's full name"),
        "unit_type": (STRING, "province, ministry, commune, …"),
    },
    "methodology.csv": {
        "max_points": (NUMBER, "maximum points of the node"),
    },
}
PRIMARY_KEYS = {
    "scores.csv": ["unit", "code"],
    "results.csv": ["unit"],
    "units.csv": ["code"],
    "methodology.csv": ["code"],
}
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "yaml": "application/yaml",
}
_PREFIXED = re.compile(r"(points_|index_).+")


def _field(resource: str, name: str) -> dict[str, Any]:
    columns = COLUMNS[resource]
    key = name.lower()
    prefixed = _PREFIXED.fullmatch(key)
    kind, description = columns.get(
        prefixed.group(1) if prefixed and key not in columns else key, (STRING, "")
    )
    field: dict[str, Any] = {"name": name, "type": kind}
    if kind == NUMBER:
        field["decimalChar"] = "."
    if description:
        field["description"] = description
    return field


def _header(text: str) -> tuple[list[str], bool]:
    """The header row of a CSV text and whether ``#`` comment lines come before it."""
    commented = False
    for row in csv.reader(io.StringIO(text)):
        if row and row[0].startswith("#"):
            commented = True
        elif any(cell.strip() for cell in row):
            return row, commented
    return [], commented


def _schema(name: str, header: list[str], methodology: str) -> dict[str, Any]:
    fields = [_field(name, column) for column in header]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    schema["primaryKey"] = PRIMARY_KEYS[name]
    keys = []
    if name in ("scores.csv", "results.csv"):
        keys.append({"fields": "unit", "reference": {"resource": "units.csv", "fields": "code"}})
    if name == "scores.csv" and methodology == "methodology.csv":
        keys.append({"fields": "code", "reference": {"resource": methodology, "fields": "code"}})
    if name == "methodology.csv":
        keys.append({"fields": "parent", "reference": {"resource": "", "fields": "code"}})
    if keys:
        schema["foreignKeys"] = keys
    return schema


def resource(name: str, content: bytes, methodology: str) -> dict[str, Any]:
    """The resource describing one file of the bundle."""
    fmt = name.rsplit(".", 1)[1]
    out: dict[str, Any] = {
        "name": name,
        "path": name,
        "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
    }
    if fmt == "csv":
        header, commented = _header(content.decode("utf-8"))
        dialect: dict[str, Any] = {"delimiter": ",", "lineTerminator": "\n", "header": True}
        if commented:
            dialect["commentChar"] = "#"
        out["dialect"] = dialect
        out["schema"] = _schema(name, header, methodology)
    return out


def descriptor(report: Report, data: dict[str, bytes], methodology: str) -> dict[str, Any]:
    """The package descriptor for the bundle's data files ``data`` (name → bytes)."""
    cycle, pub = report.cycle, report.publication
    source = f"{cycle.body.name}, {cycle.name}, phiên bản {pub.version}"
    return {
        "profile": PROFILE,
        "name": file_stem(report.published),
        "title": f"{cycle.name} — dữ liệu mở / open data",
        "description": (
            "Kết quả Chỉ số cải cách hành chính đã công bố và dữ liệu để tái lập. "
            "Published administrative reform index results and the data to reproduce them."
            + (" EXAMPLE DATA – NOT OFFICIAL RESULTS." if report.example else "")
        ),
        "version": str(pub.version),
        "created": timezone.localtime(pub.published_at).isoformat(),
        "licenses": [
            {
                "path": "README.md",
                "title": "Dữ liệu công khai, tự do sử dụng lại với điều kiện ghi rõ nguồn / "
                "public data, free to reuse citing the source",
            }
        ],
        "sources": [{"title": source}],
        "parindex": {
            "content_hash": pub.content_hash,
            "content_hash_of": [methodology, "scores.csv", "results.csv"],
            "version": pub.version,
            "methodology": report.methodology.id,
            "places": report.places,
            "example": report.example,
        },
        "resources": [resource(name, content, methodology) for name, content in data.items()],
    }


def datapackage_json(report: Report, data: dict[str, bytes], methodology: str) -> bytes:
    """``datapackage.json``'s bytes: the descriptor, two-space indented, keys in order."""
    text = json.dumps(descriptor(report, data, methodology), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
