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
