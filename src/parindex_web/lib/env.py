"""Typed readers for environment variables, used by settings.py.

Each helper returns ``default`` when the variable is unset or empty, and raises
:class:`~django.core.exceptions.ImproperlyConfigured` when the value cannot be read as the
expected type, naming the variable, so that a typo stops the server at start-up instead of
being silently taken for the default.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

__all__ = ["envbool", "envint", "envlist", "envstr"]

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def _raw(name: str) -> str | None:
    """Returns the stripped value of ``name``, or None when it is unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or None


def envstr(name: str, default: str) -> str:
    """Returns the variable as a string (surrounding whitespace removed)."""
    value = _raw(name)
    return default if value is None else value


def envbool(name: str, default: bool) -> bool:
    """Returns the variable as a boolean: 1/true/yes/on or 0/false/no/off, any case."""
    value = _raw(name)
    if value is None:
        return default
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of 1/true/yes/on or 0/false/no/off"
    )


def envint(name: str, default: int) -> int:
    """Returns the variable as a base-10 integer."""
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value, 10)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from None


def envlist(name: str, default: list[str]) -> list[str]:
    """Returns the variable as a comma-separated list; items are stripped and must be non-empty."""
    value = _raw(name)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if not all(items):
        raise ImproperlyConfigured(
            f"{name}={value!r} has an empty item in its comma-separated list"
        )
    return items
