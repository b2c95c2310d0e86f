"""When a refused message is tried again: exponentially, deterministically, capped.

30 s, 2 min, 8 min, 32 min, 2 h 8 min, then every 6 h, until the purpose's last attempt
(`Handler.max_attempts`, 8 by default), after which the message is marked failed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_FACTOR = 4
BACKOFF_CAP = timedelta(hours=6)


def backoff_delay(attempt: int) -> timedelta:
    """How long to wait after the given failed attempt (1 for the first) before the next one."""
    return min(BACKOFF_FIRST * BACKOFF_FACTOR ** max(attempt - 1, 0), BACKOFF_CAP)


def lease() -> timedelta:
    """How long a claimed message stays taken: far longer than an attempt may take."""
    return timedelta(seconds=settings.MAKEGOOD_OUTBOX_LEASE)
