"""GET /results/<cycle>/open-data.zip and /results/<cycle>/v<n>/open-data.zip: open data.

The bundle must reproduce: ``parindex compute methodology.yaml scores.csv`` in the unzipped
folder prints ``results.csv`` byte for byte, and ``sha256sum -c SHA256SUMS`` passes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from parindex_web.cycles import services
from parindex_web.cycles.models import Entry

FILES = [
    "README.md",
    "SHA256SUMS",
    "datapackage.json",
    "methodology.yaml",
    "results.csv",
    "results.json",
    "scores.csv",
    "units.csv",
]


def url(cycle: Any, version: int | None = None) -> str:
    if version is None:
        return f"/results/{cycle.pk}/open-data.zip"
    return f"/results/{cycle.pk}/v{version}/open-data.zip"


def unzip(content: bytes, where: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        archive.extractall(where)
        folders = {name.split("/")[0] for name in archive.namelist()}
    assert len(folders) == 1
    return where / folders.pop()


def check_sums(folder: Path) -> None:
    """What ``sha256sum -c SHA256SUMS`` does."""
    lines = (folder / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    listed = []
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
        listed.append(name)
    assert sorted(listed) == sorted(p.name for p in folder.iterdir() if p.name != "SHA256SUMS")


def reproduce(folder: Path) -> bytes:
    """``parindex compute methodology.yaml scores.csv`` run in the folder, no options."""
    done = subprocess.run(
        [sys.executable, "-m", "parindex.cli", "compute", "methodology.yaml", "scores.csv"],
        cwd=folder,
        capture_output=True,
        check=True,
    )
    return done.stdout


@pytest.mark.django_db
def test_it_downloads_a_zip_named_after_the_publication(client: Any, published: Any) -> None:
    response = client.get(url(published))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="chi-so-cchc-2024-{published.pk}-v1-open-data.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(response.getvalue())) as archive:
        names = archive.namelist()
    folder = f"chi-so-cchc-2024-{published.pk}-v1/"
    assert sorted(names) == [folder + name for name in FILES]


@pytest.mark.django_db
def test_the_cli_reproduces_the_results_byte_for_byte(
    client: Any, published: Any, tmp_path: Path
) -> None:
    folder = unzip(client.get(url(published)).getvalue(), tmp_path)
    check_sums(folder)
    assert reproduce(folder) == (folder / "results.csv").read_bytes()


@pytest.mark.django_db
def test_it_reproduces_a_unit_that_has_no_points(
    client: Any, published: Any, world: Any, tmp_path: Path
) -> None:
    """A unit without any points counts 0 everywhere: scores.csv must still carry it."""
    from .conftest import default_share, make_cycle

    cycle = make_cycle(world, 2026, world.units, default_share, publish=False)
    Entry.objects.filter(assessment__cycle=cycle, assessment__unit__code="x-bon").update(
        self_points=None, appraised_points=None, external_points=None
    )
    services.finalise(world.secretariat, cycle)
    services.publish(world.secretariat, cycle)
    folder = unzip(client.get(url(cycle)).getvalue(), tmp_path)
    results = (folder / "results.csv").read_text(encoding="utf-8")
    assert "x-bon," in results
    assert reproduce(folder) == results.encode("utf-8")


@pytest.mark.django_db
def test_the_files_are_the_publication(client: Any, published: Any, tmp_path: Path) -> None:
    folder = unzip(client.get(url(published)).getvalue(), tmp_path)
    pub = published.publications.get()
    assert (folder / "methodology.yaml").read_text(encoding="utf-8") == pub.methodology_text
    assert (folder / "scores.csv").read_text(encoding="utf-8") == pub.scores_csv
    assert (folder / "results.csv").read_text(encoding="utf-8") == pub.results_csv
    assert json.loads((folder / "results.json").read_text(encoding="utf-8")) == pub.results_json
    units = list(csv.DictReader(io.StringIO((folder / "units.csv").read_text(encoding="utf-8"))))
    assert [u["code"] for u in units] == ["x-ba", "x-bon", "x-hai", "x-mot"]
    assert {u["code"]: u["name"] for u in units}["x-mot"] == "Xã Đông Hà"
    assert {u["unit_type"] for u in units} == {"commune"}


@pytest.mark.django_db
def test_results_json_is_no_larger_than_it_must_be(
    client: Any, published: Any, tmp_path: Path
) -> None:
    folder = unzip(client.get(url(published)).getvalue(), tmp_path)
    text = (folder / "results.json").read_text(encoding="utf-8")
    pub = published.publications.get()
    assert text.count("\n") == 1 and text.endswith("}\n")  # one line
    assert '": ' not in text and '", "' not in text  # no space after separators
    assert text == json.dumps(pub.results_json, ensure_ascii=False, separators=(",", ":")) + "\n"


@pytest.mark.django_db
def test_the_readme_explains_and_warns(client: Any, published: Any, tmp_path: Path) -> None:
    folder = unzip(client.get(url(published)).getvalue(), tmp_path)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    pub = published.publications.get()
    assert pub.content_hash in readme
    assert "parindex compute methodology.yaml scores.csv" in readme
    assert "DỮ LIỆU VÍ DỤ" in readme
    for name in FILES[2:]:
        assert f"`{name}`" in readme


@pytest.mark.django_db
def test_the_readme_recipe_gives_the_content_hash(
    client: Any, published: Any, tmp_path: Path
) -> None:
    folder = unzip(client.get(url(published)).getvalue(), tmp_path)
    parts = [folder / "methodology.yaml", folder / "scores.csv", folder / "results.csv"]
    digest = hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in parts))
    assert digest.hexdigest() == published.publications.get().content_hash


@pytest.mark.django_db
def test_the_zip_is_the_same_every_time(client: Any, published: Any) -> None:
    first = client.get(url(published)).getvalue()
    cache.clear()
    assert client.get(url(published)).getvalue() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert len(stamps) == 1


@pytest.mark.django_db
def test_an_older_version_stays_available(
    client: Any, published: Any, world: Any, tmp_path: Path
) -> None:
    Entry.objects.filter(assessment__cycle=published, code="1.1.1").update(
        final_points=0, appraised_points=0
    )
    services.publish(world.secretariat, published, reason="Đính chính")
    latest = client.get(url(published))
    assert latest["Content-Disposition"].endswith(f'-{published.pk}-v2-open-data.zip"')
    old = client.get(url(published, 1))
    assert old.status_code == 200
    assert old["Content-Disposition"].endswith(f'-{published.pk}-v1-open-data.zip"')
    v1 = unzip(old.getvalue(), tmp_path / "v1")
    v2 = unzip(latest.getvalue(), tmp_path / "v2")
    assert (v1 / "results.csv").read_bytes() != (v2 / "results.csv").read_bytes()
    for folder in (v1, v2):
        check_sums(folder)
        assert reproduce(folder) == (folder / "results.csv").read_bytes()


@pytest.mark.django_db
def test_a_version_that_does_not_exist_is_404(client: Any, published: Any) -> None:
    assert client.get(url(published, 2)).status_code == 404


@pytest.mark.django_db
def test_it_is_404_for_an_unpublished_cycle(client: Any, unpublished: Any) -> None:
    assert client.get(url(unpublished)).status_code == 404
    assert client.get(url(unpublished, 1)).status_code == 404
