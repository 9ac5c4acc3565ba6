from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "parindex_web.cycles"
    verbose_name = _("Index cycles")

    def ready(self) -> None:
        from django.core import checks

        from .checks import evidence_types

        checks.register(evidence_types)
