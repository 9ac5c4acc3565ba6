"""The site-wide navigation links a signed-in user to their API tokens (and nobody else)."""

from __future__ import annotations

import pytest

URL = "/api/tokens/"


def main_nav(html: bytes) -> str:
    """The markup of the site's main navigation."""
    return html.decode().split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def token_links(page):
    return [a for a in page.find_all("a") if a.attrs.get("href") == URL]


@pytest.mark.django_db
def test_a_signed_in_user_sees_the_link_on_every_page(client, people, parse):
    client.force_login(people.officer)
    for path in ("/", "/results/"):
        links = token_links(parse(client.get(path).content))
        assert [a.text for a in links] == ["Khóa API"], path
        assert "aria-current" not in links[0].attrs


@pytest.mark.django_db
def test_an_anonymous_visitor_does_not(client, db, parse):
    assert token_links(parse(client.get("/").content)) == []


@pytest.mark.django_db
def test_the_link_is_in_the_main_navigation_and_marks_the_token_page(client, people, parse):
    client.force_login(people.officer)
    html = client.get(URL).content
    links = token_links(parse(html))
    assert len(links) == 1
    assert links[0].attrs.get("aria-current") == "page"
    assert token_links(parse(main_nav(html))) == links


@pytest.mark.django_db
def test_the_label_is_translated(client, people, parse):
    client.force_login(people.officer)
    page = parse(client.get("/", headers={"accept-language": "en"}).content)
    assert [a.text for a in token_links(page)] == ["API tokens"]
