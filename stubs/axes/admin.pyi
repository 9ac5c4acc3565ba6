from django.contrib import admin

from .models import AccessAttempt

class AccessAttemptAdmin(admin.ModelAdmin[AccessAttempt]): ...
