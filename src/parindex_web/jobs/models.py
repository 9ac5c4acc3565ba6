"""A job: long work of the secretariat run off the request, with its progress and outcome.

The queue itself is django-tasks' database backend (:mod:`django_tasks_db`): a well-kept
backport of Django 6's tasks framework (DEP 14) with a ``db_worker`` command, so that no queue
server is needed and a job survives a restart of the web server. Its task result knows whether
the task ran; what the secretariat reads (what the job does, for which cycle, who started it, how
far it is, its result or every error, where to go back to) is this model, keyed by the task's id.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex_web.cycles.models import Cycle


class Job(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", _("Import of survey and data points")
        ADVANCE = "advance", _("Opening the next phase")
        PUBLISH = "publish", _("Publication")
        FILES = "files", _("Building a publication's files")
        RESPONSES = "responses", _("Import of survey responses")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the job works on, staged when it is queued (the import's checked points, the
    # confirmation of a phase change); read by the job only.
    args = models.JSONField(default=dict)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    # A batched job (parindex_web.jobs.batches): where it is, saved in the same transaction as
    # each batch it applies, so that a job stopped between batches goes on from there.
    checkpoint = models.JSONField(default=dict)
    # Which run of the job may write (each resumption counts one more): a worker that was
    # taken for dead and comes back finds its batch refused.
    attempt = models.PositiveIntegerField(default=0)
    # The last sign of life of the worker running it (host:pid, and when): recovery
    # (parindex_web.jobs.recovery) resumes or fails a running job whose worker is gone.
    worker = models.CharField(max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def public(self) -> dict[str, Any]:
        """The job as its JSON twin shows it (docs/deployment.md, "Jobs")."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "cycle": self.cycle_id,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "result": self.result,
            "errors": self.errors,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }
