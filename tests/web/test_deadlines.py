"""How far a deadline is, in whole days of the site's time zone (Asia/Ho_Chi_Minh), in words."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from parindex_web.lib.deadlines import countdown

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=HCM)


@pytest.mark.parametrize(
    ("due", "days", "words", "vi", "tone"),
    [
        (datetime(2026, 12, 13, 17, 0), 10, "10 days left", "còn 10 ngày", "open"),
        (datetime(2026, 12, 7, 9, 0), 4, "4 days left", "còn 4 ngày", "open"),
        (datetime(2026, 12, 6, 9, 0), 3, "3 days left", "còn 3 ngày", "soon"),
        (datetime(2026, 12, 4, 0, 30), 1, "1 day left", "còn 1 ngày", "soon"),
        (datetime(2026, 12, 3, 17, 0), 0, "due today", "hết hạn hôm nay", "soon"),
        (datetime(2026, 12, 3, 9, 0), 0, "overdue since today", "đã quá hạn hôm nay", "overdue"),
        (datetime(2026, 12, 2, 23, 59), -1, "1 day overdue", "quá hạn 1 ngày", "overdue"),
        (datetime(2026, 11, 23, 17, 0), -10, "10 days overdue", "quá hạn 10 ngày", "overdue"),
    ],
)
def test_a_deadline_in_days_and_words(due, days, words, vi, tone):
    shown = countdown(due.replace(tzinfo=HCM), NOW)
    assert (shown.days, shown.tone) == (days, tone)
    with translation.override("en"):
        assert shown.words == words
    with translation.override("vi"):
        assert shown.words == vi


def test_days_are_counted_in_the_sites_time_zone_not_in_utc():
    # 23:30 UTC on the 3rd is already the 4th in Hà Nội: one day from 10:00 on the 3rd.
    due = datetime(2026, 12, 3, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert countdown(due, NOW).days == 1


def test_no_deadline_is_no_countdown():
    assert countdown(None, NOW) is None
