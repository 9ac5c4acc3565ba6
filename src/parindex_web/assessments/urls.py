"""Self-assessment pages under /assessments/, and the "my work" page at /work/.

Included at the site root (one line in parindex_web/urls.py) so that both prefixes live here.
"""

from django.urls import path

from parindex_web.assessments import views

app_name = "assessments"

urlpatterns = [
    path("work/", views.work, name="work"),
    path("assessments/<int:assessment_id>/", views.detail, name="detail"),
    path("assessments/<int:assessment_id>/entries/<str:code>/", views.entry, name="entry"),
    path(
        "assessments/<int:assessment_id>/entries/<str:code>/preview",
        views.preview,
        name="preview",
    ),
    path(
        "assessments/<int:assessment_id>/entries/<str:code>/evidence",
        views.link_evidence,
        name="link_evidence",
    ),
    path("assessments/<int:assessment_id>/evidence/", views.evidence, name="evidence"),
    path(
        "assessments/evidence/<int:evidence_id>/download",
        views.download,
        name="evidence_download",
    ),
    path("assessments/<int:assessment_id>/review/", views.review, name="review"),
    path("assessments/<int:assessment_id>/sign-off", views.sign_off, name="sign_off"),
    path("assessments/<int:assessment_id>/send-back", views.send_back, name="send_back"),
    path(
        "assessments/<int:assessment_id>/workbook.xlsx",
        views.workbook_download,
        name="workbook_xlsx",
    ),
    path("assessments/<int:assessment_id>/workbook", views.workbook_upload, name="workbook"),
]
