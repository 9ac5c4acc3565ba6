from django.contrib import admin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "body", "unit"]
    list_filter = ["role", "body"]
    search_fields = ["user__username", "unit__name"]
    raw_id_fields = ["user", "unit"]
