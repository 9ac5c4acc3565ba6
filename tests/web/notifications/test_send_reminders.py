"""manage.py send_reminders: who is reminded on which day, never twice, and --loop stops cleanly."""

from __future__ import annotations

import io
import os
import signal
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from parindex_web.cycles.models import Cycle, Phase
from parindex_web.notifications.management.commands.send_reminders import Command
from parindex_web.notifications.models import Event, Notice, Preference, ReminderSent
from parindex_web.notifications.reminders import send_due

from .conftest import recipients

pytestmark = pytest.mark.django_db

# The deadline at 17:00 on 15/12/2026 (Vietnam time); the command runs at 08:00 each day.
DUE = timezone.make_aware(datetime(2026, 12, 15, 17, 0))
UNIT_PEOPLE = {"officer", "leader", "officer2", "leader2"}


def day(offset: int) -> datetime:
    return DUE.replace(hour=8) + timedelta(days=offset)


def due_on(cycle: Cycle, field: str) -> None:
    """Move ``field`` to DUE, keeping the deadlines in phase order."""
    deadlines = {
        "self_assessment_due": DUE - timedelta(days=40),
        "appraisal_due": DUE - timedelta(days=20),
        "explanation_due": DUE - timedelta(days=5),
        field: DUE,
    }
    Cycle.objects.filter(pk=cycle.pk).update(**deadlines)


@pytest.fixture
def self_assessment(cycle, run_to):
    """Both units' self-assessments in draft, the deadline on DUE."""
    run_to(cycle, Phase.SELF_ASSESSMENT)
    due_on(cycle, "self_assessment_due")
    return cycle


# (days from the deadline, reminders sent that day to the four officers and leaders)
SCHEDULE = [(-8, 0), (-7, 4), (-6, 0), (-3, 4), (-2, 0), (-1, 4), (0, 0), (1, 4), (2, 0)]


def test_a_daily_run_sends_each_step_of_the_schedule_once(self_assessment):
    sent = [(offset, send_due(day(offset)).sent) for offset, _n in SCHEDULE]
    assert sent == SCHEDULE
    assert set(ReminderSent.objects.values_list("step", flat=True)) == {7, 3, 1, -1}
    assert recipients(event=Event.REMINDER) == UNIT_PEOPLE


def test_running_twice_the_same_day_sends_nothing_more(self_assessment):
    assert send_due(day(-3)).sent == 4
    again = send_due(day(-3))
    assert again.sent == 0 and again.lines[0][3] == 4  # four already sent
    assert Notice.objects.filter(event=Event.REMINDER).count() == 4


def test_a_missed_day_is_caught_up_once(self_assessment):
    assert send_due(day(-5)).sent == 4  # the command was down on day -7
    assert send_due(day(-4)).sent == 0


def test_the_schedule_is_a_setting(self_assessment, settings):
    settings.PARINDEX_REMINDER_DAYS = (10,)
    assert send_due(day(-7)).sent == 0
    assert send_due(day(-10)).sent == 4


def test_a_moved_deadline_starts_its_schedule_again(self_assessment):
    assert send_due(day(-1)).sent == 4
    Cycle.objects.filter(pk=self_assessment.pk).update(self_assessment_due=DUE + timedelta(days=7))
    assert send_due(day(6)).sent == 4  # a day before the new deadline


def test_a_signed_off_unit_is_not_reminded(self_assessment, people, run_to, assessment):
    from parindex_web.cycles.models import Assessment

    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SUBMITTED, signed_at=timezone.now()
    )
    send_due(day(-3))
    assert recipients(event=Event.REMINDER) == {"officer2", "leader2"}


def test_the_reminder_says_what_is_not_done_the_deadline_and_links_to_the_page(
    self_assessment, people, assessment, sent
):
    outbox = sent(send_due, day(-3))
    notice = Notice.objects.get(event=Event.REMINDER, recipient=people.officer)
    assert notice.text == (
        "Nhắc việc: tự đánh giá chưa được ký duyệt – Xã Đông Hòa (Chỉ số CCHC cấp xã 2025). "
        "Hạn chót: 15/12/2026 17:00 (còn 3 ngày)."
    )
    assert notice.link == f"/assessments/{assessment.pk}/"
    [to_officer] = [m for m in outbox if m.to == ["officer@example.org"]]
    assert f"https://chiso.example.vn/assessments/{assessment.pk}/" in to_officer.body


def test_the_day_after_the_reminder_says_the_deadline_passed(self_assessment, people):
    send_due(day(1))
    text = Notice.objects.get(event=Event.REMINDER, recipient=people.officer).text
    assert text.endswith("Hạn chót: 15/12/2026 17:00 (quá hạn 1 ngày).")


def test_an_appraiser_is_reminded_of_the_units_not_appraised(cycle, run_to, people):
    run_to(cycle, Phase.APPRAISAL)
    due_on(cycle, "appraisal_due")
    send_due(day(-1))
    assert recipients(event=Event.REMINDER) == {"appraiser", "appraiser2"}
    notice = Notice.objects.get(recipient=people.appraiser, event=Event.REMINDER)
    assert notice.link == f"/appraisal/{notice.assessment_id}/"


def test_a_cycle_without_a_deadline_or_closed_is_not_reminded(self_assessment, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(self_assessment_due=None)
    assert send_due(day(-1)).lines == []
    Cycle.objects.filter(pk=cycle.pk).update(self_assessment_due=DUE, phase=Phase.FINALISED)
    assert send_due(day(-1)).lines == []


def test_an_opt_out_keeps_the_notice_and_stops_the_email(self_assessment, people, sent):
    Preference.objects.create(user=people.officer, email_reminders=False)
    outbox = sent(send_due, day(-7))
    assert "officer@example.org" not in [m.to[0] for m in outbox]
    assert len(outbox) == 3
    assert Notice.objects.filter(recipient=people.officer, event=Event.REMINDER).exists()


# --- the command -----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_runs_once_at_a_given_time_and_prints_a_summary(self_assessment):
    out = run("--once-at", "2026-12-12T08:00")
    assert "Chỉ số CCHC cấp xã 2025 (2025) [self_assessment, 3 day(s) before the deadline]" in out
    assert "4 sent, 0 sent before" in out
    assert "12/12/2026 08:00: 4 reminder(s) sent in 1 cycle(s)" in out
    assert "0 sent, 4 sent before" in run("--once-at", "2026-12-12T09:00")


def test_the_command_without_options_runs_once_now(self_assessment, monkeypatch):
    # "Now" is pinned weeks before the fixture's deadline (15/12/2026): the real clock reached
    # the reminder steps on 08/12/2026 and the test began to fail with the calendar.
    weeks_before = timezone.make_aware(datetime(2026, 11, 1, 8, 0))
    monkeypatch.setattr(timezone, "now", lambda: weeks_before)
    assert "01/11/2026 08:00: 0 reminder(s) sent in 0 cycle(s)" in run()


def test_the_loop_stops_cleanly_on_sigterm_between_runs(self_assessment, monkeypatch):
    runs = []
    monkeypatch.setattr(Command, "run", lambda self, now: runs.append(now))
    before = signal.getsignal(signal.SIGTERM)

    def sleep(self, seconds):
        assert seconds == 5
        os.kill(os.getpid(), signal.SIGTERM)  # what systemd or docker stop sends
        self.stopping.wait(seconds)  # ends at once: the signal set it

    monkeypatch.setattr(Command, "sleep", sleep)
    out = run("--loop", "--interval", "5")
    assert runs == [None]
    assert out.splitlines() == [
        "send_reminders: every 5 s; stop with Ctrl-C",
        "send_reminders: stopped",
    ]
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is put back


def test_the_loop_runs_again_after_each_sleep_until_ctrl_c(self_assessment, monkeypatch):
    runs = []
    monkeypatch.setattr(Command, "run", lambda self, now: runs.append(now))

    def sleep(self, seconds):
        if len(runs) == 3:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(Command, "sleep", sleep)
    assert run("--loop").endswith("send_reminders: stopped\n")
    assert len(runs) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--once-at", "tomorrow"], "is not a date and time"),
        (["--interval", "0", "--loop"], "--interval must be at least 1 second"),
        (["--loop", "--once-at", "2026-12-12T08:00"], "cannot be combined with --loop"),
    ],
)
def test_the_command_refuses_bad_options(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert mail.outbox == []
