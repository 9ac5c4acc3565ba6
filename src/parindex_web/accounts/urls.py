from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp_setup, name="otp"),
    path("otp/verify/", views.otp_verify, name="otp-verify"),
    path("otp/remove", views.otp_remove, name="otp-remove"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/<int:attempt_id>/lift", views.lift_lockout, name="lift-lockout"),
]
