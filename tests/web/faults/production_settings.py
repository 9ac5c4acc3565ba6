"""The production settings (debug off) as the fault tests run them: static files named as they
are, so that no `collectstatic` (a minute of compression) is needed before the server starts.
Pages, errors and the database-unavailable page are otherwise what production serves."""

from parindex_web.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
