from django.urls import path

from parindex_web.home import views

app_name = "home"

urlpatterns = [
    path("", views.index, name="index"),
    path("index.json", views.index_json, name="index_json"),
    path("healthz", views.healthz, name="healthz"),
]
