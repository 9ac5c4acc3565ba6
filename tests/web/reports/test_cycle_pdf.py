"""GET /results/<cycle>/report.pdf: the cycle report (WeasyPrint)."""

from __future__ import annotations

from typing import Any

import pytest

from parindex_web.cycles.published import load

from .pdf_tools import page_count, text


def url(cycle: Any) -> str:
    return f"/results/{cycle.pk}/report.pdf"


@pytest.mark.django_db
def test_it_downloads_a_pdf_named_after_the_cycle(client: Any, published: Any) -> None:
    response = client.get(url(published))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="chi-so-cchc-2024-{published.pk}-v1.pdf"'
    )
    content = response.getvalue()  # streamed from the stored file: read once
    assert content.startswith(b"%PDF-")
    assert page_count(content) >= 4  # cover, summary and charts, ranking, components


@pytest.mark.django_db
def test_it_shows_every_unit_with_its_diacritics(client: Any, published: Any) -> None:
    content = text(client.get(url(published)).getvalue())
    for name in ("Xã Đông Hà", "Phường Ô Môn", "Xã Ea Kao", "Thị trấn Hưng Yên"):
        assert name in content
    assert "Sở Nội vụ tỉnh Thử" in content
    assert "Xếp hạng" in content


@pytest.mark.django_db
def test_the_cover_names_the_publication_and_warns_of_example_data(
    client: Any, published: Any
) -> None:
    content = text(client.get(url(published)).getvalue())
    cover = content.split("\f")[0]
    pub = published.publications.get()
    assert pub.content_hash in cover
    assert "Phiên bản 1" in cover
    assert "Dữ liệu ví dụ – không phải kết quả chính thức" in cover


@pytest.mark.django_db
def test_the_ranking_shows_the_published_figures(client: Any, published: Any) -> None:
    content = text(client.get(url(published)).getvalue())
    for unit in load(published).results["units"]:
        assert unit["index"].replace(".", ",") in content  # decimal comma in Vietnamese
    assert "Nhóm" in content


@pytest.mark.django_db
def test_it_is_cached(client: Any, published: Any, django_assert_max_num_queries: Any) -> None:
    first = client.get(url(published)).getvalue()
    with django_assert_max_num_queries(5):  # the publication and the letterhead's time
        assert client.get(url(published)).getvalue() == first


@pytest.mark.django_db
def test_it_speaks_english_when_asked(client: Any, published: Any) -> None:
    content = text(client.get(url(published), HTTP_ACCEPT_LANGUAGE="en").getvalue())
    assert "Ranking" in content
    assert "Example data – not official results" in content


@pytest.mark.django_db
def test_it_is_404_for_an_unpublished_cycle(client: Any, unpublished: Any) -> None:
    assert client.get(url(unpublished)).status_code == 404
