"""notify(): a notice per recipient, and a Vietnamese e-mail with absolute links unless opted out."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.utils import translation

from parindex_web.notifications.models import Event, Notice, Preference
from parindex_web.notifications.services import notify, site_url

pytestmark = pytest.mark.django_db


def tell(people, assessment, *users, event=Event.APPRAISED, **context):
    link = f"/appraisal/{assessment.pk}/explanations/"
    return notify(event, users, {"assessment": assessment, **context}, link)


def test_it_stores_one_notice_per_recipient_with_the_text_and_the_link(people, assessment):
    notices = tell(people, assessment, people.officer, people.leader, people.officer)
    assert [n.recipient for n in notices] == [people.officer, people.leader]
    notice = Notice.objects.get(recipient=people.officer)
    assert notice.event == Event.APPRAISED
    assert (notice.cycle, notice.assessment) == (assessment.cycle, assessment)
    assert notice.link == f"/appraisal/{assessment.pk}/explanations/"
    assert notice.read_at is None
    assert "Xã Đông Hòa" in notice.text and "Chỉ số CCHC cấp xã 2025" in notice.text


def test_it_emails_each_recipient_on_their_own(people, assessment, sent):
    outbox = sent(tell, people, assessment, people.officer, people.leader)
    assert [m.to for m in outbox] == [["officer@example.org"], ["leader@example.org"]]


def test_the_email_carries_the_absolute_link_and_the_preferences_link(people, assessment, sent):
    [message] = sent(tell, people, assessment, people.officer)
    assert f"https://chiso.example.vn/appraisal/{assessment.pk}/explanations/" in message.body
    assert "https://chiso.example.vn/notices/preferences" in message.body


def test_the_site_url_may_carry_a_path_and_a_trailing_slash(settings):
    settings.PARINDEX_SITE_URL = "https://example.gov.vn/chiso/"
    assert site_url("/notices/") == "https://example.gov.vn/chiso/notices/"


def test_the_email_and_the_notice_are_vietnamese_whatever_the_senders_language(
    people, assessment, sent
):
    with translation.override("en"):
        [message] = sent(tell, people, assessment, people.officer)
    assert message.subject.startswith("[parindex] Đã có kết quả thẩm định: Xã Đông Hòa")
    assert "Xin chào" in message.body and "Mở trang công việc:" in message.body
    assert Notice.objects.get().text.startswith("Đã có kết quả thẩm định")


def test_nothing_is_emailed_before_the_transaction_commits(
    people, assessment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as waiting:
        tell(people, assessment, people.officer)
    assert mail.outbox == [] and len(waiting) == 1


def test_nothing_is_emailed_for_a_change_rolled_back(people, assessment, sent):
    def fails():
        with transaction.atomic():
            tell(people, assessment, people.officer)
            raise RuntimeError("the change fails after notifying")

    with pytest.raises(RuntimeError):
        sent(fails)
    assert mail.outbox == []
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("handovers", "reminders", "event", "emailed"),
    [
        (True, True, Event.REMINDER, True),
        (True, False, Event.REMINDER, False),
        (True, False, Event.APPRAISED, True),
        (False, True, Event.APPRAISED, False),
        (False, True, Event.REMINDER, True),
        (False, False, Event.PUBLISHED, False),
    ],
)
def test_an_opt_out_stops_that_kind_of_email_and_keeps_the_notice(
    people, assessment, sent, handovers, reminders, event, emailed
):
    Preference.objects.create(
        user=people.officer, email_handovers=handovers, email_reminders=reminders
    )
    context = {"work": "x", "due": "15/12/2026 17:00", "version": 1}
    outbox = sent(tell, people, assessment, people.officer, people.leader, event=event, **context)
    assert (["officer@example.org"] in [m.to for m in outbox]) is emailed
    assert ["leader@example.org"] in [m.to for m in outbox]  # no preference: every e-mail
    assert Notice.objects.filter(recipient=people.officer).count() == 1


def test_a_person_without_an_address_or_inactive(people, assessment, sent):
    people.officer.email = ""
    people.officer.save()
    get_user_model().objects.filter(pk=people.leader.pk).update(is_active=False)
    people.leader.refresh_from_db()
    outbox = sent(tell, people, assessment, people.officer, people.leader)
    assert outbox == []
    assert [n.recipient for n in Notice.objects.all()] == [people.officer]


def test_nobody_to_tell_stores_nothing(people, assessment, sent):
    assert sent(tell, people, assessment) == []
    assert not Notice.objects.exists()


def test_a_long_text_makes_a_one_line_subject(people, assessment, sent):
    reason = "Thiếu " * 60 + "\nDòng thứ hai"
    [message] = sent(tell, people, assessment, people.officer, event=Event.REOPENED, reason=reason)
    assert "\n" not in message.subject and len(message.subject) <= 162
    assert message.subject.endswith("…")
    assert "Dòng thứ hai" in message.body


def test_a_failing_mail_server_keeps_the_notice_and_leaves_a_logged_error(
    people, assessment, sent, settings, caplog
):
    # The locmem backend cannot fail; a backend that refuses every connection stands in for an
    # SMTP server that is down.
    settings.EMAIL_BACKEND = "tests.web.notifications.test_notify.RefusingBackend"
    with caplog.at_level("ERROR", logger="parindex_web.notifications.services"):
        assert sent(tell, people, assessment, people.officer) == []
    assert Notice.objects.filter(recipient=people.officer).count() == 1
    [record] = caplog.records
    assert record.getMessage() == "Mail of 1 notice(s) not sent"
    assert record.exc_info is not None and "connection refused" in str(record.exc_info[1])
    assert "officer@example.org" not in caplog.text


class RefusingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")
