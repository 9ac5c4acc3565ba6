"""URLs of the whole site. Each app owns its URLs; add a new app's with one ``path`` line."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

admin.site.site_header = _("parindex administration")
admin.site.site_title = _("parindex — PAR Index")
admin.site.index_title = _("Administration of the PAR Index")

urlpatterns = [
    path("", include("parindex_web.home.urls")),
    path("accounts/", include("parindex_web.accounts.urls")),
    path("admin/", admin.site.urls),
    path("cycles/", include("parindex_web.secretariat.urls")),
    path("cycles/", include("parindex_web.jobs.urls")),  # /cycles/<id>/jobs/<job>: a job's page
    path("cycles/", include("parindex_web.surveys.urls")),  # /cycles/<id>/questionnaires/…
    path("", include("parindex_web.answering.urls")),  # /answer/…, …/questionnaires/<q>/codes/
    path("secretariat/methodologies/", include("parindex_web.methodologies.urls")),
    # No CSRF token for the language switcher, so that public pages can be cached for everyone
    # (see parindex_web/results/caching.py); a forged request can only change the language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("appraisal/", include("parindex_web.appraisal.urls")),
    path("results/", include("parindex_web.reports.urls")),
    path("results/", include("parindex_web.profiles.urls")),
    path("", include("parindex_web.assessments.urls")),  # /assessments/… and /work/
    path("api/", include("parindex_web.api.urls")),
    path("", include("parindex_web.notifications.urls")),  # /notices/…, /cycles/<id>/reminders
    path("", include("parindex_web.results.urls")),  # /results/…, /results.json
]

# A database that cannot be reached answers 503 "briefly unavailable", not a server error.
handler500 = "parindex_web.operations.views.server_error"
