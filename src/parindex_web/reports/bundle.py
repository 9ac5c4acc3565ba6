"""The open-data bundle of one publication: a deterministic zip.

One folder ``chi-so-cchc-<year>-<cycle id>-v<version>/`` holding:

- ``methodology.yaml`` (or ``.csv``): the methodology exactly as published;
- ``scores.csv``: the final leaf points per unit (``unit,code,points``), as published;
- ``results.csv``: the published results (the core's interchange CSV);
- ``results.json``: the published results with node detail and statistics, compact (one line);
- ``units.csv``: ``code,name,unit_type`` of the units in the results;
- ``datapackage.json``: the Frictionless Data Package descriptor of those five files (a Table
  Schema for every CSV file), :mod:`.datapackage`;
- ``README.md``: what each file is, how to reproduce ``results.csv``, the content hash;
- ``SHA256SUMS``: ``sha256sum`` lines for every other file.

``parindex compute methodology.yaml scores.csv`` run in the folder prints ``results.csv`` byte
for byte. Every entry has the publication's time as its timestamp, fixed permissions and a fixed
compression level, so the same publication always gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone

from .data import Report, file_stem
from .datapackage import datapackage_json

README_TEMPLATE = "reports/bundle/README.md"


def methodology_name(report: Report) -> str:
    return (
        "methodology.csv" if report.publication.methodology_format == "csv" else "methodology.yaml"
    )


def units_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "unit_type"])
    units = report.published.units
    for code in sorted(row["unit"] for row in report.published.results["units"]):
        unit = units.get(code)
        writer.writerow([code, unit.name if unit else "", unit.unit_type if unit else ""])
    return out.getvalue()


def results_json(report: Report) -> str:
    """The published results on one line: no indentation, no spaces after separators (at 300
    units × 100 leaves 3.1 MB instead of 6.2 MB indented; 153 kB instead of 190 kB zipped)."""
    text = json.dumps(report.publication.results_json, ensure_ascii=False, separators=(",", ":"))
    return text + "\n"


def files(report: Report) -> dict[str, bytes]:
    """File name → content, README and SHA256SUMS included (SHA256SUMS last)."""
    pub = report.publication
    data = {
        methodology_name(report): pub.methodology_text,
        "scores.csv": pub.scores_csv,
        "results.csv": pub.results_csv,
        "results.json": results_json(report),
        "units.csv": units_csv(report),
    }
    readme = render_to_string(
        README_TEMPLATE,
        {
            "report": report,
            "cycle": report.cycle,
            "publication": pub,
            "methodology": report.methodology,
            "methodology_file": methodology_name(report),
            "published_on": report.published_on.strftime("%d/%m/%Y"),
            "stem": file_stem(report.published),
        },
    )
    out = {name: text.encode("utf-8") for name, text in data.items()}
    out["datapackage.json"] = datapackage_json(report, dict(out), methodology_name(report))
    out["README.md"] = (readme.strip() + "\n").encode("utf-8")
    sums = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in sorted(out.items())
    )
    out["SHA256SUMS"] = sums.encode("ascii")
    return out


def build_bundle(report: Report) -> bytes:
    """The zip's bytes (deterministic for a publication)."""
    when = timezone.localtime(report.publication.published_at)
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    folder = file_stem(report.published)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files(report).items():
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below are read
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(info, content, compresslevel=9)
    return buffer.getvalue()
