"""Deadline reminder schedules: which step is current on which day, and reading a schedule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.reminders import DEFAULT_SCHEDULE, ScheduleError, current_step, parse_schedule

DUE = date(2026, 12, 15)

# (days from the deadline's day to today, the step current then) for the default 7, 3, 1, -1.
TABLE = [
    (-30, None),  # weeks before: nothing yet
    (-8, None),
    (-7, 7),  # a week before
    (-6, 7),  # missed yesterday: caught up, still the week's reminder
    (-4, 7),
    (-3, 3),
    (-2, 3),
    (-1, 1),
    (0, 1),  # the deadline's own day: the day-before reminder is still the current one
    (1, -1),  # the day after it passed
    (2, None),  # over: never sent late
    (40, None),
]


@pytest.mark.parametrize(("offset", "step"), TABLE)
def test_the_current_step_follows_the_default_schedule(offset, step):
    assert current_step(DUE, DUE + timedelta(days=offset), DEFAULT_SCHEDULE) == step


@pytest.mark.parametrize(
    ("schedule", "offset", "step"),
    [
        ((), 0, None),
        ((0,), -1, None),
        ((0,), 0, 0),
        ((0,), 1, None),
        ((-1, 7, 7), -7, 7),  # any order, duplicates ignored
        ((-1, 7, 7), 0, 7),
        ((2,), -2, 2),
        ((2,), -1, None),
    ],
)
def test_the_current_step_of_other_schedules(schedule, offset, step):
    assert current_step(DUE, DUE + timedelta(days=offset), schedule) == step


@given(
    st.lists(st.integers(-20, 20), min_size=1, max_size=6),
    st.integers(-40, 40),
)
def test_each_step_is_current_on_its_own_day(schedule, step_index):
    step = schedule[step_index % len(schedule)]
    assert current_step(DUE, DUE - timedelta(days=step), schedule) == step


@given(st.lists(st.integers(-20, 20), min_size=1, max_size=6))
def test_a_daily_sender_sends_every_step_exactly_once(schedule):
    days = [DUE + timedelta(days=n) for n in range(-30, 31)]
    sent = [s for s in (current_step(DUE, d, schedule) for d in days) if s is not None]
    assert sorted(set(sent), reverse=True) == sorted(set(schedule), reverse=True)
    assert [s for i, s in enumerate(sent) if i == 0 or sent[i - 1] != s] == sorted(
        set(schedule), reverse=True
    )


@pytest.mark.parametrize(
    ("items", "schedule"),
    [
        (["7", "3", "1", "-1"], (7, 3, 1, -1)),
        ([" -1", "7 ", "7"], (7, -1)),
        (["0"], (0,)),
        ([], ()),
        (["366", "-366"], (366, -366)),
    ],
)
def test_it_reads_a_schedule(items, schedule):
    assert parse_schedule(items) == schedule


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["7", "three"], "'three' is not a whole number of days"),
        (["1.5"], "'1.5' is not a whole number of days"),
        (["367"], "'367' is more than 366 days from the deadline"),
        (["-400"], "'-400' is more than 366 days"),
    ],
)
def test_it_refuses_a_bad_schedule_naming_the_item(items, message):
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(items)
