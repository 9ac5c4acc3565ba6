from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _store_units(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """A new publication's unit rows, in the transaction that saves it (not for fixtures):
    its staged draft's (``instance.staged``, :func:`.stored.adopt`) or copied from its
    results."""
    if created and not raw:
        from .stored import adopt, store_units

        staged = getattr(instance, "staged", None)
        if staged is not None:
            adopt(instance, staged)
        else:
            store_units(instance)


class ReportsConfig(AppConfig):
    name = "parindex_web.reports"
    verbose_name = _("Reports and open data")

    def ready(self) -> None:
        post_save.connect(
            _store_units, sender="cycles.Publication", dispatch_uid="reports.store_units"
        )
