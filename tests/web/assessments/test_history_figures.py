"""The leaf's history shows recorded scores as the pages show scores: the methodology's places
(two for the example methodology), more only if significant, the language's decimal mark."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from parindex_web.audit.models import AuditRecord, append, entry

pytestmark = pytest.mark.django_db


def record(w, field, old, new):
    append(
        [
            entry(
                w.officer,
                "entry." + field,
                cycle_id=w.cycle.pk,
                unit_code=w.unit.code,
                code="1.1.1",
                phase=w.cycle.phase,
                field=field,
                old=old,
                new=new,
            )
        ]
    )


def history(client, w, language):
    client.force_login(w.leader)
    url = f"/assessments/{w.assessment.pk}/entries/1.1.1/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    start = page.index('id="history"')
    return page[start : page.index("</table>", start)]


@pytest.mark.parametrize(
    ("language", "two", "eighth"), [("vi", "2,00", "0,125"), ("en", "2.00", "0.125")]
)
def test_a_stored_score_shows_in_the_methodologys_places(client, w, language, two, eighth):
    record(w, "self_points", Decimal("2.0000"), Decimal("0.1250"))
    table = history(client, w, language)
    assert f'<td class="value">{two}</td>' in table
    assert f'<td class="value">{eighth}</td>' in table
    assert "2,0000" not in table and "2.0000" not in table


def test_an_empty_old_score_shows_a_dash(client, w):
    record(w, "self_points", None, Decimal("1"))
    table = history(client, w, "vi")
    assert '<td class="value">—</td>' in table and '<td class="value">1,00</td>' in table


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_history_dates_each_change_day_first(client, w, language):
    record(w, "self_points", None, Decimal("1"))
    at = datetime(2026, 12, 3, 9, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    AuditRecord.objects.filter(field="self_points").update(at=at)  # the hash chain is not read
    table = history(client, w, language)
    assert "<td>03/12/2026 09:05</td>" in table and "12/03/2026" not in table
