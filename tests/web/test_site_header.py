"""The header on every page: who is signed in, and the same menu whatever the page."""

import pytest

from parindex_web.accounts.models import Membership, Role
from parindex_web.units.models import AssessingBody, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model):
    body = AssessingBody.objects.create(code="b", name="B", kind=AssessingBody.Kind.PROVINCIAL)
    unit = Unit.objects.create(code="u", name="U", unit_type=Unit.Type.COMMUNE, body=body)
    user = django_user_model.objects.create_user("canbo", first_name="Nguyễn", last_name="An")
    Membership.objects.create(user=user, role=Role.OFFICER, unit=unit)
    return user


def test_the_signed_in_users_name_is_in_the_header(client, parse, officer):
    client.force_login(officer)
    page = parse(client.get("/work/").content)
    assert "Nguyễn An" in page.find("li", id="signed-in-user").text


def test_the_menu_is_the_same_on_every_page(client, parse, officer):
    client.force_login(officer)
    pages = ["/", "/work/", "/appraisal/", "/results/"]
    menus = []
    for path in pages:
        page = parse(client.get(path).content)
        nav = page.find("nav", class_="site-nav").text
        menus.append(nav)
    assert len(set(menus)) == 1, menus
    assert "Thẩm định" not in menus[0]  # an officer appraises nothing


def test_an_anonymous_visitor_sees_no_name(client, parse):
    assert parse(client.get("/").content).find_all("li", id="signed-in-user") == []
