"""When a deadline reminder is due: a schedule of days before (and after) a deadline.

A schedule is a list of whole days relative to a deadline's day: ``7`` is a week before,
``1`` the day before, ``0`` the day itself, ``-1`` the day after it passed. Each step is
current from its day until the next step's day (exclusive); the last step only on its day.
So a sender that runs every day sends each step once, on its day, and a sender that was down
on a step's day catches up the next day, but never sends a step whose time is over.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

__all__ = ["DEFAULT_SCHEDULE", "ScheduleError", "current_step", "parse_schedule"]

#: A week, three days and one day before the deadline, and the day after it passed.
DEFAULT_SCHEDULE: tuple[int, ...] = (7, 3, 1, -1)

#: Steps further than this from the deadline are refused (a typo such as 70 instead of 7).
LIMIT_DAYS = 366


class ScheduleError(ValueError):
    """A schedule that cannot be read; the message names the bad item."""


def parse_schedule(items: Iterable[str]) -> tuple[int, ...]:
    """The schedule from its text items ("7", "3", "-1"), earliest step (most days before) first.

    Each item is a whole number of days from -366 to 366; duplicates are dropped. Raises
    :class:`ScheduleError` naming the first item that is not one.
    """
    steps: set[int] = set()
    for item in items:
        text = item.strip()
        try:
            days = int(text, 10)
        except ValueError:
            raise ScheduleError(f"{item!r} is not a whole number of days") from None
        if abs(days) > LIMIT_DAYS:
            raise ScheduleError(f"{item!r} is more than {LIMIT_DAYS} days from the deadline")
        steps.add(days)
    return tuple(sorted(steps, reverse=True))


def current_step(due: date, today: date, schedule: Iterable[int]) -> int | None:
    """The step of ``schedule`` current on ``today`` for a deadline on ``due``, or None.

    A step ``s`` falls on ``due - s days`` and stays current until the next step's day; the
    last step is current on its own day only. Returns None before the first step's day, after
    the last step's day, and for an empty schedule.
    """
    steps = sorted(set(schedule), reverse=True)
    for index, step in enumerate(steps):
        start = due - timedelta(days=step)
        last = index + 1 == len(steps)
        end = start + timedelta(days=1) if last else due - timedelta(days=steps[index + 1])
        if start <= today < end:
            return step
    return None
