"""The job of a large file of responses (``Job.Kind.RESPONSES``): read, checked and stored by
the worker, as :func:`services.import_field_data` does within the request for a small one.

The file's bytes are staged in the job's ``args`` (base64) when it is queued and removed from
them once the job has ended, whatever its outcome.
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parindex_web.cycles.services import CycleError

from . import services
from .models import Questionnaire


def stage(
    questionnaire: Questionnaire, file: services.FieldFile, columns: services.Columns, source: str
) -> dict[str, Any]:
    """The job's ``args`` for importing ``file`` into ``questionnaire``."""
    return {
        "questionnaire": questionnaire.pk,
        "name": file.name,
        "read_as": file.read_as,
        "sha256": file.sha256,
        "data": base64.b64encode(file.data).decode("ascii"),
        "columns": {"unit": columns.unit, "weight": columns.weight, "stratum": columns.stratum},
        "source": source,
    }


def import_responses(job: Any, progress: Any) -> dict[str, Any]:
    """The worker's part: ``args`` as :func:`stage` wrote them; the result is the batch's counts.
    The file's bytes leave the job's ``args`` once it has ended, whatever its outcome (a worker
    that dies before keeps them, so that the job can be run again: it is one transaction, and a
    second run skips what a first stored as exact duplicates)."""
    args = job.args
    questionnaire = (
        Questionnaire.objects.select_related("cycle")
        .filter(pk=args.get("questionnaire"), cycle_id=job.cycle_id)
        .first()
    )
    if "data" not in args:
        raise CycleError(_("The file of this job is no longer kept: import it again."))
    if questionnaire is None:
        raise CycleError(_("This questionnaire no longer exists."))
    file = services.FieldFile(
        base64.b64decode(args["data"]), args["name"], args["read_as"], args["sha256"]
    )
    columns = services.Columns(**args["columns"])
    try:
        batch = services.import_field_data(
            questionnaire, job.created_by, file, columns, args["source"], progress
        )
    except ValidationError as exc:
        error = CycleError(exc.messages[0])
        error.problems = [(None, message) for message in exc.messages]
        raise error from None
    finally:
        job.args = {key: value for key, value in args.items() if key != "data"}
        job.save(update_fields=["args"])
    return {
        "questionnaire": questionnaire.pk,
        "batch": batch.pk,
        "rows": batch.rows,
        "stored": batch.stored,
        "duplicates": batch.duplicates,
    }
