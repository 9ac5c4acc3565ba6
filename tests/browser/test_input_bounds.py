"""Impossible inputs are refused on the page, with the field named (issue 15, defect 3).

An officer types 150 % for a share, then a percentage and counts together: each is refused on
the field it concerns, announced with it (aria-invalid, aria-describedby), and nothing is saved;
a possible share is then saved. Desktop and phone.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex_web.cycles.models import Assessment, Entry

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARE = "1.3.2"  # the demo's "share of subordinate units inspected": a percentage or counts


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)


def error_of(view: Any, name: str) -> str:
    """The text of the error the field ``name`` is described by (its aria-describedby)."""
    field = view.locator(f"[name='{name}']")
    assert field.get_attribute("aria-invalid") == "true"
    ids = (field.get_attribute("aria-describedby") or "").split()
    texts = [view.locator(f"[id='{i}']").inner_text() for i in ids if i.endswith("_error")]
    assert texts, f"{name} is described by no error: {ids}"
    return " ".join(texts)


@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_impossible_share_is_refused_on_its_field_and_nothing_is_saved(
    demo: None, live_server: Any, device: str, request: pytest.FixtureRequest
) -> None:
    view = request.getfixturevalue(device)
    a = Assessment.objects.get(unit__code="demo-x01", cycle__year=2026)
    entry = Entry.objects.get(assessment=a, code=SHARE)
    before = (entry.inputs, entry.self_points, entry.version)
    prefix = f"e{entry.pk}"
    login(view, live_server.url, "canbo1")
    view.goto(f"{live_server.url}/assessments/{a.pk}/entries/{SHARE}/")
    shot(view, f"bounds-{device}-0-page")

    view.fill(f"[name='{prefix}-percent']", "150")
    view.click("form.leaf-form button[type=submit]")
    view.wait_for_load_state("networkidle")
    assert "100" in error_of(view, f"{prefix}-percent")
    shot(view, f"bounds-{device}-1-share-over-100")
    entry.refresh_from_db()
    assert (entry.inputs, entry.self_points, entry.version) == before

    view.fill(f"[name='{prefix}-percent']", "80")
    view.fill(f"[name='{prefix}-achieved']", "4")
    view.fill(f"[name='{prefix}-planned']", "5")
    view.click("form.leaf-form button[type=submit]")
    view.wait_for_load_state("networkidle")
    shot(view, f"bounds-{device}-2-both-modes")
    assert "không nhập cả hai" in error_of(view, f"{prefix}-percent")
    entry.refresh_from_db()
    assert (entry.inputs, entry.self_points, entry.version) == before

    view.fill(f"[name='{prefix}-achieved']", "")
    view.fill(f"[name='{prefix}-planned']", "")
    view.fill(f"[name='{prefix}-percent']", "80")
    view.click("form.leaf-form button[type=submit]")
    view.wait_for_load_state("networkidle")
    assert view.locator("[aria-invalid='true']").count() == 0
    entry.refresh_from_db()
    assert entry.inputs == {"percent": "80"}
    shot(view, f"bounds-{device}-3-saved")
