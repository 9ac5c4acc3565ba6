"""One stray click must not undo a reasoned appraisal: "accept the self-assessed points" is
refused (by the services, not only hidden) over an appraised score that differs, unless the
appraiser replaces it with a reason; nothing is accepted after the appraisal is completed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from parindex_web.cycles import services

from .conftest import LOWERED, app_forms

pytestmark = pytest.mark.django_db


def post(client, world, code, **data):
    entry = world.entry(code)
    fields = {"version": entry.version, "points": "", "reason": "", **data}
    payload = {f"e{entry.pk}-{k}": v for k, v in fields.items()}
    return client.post(
        f"/appraisal/{world.assessment.pk}/entries/{entry.pk}/appraise",
        payload,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def lowered(world):
    entry = world.entry(LOWERED)
    services.appraise(
        world.appraiser, entry, points=Decimal(0), reason="Thiếu", version=entry.version
    )
    return world.entry(LOWERED)


def test_the_service_refuses_to_accept_over_a_different_appraised_score(world):
    entry = lowered(world)
    with translation.override("en"), pytest.raises(services.CycleError, match="Replace with"):
        services.appraise(world.appraiser, entry, reason="", version=entry.version, accept=True)
    entry.refresh_from_db()
    assert (entry.appraised_points, entry.appraisal_reason) == (Decimal(0), "Thiếu")


def test_a_stray_accept_click_keeps_the_reasoned_score(client, world):
    lowered(world)
    client.force_login(world.appraiser)
    r = post(client, world, LOWERED, action="accept", reason="Thiếu")
    assert r.status_code == 400
    assert b"Replace with the self-assessed points" in r.content
    assert world.entry(LOWERED).appraised_points == 0


def test_replacing_needs_a_reason_for_the_change(client, world):
    lowered(world)
    client.force_login(world.appraiser)
    assert post(client, world, LOWERED, action="replace").status_code == 400
    assert world.entry(LOWERED).appraised_points == 0
    r = post(client, world, LOWERED, action="replace", reason="Đã bổ sung tài liệu")
    assert r.status_code == 302
    entry = world.entry(LOWERED)
    assert entry.appraised_points == entry.self_points
    assert entry.appraisal_reason == "Đã bổ sung tài liệu"


def test_a_differing_leaf_offers_replace_not_accept(client, parse, world):
    entry = lowered(world)
    client.force_login(world.appraiser)
    page = parse(client.get(f"/appraisal/{world.assessment.pk}/").content)
    action = f"/appraisal/{world.assessment.pk}/entries/{entry.pk}/appraise"
    assert [f for f in app_forms(page) if f.attrs["action"] == action]
    values = [b.attrs.get("value") for b in page.find_all("button", name=f"e{entry.pk}-action")]
    assert values == ["replace", "set"]
    other = world.entry("1.1.1")
    values = [b.attrs.get("value") for b in page.find_all("button", name=f"e{other.pk}-action")]
    assert values == ["accept", "set"]


def test_nothing_is_accepted_after_the_appraisal_is_completed(client, parse, world):
    world.appraise_all()
    services.complete_appraisal(world.appraiser, world.assessment)
    client.force_login(world.appraiser)
    assert post(client, world, LOWERED, action="replace", reason="x").status_code == 400
    assert world.entry(LOWERED).appraised_points == 0
    page = parse(client.get(f"/appraisal/{world.assessment.pk}/").content)
    assert app_forms(page, "/appraise") == []


def test_the_saved_message_is_shown_in_the_leaf_the_page_scrolls_to(client, parse, world):
    client.force_login(world.appraiser)
    r = post(client, world, "1.1.1", action="accept")
    entry = world.entry("1.1.1")
    assert r["Location"].endswith(f"#leaf-{entry.pk}")
    page = parse(client.get(r["Location"]).content)
    order = page.elements.index
    message = page.find("li", class_="message message--success")
    leaf = page.find("section", id=f"leaf-{entry.pk}")
    after = [s for s in page.find_all("section") if order(s) > order(leaf)]
    assert order(leaf) < order(message) < order(after[0])
