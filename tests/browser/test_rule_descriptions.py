"""Pages built from the rules' descriptions (issue 16.7): a level leaf's form offers the levels
with their points, a yes/no leaf offers Có/Không, and the public methodology page shows each
rule's text. Desktop and phone, in Vietnamese."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from parindex_web.cycles.models import Assessment, Publication

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo", verbosity=0)


def first_leaf(core: Any, kind: str) -> Any:
    """The first appraisal leaf whose only input is of ``kind``."""
    return next(
        leaf
        for leaf in core.leaves
        if leaf.rule is not None
        and [spec.kind for spec in leaf.rule.inputs(leaf.max_points)] == [kind]
    )


@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_leaf_forms_and_the_methodology_page_read_the_rules_descriptions(
    demo: None, live_server: Any, device: str, request: pytest.FixtureRequest
) -> None:
    view = request.getfixturevalue(device)
    a = Assessment.objects.get(unit__code="demo-x01", cycle__year=2026)
    core = a.cycle.core()
    levels, yes_no = first_leaf(core, "choice"), first_leaf(core, "yesno")
    login(view, live_server.url, "canbo1")

    view.goto(f"{live_server.url}/assessments/{a.pk}/entries/{levels.code}/")
    options = view.locator("form.leaf-form select option").all_inner_texts()
    for lv in levels.rule.levels:  # "label (points)", with the Vietnamese decimal mark
        points = f"{lv.points.normalize():f}".replace(".", ",")
        assert f"{lv.label} ({points})" in options, options
    shot(view, f"rule-descriptions-{device}-levels")

    view.goto(f"{live_server.url}/assessments/{a.pk}/entries/{yes_no.code}/")
    radios = view.locator("form.leaf-form input[type=radio]")
    assert radios.count() == 2
    assert "Có" in view.locator("form.leaf-form").inner_text()
    assert "Không" in view.locator("form.leaf-form").inner_text()
    shot(view, f"rule-descriptions-{device}-yes-no")

    published = Publication.objects.filter(cycle__methodology=a.cycle.methodology).first()
    cycle = published.cycle if published else Publication.objects.first().cycle
    view.goto(f"{live_server.url}/results/{cycle.pk}/methodology")
    text = view.locator("main").inner_text()
    assert " | " in text, text[:500]  # a levels or thresholds rule, clause by clause
    shot(view, f"rule-descriptions-{device}-methodology")
