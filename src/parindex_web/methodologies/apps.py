from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodologiesConfig(AppConfig):
    name = "parindex_web.methodologies"
    verbose_name = _("Methodologies")
