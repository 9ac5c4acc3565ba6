"""Notices (/notices/), e-mail preferences, and the secretariat's reminders to late units.

A person sees only their own notices (another's is "not found"); the reminders page loads its
cycle with :func:`~parindex_web.cycles.access.cycle_for_secretariat` (404 for another body's
cycle, 403 for a participant without the secretariat role).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from parindex_web.cycles.access import cycle_for_secretariat
from parindex_web.lib.users import SignedInRequest

from . import reminders
from .forms import PreferenceForm, ReminderForm
from .models import Notice, Preference

GET_POST = require_http_methods(["GET", "POST"])
PAGE_SIZE = 50


@login_required
@GET_POST
def notices(request: SignedInRequest) -> HttpResponse:
    """The user's notices, newest first; POST marks them all read."""
    mine = Notice.objects.filter(recipient=request.user).select_related("cycle")
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, _("All notices are marked as read."))
        return redirect("notifications:notices")
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = mine.filter(read_at__isnull=True).count()
    return render(request, "notifications/notices.html", {"page": page, "unread": unread})


@login_required
@require_safe
def open_notice(request: SignedInRequest, notice_id: int) -> HttpResponse:
    """Mark the notice read and go to its page."""
    notice = get_object_or_404(Notice, pk=notice_id, recipient=request.user)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    if not url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect("notifications:notices")
    return redirect(notice.link)


@login_required
@GET_POST
def preferences(request: SignedInRequest) -> HttpResponse:
    preference = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user
    )
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
@GET_POST
def cycle_reminders(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    """Secretariat: choose late units, see who will receive the reminder, send it."""
    cycle = cycle_for_secretariat(request.user, cycle_id)
    late = reminders.late_by_unit(cycle)
    choices = [(a.pk, a.unit.label) for a, _items in late]
    form = ReminderForm(choices, request.POST if request.method == "POST" else None)
    ctx = {"cycle": cycle, "late": late, "form": form, "chosen": []}
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "notifications/reminders.html", ctx, status=status)
    ids = form.cleaned_data["units"]
    if not form.cleaned_data["confirm"]:
        ctx["chosen"] = [(a, items) for a, items in late if a.pk in ids]
        return render(request, "notifications/reminders.html", ctx)
    sent = reminders.send_selected(request.user, cycle, ids)
    people = {p.pk for item in sent for p in item.people}
    messages.success(
        request,
        ngettext(
            "The reminder was sent to %(n)s person.",
            "The reminder was sent to %(n)s people.",
            len(people),
        )
        % {"n": len(people)},
    )
    return redirect("notifications:reminders", cycle.pk)
