"""The audit tests use the web tests' shared world (tests/web/world.py) and the cycle tests'
``flow`` and ``upload``."""

from cycles.conftest import flow, upload  # noqa: F401  (fixtures)
