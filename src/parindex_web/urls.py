"""URLs of the whole site. Each app owns its URLs; add a new app's with one ``path`` line."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("parindex administration")
admin.site.site_title = _("parindex — PAR Index")
admin.site.index_title = _("Administration of the PAR Index")

urlpatterns = [
    path("", include("parindex_web.home.urls")),
    path("accounts/", include("parindex_web.accounts.urls")),
    path("admin/", admin.site.urls),
    path("cycles/", include("parindex_web.secretariat.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
