from django.urls import path

from parindex_web.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<int:cycle_id>/jobs/<int:job_id>", views.job, name="job"),
    path("<int:cycle_id>/jobs/<int:job_id>.json", views.job_json, name="job_json"),
]
