"""The permission matrix: every URL of the site and every API operation, sent by every role in
every phase, answers what :mod:`.matrix` declares, and a refused POST writes nothing.

Quick by default: a row declared the same for every phase runs in two phases (self-assessment
and published); ``PARINDEX_PERMISSION_MATRIX=whole`` runs every row in all six phases.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from api.conftest import LEVEL_LEAF
from django.urls import reverse

from .conftest import PHASES, ROLES
from .harness import OUTCOMES, api_operations, api_send, send, web_routes, web_url
from .matrix import ANNOUNCED, API, WEB

WHOLE = os.environ.get("PARINDEX_PERMISSION_MATRIX", "") == "whole"
QUICK_PHASES = ("self_assessment", "published")
# A refusal writes nothing; these are the outcomes of a refusal (or of a body refused).
REFUSALS = frozenset({"login", "forbidden", "not_found", "method", "closed", "invalid"})
# 22 digits, and the first number past the 64-bit keys: neither names a row.
HUGE_IDS = ("1" + "0" * 21, str(2**63))


def parse(spec: str) -> dict[str, str]:
    """``"a,b:ok *:not_found"`` → the outcome of every role."""
    given: dict[str, str] = {}
    for part in spec.split():
        roles, _, result = part.partition(":")
        assert result in OUTCOMES, f"unknown outcome {result!r} in {spec!r}"
        for role in roles.split(","):
            assert role == "*" or role in ROLES, f"unknown role {role!r} in {spec!r}"
            given[role] = result
    return {role: given.get(role, given.get("*", "")) for role in ROLES}


def expected(rule: str | dict[str, str], phase: str) -> dict[str, str]:
    if isinstance(rule, str):
        return parse(rule)
    for phases, spec in rule.items():
        if phase in phases.split(","):
            return parse(spec)
    return parse(rule["*"])


def phases_of(rule: str | dict[str, str], bound: bool) -> tuple[str, ...]:
    """The phases a rule is checked in: one when its path names no cycle; all six when the
    outcome depends on the phase or in the whole mode; else two."""
    if not bound:
        return ("self_assessment",)
    if WHOLE or isinstance(rule, dict):
        return tuple(PHASES)
    return QUICK_PHASES


# Who POSTs to a view that declares no POST: each kind of person who may write somewhere.
WRITERS = ("secretariat", "appraiser", "officer", "leader", "admin")
CYCLE_BOUND = {"cycle_id", "assessment_id", "entry_id", "evidence_id", "explanation_id"}


# --- every URL and operation is declared ----------------------------------------------------


def test_every_named_url_is_declared_in_the_matrix():
    missing = sorted(set(web_routes()) - set(WEB))
    assert not missing, f"URLs missing from tests/web/permissions/matrix.py (WEB): {missing}"


def test_the_matrix_names_only_urls_that_exist():
    stale = sorted(set(WEB) - set(web_routes()) - ANNOUNCED)
    assert not stale, f"matrix.py declares URLs that do not exist: {stale}"


def test_every_api_operation_is_declared_in_the_matrix(client):
    missing = sorted(set(api_operations(client)) - set(API))
    assert not missing, f"API operations missing from tests/web/permissions/matrix.py: {missing}"
    stale = sorted(set(API) - set(api_operations(client)))
    assert not stale, f"matrix.py declares API operations that do not exist: {stale}"


def test_every_spec_of_the_matrix_reads():
    for row in [*WEB.values(), *API.values()]:
        for rule in row.values():
            for phase in PHASES:
                assert all(expected(rule, phase).values())


# --- each role gets what the table says -----------------------------------------------------


def _compare(key: str, method: str, phase: str, role: str, want: str, got: Any) -> list[str]:
    problems = []
    if got.outcome != want:
        problems.append(f"{key} {method} [{phase}] as {role}: want {want}, got {got.outcome}")
    if got.outcome in REFUSALS and got.wrote:
        problems.append(f"{key} {method} [{phase}] as {role}: refused ({got.outcome}) but wrote")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(WEB))
def test_each_role_gets_what_the_matrix_declares_for_the_url(world, name):
    routes = web_routes()
    if name not in routes:
        pytest.skip(f"{name} is announced, not written yet")
    route, row = routes[name], WEB[name]
    bound = bool(CYCLE_BOUND & set(route.params))
    problems: list[str] = []
    for method, rule in row.items():
        for phase in phases_of(rule, bound):
            url = web_url(world, route, phase)
            for role in ROLES:
                got = send(world.clients[role], method.lower(), url)
                want = expected(rule, phase)[role]
                problems += _compare(name, method, phase, role, want, got)
    if "POST" not in row:  # not a write view: a POST writes nothing, whoever sends it
        for phase in phases_of("", bound):
            url = web_url(world, route, phase)
            for role in WRITERS:
                got = send(world.clients[role], "post", url)
                if got.wrote or got.outcome.startswith("server"):
                    problems.append(f"{name} POST [{phase}] as {role}: {got.outcome}, wrote")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(API))
def test_each_role_gets_what_the_matrix_declares_for_the_operation(world, key):
    method, path = key.split(" ", 1)
    row = API[key]
    bound = "{assessment_id}" in path or "{cycle_id}" in path
    problems: list[str] = []
    for phase in phases_of(row[method], bound):
        for role in ROLES:
            got = api_send(world, role, method.lower(), path, phase)
            want = expected(row[method], phase)[role]
            problems += _compare(key, method, phase, role, want, got)
    assert not problems, "\n".join(problems)


# --- ids beyond the database's keys ---------------------------------------------------------


@pytest.mark.django_db
def test_an_id_beyond_the_keys_is_not_found_on_every_url(world):
    problems = []
    for name, route in sorted(web_routes().items()):
        if not any(p.endswith("_id") or p == "version" for p in route.params):
            continue
        for big in HUGE_IDS:
            url = web_url(world, route, "published", big)
            for role in ("secretariat", "officer", "admin"):
                for method in ("get", "post"):
                    got = send(world.clients[role], method, url)
                    if got.outcome not in ("not_found", "method", "forbidden"):
                        problems.append(f"{name} {method} {url} as {role}: {got.outcome}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("big", HUGE_IDS)
def test_a_document_id_beyond_the_keys_is_refused_like_another_units(world, big):
    a = world.assessments["self_assessment"]
    url = reverse("assessments:link_evidence", args=[a.pk, LEVEL_LEAF])
    got = send(world.clients["officer"], "post", url, data={"documents": [big]})
    assert (got.outcome, got.wrote) == ("not_found", False)


@pytest.mark.django_db
@pytest.mark.parametrize("big", HUGE_IDS)
def test_a_unit_id_beyond_the_keys_is_not_a_choice_of_a_new_cycle(world, big):
    data = {"year": "2026", "name": "x", "units": [big]}
    got = send(world.clients["secretariat"], "post", reverse("secretariat:new"), data=data)
    assert (got.outcome, got.wrote) == ("invalid", False)
