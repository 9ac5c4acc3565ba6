"""Reference data only: cycles are run through the secretariat's pages, not edited here."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Assignment, Cycle, Publication


class AssignmentInline(admin.TabularInline[Assignment, Cycle]):
    model = Assignment
    raw_id_fields = ["appraiser", "unit"]
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin[Cycle]):
    list_display = ["name", "year", "body", "methodology", "phase", "example"]
    list_filter = ["phase", "body", "year", "example"]
    readonly_fields = ["phase"]
    inlines = [AssignmentInline]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin[Publication]):
    list_display = ["cycle", "version", "published_at", "content_hash"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # a publication is frozen; a correction is a new version

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
