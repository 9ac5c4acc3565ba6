"""Example data is a flag on the cycle (or its methodology), never guessed from a name."""

from __future__ import annotations

import importlib

from django.apps import apps

from parindex_web.cycles.models import Cycle
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody

flag_migration = importlib.import_module("parindex_web.cycles.migrations.0002_cycle_example")


def _cycle(body: AssessingBody, methodology: Methodology, name: str, **kw: object) -> Cycle:
    return Cycle.objects.create(body=body, year=2025, name=name, methodology=methodology, **kw)


def official(methodology: Methodology) -> Methodology:
    Methodology.objects.filter(pk=methodology.pk).update(example=False)
    methodology.refresh_from_db()
    return methodology


def test_a_cycle_is_example_when_flagged_or_on_an_example_methodology(
    body: AssessingBody, methodology: Methodology
) -> None:
    assert methodology.example  # the shipped example-commune methodology
    assert _cycle(body, methodology, "On the example methodology").is_example
    plain = official(methodology)
    assert not _cycle(body, plain, "Chỉ số năm 2025 (ví dụ)").is_example  # a name is no flag
    assert _cycle(body, plain, "Flagged", example=True).is_example


def test_the_migration_flags_cycles_that_showed_the_warning_before(
    body: AssessingBody, methodology: Methodology
) -> None:
    on_example = _cycle(body, methodology, "Chỉ số 2024")
    flag_migration.flag_existing(apps, None)
    plain = official(methodology)
    named = _cycle(body, plain, "Chỉ số CCHC năm 2025 (dữ liệu VÍ DỤ)")
    official_cycle = _cycle(body, plain, "Chỉ số CCHC năm 2025")
    flag_migration.flag_existing(apps, None)
    flags = dict(Cycle.objects.values_list("pk", "example"))
    assert flags == {on_example.pk: True, named.pk: True, official_cycle.pk: False}
