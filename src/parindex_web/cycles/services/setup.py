"""Setting up a cycle (secretariat): its year and name, deadlines and assignments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from parindex_web.accounts.models import Role
from parindex_web.audit.models import record
from parindex_web.lib.users import User
from parindex_web.methodologies.models import Methodology
from parindex_web.units.models import AssessingBody, Unit

from .. import access
from ..models import (
    Assessment,
    Assignment,
    Cycle,
    Phase,
)
from . import busy
from .errors import CycleError

DEADLINES = ("self_assessment_due", "appraisal_due", "explanation_due")
CLOSED = (Phase.FINALISED, Phase.PUBLISHED)
FIRST_YEAR = 2000


def allowed_years() -> range:
    """The years a cycle may be for: from 2000 to two years after the current one."""
    return range(FIRST_YEAR, timezone.localdate().year + 3)


def require_secretariat(user: User, body: AssessingBody) -> None:
    """Refuse unless ``user`` is a member of ``body``'s secretariat."""
    if body.pk not in access.body_ids(user, Role.SECRETARIAT):
        raise CycleError(_("Only the secretariat of %(body)s can do this.") % {"body": body})


def deadline_order_problems(deadlines: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(name, previous)`` for each deadline not later than the deadline given before it.

    ``deadlines`` maps names of :data:`DEADLINES` to datetimes; a missing or None deadline is
    skipped (each deadline is compared with the nearest earlier one that is set).
    """
    problems: list[tuple[str, str]] = []
    previous: str | None = None
    for name in DEADLINES:
        value = deadlines.get(name)
        if value is None:
            continue
        if previous is not None and value <= deadlines[previous]:
            problems.append((name, previous))
        previous = name
    return problems


def _label(name: str) -> str:
    """A deadline's name as the form shows it."""
    field = Cycle._meta.get_field(name)
    assert isinstance(field, Field)
    return str(field.verbose_name)


def _check_deadline_order(deadlines: Mapping[str, Any]) -> None:
    found = deadline_order_problems(deadlines)
    problems = [
        _("%(deadline)s must be later than the %(previous)s.")
        % {"deadline": capfirst(_label(name)), "previous": _label(previous)}
        for name, previous in found
    ]
    if problems:
        raise CycleError(" ".join(problems), found[0][0])


@transaction.atomic
def create_cycle(
    user: User,
    *,
    body: AssessingBody,
    year: int,
    name: str,
    methodology: Methodology,
    units: Iterable[Unit],
    self_assessment_due: datetime | None = None,
    appraisal_due: datetime | None = None,
    explanation_due: datetime | None = None,
) -> Cycle:
    """Secretariat of ``body``: create a cycle in preparation with one assessment per unit.

    Refuses with :class:`CycleError` (and creates nothing) unless ``user`` is in the body's
    secretariat, ``name`` is not blank, ``year`` is in :func:`allowed_years`, every unit is
    assessed by ``body``, the deadlines given are in phase order and the body has no cycle of that
    name and year. The leaves' entries are created when the self-assessment opens
    (:func:`advance_phase`). Audited as ``cycle.create`` with the units' codes.
    """
    require_secretariat(user, body)
    name = name.strip()
    if not name:
        raise CycleError(_("Give the cycle a name."), "name")
    years = allowed_years()
    if year not in years:
        raise CycleError(
            _("Give a year from %(first)s to %(last)s.") % {"first": years[0], "last": years[-1]},
            "year",
        )
    units = list({u.pk: u for u in units}.values())
    other = [u.label for u in units if u.body_id != body.pk]
    if other:
        raise CycleError(
            _("These units are not assessed by %(body)s: %(units)s")
            % {"body": body, "units": ", ".join(other)},
            "units",
        )
    deadlines = {
        "self_assessment_due": self_assessment_due,
        "appraisal_due": appraisal_due,
        "explanation_due": explanation_due,
    }
    _check_deadline_order(deadlines)
    duplicate = CycleError(_("This body already has a cycle of that name and year."))
    if Cycle.objects.filter(body=body, year=year, name=name).exists():
        raise duplicate
    cycle = Cycle(
        body=body, year=year, name=name, methodology=methodology, created_by=user, **deadlines
    )
    try:
        with transaction.atomic():  # another secretary may have created it in the meantime
            cycle.save()
    except IntegrityError:
        raise duplicate from None
    Assessment.objects.bulk_create([Assessment(cycle=cycle, unit=u) for u in units])
    record(
        user,
        "cycle.create",
        obj=cycle,
        cycle_id=cycle.pk,
        phase=cycle.phase,
        field="units",
        new=sorted(u.code for u in units),
    )
    return cycle


@transaction.atomic
def set_deadlines(user: User, cycle: Cycle, **deadlines: datetime | None) -> Cycle:
    """Secretariat: change the cycle's deadlines, by name (:data:`DEADLINES`); None clears one.

    Deadlines not named are kept. Refuses with :class:`CycleError` (and changes nothing) unless
    ``user`` is in the body's secretariat, the cycle is not finalised or published, and the
    resulting deadlines are in phase order. Each deadline that changes is audited as
    ``cycle.deadline`` (old and new in ISO format), in phase order. Updates ``cycle`` in place and
    returns it. A name that is not a deadline is a :class:`TypeError`.
    """
    unknown = sorted(set(deadlines) - set(DEADLINES))
    if unknown:
        raise TypeError(f"not a deadline: {', '.join(unknown)}")
    require_secretariat(user, cycle.body)
    stored = Cycle.objects.select_for_update().get(pk=cycle.pk)
    busy.refuse_held(stored.busy_job)
    if stored.phase in CLOSED:
        raise CycleError(_("Deadlines cannot be changed after finalisation."))
    wanted = {name: deadlines.get(name, getattr(stored, name)) for name in DEADLINES}
    _check_deadline_order(wanted)
    changed = [name for name in DEADLINES if wanted[name] != getattr(stored, name)]
    for name in DEADLINES:
        setattr(cycle, name, wanted[name])
    if changed:
        cycle.save(update_fields=changed)
    for name in changed:
        before, after = getattr(stored, name), wanted[name]
        record(
            user,
            "cycle.deadline",
            obj=cycle,
            cycle_id=cycle.pk,
            phase=stored.phase,
            field=name,
            old=before.isoformat() if before else None,
            new=after.isoformat() if after else None,
        )
    return cycle


@transaction.atomic
def set_assignments(user: User, cycle: Cycle, pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """Secretariat: make the cycle's assignments exactly ``pairs`` of (unit id, appraiser id).

    Refuses with :class:`CycleError` (and changes nothing) unless ``user`` is in the body's
    secretariat, the cycle is not finalised or published, every unit is in the cycle's scope and
    every appraiser holds the appraiser role in the cycle's body. Each assignment added or removed
    is audited (``assignment.add`` / ``assignment.remove``, field ``appraiser``, the appraiser's
    user name). Returns (assignments added, assignments removed).
    """
    require_secretariat(user, cycle.body)
    stored = Cycle.objects.select_for_update().get(pk=cycle.pk)
    busy.refuse_held(stored.busy_job)
    if stored.phase in CLOSED:
        raise CycleError(_("Assignments cannot be changed after finalisation."))
    wanted = {(int(unit), int(person)) for unit, person in pairs}
    units = {a.unit_id: a.unit for a in cycle.assessments.select_related("unit")}
    people = {
        p.pk: p
        for p in get_user_model().objects.filter(
            memberships__role=Role.APPRAISER, memberships__body=cycle.body_id
        )
    }
    if any(unit not in units for unit, _person in wanted):
        raise CycleError(_("Only the units in the cycle's scope can be assigned."))
    if any(person not in people for _unit, person in wanted):
        raise CycleError(_("Only appraisers of %(body)s can be assigned.") % {"body": cycle.body})
    current = {
        (a.unit_id, a.appraiser_id): a
        for a in cycle.assignments.select_related("unit", "appraiser")
    }
    added, removed = sorted(wanted - current.keys()), sorted(current.keys() - wanted)
    for unit_id, person_id in added:
        assignment = Assignment.objects.create(
            cycle=cycle, unit=units[unit_id], appraiser=people[person_id]
        )
        _assignment_audit(
            user, stored, "assignment.add", assignment, new=assignment.appraiser.get_username()
        )
    for key in removed:
        assignment = current[key]
        _assignment_audit(
            user, stored, "assignment.remove", assignment, old=assignment.appraiser.get_username()
        )
        assignment.delete()
    return len(added), len(removed)


def _assignment_audit(
    user: User, cycle: Cycle, action: str, assignment: Assignment, **change: Any
) -> None:
    record(
        user,
        action,
        obj=assignment,
        cycle_id=cycle.pk,
        unit_code=assignment.unit.code,
        phase=cycle.phase,
        field="appraiser",
        **change,
    )
