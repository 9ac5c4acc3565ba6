from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "parindex_web.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from . import lockout, middleware, signals

        signals.connect()
        user_locked_out.connect(lockout.on_locked_out, dispatch_uid="parindex-audit-lockout")
        user_logged_in.connect(middleware.stamp_session, dispatch_uid="parindex-session-start")
