"""Settings for every test run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test.utils import override_settings
from hypothesis import settings

# No per-example deadline: on CI's 2 shared cores an example's first run (imports, caches) can
# take 0.5 s and Hypothesis then reports the test as flaky although every example holds. What
# the properties check is the results; speed is measured in `make bench`.
settings.register_profile("parindex", deadline=None)
settings.load_profile("parindex")


@pytest.fixture(autouse=True, scope="session")
def _cache_in_memory() -> Iterator[None]:
    """The run keeps its cache in its own memory, not in the default files under var/cache:
    runs (and the developer's server) would otherwise share it, and database ids, which are
    part of the keys, come round again in each run's fresh database."""
    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    with override_settings(CACHES={"default": memory}):
        yield


@pytest.fixture(autouse=True)
def _process_pages_forgotten() -> Iterator[None]:
    """Each test starts with an empty in-process tier of the public pages: a test's database,
    rolled back, gives the next test's publications the same ids, so the same keys."""
    from parindex_web.results.caching import PROCESS

    PROCESS.clear()
    yield
