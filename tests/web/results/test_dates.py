"""The publication date day first, dd/mm/yyyy, on the results pages in both languages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from parindex_web.cycles.models import Publication

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("page", ["", "methodology"])
def test_the_publication_date_shows_day_first_in_both_languages(
    client, parse, world, language, page
):
    published = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    Publication.objects.filter(cycle=world.c2025).update(published_at=published)
    html = client.get(f"/results/{world.c2025.pk}/{page}", HTTP_ACCEPT_LANGUAGE=language).content
    meta = parse(html).find("p", class_="cycle-meta").text
    assert "03/12/2026" in meta and "12/03/2026" not in meta


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_decision_date_shows_day_first_in_both_languages(client, parse, world, language):
    html = client.get(f"/results/{world.c2025.pk}/methodology", HTTP_ACCEPT_LANGUAGE=language)
    assert "15/01/2024" in parse(html.content).find("dl", class_="facts").text
