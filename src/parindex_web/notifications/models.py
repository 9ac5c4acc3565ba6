"""Notices: what each person is told (in the page, and by e-mail unless they opted out).

Every hand-over of a cycle's work and every deadline reminder is one :class:`Notice` per
recipient, kept whatever their e-mail preference (:class:`Preference`). Reminders sent by
``manage.py send_reminders`` are logged in :class:`ReminderSent`, so none is sent twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The kinds of e-mail a person can turn off (notices in the page are always kept)."""

    HANDOVER = "handover", _("Hand-overs (work passed to me)")
    REMINDER = "reminder", _("Deadline reminders")


class Event(models.TextChoices):
    SIGNED_OFF = "signed_off", _("Self-assessment signed off")
    SENT_BACK = "sent_back", _("Self-assessment sent back")
    APPRAISED = "appraised", _("Appraisal completed")
    EXPLANATION_FILED = "explanation_filed", _("Explanation filed")
    EXPLANATION_DECIDED = "explanation_decided", _("Explanation decided")
    REOPENED = "reopened", _("Self-assessment reopened")
    PUBLISHED = "published", _("Results published")
    REMINDER = "reminder", _("Deadline reminder")

    @property
    def kind(self) -> Kind:
        return Kind.REMINDER if self is Event.REMINDER else Kind.HANDOVER


class Notice(models.Model):
    """One thing one person is told, with the page where the work is."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    assessment = models.ForeignKey(
        "cycles.Assessment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]

    def __str__(self) -> str:
        return self.text


class Preference(models.Model):
    """A person's e-mail choices; without a row, every kind of e-mail is sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    email_handovers = models.BooleanField(_("e-mail me when work is passed to me"), default=True)
    email_reminders = models.BooleanField(_("e-mail me deadline reminders"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def wants_email(self, kind: Kind) -> bool:
        return self.email_reminders if kind is Kind.REMINDER else self.email_handovers


class ReminderSent(models.Model):
    """A deadline reminder step sent to one person about one unit: never sent again.

    ``due`` is the deadline the step was counted from, so a deadline moved later starts its
    schedule afresh. ``step`` is days before the deadline (negative: after it).
    """

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=20)
    due = models.DateTimeField()
    step = models.SmallIntegerField()
    assessment = models.ForeignKey("cycles.Assessment", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "phase", "due", "step", "assessment", "user"],
                name="unique_reminder_sent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.phase} {self.step} → {self.user_id}"
