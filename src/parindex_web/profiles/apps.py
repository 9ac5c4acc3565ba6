from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "parindex_web.profiles"
    verbose_name = _("Unit profiles and the province map")
