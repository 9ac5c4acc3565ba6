"""GET /results/<cycle>/units/<code>/report.pdf: one unit's report."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .pdf_tools import page_count, text


def url(cycle: Any, code: str) -> str:
    return f"/results/{cycle.pk}/units/{code}/report.pdf"


@pytest.mark.django_db
def test_it_downloads_the_unit_report(client: Any, published: Any) -> None:
    response = client.get(url(published, "x-hai"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="chi-so-cchc-2024-{published.pk}-v1-x-hai.pdf"'
    )
    content = response.getvalue()  # streamed from the stored file: read once
    assert content.startswith(b"%PDF-")
    assert page_count(content) >= 2


@pytest.mark.django_db
def test_it_profiles_the_unit(client: Any, published: Any) -> None:
    content = text(client.get(url(published, "x-hai")).getvalue())
    assert "Phường Ô Môn" in content
    assert re.search(r"\b2\s*/\s*4\b", content)  # rank 2 of 4 (tied)
    assert "Điểm bị trừ theo tiêu chí" in content
    assert "Trung bình (%)" in content


@pytest.mark.django_db
def test_it_shows_the_history_through_a_merger(client: Any, merged: Any) -> None:
    content = text(client.get(url(merged, "x-moi")).getvalue())
    assert "Xã Ea Kao Mới" in content
    assert "2023" in content
    assert "bình quân các đơn vị hợp nhất" in content


@pytest.mark.django_db
def test_it_is_404_for_a_unit_outside_the_results(client: Any, published: Any, world: Any) -> None:
    assert client.get(url(published, "khong-co")).status_code == 404


@pytest.mark.django_db
def test_it_is_404_for_an_unpublished_cycle(client: Any, unpublished: Any) -> None:
    assert client.get(url(unpublished, "x-mot")).status_code == 404
