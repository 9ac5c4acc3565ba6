from typing import Any

from django.http import HttpRequest

def get_client_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str: ...
