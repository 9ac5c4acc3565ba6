"""The site menu: built from the user's roles, the same on every page, and every link in it
opens for that user (no link that refuses). The world is the permission matrix's."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PUBLIC = [("Home", "/"), ("Results", "/results/")]
ACCOUNT = [("API tokens", "/api/tokens/"), ("Two-step sign-in", "/accounts/otp/")]
WORK = ("My work", "/work/")
APPRAISAL = ("Appraisal", "/appraisal/")
CYCLES = ("Index cycles", "/cycles/")
LOCKOUTS = ("Locked-out accounts", "/accounts/lockouts/")
ADMIN = ("Administration", "/admin/")

# role → the menu's links, in order (the secretariat's cycles and appraisal pages are theirs;
# appraisers see the appraisal only with an assignment; staff get the Django admin).
MENUS = {
    "anonymous": [*PUBLIC, ("Log in", "/accounts/login/")],
    "secretariat": [PUBLIC[0], WORK, PUBLIC[1], APPRAISAL, CYCLES, *ACCOUNT, LOCKOUTS],
    "secretariat_other": [PUBLIC[0], WORK, PUBLIC[1], APPRAISAL, CYCLES, *ACCOUNT, LOCKOUTS],
    "appraiser": [PUBLIC[0], WORK, PUBLIC[1], APPRAISAL, *ACCOUNT],
    "appraiser_other": [PUBLIC[0], WORK, PUBLIC[1], APPRAISAL, *ACCOUNT],
    "officer": [PUBLIC[0], WORK, PUBLIC[1], *ACCOUNT],
    "leader": [PUBLIC[0], WORK, PUBLIC[1], *ACCOUNT],
    "officer_other": [PUBLIC[0], WORK, PUBLIC[1], *ACCOUNT],
    "leader_other": [PUBLIC[0], WORK, PUBLIC[1], *ACCOUNT],
    "admin": [PUBLIC[0], WORK, PUBLIC[1], ADMIN, *ACCOUNT],
}


def menu_links(page) -> list[tuple[str, str]]:
    """(text, href) of the menu's links, without the notices link (its own app's, with a
    count that changes)."""
    nav = page.find("nav", class_="site-nav")
    start = page.elements.index(nav)
    links = []
    for element in page.elements[start + 1 :]:
        mine = element.attrs.get("id") != "notices-link"
        if element.tag == "a" and element.text in nav.text and mine:
            links.append((element.text, element.attrs["href"]))
        if element.tag == "form" and element.attrs.get("class") == "language-switcher":
            break
    return links


@pytest.mark.parametrize("role", sorted(MENUS))
def test_the_menu_is_the_roles_and_the_same_on_each_of_its_pages(world, parse, role):
    client = world.clients[role]
    expected = MENUS[role]
    pages = [href for _text, href in expected if href != "/admin/"]
    for path in pages:
        r = client.get(path, **EN)
        assert r.status_code == 200, (role, path, r.status_code)
        assert menu_links(parse(r.content)) == expected, (role, path)


@pytest.mark.parametrize("role", sorted(MENUS))
def test_every_menu_link_opens_for_the_role(world, role):
    client = world.clients[role]
    for _text, href in MENUS[role]:
        assert client.get(href).status_code == 200, (role, href)


def test_the_current_page_is_marked_in_the_menu(world, parse):
    page = parse(world.clients["secretariat"].get("/cycles/").content)
    current = page.find_all("a", **{"aria-current": "page"})
    assert [(a.text, a.attrs["href"]) for a in current] == [("Kỳ đánh giá", "/cycles/")]


def test_the_menu_is_in_vietnamese(world, parse):
    page = parse(world.clients["appraiser"].get("/").content)
    assert [text for text, _href in menu_links(page)] == [
        "Trang chủ",
        "Việc của tôi",
        "Kết quả",
        "Thẩm định",
        "Khóa API",
        "Xác thực hai bước",
    ]


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("anonymous", []),
        ("officer", []),
        ("appraiser", []),
        ("secretariat", ["/cycles/"]),
        ("admin", ["/admin/"]),
    ],
)
def test_the_home_page_leads_into_the_administration_only_those_who_can_open_it(
    world, parse, role, links
):
    client = world.clients[role]
    page = parse(client.get("/").content)
    shown = [a.attrs["href"] for a in page.find_all("a", class_="button")]
    assert shown == links
    for href in shown:
        assert client.get(href).status_code == 200


def test_an_appraiser_without_an_assignment_has_no_appraisal_link(world, parse):
    from parindex_web.cycles.models import Assignment

    Assignment.objects.filter(appraiser=world.people.appraiser2).delete()
    page = parse(world.clients["appraiser_other"].get("/", **EN).content)
    assert APPRAISAL not in menu_links(page)
