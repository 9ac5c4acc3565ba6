from django.urls import path

from parindex_web.secretariat import views

app_name = "secretariat"

urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new", views.cycle_new, name="new"),
    path("<int:cycle_id>/", views.dashboard, name="dashboard"),
    path("<int:cycle_id>/progress.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("<int:cycle_id>/missing-evidence", views.missing_evidence, name="missing_evidence"),
    path(
        "<int:cycle_id>/missing-evidence.<str:fmt>",
        views.missing_evidence_file,
        name="missing_evidence_file",
    ),
    path("<int:cycle_id>/differences", views.differences, name="differences"),
    path("<int:cycle_id>/differences.xlsx", views.differences_xlsx, name="differences_xlsx"),
    path("<int:cycle_id>/deadlines", views.deadlines, name="deadlines"),
    path("<int:cycle_id>/assignments", views.assignments, name="assignments"),
    path("<int:cycle_id>/phase", views.phase, name="phase"),
    path("<int:cycle_id>/assessments/<int:assessment_id>/reopen", views.reopen, name="reopen"),
    path("<int:cycle_id>/external", views.external, name="external"),
    path(
        "<int:cycle_id>/external/template.csv",
        views.external_template,
        name="external_template",
    ),
    path(
        "<int:cycle_id>/external/<int:assessment_id>",
        views.external_unit,
        name="external_unit",
    ),
    path("<int:cycle_id>/results", views.results, name="results"),
    path("<int:cycle_id>/results.csv", views.results_csv, name="results_csv"),
    path("<int:cycle_id>/results.json", views.results_json, name="results_json"),
    path("<int:cycle_id>/publish", views.publish, name="publish"),
    path("<int:cycle_id>/correction", views.correction, name="correction"),
    path(
        "<int:cycle_id>/publications/<int:version>/",
        views.publication,
        name="publication",
    ),
    path(
        "<int:cycle_id>/publications/<int:version>/results.json",
        views.publication_json,
        name="publication_json",
    ),
    path(
        "<int:cycle_id>/publications/<int:version>/<str:name>",
        views.publication_file,
        name="publication_file",
    ),
]
