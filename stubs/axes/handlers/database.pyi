# The methods of django-axes 8.3's database handler that the shell overrides or calls.
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from ..models import AccessAttempt

class AxesDatabaseHandler:
    def get_failures(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int: ...
    def get_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> list[QuerySet[AccessAttempt]]: ...
    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int: ...
