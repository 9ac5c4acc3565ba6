from django.urls import path

from parindex_web.reports import views

app_name = "reports"

urlpatterns = [
    path("<int:cycle_id>/report.xlsx", views.workbook, name="workbook"),
    path("<int:cycle_id>/report.pdf", views.cycle_pdf, name="cycle_pdf"),
    path("<int:cycle_id>/units/<str:unit_code>/report.pdf", views.unit_pdf, name="unit_pdf"),
    path("<int:cycle_id>/report-archive.pdf", views.archive_pdf, name="archive_pdf"),
    path(
        "<int:cycle_id>/v<int:version>/report-archive.pdf",
        views.archive_pdf,
        name="archive_pdf_version",
    ),
    path("<int:cycle_id>/open-data.zip", views.bundle, name="bundle"),
    path("<int:cycle_id>/v<int:version>/open-data.zip", views.bundle, name="bundle_version"),
]
