"""Notices and the reminder log are written by the application; the admin only reads them."""

from typing import Any

from django.contrib import admin

from .models import Notice, Preference, ReminderSent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ["created_at", "recipient", "event", "text", "read_at"]
    list_filter = ["event"]
    search_fields = ["recipient__username", "text"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnly):
    list_display = ["sent_at", "cycle", "phase", "step", "assessment", "user"]
    list_filter = ["phase", "step"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_handovers", "email_reminders"]
    raw_id_fields = ["user"]
