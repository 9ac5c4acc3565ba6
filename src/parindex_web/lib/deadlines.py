"""How far a deadline is, in whole days of the site's time zone, and in words.

The words carry the meaning (never the colour alone): "3 days left", "due today", "2 days
overdue"; :attr:`Countdown.tone` is the class a page colours them with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: Days left at which a deadline counts as close (shown in the warning colour).
SOON_DAYS = 3


@dataclass(frozen=True)
class Countdown:
    """A deadline seen at ``now``: ``days`` from today to its day (negative once passed)."""

    due: datetime
    days: int
    overdue: bool

    @property
    def words(self) -> str:
        if self.overdue:
            late = max(-self.days, 0)
            if late == 0:
                return _("overdue since today")
            return ngettext("%(n)s day overdue", "%(n)s days overdue", late) % {"n": late}
        if self.days == 0:
            return _("due today")
        return ngettext("%(n)s day left", "%(n)s days left", self.days) % {"n": self.days}

    @property
    def tone(self) -> str:
        """``overdue``, ``soon`` (at most :data:`SOON_DAYS` days left) or ``open``."""
        if self.overdue:
            return "overdue"
        return "soon" if self.days <= SOON_DAYS else "open"


def countdown(due: object, now: datetime | None = None) -> Countdown | None:
    """The countdown to ``due`` (None when there is no deadline) at ``now`` (default: now)."""
    if not isinstance(due, datetime):
        return None
    now = now or timezone.now()
    days = (timezone.localtime(due).date() - timezone.localtime(now).date()).days
    return Countdown(due, days, now > due)
