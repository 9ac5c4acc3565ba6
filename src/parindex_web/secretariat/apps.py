from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariatConfig(AppConfig):
    name = "parindex_web.secretariat"
    verbose_name = _("Secretariat: index cycles")
