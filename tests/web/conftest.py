"""Shared helpers for the web tests: pages parsed with BeautifulSoup, so that tests check
parsed pages, and the fixtures the apps' tests share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, Script, Stylesheet, TemplateString
from world import (
    BODY,
    OTHER_BODY,
    People,
    assessment_of,
    example_methodology,
    make_body,
    make_cycle,
    make_people,
    make_units,
)

from parindex_web.cycles.models import Assessment, Cycle
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

# Text content as the browser's ``textContent``: scripts' and styles' text too, no comments.
TEXT = (NavigableString, Script, Stylesheet, TemplateString)


def soup(html: str) -> BeautifulSoup:
    """``html`` parsed by Python's own parser (as lenient as the tests' fragments need), every
    attribute a string (``class`` too, as written)."""
    return BeautifulSoup(html, "html.parser", multi_valued_attributes=None)


@dataclass(eq=False)
class Element:
    """One element of a page: its tag name, its attributes and its text content; two elements
    are equal when these are, to the whitespace (wherever they stand, in whichever page)."""

    node: Tag

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Element):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key()[::2])

    def _key(self) -> tuple[str, dict[str, str], str]:
        return self.tag, self.attrs, self.node.get_text(types=TEXT)

    @property
    def tag(self) -> str:
        return self.node.name

    @property
    def attrs(self) -> dict[str, str]:
        return self.node.attrs  # type: ignore[return-value]  # strings: see ``soup``

    @property
    def text(self) -> str:
        """The element's text content, with runs of whitespace collapsed."""
        return " ".join(self.node.get_text(types=TEXT).split())


class Page:
    """Every element of a page in document order, each with its attributes and text content."""

    def __init__(self, html: str) -> None:
        self.elements = [Element(tag) for tag in soup(html).find_all(True)]

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        """The ``tag`` elements whose attributes have these values (``class_`` for ``class``)."""
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
def _media(settings: Any, tmp_path: Path) -> None:
    """Each test's uploaded and generated files go to its own temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


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


# The shared world (tests/web/world.py); an app's conftest may override any of these.


@pytest.fixture
def methodology(db: None) -> Methodology:
    return example_methodology()


@pytest.fixture
def body(db: None) -> AssessingBody:
    return make_body(*BODY)


@pytest.fixture
def other_body(db: None) -> AssessingBody:
    return make_body(*OTHER_BODY)


@pytest.fixture
def units(body: AssessingBody) -> list[Unit]:
    return make_units(body)


@pytest.fixture
def people(body: AssessingBody, other_body: AssessingBody, units: list[Unit]) -> People:
    return make_people(body, other_body, units)


@pytest.fixture
def cycle(
    body: AssessingBody, units: list[Unit], methodology: Methodology, people: People
) -> Cycle:
    """A cycle in preparation over the first two communes, one appraiser for each."""
    return make_cycle(body, units, methodology, people)


@pytest.fixture
def assessment(cycle: Cycle, units: list[Unit]) -> Assessment:
    """The first commune's assessment (officer, leader, appraiser), sharing ``cycle``."""
    return assessment_of(cycle, units[0])


@pytest.fixture
def assessment2(cycle: Cycle, units: list[Unit]) -> Assessment:
    """The second commune's assessment (officer2, leader2, appraiser2), sharing ``cycle``."""
    return assessment_of(cycle, units[1])
