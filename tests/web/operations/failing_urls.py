"""URLs whose views fail as a database restart makes them fail (for test_unavailable.py)."""

from django.db import InterfaceError, OperationalError
from django.urls import path

from parindex_web.urls import handler500  # noqa: F401  (the project's, under test)


def _raise(exc: Exception):
    def view(request):
        raise exc

    return view


urlpatterns = [
    path("down/", _raise(OperationalError("connection refused"))),
    path("closed/", _raise(InterfaceError("connection already closed"))),
    path("api/down/", _raise(OperationalError("the database system is shutting down"))),
    path("bug/", _raise(ZeroDivisionError())),
]
