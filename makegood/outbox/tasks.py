"""The outbox's background work. Thin: one attempt per task, and a sweep as the safety net.

A failed attempt re-enqueues itself to run at the retry time when the task backend can defer
(`run_after`; the database backend can). Whatever the backend, `sweep_outbox` (every minute,
from `MAKEGOOD_PERIODIC_TASKS`) enqueues every pending message whose time has come: retries on a
backend that cannot defer, messages whose task was lost, and messages whose sender died
mid-attempt (once their lease ends). Enqueuing one twice is harmless: only one attempt claims it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from makegood.outbox.pipeline import message_attempt, messages_due

# With a backend that defers, a retry's own task is due at its time; the sweep leaves it that long
# to run before enqueuing it again, so a busy worker is not handed the same message twice.
SWEEP_GRACE = timedelta(minutes=2)


def backend_defers() -> bool:
    return bool(deliver_message.get_backend().supports_defer)


@task()
def deliver_message(message_id: int) -> None:
    retry_at = message_attempt(message_id=message_id)
    if retry_at is not None and backend_defers():
        deliver_message.using(run_after=retry_at).enqueue(message_id)


@task()
def sweep_outbox(purpose: str = "") -> int:
    """Enqueue the pending messages that are due (of one purpose, if given); returns how many."""
    grace = SWEEP_GRACE if backend_defers() else timedelta(0)
    due = messages_due(now=timezone.now(), grace=grace, purposes=[purpose] if purpose else None)
    for message_id in due:
        deliver_message.enqueue(message_id)
    return len(due)
