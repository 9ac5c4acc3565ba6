"""Survey and service-data points, entered by the secretariat."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

import parindex
from parindex_web.audit.models import AuditRecord, append
from parindex_web.lib.users import User

from ..models import (
    Cycle,
    Entry,
    Phase,
)
from .bulk import Progress, Staged, chunks
from .entries import checked_points, entry_row_change
from .errors import CycleError, InputRefused
from .phases import require_phase

#: Up to this many units named, the entries are read for those units only; more, for the cycle.
FEW_UNITS = 200


Rows = Mapping[tuple[str, str], Decimal]
#: (unit code, leaf code) → (entry id, points stored).
Found = dict[tuple[str, str], tuple[int, Decimal | None]]


@transaction.atomic
def set_external_points(
    user: User,
    cycle: Cycle,
    rows: Rows,
    progress: Progress | None = None,
) -> int:
    """Secretariat: points of survey/SIPAS/data leaves, by (unit code, leaf code). All or nothing.

    Stage, validate, apply: the entries asked for are read (and locked) in one query, every row
    is checked and every problem listed before anything is written (:func:`check_external`);
    then :func:`apply_external` writes them in batches of :data:`.bulk.ROWS_PER_BATCH` rows,
    ``progress(rows done, rows)`` after each, all in this one transaction (a job applies a
    large import's batches each in its own: :mod:`parindex_web.jobs.batches`). Returns the
    number of rows.
    """
    entries = check_external(cycle, rows, lock=True)
    total, done = len(rows), 0
    for batch in chunks(rows.items()):
        done += apply_external(user, cycle, dict(batch), entries)
        if progress is not None:
            progress(done, total)
    return total


def check_external(cycle: Cycle, rows: Rows, *, lock: bool = False) -> Found:
    """Every row checked against the cycle as it is, nothing written: the entries asked for
    (locked until the transaction ends if ``lock``), or :class:`CycleError` listing every
    refused row (one message, the rows joined by "; ")."""
    require_phase(cycle, Phase.SELF_ASSESSMENT, Phase.APPRAISAL, Phase.EXPLANATION, deadline=False)
    core = cycle.core()
    entries = _entries(cycle, core, rows, lock)
    problems = []
    for (unit, code), points in rows.items():
        if (unit, code) not in entries:
            problems.append(
                _("%(unit)s / %(code)s: no such unit or criterion in this cycle")
                % {"unit": unit, "code": code}
            )
        elif core.source_of(code) is parindex.Source.APPRAISAL:
            problems.append(
                _("%(code)s is scored by appraisal, not from surveys or data") % {"code": code}
            )
        elif not _in_range(core, code, points):
            problems.append(
                _("%(unit)s / %(code)s: points outside the maximum") % {"unit": unit, "code": code}
            )
    if problems:
        raise CycleError("; ".join(problems))
    return entries


def apply_external(user: User, cycle: Cycle, batch: Rows, entries: Found) -> int:
    """Write one batch of checked rows (``entries``: :func:`check_external`'s): staged in a
    temporary table, one ``UPDATE`` (each entry's version moves on), each change audited
    (an unchanged point: no record), inside the caller's transaction. Returns the rows."""
    with Staged("external_points") as staged:
        staged.add((entries[key][0], points) for key, points in batch.items())
        staged.apply()
    _audit(
        [
            entry_row_change(
                user,
                cycle,
                entries[(unit, code)][0],
                unit,
                code,
                "external_points",
                entries[(unit, code)][1],
                points,
            )
            for (unit, code), points in batch.items()
        ]
    )
    return len(batch)


def _entries(cycle: Cycle, core: parindex.Methodology, rows: Rows, lock: bool) -> Found:
    """(unit code, leaf code) → (entry id, points stored) of the leaves asked for, locked until
    the import ends if ``lock``: a join on the cycle and the leaves' codes (a list as long as
    the methodology at most), and the units' codes when they are few."""
    wanted = {code for _unit, code in rows}
    codes = [leaf.code for leaf in core.leaves if leaf.code in wanted]
    if not codes:
        return {}
    found = Entry.objects.filter(assessment__cycle=cycle, code__in=codes)
    units = {unit for unit, _code in rows}
    if len(units) <= FEW_UNITS:
        found = found.filter(assessment__unit__code__in=units)
    if lock:
        found = found.select_for_update(of=("self",))
    return {
        (unit, code): (pk, old)
        for pk, unit, code, old in found.values_list(
            "pk", "assessment__unit__code", "code", "external_points"
        )
    }


def _audit(records: list[list[AuditRecord]]) -> None:
    """Append one batch of the import's audit records to the chain (unchanged points: none)."""
    append([record for change in records for record in change])


def _in_range(core: parindex.Methodology, code: str, points: Decimal) -> bool:
    try:
        checked_points(core, code, points)
    except InputRefused:
        return False
    return True
