"""The one way out of Makegood: every e-mail, webhook and payment announcement is an outbox message.

To send something, register a handler for its purpose once (`makegood.outbox.handlers`), then,
inside the transaction of the change that asks for it:

    from makegood.outbox import outbox_enqueue

    outbox_enqueue(purpose="followup.survey", target=customer.email, key=f"survey:{follow_up.pk}",
                   payload={"follow_up_id": follow_up.pk})

The message row is written in that transaction (so it exists exactly when the change does) and
the worker sends it after the commit: claimed under a lease, retried with back-off up to the
purpose's limit, then marked failed (visible in the admin; the handler's `failed` hook runs). A
second enqueue with the same purpose and key returns the first message and sends nothing more.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from makegood.outbox.models import OutboxMessage


def outbox_enqueue(
    *, purpose: str, payload: dict[str, Any], target: str = "", key: str = "", not_before: datetime | None = None
) -> OutboxMessage:
    """Write a message for `purpose` and have it sent after the current transaction commits.

    `key` (optional) makes it idempotent: one message per purpose and key. `not_before` delays
    the first attempt. Outside a transaction the message is sent at once (by the worker).
    """
    from makegood.outbox.enqueue import message_enqueue

    return message_enqueue(purpose=purpose, payload=payload, target=target, key=key, not_before=not_before)


def outbox_send_on_commit(message: OutboxMessage) -> None:
    """Send a message written directly (a stage's subclass of `OutboxMessage`) after the commit."""
    from makegood.outbox.enqueue import send_on_commit

    send_on_commit(message.pk)


def outbox_cancel(message_id: int) -> bool:
    """Withdraw a pending message, in the transaction of the change that makes it pointless.

    A message that a worker is sending or recording at this moment is left alone (on PostgreSQL
    its row is skipped, not waited for: the worker's delivered hook may be waiting for a lock this
    transaction holds): its handler must re-check, when sending and when recording, that it is
    still wanted. Returns whether the message was withdrawn.
    """
    from makegood.outbox.pipeline import message_cancel

    return message_cancel(message_id=message_id)


__all__ = ["outbox_cancel", "outbox_enqueue", "outbox_send_on_commit"]
