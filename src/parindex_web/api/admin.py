from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are listed and may be revoked (or their expiry changed) here; the secret itself is
    never stored."""

    list_display = ["name", "user", "prefix", "created", "expires", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created", "last_used"]
    fields = ["user", "name", "prefix", "created", "expires", "last_used", "revoked"]

    def has_add_permission(self, request: object) -> bool:
        return False
