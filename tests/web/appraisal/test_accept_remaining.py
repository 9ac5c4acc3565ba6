"""The pages of "accept all remaining": the link on the appraisal page, the confirmation page
(the leaves, their points, the total), the confirmed POST and its refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from parindex_web.audit.models import AuditRecord
from parindex_web.cycles import services

from .conftest import LOWERED, app_forms

pytestmark = pytest.mark.django_db


def url(world):
    return f"/appraisal/{world.assessment.pk}/accept-remaining"


def get(client, world):
    return client.get(url(world), HTTP_ACCEPT_LANGUAGE="en")


def post(client, world, **data):
    return client.post(url(world), data, HTTP_ACCEPT_LANGUAGE="en")


def shown_token(parse, response):
    return parse(response.content).find("input", name="confirmed").attrs["value"]


def listed(page):
    """The codes in the table of leaves to accept, in order."""
    page.find("table", id="to-accept")
    rows = [r.attrs.get("id", "") for r in page.find_all("tr")]
    return [r.removeprefix("accept-") for r in rows if r.startswith("accept-")]


def lower(world):
    entry = world.entry(LOWERED)
    services.appraise(
        world.appraiser, entry, points=Decimal(0), reason="Thiếu", version=entry.version
    )


def not_appraised(world):
    return [e.code for e in world.appraisal_entries() if e.appraised_points is None]


def test_the_appraisal_page_links_to_it_with_the_number_left(client, parse, world):
    lower(world)
    client.force_login(world.appraiser)
    page = parse(
        client.get(f"/appraisal/{world.assessment.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    )
    link = page.find("a", id="accept-remaining")
    assert link.attrs["href"] == url(world)
    assert f"({len(not_appraised(world))} criteria)" in link.text


def test_the_link_is_gone_when_nothing_is_left_or_for_a_reader(client, parse, world):
    client.force_login(world.secretariat)
    page = parse(client.get(f"/appraisal/{world.assessment.pk}/").content)
    assert page.find_all("a", id="accept-remaining") == []
    world.appraise_all()
    client.force_login(world.appraiser)
    page = parse(client.get(f"/appraisal/{world.assessment.pk}/").content)
    assert page.find_all("a", id="accept-remaining") == []


def test_the_confirmation_lists_only_the_leaves_not_appraised_with_points_and_total(
    client, parse, world
):
    lower(world)
    client.force_login(world.appraiser)
    r = get(client, world)
    assert r.status_code == 200
    page = parse(r.content)
    codes = listed(page)
    assert codes == not_appraised(world)
    assert LOWERED not in codes
    total = sum((world.entry(c).self_points for c in codes), Decimal(0))
    assert page.find("td", id="total").text == f"+{total:.2f}"
    assert f"Yes, accept these {len(codes)} criteria" in page.find("main").text


def test_confirming_accepts_them_and_the_result_says_how_many(client, parse, world):
    lower(world)
    client.force_login(world.appraiser)
    left = not_appraised(world)
    r = post(client, world, confirmed=shown_token(parse, get(client, world)))
    assert r.status_code == 302
    assert r["Location"] == f"/appraisal/{world.assessment.pk}/"
    assert not_appraised(world) == []
    assert world.entry(LOWERED).appraised_points == 0
    assert AuditRecord.objects.filter(action="entry.appraised_points").count() == len(left) + 1
    assert AuditRecord.objects.filter(action="assessment.accept_remaining").count() == 1
    page = parse(client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content)
    message = page.find("li", class_="message message--success").text
    assert f"{len(left)} criteria now have their self-assessed points" in message
    assert "changed one by one" in message
    assert app_forms(page, "/appraise")  # each leaf keeps its own form


def test_a_stale_list_is_refused_and_the_new_list_shown(client, parse, world):
    client.force_login(world.appraiser)
    token = shown_token(parse, get(client, world))
    lower(world)  # meanwhile
    r = post(client, world, confirmed=token)
    assert r.status_code == 409
    page = parse(r.content)
    assert "have changed since the list was shown" in page.find("p", id="refused").text
    assert listed(page) == not_appraised(world)
    assert LOWERED not in listed(page)
    assert shown_token(parse, r) != token
    assert not_appraised(world) == [e.code for e in world.appraisal_entries() if e.code != LOWERED]


@pytest.mark.parametrize("body", [{}, {"confirmed": ""}, {"confirmed": "x" * 81}])
def test_a_post_without_a_confirmation_is_a_400_with_a_message(client, parse, world, body):
    client.force_login(world.appraiser)
    r = post(client, world, **body)
    assert r.status_code == 400
    assert "Confirm the list shown" in parse(r.content).find("p", id="refused").text
    assert len(not_appraised(world)) == len(world.appraisal_entries())


def test_with_nothing_left_the_page_says_so_without_a_form(client, parse, world):
    world.appraise_all()
    client.force_login(world.appraiser)
    page = parse(get(client, world).content)
    assert "nothing is left to accept" in page.find("p", id="nothing-left").text
    assert app_forms(page, "accept-remaining") == []


def test_after_the_deadline_the_page_says_why_and_a_post_is_refused(client, parse, world):
    client.force_login(world.appraiser)
    token = shown_token(parse, get(client, world))
    world.cycle.appraisal_due = timezone.now() - timezone.timedelta(hours=1)
    world.cycle.save()
    page = parse(get(client, world).content)
    assert "deadline" in page.find("p", id="closed").text
    assert app_forms(page, "accept-remaining") == []
    r = post(client, world, confirmed=token)
    assert r.status_code == 400
    assert "deadline" in parse(r.content).find("p", id="refused").text
    assert len(not_appraised(world)) == len(world.appraisal_entries())


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer", 403),
        ("leader", 403),
        ("secretariat", 403),
        ("colleague", 404),
        ("outsider", 404),
    ],
)
def test_it_refuses_everyone_but_the_assigned_appraiser(client, world, who, status):
    client.force_login(world.appraiser)
    token = services.remaining_fingerprint(services.remaining_to_accept(world.assessment))
    client.force_login(getattr(world, who))
    assert get(client, world).status_code == status
    assert post(client, world, confirmed=token).status_code == status
    assert len(not_appraised(world)) == len(world.appraisal_entries())


def test_it_sends_anonymous_users_to_log_in(client, world):
    for r in (get(client, world), post(client, world, confirmed="x")):
        assert r.status_code == 302
        assert r["Location"].startswith("/accounts/login/")
    assert len(not_appraised(world)) == len(world.appraisal_entries())


def test_other_methods_are_refused(client, world):
    client.force_login(world.appraiser)
    assert client.put(url(world)).status_code == 405
