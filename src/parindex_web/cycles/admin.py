"""Reference data only: cycles are run through the secretariat's pages, not edited here."""

from django.contrib import admin

from .models import Assignment, Cycle, Publication


class AssignmentInline(admin.TabularInline):
    model = Assignment
    raw_id_fields = ["appraiser", "unit"]
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "body", "methodology", "phase", "example"]
    list_filter = ["phase", "body", "year", "example"]
    readonly_fields = ["phase"]
    inlines = [AssignmentInline]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["cycle", "version", "published_at", "content_hash"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # a publication is frozen; a correction is a new version

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
