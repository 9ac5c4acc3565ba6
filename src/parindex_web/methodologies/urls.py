from django.urls import path

from parindex_web.methodologies import views

app_name = "methodologies"

urlpatterns = [
    path("upload", views.upload, name="upload"),
    path("adopt", views.adopt, name="adopt"),
    path("example-table.xlsx", views.template, name="template"),
]
