from django.urls import path

from parindex_web.surveys import views

app_name = "surveys"

urlpatterns = [
    path("<int:cycle_id>/questionnaires/", views.questionnaire_list, name="list"),
    path("<int:cycle_id>/questionnaires/new", views.upload, name="upload"),
    path("<int:cycle_id>/questionnaires/<int:questionnaire_id>/", views.detail, name="detail"),
    path(
        "<int:cycle_id>/questionnaires/<int:questionnaire_id>/questions.json",
        views.detail_json,
        name="detail_json",
    ),
    path(
        "<int:cycle_id>/questionnaires/<int:questionnaire_id>/form.xlsx",
        views.download,
        name="download",
    ),
]

_Q = "<int:cycle_id>/questionnaires/<int:questionnaire_id>/"

urlpatterns += [
    path(_Q + "responses/", views.responses, name="responses"),
    path(_Q + "responses.json", views.responses_json, name="responses_json"),
    path(_Q + "estimates.csv", views.estimates_csv, name="estimates_csv"),
    path(_Q + "progress.csv", views.progress_csv, name="progress_csv"),
    path(_Q + "responses/import", views.import_responses, name="import_responses"),
    path(_Q + "template.xlsx", views.template, name="template"),
    path(_Q + "delete", views.delete, name="delete"),
    path(_Q + "fill", views.fill, name="fill"),
]
