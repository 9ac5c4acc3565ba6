from django.contrib import admin

from .models import Methodology


@admin.register(Methodology)
class MethodologyAdmin(admin.ModelAdmin[Methodology]):
    list_display = ["slug", "name", "unit_type", "decision_number", "example"]
    list_filter = ["unit_type", "example"]
    search_fields = ["slug", "name", "decision_number"]
    readonly_fields = ["sha256", "created_at"]
