"""Writing a message and asking the worker to send it once the transaction commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from makegood.outbox.handlers import handler_for
from makegood.outbox.models import OutboxMessage
from makegood.rows import row_insert_unless_taken
from makegood.worker.on_commit import enqueue_in_transaction


def message_enqueue(
    *, purpose: str, payload: dict[str, Any], target: str = "", key: str = "", not_before: datetime | None = None
) -> OutboxMessage:
    if handler_for(purpose) is None:
        raise ValueError(f"No outbox handler is registered for {purpose!r}.")
    # No read first: the unique (purpose, key) constraint decides, so that a service that reads
    # before it writes (intake) still writes without a read in between; `ON CONFLICT DO NOTHING`
    # rather than a savepoint around an INSERT that may fail (two statements fewer).
    now = timezone.now()
    message = OutboxMessage(
        purpose=purpose,
        payload=payload,
        target=target[:500],
        key=key,
        next_attempt_at=not_before or now,
        created_at=now,
    )
    if not row_insert_unless_taken(message):
        # Enqueued before (or by another transaction meanwhile): that one is the message.
        return OutboxMessage.objects.get(purpose=purpose, key=key)
    if not_before is None or not_before <= now:
        send_on_commit(message.pk)
    return message


def send_on_commit(message_id: int) -> None:
    """With the database queue, the task's row is written in the current transaction too.

    Otherwise (the inline backend in tests, a broker) it is enqueued after the commit; a queue
    that refuses then must not turn the committed change into an error, and the sweep sends what
    was not enqueued.
    """
    from makegood.outbox.tasks import deliver_message

    if not enqueue_in_transaction(deliver_message, message_id):
        transaction.on_commit(lambda: deliver_message.enqueue(message_id), robust=True)
