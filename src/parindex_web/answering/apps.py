from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnsweringConfig(AppConfig):
    name = "parindex_web.answering"
    verbose_name = _("Surveys: the online form and its one-time codes")
