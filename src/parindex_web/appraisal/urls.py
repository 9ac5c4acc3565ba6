from django.urls import path

from parindex_web.appraisal import views

app_name = "appraisal"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:assessment_id>/", views.assessment, name="assessment"),
    path(
        "<int:assessment_id>/entries/<int:entry_id>/appraise",
        views.appraise,
        name="appraise",
    ),
    path(
        "<int:assessment_id>/accept-remaining",
        views.accept_remaining,
        name="accept_remaining",
    ),
    path("<int:assessment_id>/complete", views.complete, name="complete"),
    path("<int:assessment_id>/explanations/", views.explanations, name="explanations"),
    path(
        "<int:assessment_id>/explanations/<int:entry_id>/",
        views.explain,
        name="explain",
    ),
    path("explanations/<int:explanation_id>/decide", views.decide, name="decide"),
]
