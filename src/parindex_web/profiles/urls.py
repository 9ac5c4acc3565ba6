"""Unit profiles and the province map, under ``/results/`` beside the results pages.

A twin's path is its page's path without the trailing slash plus ``.json`` or ``.csv``:
``/results/12/units/P34-01/`` → ``/results/12/units/P34-01.json``; ``/results/12/map`` →
``/results/12/map.json``.
"""

from django.urls import path, re_path

from parindex_web.profiles import views

app_name = "profiles"

UNIT = r"^(?P<cycle_id>[0-9]+)/units/(?P<unit_code>[^/]+)"

urlpatterns = [
    re_path(UNIT + r"/$", views.unit, name="unit"),
    re_path(UNIT + r"\.(?P<fmt>json|csv)$", views.unit, name="unit_twin"),
    path("<int:cycle_id>/map", views.province_map, name="map"),
    re_path(r"^(?P<cycle_id>[0-9]+)/map\.(?P<fmt>json|csv)$", views.province_map, name="map_twin"),
]
