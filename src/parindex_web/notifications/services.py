"""Telling people: one :func:`notify` for every hand-over and reminder, and who is told what.

:func:`notify` stores a notice per recipient (shown at /notices/ and counted in the header)
and e-mails each recipient who has not opted out of that kind of e-mail, in Vietnamese (the
site's language), with the absolute link to the page where the work is and a link to the
e-mail preferences. E-mail leaves once the caller's transaction commits (never for a change
that was rolled back, and no SMTP wait while the change holds its locks).

The hand-over functions below (:func:`signed_off` …) are what :mod:`parindex_web.cycles.services`
calls: each names the next people and their page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from parindex_web.accounts.models import Membership, Role
from parindex_web.cycles.models import Assessment, Cycle, Explanation, Publication
from parindex_web.lib.users import User

from .models import Event, Notice, Preference

logger = logging.getLogger(__name__)

# What each event says: the notice's text and the e-mail's subject. Placeholders come from the
# context given to notify(); "unit" and "cycle" are filled from its assessment or cycle.
TEXTS = {
    Event.SIGNED_OFF: _(
        "%(unit)s signed off its self-assessment (%(cycle)s): ready for appraisal."
    ),
    Event.SENT_BACK: _(
        "The leader sent the self-assessment of %(unit)s (%(cycle)s) back to the officers: "
        "%(comment)s"
    ),
    Event.APPRAISED: _("Appraisal results are available: %(unit)s (%(cycle)s)."),
    Event.EXPLANATION_FILED: _(
        "New explanation from %(unit)s on criterion %(code)s (%(cycle)s): it awaits your decision."
    ),
    Event.EXPLANATION_DECIDED: _(
        "Decision on your explanation of criterion %(code)s: %(decision)s (%(unit)s, %(cycle)s)."
    ),
    Event.REOPENED: _(
        "The secretariat reopened the self-assessment of %(unit)s (%(cycle)s): %(reason)s"
    ),
    Event.PUBLISHED: _("Results published: %(cycle)s (version %(version)s)."),
    Event.REMINDER: _("Reminder: %(work)s – %(unit)s (%(cycle)s). Deadline: %(due)s."),
}
SUBJECT_LENGTH = 150


def site_url(path: str) -> str:
    """``path`` (from the site root) as an absolute address on PARINDEX_SITE_URL."""
    return settings.PARINDEX_SITE_URL.rstrip("/") + path


def _users(recipients: Iterable[Any]) -> list[Any]:
    """Active users, each once, in the order given."""
    seen: dict[int, Any] = {}
    for user in recipients:
        if user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _params(context: Mapping[str, Any]) -> tuple[Cycle | None, Assessment | None, dict[str, str]]:
    assessment: Assessment | None = context.get("assessment")
    cycle: Cycle | None = context.get("cycle") or (assessment.cycle if assessment else None)
    params = {k: str(v) for k, v in context.items() if k not in ("assessment", "cycle")}
    if cycle is not None:
        params.setdefault("cycle", cycle.name)
    if assessment is not None:
        params.setdefault("unit", assessment.unit.name)
    return cycle, assessment, params


def notify(
    event: Event, recipients: Iterable[Any], context: Mapping[str, Any], link: str
) -> list[Notice]:
    """Tell ``recipients`` (users) about ``event``: a notice each, and an e-mail to those who
    want this kind of e-mail. ``context`` holds the cycle or assessment (``"cycle"``,
    ``"assessment"``) and the text's other placeholders; ``link`` is the path of the page
    where the work is. Returns the notices stored."""
    users = _users(recipients)
    if not users:
        return []
    with translation.override(settings.LANGUAGE_CODE):  # lazy texts in the context too
        cycle, assessment, params = _params(context)
        text = str(TEXTS[event]) % params
    notices = Notice.objects.bulk_create(
        [
            Notice(
                recipient=u, event=event, cycle=cycle, assessment=assessment, text=text, link=link
            )
            for u in users
        ]
    )
    refused = set(
        Preference.objects.filter(user__in=users)
        .filter(**{f"email_{event.kind.value}s": False})
        .values_list("user_id", flat=True)
    )
    mailed = [u for u in users if u.email and u.pk not in refused]
    if mailed:  # written once committed: not while the caller's transaction holds its locks
        transaction.on_commit(lambda: _deliver(_emails(mailed, text, link)), robust=True)
    return notices


def _emails(users: list[User], text: str, link: str) -> list[EmailMessage]:
    """One e-mail per user: the same subject, text and links (worked out once), the user's
    name in the greeting."""
    first_line = text.splitlines()[0] if text else ""
    if len(first_line) > SUBJECT_LENGTH:
        first_line = first_line[: SUBJECT_LENGTH - 1] + "…"
    with translation.override(settings.LANGUAGE_CODE):
        subject = "[parindex] " + first_line
        context = {
            "text": text,
            "link": site_url(link),
            "preferences": site_url(reverse("notifications:preferences")),
        }
        return [
            EmailMessage(
                subject,
                render_to_string("notifications/email.txt", {**context, "user": user}),
                None,
                [user.email],
            )
            for user in users
        ]


def _deliver(messages: list[EmailMessage]) -> None:
    """Send over one connection; a mail server that fails does not undo the committed work
    (the notices are kept, and the page shows them), but is logged with its traceback so the
    administrator sees that mail did not go out."""
    try:
        get_connection().send_messages(messages)
    except Exception:  # any backend's failure (SMTP, socket, TLS) is the same to the work
        # The count, not the addresses: the log is not a second store of people's mail.
        logger.exception("Mail of %d notice(s) not sent", len(messages))


# --- who is told ------------------------------------------------------------------------------


def _members(**where: Any) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(memberships__in=Membership.objects.filter(**where))
        .distinct()
        .order_by("pk")
    )


def secretariat(cycle: Cycle) -> QuerySet[Any]:
    return _members(role=Role.SECRETARIAT, body=cycle.body_id)


def appraisers(assessment: Assessment) -> QuerySet[Any]:
    """The appraisers assigned to the assessment's unit in its cycle."""
    return (
        get_user_model()
        .objects.filter(
            assignments__cycle=assessment.cycle_id, assignments__unit=assessment.unit_id
        )
        .distinct()
        .order_by("pk")
    )


def unit_people(assessment: Assessment, *roles: Role) -> QuerySet[Any]:
    return _members(role__in=roles, unit=assessment.unit_id)


def everyone(cycle: Cycle) -> QuerySet[Any]:
    """The cycle's body (secretariat, appraisers) and its units' officers and leaders."""
    units = cycle.assessments.values("unit")
    return (
        get_user_model()
        .objects.filter(
            memberships__in=Membership.objects.filter(
                role__in=[Role.SECRETARIAT, Role.APPRAISER], body=cycle.body_id
            )
            | Membership.objects.filter(role__in=[Role.OFFICER, Role.LEADER], unit__in=units)
        )
        .distinct()
        .order_by("pk")
    )


OFFICERS, UNIT = (Role.OFFICER,), (Role.OFFICER, Role.LEADER)


# --- the hand-overs -----------------------------------------------------------------------------


def signed_off(assessment: Assessment) -> None:
    """The leader signed off: the secretariat (to its dashboard), the appraisers (to appraise)."""
    context = {"assessment": assessment}
    cycle_page = reverse("secretariat:dashboard", args=[assessment.cycle_id])
    notify(Event.SIGNED_OFF, secretariat(assessment.cycle), context, cycle_page)
    appraise = reverse("appraisal:assessment", args=[assessment.pk])
    notify(Event.SIGNED_OFF, appraisers(assessment), context, appraise)


def sent_back(assessment: Assessment, comment: str) -> None:
    context = {"assessment": assessment, "comment": comment}
    link = reverse("assessments:detail", args=[assessment.pk])
    notify(Event.SENT_BACK, unit_people(assessment, *OFFICERS), context, link)


def appraised(assessment: Assessment) -> None:
    link = reverse("appraisal:explanations", args=[assessment.pk])
    notify(Event.APPRAISED, unit_people(assessment, *UNIT), {"assessment": assessment}, link)


def explanation_filed(explanation: Explanation) -> None:
    assessment = explanation.entry.assessment
    context = {"assessment": assessment, "code": explanation.entry.code}
    link = reverse("appraisal:decide", args=[explanation.pk])
    notify(Event.EXPLANATION_FILED, appraisers(assessment), context, link)


def explanation_decided(explanation: Explanation) -> None:
    assessment = explanation.entry.assessment
    context = {
        "assessment": assessment,
        "code": explanation.entry.code,
        "decision": explanation.get_status_display().lower(),
    }
    link = reverse("appraisal:explanations", args=[assessment.pk])
    notify(Event.EXPLANATION_DECIDED, unit_people(assessment, *OFFICERS), context, link)


def reopened(assessment: Assessment, reason: str) -> None:
    context = {"assessment": assessment, "reason": reason}
    link = reverse("assessments:detail", args=[assessment.pk])
    notify(Event.REOPENED, unit_people(assessment, *UNIT), context, link)


def published(publication: Publication) -> None:
    cycle = publication.cycle
    context = {"cycle": cycle, "version": publication.version}
    link = reverse("results:ranking", args=[cycle.pk])
    notify(Event.PUBLISHED, everyone(cycle), context, link)
