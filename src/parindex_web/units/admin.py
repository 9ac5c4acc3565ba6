from django.contrib import admin

from .models import AssessingBody, Succession, Unit


@admin.register(AssessingBody)
class AssessingBodyAdmin(admin.ModelAdmin[AssessingBody]):
    list_display = ["code", "name", "kind"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["code", "name", "unit_type", "body", "valid_from", "valid_to"]
    list_filter = ["unit_type", "body"]
    search_fields = ["code", "name", "short_name", "name_en"]


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin[Succession]):
    list_display = ["predecessor", "successor", "effective", "weight", "primary"]
    raw_id_fields = ["predecessor", "successor"]
