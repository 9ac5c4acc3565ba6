"""The second-factor pages (code after the password, set-up, removal) and the secretariat's
page of locked-out accounts. See :mod:`.twofactor` and :mod:`.lockout`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex_web.cycles.access import body_ids
from parindex_web.lib.users import SignedInRequest

from . import lockout, twofactor
from .forms import CodeForm
from .models import UNIT_ROLES, Role


def _next(request: HttpRequest) -> str:
    """Where to go after the second factor: the ``next`` asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _throttled(devices: list[Any]) -> bool:
    """Whether a device still makes the person wait after wrong codes (django-otp's throttle)."""
    return any(not device.verify_is_allowed()[0] for device in devices)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: SignedInRequest) -> HttpResponse:
    """After the password: a code from the app (or a backup code) verifies the session."""
    next_url = _next(request)
    if twofactor.is_verified(request.user):
        return redirect(next_url)
    devices = twofactor.confirmed_devices(request.user)
    if not any(isinstance(d, TOTPDevice) for d in devices):
        return redirect(_with_next("accounts:otp", next_url))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if _throttled(devices):
            form.add_error(None, _("Too many wrong codes. Wait a little and try again."))
        else:
            for device in devices:
                found = django_otp.verify_token(
                    request.user, device.persistent_id, form.cleaned_data["code"]
                )
                if found is not None:
                    django_otp.login(request, found)
                    return redirect(next_url)
            form.add_error(
                "code",
                _("This code is wrong or was used already. Wait for the next code and try again."),
            )
    status = 400 if form.is_bound else 200
    context = {"form": form, "next": next_url}
    return render(request, "accounts/otp_verify.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: SignedInRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code, confirm with a first code; or, with one set
    up already, see it and remove it."""
    user = request.user
    next_url = _next(request)
    if twofactor.has_device(user):
        if not twofactor.is_verified(user):
            return redirect(_with_next("accounts:otp-verify", next_url))
        context: dict[str, object] = {"required": twofactor.is_required(user)}
        return render(request, "accounts/otp_manage.html", context)
    device = twofactor.pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            django_otp.login(request, device)
            codes = twofactor.new_backup_codes(user)
            context = {"codes": codes, "next": next_url}
            return _private(render(request, "accounts/otp_done.html", context))
        form.add_error("code", _("This code is wrong. Check the time on your phone and try again."))
    context = {
        "form": form,
        "next": next_url,
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "required": twofactor.is_required(user),
    }
    status = 400 if form.is_bound else 200
    return _private(render(request, "accounts/otp_setup.html", context, status=status))


@login_required
@require_POST
def otp_remove(request: SignedInRequest) -> HttpResponse:
    """Removes the app and the backup codes (only from a session verified with them)."""
    if not twofactor.is_verified(request.user):
        return redirect(_with_next("accounts:otp-verify", reverse("accounts:otp")))
    if twofactor.remove_devices(request.user):  # audited by the accounts signals
        messages.success(request, _("Two-step sign-in is turned off for your account."))
    return redirect("accounts:otp")


def _secretariat_bodies(request: HttpRequest) -> set[int]:
    bodies = body_ids(request.user, Role.SECRETARIAT)
    if not bodies:
        raise PermissionDenied
    return bodies


def _in_scope(attempts: QuerySet[AccessAttempt], bodies: set[int]) -> QuerySet[AccessAttempt]:
    """Attempts on accounts of the bodies' units' officers and leaders and of their appraisers
    (not staff: an administrator lifts those, in the admin)."""
    people = (
        get_user_model()
        .objects.filter(
            Q(memberships__role__in=UNIT_ROLES, memberships__unit__body__in=bodies)
            | Q(memberships__role=Role.APPRAISER, memberships__body__in=bodies)
        )
        .filter(is_staff=False, is_superuser=False)
        .values("username")
    )
    return attempts.filter(username__in=people)


@login_required
@require_http_methods(["GET"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """The secretariat's page: accounts of its units and appraisers locked out now."""
    bodies = _secretariat_bodies(request)
    context = {
        "attempts": _in_scope(lockout.current_lockouts(), bodies),
        "minutes": settings.PARINDEX_LOGIN_LOCKOUT_MINUTES,
        "now": timezone.now(),
    }
    return render(request, "accounts/lockouts.html", context)


@login_required
@require_POST
def lift_lockout(request: SignedInRequest, attempt_id: int) -> HttpResponse:
    bodies = _secretariat_bodies(request)
    attempt = _in_scope(AccessAttempt.objects.filter(pk=attempt_id), bodies).first()
    if attempt is None:
        raise Http404
    lockout.lift(
        request.user,
        AccessAttempt.objects.filter(username=attempt.username),
        "by the secretariat",
    )
    messages.success(request, _("%(username)s can sign in again.") % {"username": attempt.username})
    return redirect("accounts:lockouts")


class LoginView(auth_views.LoginView):
    """Django's sign-in page, saying why a session ended (``?expired=idle|absolute``)."""

    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["idle_minutes"] = settings.PARINDEX_SESSION_IDLE_MINUTES
        context["max_hours"] = settings.PARINDEX_SESSION_MAX_HOURS
        return context
