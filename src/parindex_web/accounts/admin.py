from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.admin import OTPAdminSite

from .lockout import lift
from .models import Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "body", "unit"]
    list_filter = ["role", "body"]
    search_fields = ["user__username", "unit__name"]
    raw_id_fields = ["user", "unit"]


# --- Sign-in protection in the admin ---------------------------------------------------------


# The admin opens only to staff whose session passed the second factor (django-otp's check).
# Its own sign-in page asks for the password and a code together (staff without an app set
# one up through the site's sign-in page first); django-axes guards it like the site's.
admin.site.__class__ = OTPAdminSite


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    """Deleting an attempt lifts its lockout: each deletion goes into the audit trail."""

    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        lift(request.user, [obj], "in the admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        lift(request.user, queryset, "in the admin")
