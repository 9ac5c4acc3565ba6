from django.urls import path

from parindex_web.answering import views

app_name = "answering"

Q = "cycles/<int:cycle_id>/questionnaires/<int:questionnaire_id>/codes/"

urlpatterns = [
    path(Q, views.batches, name="batches"),
    path(Q + "<int:batch_id>/", views.sheet, name="sheet"),
    path("answer/", views.enter, name="enter"),
    path("answer/thanks", views.thanks, name="thanks"),
    path("answer/<str:answer_code>", views.answer, name="form"),
]
