"""The open-data bundle is a Frictionless Data Package: ``datapackage.json`` checked here.

The Frictionless Framework (a test dependency) validates it in the last test; :func:`validate` checks what
``frictionless validate datapackage.json`` would (Data Package v1 and Table Schema): the
descriptor's required structure, every file's size and hash, every CSV header against its
schema's fields in order, every value against its declared type, unique primary keys and
resolving foreign keys, reading the files with the project's own reader.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

import parindex
from parindex_web.cycles.published import load_by_id
from parindex_web.reports import bundle
from parindex_web.reports.data import build
from parindex_web.results.data import methodology_csv

from .test_bundle import check_sums, reproduce, unzip, url

pytestmark = pytest.mark.django_db

NAME = re.compile(r"^[-a-z0-9._/]+$")
TYPES = {
    "string": lambda text: text,
    "number": lambda text: (
        re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text) and parindex.parse_decimal(text)
    ),
    "integer": lambda text: re.fullmatch(r"-?[0-9]+", text) and int(text),
}
NOT_DATA = {"README.md", "SHA256SUMS", "datapackage.json"}


def read_rows(content: bytes, name: str, dialect: dict[str, Any]) -> list[list[str]]:
    comments = "any" if dialect.get("commentChar") == "#" else "leading"
    records = parindex.csv_records(content, name, comments=comments)
    return [row for _number, row in records]


def check_table(resource: dict[str, Any], rows: list[list[str]]) -> list[dict[str, Any]]:
    """The rows as dicts of typed values (None for a missing value), every cell checked."""
    schema = resource["schema"]
    fields = schema["fields"]
    assert rows[0] == [f["name"] for f in fields], resource["name"]
    typed = []
    for number, row in enumerate(rows[1:], start=2):
        assert len(row) == len(fields), (resource["name"], number)
        values: dict[str, Any] = {}
        for field, cell in zip(fields, row, strict=True):
            if cell in schema.get("missingValues", [""]):
                values[field["name"]] = None
                continue
            value = TYPES[field["type"]](cell)
            assert value is not None and value is not False, (resource["name"], number, cell)
            values[field["name"]] = value
        typed.append(values)
    key = schema.get("primaryKey", [])
    if key:
        keys = [tuple(row[k] for k in key) for row in typed]
        assert all(None not in k for k in keys), resource["name"]
        assert len(set(keys)) == len(keys), resource["name"]
    return typed


def validate(folder: Path) -> dict[str, Any]:
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "data-package"
    assert NAME.fullmatch(package["name"])
    assert all("name" in x or "path" in x for x in package["licenses"])
    assert all(x["title"] for x in package["sources"])
    resources = package["resources"]
    names = [r["name"] for r in resources]
    assert len(set(names)) == len(names) and all(NAME.fullmatch(n) for n in names)
    files = {p.name for p in folder.iterdir()} - NOT_DATA
    assert {r["path"] for r in resources} == files
    tables: dict[str, list[dict[str, Any]]] = {}
    for r in resources:
        content = (folder / r["path"]).read_bytes()
        assert r["bytes"] == len(content)
        assert r["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
        assert r["mediatype"] and r["format"] == r["path"].rsplit(".", 1)[1]
        if r["format"] != "csv":
            assert "schema" not in r and r["profile"] == "data-resource"
            continue
        assert r["profile"] == "tabular-data-resource"
        assert r["dialect"]["header"] is True and r["dialect"]["delimiter"] == ","
        assert all(f["type"] in TYPES for f in r["schema"]["fields"])
        tables[r["name"]] = check_table(r, read_rows(content, r["path"], r["dialect"]))
    for r in resources:
        for fk in r.get("schema", {}).get("foreignKeys", []):
            target = fk["reference"]["resource"] or r["name"]
            known = {row[fk["reference"]["fields"]] for row in tables[target]}
            values = {row[fk["fields"]] for row in tables[r["name"]]} - {None}
            assert values <= known, (r["name"], fk, values - known)
    return package


def schema_of(package: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r["schema"] for r in package["resources"] if r["name"] == name)


def types(schema: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["type"] for f in schema["fields"]}


def test_the_bundle_is_a_valid_data_package(client: Any, published: Any, tmp_path: Path) -> None:
    folder = unzip(client.get(url(published)).getvalue(), tmp_path)

    package = validate(folder)

    check_sums(folder)  # datapackage.json is in SHA256SUMS
    assert "datapackage.json" in (folder / "SHA256SUMS").read_text(encoding="ascii")
    assert [r["name"] for r in package["resources"]] == [
        "methodology.yaml",
        "scores.csv",
        "results.csv",
        "results.json",
        "units.csv",
    ]
    assert reproduce(folder) == (folder / "results.csv").read_bytes()


def test_codes_are_text_points_numbers_and_ranks_integers(
    client: Any, published: Any, tmp_path: Path
) -> None:
    package = validate(unzip(client.get(url(published)).getvalue(), tmp_path))

    assert types(schema_of(package, "scores.csv")) == {
        "unit": "string",
        "code": "string",
        "points": "number",
    }
    results = types(schema_of(package, "results.csv"))
    fields = [n.code for n in published.methodology.core().fields]
    assert list(results) == ["unit", "total_points", "index", "rank", "group"] + [
        f"{kind}_{code}" for code in fields for kind in ("points", "index")
    ]
    assert results["unit"] == results["group"] == "string"
    assert results["rank"] == "integer"
    assert {results[k] for k in results if k.startswith(("points_", "index_"))} == {"number"}
    assert types(schema_of(package, "units.csv")) == dict.fromkeys(
        ["code", "name", "unit_type"], "string"
    )
    assert schema_of(package, "scores.csv")["primaryKey"] == ["unit", "code"]
    assert schema_of(package, "results.csv")["foreignKeys"] == [
        {"fields": "unit", "reference": {"resource": "units.csv", "fields": "code"}}
    ]


def test_it_names_the_licence_source_and_publication(
    client: Any, published: Any, tmp_path: Path
) -> None:
    package = validate(unzip(client.get(url(published)).getvalue(), tmp_path))
    pub = published.publications.get()

    assert package["name"] == f"chi-so-cchc-2024-{published.pk}-v1"
    assert package["parindex"]["content_hash"] == pub.content_hash
    assert package["parindex"]["version"] == 1
    assert package["licenses"][0]["path"] == "README.md"
    assert "Sở Nội vụ tỉnh Thử" in package["sources"][0]["title"]
    assert package["created"].startswith(str(pub.published_at.year))


def test_a_csv_methodology_is_a_table_that_scores_codes_refer_to(
    published: Any, tmp_path: Path
) -> None:
    report = build(load_by_id(published.pk))
    report.publication.methodology_format = "csv"
    report.publication.methodology_text = methodology_csv(report.methodology)
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, content in bundle.files(report).items():
        (folder / name).write_bytes(content)

    package = validate(folder)

    methodology = schema_of(package, "methodology.csv")
    assert types(methodology)["max_points"] == "number"
    assert types(methodology)["code"] == "string"
    assert {"fields": "code", "reference": {"resource": "methodology.csv", "fields": "code"}} in (
        schema_of(package, "scores.csv")["foreignKeys"]
    )


def test_a_row_that_breaks_its_schema_is_caught(
    client: Any, published: Any, tmp_path: Path
) -> None:
    """The check above is real: a rank that is not an integer, a unit not in units.csv fail."""
    folder = unzip(client.get(url(published)).getvalue(), tmp_path)
    results = folder / "results.csv"
    good = results.read_bytes()
    lines = good.decode("utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    bad_rank = ",".join([*cells[:3], "1.5", *cells[4:]])
    for broken in (bad_rank, lines[1].replace(cells[0], "x-khong-co", 1)):
        results.write_text("".join([lines[0], broken, *lines[2:]]), encoding="utf-8")
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        for r in package["resources"]:
            r["bytes"] = (folder / r["path"]).stat().st_size
            r["hash"] = "sha256:" + hashlib.sha256((folder / r["path"]).read_bytes()).hexdigest()
        (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
        with pytest.raises(AssertionError):
            validate(folder)


def test_the_readme_says_how_to_install_and_validate(
    client: Any, published: Any, tmp_path: Path
) -> None:
    readme = (unzip(client.get(url(published)).getvalue(), tmp_path) / "README.md").read_text(
        encoding="utf-8"
    )
    assert "pip install ." in readme
    assert "not published on PyPI" in readme
    assert "frictionless validate datapackage.json" in readme
    assert "`datapackage.json`" in readme


def test_the_frictionless_framework_finds_the_package_valid(
    client: Any, published: Any, tmp_path: Path
) -> None:
    """The reference implementation agrees: ``frictionless validate datapackage.json`` passes
    (descriptor, types, keys, hashes and sizes), and it fails once a rank is broken."""
    from frictionless import Package, system

    folder = unzip(client.get(url(published)).getvalue(), tmp_path)
    with system.use_context(trusted=True):
        report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    results = folder / "results.csv"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    results.write_text(
        "".join([lines[0], ",".join([*cells[:3], "1.5", *cells[4:]]), *lines[2:]]),
        encoding="utf-8",
    )
    with system.use_context(trusted=True):
        broken = Package(str(folder / "datapackage.json")).validate()
    assert "type-error" in {row[0] for row in broken.flatten(["type"])}
