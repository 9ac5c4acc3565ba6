"""The methodology page in one language: every text node of its main content is in the page's
language or marked with its own ``lang`` (source text the data holds in Vietnamese only)."""

from __future__ import annotations

import pytest
from languages import foreign_text

pytestmark = pytest.mark.django_db


def page(client, cycle, language):
    url = f"/results/{cycle.pk}/methodology"
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_text_of_the_tiny_methodology_page_is_in_its_language_or_marked(
    client, world, language
):
    assert foreign_text(page(client, world.c2025, language), language) == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_text_of_the_shipped_example_methodology_page_is_in_its_language_or_marked(
    client, example_cycle, language
):
    assert foreign_text(page(client, example_cycle, language), language) == []


def test_the_vietnamese_page_shows_the_vietnamese_notes(client, example_cycle, parse):
    notes = parse(page(client, example_cycle, "vi")).find("p", class_="notes").text
    assert notes.startswith("Chỉ để minh hoạ.") and "Illustrative" not in notes


def test_the_english_page_shows_the_english_notes(client, example_cycle, parse):
    notes = parse(page(client, example_cycle, "en")).find("p", class_="notes").text
    assert notes.startswith("Illustrative only.")


def test_the_english_page_marks_labels_and_evidence_kept_in_vietnamese(client, world, parse):
    marked = [s.text for s in parse(page(client, world.c2025, "en")).find_all("span", lang="vi")]
    assert {"Tốt", "Khá", "Yếu", "Kế hoạch CCHC năm", "Điều 1 Quyết định 01", "Bộ Nội vụ"} <= set(
        marked
    )
    assert "Chỉ số CCHC cấp tỉnh 2025" in marked  # the cycle's name, in Vietnamese only


def test_the_vietnamese_page_marks_nothing_as_vietnamese(client, world, parse):
    main = page(client, world.c2025, "vi").split("<main", 1)[1]
    assert [e.attrs for e in parse(main).elements if "lang" in e.attrs] == []


def test_the_language_check_finds_a_paragraph_in_the_other_language():
    html = "<main><p>Chỉ để minh hoạ, không phải văn bản chính thức.</p><p>{}</p></main>"
    english = "Illustrative only; all other criteria and the bands are examples."
    assert foreign_text(html.format(english), "vi") == [f"{english!r} reads as en, declared vi"]
    assert len(foreign_text(html.format(english), "en")) == 1
    assert foreign_text(html.format(english).replace("<p>C", '<p lang="vi">C'), "en") == []
