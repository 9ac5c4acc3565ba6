"""Notices and the reminder log are written by the application; the admin only reads them."""

from typing import TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Notice, Preference, ReminderSent

_M = TypeVar("_M", bound=Model)


class ReadOnly(admin.ModelAdmin[_M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnly[Notice]):
    list_display = ["created_at", "recipient", "event", "text", "read_at"]
    list_filter = ["event"]
    search_fields = ["recipient__username", "text"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnly[ReminderSent]):
    list_display = ["sent_at", "cycle", "phase", "step", "assessment", "user"]
    list_filter = ["phase", "step"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin[Preference]):
    list_display = ["user", "email_handovers", "email_reminders"]
    raw_id_fields = ["user"]
