"""Public results pages, each with ``.json`` and ``.csv`` twins.

A twin's path is its page's path without the trailing slash, plus ``.json`` or ``.csv``:
``/results/`` → ``/results.json``, ``/results/12/`` → ``/results/12.json``,
``/results/12/components`` → ``/results/12/components.json``. The ranking's twins are also
served at ``/results/12/ranking.json`` and ``.csv``. Included at the site root (one line in
``parindex_web/urls.py``) because ``/results.json`` sits beside ``/results/``.
"""

from django.urls import path, register_converter

from parindex_web.results import views


class TwinConverter:
    regex = "json|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TwinConverter, "twin")

app_name = "results"

urlpatterns = [
    path("results/", views.index, name="index"),
    path("results.<twin:fmt>", views.index, name="index_twin"),
    path("results/<int:cycle_id>/", views.ranking, name="ranking"),
    path("results/<int:cycle_id>.<twin:fmt>", views.ranking, name="ranking_twin"),
    path("results/<int:cycle_id>/ranking.<twin:fmt>", views.ranking),
    path("results/<int:cycle_id>/components", views.components, name="components"),
    path(
        "results/<int:cycle_id>/components.<twin:fmt>",
        views.components,
        name="components_twin",
    ),
    path("results/<int:cycle_id>/summary", views.summary, name="summary"),
    path("results/<int:cycle_id>/summary.<twin:fmt>", views.summary, name="summary_twin"),
    path("results/<int:cycle_id>/methodology", views.methodology, name="methodology"),
    path(
        "results/<int:cycle_id>/methodology.<twin:fmt>",
        views.methodology,
        name="methodology_twin",
    ),
]
