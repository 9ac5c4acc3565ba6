"""Notices at /notices/, and the secretariat's reminders beside its cycle pages.

Included at the site root (one line in parindex_web/urls.py) so that both prefixes live here.
"""

from django.urls import path

from parindex_web.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/", views.open_notice, name="open"),
    path("notices/preferences", views.preferences, name="preferences"),
    path("cycles/<int:cycle_id>/reminders", views.cycle_reminders, name="reminders"),
]
