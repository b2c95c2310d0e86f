"""Every e-mail this stage sends to a customer leaves through `customer_email_enqueue`.

The task is written in the same transaction as the change that asks for it (the worker's outbox),
so a committed announcement or adoption always has its e-mail on the way. One function, so that
moving to the shared outbound pipeline is a change here only.
"""

from __future__ import annotations

from makegood.worker.outbox import enqueue_on_commit


def customer_email_enqueue(kind: str, object_id: int) -> None:
    """`kind`: "fix_announcement" (a FixAnnouncement id) or "suggestion_thanks" (a SuggestionItem id)."""
    from makegood.improvement.tasks import send_customer_email

    enqueue_on_commit(send_customer_email, kind, object_id)
