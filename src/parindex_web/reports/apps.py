from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "parindex_web.reports"
    verbose_name = _("Reports and open data")
