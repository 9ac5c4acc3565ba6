from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _store_units(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """A new publication's unit rows, in the transaction that saves it (not for fixtures)."""
    if created and not raw:
        from .stored import store_units

        store_units(instance)


class ReportsConfig(AppConfig):
    name = "parindex_web.reports"
    verbose_name = _("Reports and open data")

    def ready(self) -> None:
        post_save.connect(
            _store_units, sender="cycles.Publication", dispatch_uid="reports.store_units"
        )
