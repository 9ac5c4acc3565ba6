"""Shared helpers for the web tests: a small HTML parser so that tests check parsed pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text content, with runs of whitespace collapsed."""
        return " ".join("".join(self.parts).split())


class Page(HTMLParser):
    """Every element of a page in document order, each with its attributes and text content."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.parts.append(data)

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: cached pages are keyed by user id, and ids come
    round again after each test's rollback, so a page cached for one test's user would be
    served to the next test's user with that id."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _second_factor_passed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signed-in test clients (``force_login``) count as having passed the second factor, so
    that tests of other pages need no device; ask for ``real_second_factor`` to test the real
    check (tests/web/accounts/)."""
    if "real_second_factor" not in request.fixturenames:
        monkeypatch.setattr("django_otp.middleware.is_verified", lambda user: True)


@pytest.fixture
def real_second_factor() -> None:
    """The real second-factor check (see ``_second_factor_passed``)."""


@pytest.fixture
def parse() -> Callable[[bytes | str], Page]:
    def _parse(content: bytes | str) -> Page:
        return Page(content.decode() if isinstance(content, bytes) else content)

    return _parse


def errors_described(page: Page) -> list[Element]:
    """Checks that each field error of ``page`` is announced with its field, and returns the
    fields marked invalid. Every id named by an ``aria-describedby`` exists in the page; every
    field with ``aria-invalid="true"`` (radio buttons: their fieldset) names an error that has
    text; every error with an id is named by some field."""
    ids = {e.attrs["id"]: e for e in page.elements if "id" in e.attrs}
    described = [e for e in page.elements if "aria-describedby" in e.attrs]
    named = {i for e in described for i in e.attrs["aria-describedby"].split()}
    missing = sorted(named - set(ids))
    assert not missing, f"aria-describedby names ids no element has: {missing}"
    invalid = [e for e in page.elements if e.attrs.get("aria-invalid") == "true"]
    for control in invalid:
        if control.attrs.get("type") in {"radio", "checkbox"}:
            holders = [e for e in described if e.tag == "fieldset"]
        else:
            holders = [control]
        texts = [
            ids[i].text
            for holder in holders
            for i in holder.attrs.get("aria-describedby", "").split()
            if i.endswith("_error")
        ]
        name = control.attrs.get("name")
        assert any(texts), f"{control.tag} {name} is invalid but names no error"
    errors = [e for e in ids.values() if e.attrs["id"].endswith("_error")]
    unnamed = [e.attrs["id"] for e in errors if e.attrs["id"] not in named]
    assert not unnamed, f"errors no field names: {unnamed}"
    return invalid


@pytest.fixture
def described() -> Callable[[Page], list[Element]]:
    """``errors_described`` as a fixture, for the tests of each app's forms."""
    return errors_described
