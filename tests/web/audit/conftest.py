"""The audit tests use the cycle tests' small world (body, units, people, cycle, flow)."""

from cycles.conftest import (  # noqa: F401  (fixtures)
    _media,
    assessment,
    assessment2,
    body,
    cycle,
    flow,
    methodology,
    other_body,
    people,
    units,
    upload,
)
