"""Who may see and do what. Every view calls one of these loaders first.

Refusals: an object outside the user's scope is a 404 (its existence is not revealed); an object
in scope but an action the user's role does not allow is a 403; an action outside its phase or
after its deadline is a :class:`~parindex_web.cycles.services.CycleError` shown as a message.
"""

from __future__ import annotations

from typing import Protocol, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from parindex_web.accounts.models import Membership, Role
from parindex_web.lib.users import User

from .models import Assessment, Assignment, Cycle

#: Whoever asks: wide on purpose (any user object, signed in or not); only a ``User`` has roles.
Asker = AbstractBaseUser | AnonymousUser

_RoleRows = list[tuple[str, int | None, int | None]]


class _WithRoles(Protocol):
    """A user object that holds its memberships, read once (the request's own cache)."""

    _parindex_roles: _RoleRows


def _roles(user: Asker) -> _RoleRows:
    """The user's memberships as (role, body id, unit id), read once per user object.

    Every page asks several of the questions below; one query answers them all. The list is
    kept on the user object, which Django builds afresh for each request, so a membership
    granted or withdrawn counts from the user's next request.
    """
    if not isinstance(user, User):  # anonymous, or no user at all (None)
        return []
    cached: _RoleRows | None = getattr(user, "_parindex_roles", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).values_list("role", "body_id", "unit_id")
        )
        # Django's User declares no such attribute: the cache is added to this one object.
        cast(_WithRoles, user)._parindex_roles = cached
    return cached


def body_ids(user: Asker, role: Role) -> set[int]:
    return {body for r, body, _ in _roles(user) if r == role and body is not None}


def unit_ids(user: Asker, role: Role) -> set[int]:
    return {unit for r, _, unit in _roles(user) if r == role and unit is not None}


def has_assignments(user: Asker) -> bool:
    """Whether the user is assigned to appraise some unit in a cycle of a body they appraise for
    (the appraisal pages are theirs)."""
    bodies = body_ids(user, Role.APPRAISER)
    return (
        isinstance(user, User)
        and bool(bodies)
        and Assignment.objects.filter(appraiser=user, cycle__body__in=bodies).exists()
    )


def is_secretariat(user: Asker, cycle: Cycle) -> bool:
    return cycle.body_id in body_ids(user, Role.SECRETARIAT)


def is_appraiser(user: Asker, assessment: Assessment) -> bool:
    return (
        isinstance(user, User)
        and assessment.cycle.body_id in body_ids(user, Role.APPRAISER)
        and assessment.cycle.assignments.filter(appraiser=user, unit=assessment.unit_id).exists()
    )


def is_officer(user: Asker, assessment: Assessment) -> bool:
    return assessment.unit_id in unit_ids(user, Role.OFFICER)


def is_leader(user: Asker, assessment: Assessment) -> bool:
    return assessment.unit_id in unit_ids(user, Role.LEADER)


def is_unit_member(user: Asker, assessment: Assessment) -> bool:
    return assessment.unit_id in unit_ids(user, Role.OFFICER) | unit_ids(user, Role.LEADER)


def visible_cycles(user: Asker) -> QuerySet[Cycle]:
    """Cycles a user takes part in: their body's (secretariat, appraiser) or their unit's."""
    if not user.is_authenticated:
        return Cycle.objects.none()
    bodies = body_ids(user, Role.SECRETARIAT) | body_ids(user, Role.APPRAISER)
    units = unit_ids(user, Role.OFFICER) | unit_ids(user, Role.LEADER)
    return Cycle.objects.filter(Q(body__in=bodies) | Q(assessments__unit__in=units)).distinct()


def can_see_assessment(user: Asker, assessment: Assessment) -> bool:
    return (
        is_secretariat(user, assessment.cycle)
        or is_appraiser(user, assessment)
        or is_unit_member(user, assessment)
    )


def cycle_for_secretariat(user: Asker, cycle_id: int) -> Cycle:
    """The cycle, if the user is in its body's secretariat; 404 if they cannot see it, else 403."""
    cycle = Cycle.objects.select_related("body", "methodology").filter(pk=cycle_id).first()
    if cycle is None or not visible_cycles(user).filter(pk=cycle.pk).exists():
        raise Http404
    if not is_secretariat(user, cycle):
        raise PermissionDenied
    return cycle


def assessment_for(user: Asker, assessment_id: int, *, allow: tuple[str, ...]) -> Assessment:
    """The assessment, if the user holds one of the ``allow`` roles over it.

    ``allow`` names roles: "secretariat", "appraiser", "officer", "leader". 404 when the user
    has no role at all over the assessment, 403 when they have another role.
    """
    assessment = (
        Assessment.objects.select_related("cycle", "cycle__body", "cycle__methodology", "unit")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None or not can_see_assessment(user, assessment):
        raise Http404
    checks = {
        "secretariat": lambda: is_secretariat(user, assessment.cycle),
        "appraiser": lambda: is_appraiser(user, assessment),
        "officer": lambda: is_officer(user, assessment),
        "leader": lambda: is_leader(user, assessment),
    }
    if not any(checks[role]() for role in allow):
        raise PermissionDenied
    return assessment
