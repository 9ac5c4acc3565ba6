"""Rate limits of the public online form, per client address, with the API's throttles.

:data:`PARINDEX_ANSWER_CODE_RATE` counts every request that gives a one-time code (opening the
form, sending it, typing a code on the entry page), so that codes cannot be guessed;
:data:`PARINDEX_ANSWER_SUBMIT_RATE` counts the submissions of answers. The client address is
the one the API's throttles see (``PARINDEX_API_PROXIES``), the counts are kept in the default
cache (:mod:`parindex_web.api.throttling`, whose settings-read rate and ``Retry-After`` are
used as they are).
"""

from __future__ import annotations

import math

from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle

from parindex_web.api.throttling import _RateFromSettings


class CodeThrottle(_RateFromSettings, AnonRateThrottle):
    """Requests that give a code, per client address."""

    scope = "answer_code"
    setting = "PARINDEX_ANSWER_CODE_RATE"


class SubmitThrottle(_RateFromSettings, AnonRateThrottle):
    """Submissions of answers, per client address."""

    scope = "answer_submit"
    setting = "PARINDEX_ANSWER_SUBMIT_RATE"


CODES, SUBMISSIONS = CodeThrottle(), SubmitThrottle()


def refused(throttle: _RateFromSettings, request: HttpRequest) -> int | None:
    """``None`` when ``request`` is within the throttle's rate (and counts it), else the
    seconds to wait (at least 1)."""
    if throttle.allow_request(request):
        return None
    wait = throttle.wait()
    return max(1, math.ceil(wait)) if wait is not None else 60
