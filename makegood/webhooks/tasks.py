"""Background work for webhooks. Thin: one attempt per task, and a sweep as the safety net.

A failed attempt re-enqueues itself to run at the retry time when the task backend can defer
(`run_after`; the database backend can). Whatever the backend, `sweep_deliveries` (every minute,
from `MAKEGOOD_PERIODIC_TASKS`) enqueues every pending delivery whose time has come: it catches
retries on a backend that cannot defer, deliveries whose task was lost (a crash between the
commit and the enqueue), and deliveries whose sender died mid-attempt (once its lease ends).
Enqueuing one twice is harmless: only one attempt can claim it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from makegood.webhooks.delivery import delivery_attempt
from makegood.webhooks.selectors import deliveries_due

# With a backend that defers, a retry's own task is due at its time; the sweep leaves it that long
# to run before enqueuing it again, so a busy worker is not handed the same delivery twice.
SWEEP_GRACE = timedelta(minutes=2)


def _backend_defers() -> bool:
    return bool(deliver_webhook.get_backend().supports_defer)


@task()
def deliver_webhook(delivery_id: int) -> None:
    retry_at = delivery_attempt(delivery_id=delivery_id)
    if retry_at is not None and _backend_defers():
        deliver_webhook.using(run_after=retry_at).enqueue(delivery_id)


@task()
def sweep_deliveries() -> int:
    """Enqueue the pending deliveries that are due; returns how many."""
    grace = SWEEP_GRACE if _backend_defers() else timedelta(0)
    due = deliveries_due(before=timezone.now() - grace)
    for delivery_id in due:
        deliver_webhook.enqueue(delivery_id)
    return len(due)
