"""A publication's files are built once, stored under its hash and served as files."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from parindex_web.cycles.models import Publication
from parindex_web.reports import artefacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count every build of every kind (the real makers still run)."""
    counter: Counter[str] = Counter()
    for key, kind in list(artefacts.KINDS.items()):

        def counting(report: Any, key: str = key, make: Any = kind.make) -> bytes:
            counter[key] += 1
            content: bytes = make(report)
            return content

        monkeypatch.setitem(artefacts.KINDS, key, dataclasses.replace(kind, make=counting))
    return counter


def stored(publication: Publication) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "publications" / publication.content_hash
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_bundle_is_built_once_and_served_with_the_hash_as_etag(
    client: Any, published: Any, builds: Counter[str]
) -> None:
    publication = published.publications.get()
    first = client.get(f"/results/{published.pk}/open-data.zip")
    second = client.get(f"/results/{published.pk}/open-data.zip")
    assert builds["zip"] == 1
    assert first.status_code == second.status_code == 200
    assert first.getvalue() == second.getvalue()
    assert first["ETag"] == second["ETag"]
    assert first["ETag"].startswith(f'"{publication.content_hash}-')
    assert [p.suffix for p in stored(publication)] == [".zip"]
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.tmp"))  # written whole, then renamed


def test_the_etag_answers_a_conditional_request_with_304(
    client: Any, published: Any, builds: Counter[str]
) -> None:
    etag = client.get(f"/results/{published.pk}/report.xlsx")["ETag"]
    again = client.get(f"/results/{published.pk}/report.xlsx", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert builds["xlsx"] == 1


def test_a_versions_own_address_is_cached_for_long(client: Any, published: Any) -> None:
    latest = client.get(f"/results/{published.pk}/open-data.zip")
    version = client.get(f"/results/{published.pk}/v1/open-data.zip")
    assert latest["Cache-Control"] == "public, max-age=300"
    assert "immutable" in version["Cache-Control"]
    assert "max-age=31536000" in version["Cache-Control"]
    assert latest.getvalue() == version.getvalue()


def test_build_makes_every_file_once_and_requests_then_build_nothing(
    client: Any, published: Any, builds: Counter[str]
) -> None:
    publication = published.publications.get()
    made = artefacts.build(publication)
    languages = len(settings.LANGUAGES)
    assert builds == Counter(xlsx=languages, pdf=languages, pdfa=1, zip=1)
    assert len(stored(publication)) == len(made) == 2 * languages + 2
    assert artefacts.build(publication) == made  # idempotent
    for path in ("report.xlsx", "report.pdf", "report-archive.pdf", "open-data.zip"):
        assert client.get(f"/results/{published.pk}/{path}").status_code == 200
        assert client.get(f"/results/{published.pk}/{path}", HTTP_ACCEPT_LANGUAGE="en")
    assert builds == Counter(xlsx=languages, pdf=languages, pdfa=1, zip=1)


def test_each_language_and_each_unit_has_its_own_file(
    client: Any, published: Any, builds: Counter[str]
) -> None:
    vi = client.get(f"/results/{published.pk}/report.xlsx", HTTP_ACCEPT_LANGUAGE="vi")
    en = client.get(f"/results/{published.pk}/report.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert vi["ETag"] != en["ETag"]
    assert builds["xlsx"] == 2
    one = client.get(f"/results/{published.pk}/units/x-mot/report.pdf")
    two = client.get(f"/results/{published.pk}/units/x-hai/report.pdf")
    assert one["ETag"] != two["ETag"]
    assert one.getvalue() != two.getvalue()
    client.get(f"/results/{published.pk}/units/x-mot/report.pdf")
    names = [p.name for p in stored(published.publications.get())]
    assert sum(name.startswith("unit-x-mot-") for name in names) == 1


def test_a_new_publication_gets_new_files(client: Any, published: Any, world: Any) -> None:
    from parindex_web.cycles import services

    first = client.get(f"/results/{published.pk}/open-data.zip")["ETag"]
    services.publish(world.secretariat, published, reason="Đính chính")
    second = client.get(f"/results/{published.pk}/open-data.zip")["ETag"]
    old = client.get(f"/results/{published.pk}/v1/open-data.zip")["ETag"]
    assert old == first
    assert second != first


def test_a_stored_file_is_served_without_reading_the_results(
    client: Any, published: Any, builds: Counter[str]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"/results/{published.pk}/units/x-mot/report.pdf")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(f"/results/{published.pk}/units/x-mot/report.pdf")
        missing = client.get(f"/results/{published.pk}/units/x-nam/report.pdf")
    assert (again.status_code, missing.status_code) == (200, 404)
    assert builds["unit"] == 0  # a unit's PDF is made by the view's own maker
    assert "results_json" not in " ".join(q["sql"] for q in queries.captured_queries)


def test_only_a_correction_of_last_years_cycle_makes_the_reports_again(
    client: Any, merged: Any, world: Any, builds: Counter[str]
) -> None:
    from parindex_web.cycles import services
    from parindex_web.cycles.models import Cycle

    first = client.get(f"/results/{merged.pk}/report.xlsx")["ETag"]
    later = Cycle.objects.create(
        body=world.body, year=2025, name="Năm sau", methodology=world.methodology
    )
    later.phase = "finalised"
    later.save()
    services.publish(world.secretariat, later)  # a cycle this one does not compare with
    assert client.get(f"/results/{merged.pk}/report.xlsx")["ETag"] == first
    assert builds["xlsx"] == 1
    last_year = Cycle.objects.get(body=world.body, year=2023)
    services.publish(world.secretariat, last_year, reason="Đính chính")
    assert client.get(f"/results/{merged.pk}/report.xlsx")["ETag"] != first
    assert builds["xlsx"] == 2
